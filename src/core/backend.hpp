// The one internal contract between the portable core and a platform
// backend. Exactly one src/platform/<os>/ implements these functions; the
// core calls nothing else that is OS-specific and contains no OS #if.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "psi/process.hpp"
#include "psi/system.hpp"

namespace psi::backend {

// Per-System platform state: open handles, reusable buffers, clock offsets.
struct Context;
struct ContextDeleter {
    void operator()(Context* ctx) const noexcept;
};
using ContextPtr = std::unique_ptr<Context, ContextDeleter>;

// Opens the platform's process source. Sets ec (proc_root_unusable) when the
// configured root cannot be used.
ContextPtr open(const Options& options, std::error_code& ec);

// A context for one more thread reading the table that `parent` has just
// listed (Options::threads). It may share, read-only, what list_pids left in
// the parent (macOS keeps the KERN_PROC_ALL rows there), so a parallel read
// costs no more system calls than a one-thread read. Called from the worker
// thread while the parent's own thread reads too: it must only read parent.
ContextPtr open_worker(const Context& parent, std::error_code& ec);

// Pids of thread-group leaders, in any order.
void list_pids(Context& ctx, std::vector<int>& out, std::error_code& ec);

// The calling process's pid as this context's source numbers it, or -1 when
// the source does not list us (a fixture root, another pid namespace's
// /proc). The table reads that row on the calling thread: Linux reports a
// process's state as its main thread's, and a caller waiting for its reader
// threads would otherwise list itself sleeping where ps and psutil, reading
// on one thread, always see themselves running.
int self_pid(Context& ctx);

// Reads `groups` of process `pid` into `out` (which may already hold other
// groups) and adds them to out.groups_read; sets out.pid, out.start_ticks
// and out.is_kernel_thread whenever it reads the identity. Group::names is
// the core's business and is ignored here. With `expect_start`, the process
// must still have those start ticks, else no_such_process (pid reused).
// Per-attribute failures are recorded in the attributes (through
// detail::classify_attr_error); only "the process is gone" (or a bad pid /
// unusable root) is returned as an error.
std::error_code read_process(Context& ctx, int pid, Groups groups, ProcessInfo& out,
                             const std::uint64_t* expect_start);

// Start ticks of `pid` (cheapest identity probe), or no_such_process. With
// `expect`, a process that can no longer show its start but is still the
// one that had it reports *expect (Solaris zeroes a zombie's pr_start, and a
// zombie keeps its pid until reaped); other backends ignore it.
std::error_code start_ticks(Context& ctx, int pid, std::uint64_t& ticks, const std::uint64_t* expect = nullptr);

// Sends sig to pid. invalid_argument when the context's processes are not
// this system's own (a fixture tree, another pid namespace's proc): a pid
// there names some other process here.
std::error_code send_signal(Context& ctx, int pid, int sig);

// A kernel handle that names exactly the process `pid` names now, for
// signalling it later without a pid-reuse race (Linux: a pidfd); -1 with ec
// clear when this OS or context offers none, no_such_process when the pid
// names no process. signal_handle sends through it; close_handle releases
// it (ignores -1).
int open_handle(Context& ctx, int pid, std::error_code& ec);
std::error_code signal_handle(int handle, int sig);
void close_handle(int handle) noexcept;

// Name of zone `zoneid` (Solaris zones, getzonenamebyid); the core caches
// it per System. attr_not_implemented where the OS has no zones,
// not_available for an id with no zone (it was halted since).
std::error_code zone_name(Context& ctx, int zoneid, std::string& out);

ArchInfo arch(Context& ctx);
// ArchInfo::pid_max; attr_not_available when it cannot be read.
std::error_code pid_max(Context& ctx, int& out);
std::error_code loadavg(Context& ctx, LoadAvg& out);
std::error_code boot_time(Context& ctx, TimeSpec& out);
std::error_code uptime(Context& ctx, TimeSpec& out);
// `slow_timeout`: what System::mounts' timeout says (a non-negative value).
std::error_code mounts(Context& ctx, bool include_remote, std::chrono::milliseconds slow_timeout,
                       std::vector<MountInfo>& out);

// System figures (psi/sysinfo.hpp). Unsupported on a platform:
// attr_not_implemented. cpu_times fills the sum over all CPUs (cpu -1),
// or one entry per online CPU with `percpu`.
std::error_code cpu_times(Context& ctx, bool percpu, std::vector<CpuTimes>& out);
std::error_code memory(Context& ctx, MemoryInfo& out);
std::error_code swap(Context& ctx, SwapInfo& out);
std::error_code pressure(Context& ctx, Pressure& out);
// `cgroup_root`: Options::cgroup_root ("" = find the cgroup2 mount).
std::error_code cgroup_limits(Context& ctx, const std::string& cgroup_root, CgroupLimits& out);
// CPUs in the calling process's affinity mask; 0 when unknown.
int affinity_cpu_count(Context& ctx);

}  // namespace psi::backend
