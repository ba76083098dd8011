// The process-reading half of the contract between the portable core and a
// platform backend (the other half, system facts, is backend_system.hpp).
// Exactly one src/platform/<os>/ implements these functions; the core calls
// nothing else that is OS-specific and contains no OS #if. A backend's
// process reader (context, parse, process) links without its system-facts
// sources: tests/linux/test_linux_reader.cpp calls it directly.
//
// The liveness protocol is the core's (src/core/system.cpp, read_checked):
//   1. identify: the backend reads the process's identity record and
//      reports its start ticks and kind, writing nothing into a snapshot;
//   2. the core compares the start ticks with the ones expected (a
//      read_more or refresh of an existing snapshot) and stops there with
//      no_such_process when the pid was reused;
//   3. read_groups: the backend reads the groups asked for and says
//      whether some read failed as if the process had exited (maybe_gone);
//   4. only then, once, the core calls start_ticks again: the process is
//      gone if that fails or shows other ticks; otherwise the failures are
//      the attributes' own statuses;
//   5. the core sets pid, start_ticks, is_kernel_thread and groups_read.
// Pids are validated by the core (0..INT_MAX) before any call here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "core/classify.hpp"
#include "psi/process.hpp"
#include "psi/system.hpp"

namespace psi::backend {

// Per-System platform state: open handles, reusable buffers, clock offsets,
// and the identity record between identify and read_groups.
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

// -- w-threads: a context on one process's threads --
// A context whose "processes" are the threads of `pid`: list_pids lists
// their thread ids, and identify / read_groups / start_ticks of a thread id
// read that thread (Linux: /proc/PID/task/TID/, whose files have the same
// format as the process's, proc(5)). The core's liveness protocol is then
// per thread: a thread that ends mid-read is gone like a process. Only
// those three calls and list_pids are used on it. no_such_process when the
// process has gone; attr_not_implemented where the backend cannot list
// threads (macOS: PROC_PIDLISTTHREADIDS; Solaris: /proc/PID/lwp/).
ContextPtr open_tasks(const Context& parent, int pid, std::error_code& ec);

// Pids of thread-group leaders, in any order.
void list_pids(Context& ctx, std::vector<int>& out, std::error_code& ec);

// The calling process's pid as this context's source numbers it, or -1 when
// the source does not list us (a fixture root, another pid namespace's
// /proc). The table reads that row on the calling thread: Linux reports a
// process's state as its main thread's, and a caller waiting for its reader
// threads would otherwise list itself sleeping where ps and psutil, reading
// on one thread, always see themselves running.
int self_pid(Context& ctx);

// What identify learned: who the process is and what kind it is.
struct Identity {
    std::uint64_t start_ticks = 0;  // the identity: (pid, start_ticks)
    detail::ProcessKind kind;       // kernel thread, zombie
};

// Step 1 of a read: the identity record (Linux /proc/PID/stat, macOS the
// kinfo_proc row, Solaris psinfo), kept in ctx for the read_groups call
// that follows on the same context. no_such_process when the pid names no
// process; other errors (unusable root, unparsable record) as they are.
// `expect`: the start ticks the caller knew (a read_more or refresh), or
// null for a first read. Backends use it only where the record cannot show
// the identity any more (Solaris zeroes a zombie's pr_start), and macOS
// uses the table listing's row only for a first read.
std::error_code identify(Context& ctx, int pid, const std::uint64_t* expect, Identity& out);

// Step 2: reads `groups` of the process identify just identified (same ctx,
// same pid, nothing read in between) into `out`, from the kept record and
// further reads. Group::names is the core's business and is not asked for.
// Per-attribute failures go into the attributes (detail::record_attr_failure).
// Returns true ("maybe gone") when some read failed the way a vanished
// process makes it fail (ENOENT, ESRCH, ... for a process that is neither a
// kernel thread nor a zombie): the core then checks liveness once. Never
// sets out.pid, out.start_ticks, out.is_kernel_thread or out.groups_read.
bool read_groups(Context& ctx, int pid, Groups groups, const Identity& id, ProcessInfo& out);

// The groups a stat read of this context fills as well, at no further cost:
// the core adds them to every read (and sample) that includes stat, so a
// row never reads them again lazily. Linux and macOS: usage (the faults are
// in the stat line, in proc_pidinfo's task info); Solaris: usage for an lwp
// row (its stat reads lwpusage), none for a process row (its usage is a
// record of its own).
Groups stat_includes(const Context& ctx) noexcept;

// Start ticks of `pid` (the cheapest identity probe), or no_such_process.
// With `expect`, a process that can no longer show its start but is still
// the one that had it reports *expect (Solaris zeroes a zombie's pr_start,
// and a zombie keeps its pid until reaped); other backends ignore it.
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
// not_available for an id with no zone (it was halted since). Defined with
// the system facts (system_info.cpp): Solaris's getzonenamebyid needs
// <zone.h>, which the Solaris reader's fixture test, built on Linux, lacks;
// no reader function calls it.
std::error_code zone_name(Context& ctx, int zoneid, std::string& out);

// -- x-openfiles: a process's open regular files --
// Appends to `out` the descriptors of `pid` (of the process identify last
// saw; the core checks its identity before and after) that refer to regular
// files, in any order. A descriptor that closes while it is read is left
// out. no_such_process when the process's descriptor table is gone;
// insufficient_privs when the OS refuses to show it; parse_error for a
// descriptor record that cannot be read; attr_not_implemented where the
// backend cannot list descriptors.
std::error_code open_files(Context& ctx, int pid, std::vector<OpenFile>& out);

}  // namespace psi::backend
