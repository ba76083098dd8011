// macOS backend state. There is no proc root to open: processes come from
// sysctl(3) and libproc. What the context keeps is the KERN_PROC_ALL
// snapshot of the last listing (so a table's rows do not each repeat a
// sysctl), the KERN_PROCARGS2 buffer, and constants read once.
#pragma once

#include <sys/types.h>
#include <sys/sysctl.h>
#include <sys/proc_info.h>

#include <cstdint>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include "core/backend_process.hpp"
#include "platform/macos/parse.hpp"

namespace psi::backend {

// One KERN_PROC_ALL listing: the rows and (pid, row) sorted by pid. Shared
// read-only by the contexts of a parallel table read (open_worker).
struct Listing {
    std::vector<kinfo_proc> rows;
    std::vector<std::pair<int, std::uint32_t>> index;
    std::int64_t listed_ns = 0;  // CLOCK_MONOTONIC at the listing
};

struct Context {
    // The last listing. A row serves at most one identify of this
    // context without expect_start, and only within kTableTtlNs of the
    // listing: anything later (refresh, a lazy read, System::process long
    // after pids()) asks the kernel afresh, so a stale row is never returned
    // as current. `used` is per context: parallel readers take disjoint pids.
    std::shared_ptr<const Listing> listing;
    std::vector<bool> used;
    static constexpr std::int64_t kTableTtlNs = 1'000'000'000;

    // KERN_PROCARGS2 buffer: kern.argmax bytes, allocated by the first read
    // that needs args, env or exe (a ps-like table never does, and every
    // table and worker context would otherwise zero a megabyte).
    std::vector<char> args_buf;
    std::size_t args_max = 1 << 20;
    // Timebase of the task CPU times: hw.tbfrequency, else
    // mach_timebase_info (macos::cpu_time_timebase).
    std::uint32_t tb_numer = 1, tb_denom = 1;
    // PROC_PIDLISTTHREADS buffer (thread handles), reused.
    std::vector<std::uint64_t> threads;
    long page_size = 4096;
    // -- x-macos: PROC_PIDLISTFDS buffer (8-byte proc_fdinfo records), reused.
    std::vector<std::uint64_t> fd_buf;
    // -- x-macos: a context on one process's threads (open_tasks) --
    // task_pid >= 0: this context's "pids" are the unique thread ids of
    // process task_pid. task_row is that process's kinfo_proc (read once
    // by open_tasks) and task_start its start ticks, which is also each
    // thread's identity: macOS keeps no thread start time, and a thread id
    // is never reused while the system runs. thread_info is the thread
    // identify read, for the read_groups call that follows.
    int task_pid = -1;
    std::uint64_t task_start = 0;
    kinfo_proc task_row{};
    proc_threadinfo thread_info{};
    // The row identify chose (a listing's or `row_scratch`, read afresh),
    // for the read_groups call that follows (backend_process.hpp).
    kinfo_proc row_scratch{};
    const kinfo_proc* row = nullptr;
};

}  // namespace psi::backend

namespace psi::macos {

// Monotonic nanoseconds (for the table's time to live).
std::int64_t monotonic_ns();

// The kinfo_proc of one pid via {CTL_KERN, KERN_PROC, KERN_PROC_PID, pid}.
// no_such_process when the kernel returns no row.
std::error_code fetch_one(int pid, kinfo_proc& out);

// The whole table via {CTL_KERN, KERN_PROC, KERN_PROC_ALL}: size probe,
// allocate with slack, retry while processes appear between the two calls
// (ENOMEM).
std::error_code fetch_all(std::vector<kinfo_proc>& out);

// The row for pid to use now: the cached table's row when allowed (see
// Context), else a fresh KERN_PROC_PID read into `scratch`.
std::error_code row_for(backend::Context& ctx, int pid, bool allow_cache, kinfo_proc& scratch,
                        const kinfo_proc*& row);

// Identity of a row: p_starttime in microseconds.
std::uint64_t row_start_ticks(const kinfo_proc& kp);

// -- x-macos: threads of a task context (Context::task_pid >= 0) --
// The thread ids of ctx.task_pid (PROC_PIDLISTTHREADIDS), appended to out.
std::error_code list_thread_ids(backend::Context& ctx, std::vector<int>& out);
// proc_pidinfo(PROC_PIDTHREADID64INFO) of thread `tid` into
// ctx.thread_info; no_such_process when the thread has gone.
std::error_code read_thread(backend::Context& ctx, int tid);

}  // namespace psi::macos
