// The Solaris reader's parts shared by processes and their lwps (threads):
// the usage record (prusage_t: /proc/PID/usage for a process, the lwp's own
// /proc/PID/lwp/LWPID/lwpusage), the stat-group fields every lwp of a
// process shares, and the lwp context's identify / start_ticks / stat
// group (backend::open_tasks, context.cpp). Defined in lwp.cpp.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "core/backend_process.hpp"
#include "platform/solaris/context.hpp"

namespace psi::solaris_proc {

// A usage record read at most once per row: the stat group's faults and the
// status group's context switches come from the same record.
struct UsageRead {
    std::optional<Prusage> rec;
    int err = 0;
    bool tried = false;
};
// Reads and decodes `rel` into u the first time; later calls return u as it is.
const UsageRead& read_usage(backend::Context& ctx, const char* rel, UsageRead& u);
// Sets each counter from the record, or records the read's failure in each.
// Returns "maybe gone".
bool fill_usage(const UsageRead& u, const detail::ProcessKind& kind,
                std::initializer_list<std::pair<Attr<std::uint64_t>*, std::uint64_t Prusage::*>> fields);

// "PID/lwp/LWPID/name" into out (posix::kPathMax bytes).
void format_lwp_path(char* out, int pid, int lwpid, const char* name);

// Stat-group fields that are the process's, whichever lwp a row is:
// ppid, pgrp, sid, tpgid, tty_dev, terminal, nthreads, zoneid, jiffies, vsz.
void fill_process_wide(backend::Context& ctx, const Psinfo& ps, ProcessInfo& out);
// An lwp's scheduling state (psinfo's pr_lwp or a whole lwpsinfo_t):
// status, status_letter, nice, priority, policy, kernel_priority, processor.
void fill_lwp_state(char sname, int nice, int pri, const std::string& clname, int onpro, ProcessInfo& out);

// The lwp context (Context::tasks_pid >= 0): identity from lwpsinfo.
std::error_code lwp_identify(backend::Context& ctx, int lwpid, backend::Identity& out);
std::error_code lwp_start_ticks(backend::Context& ctx, int lwpid, std::uint64_t& ticks);
// The stat group of an lwp: lwpsinfo (kept by lwp_identify), the process's
// psinfo and the lwp's usage record for its times. Returns "maybe gone".
bool fill_lwp_stat(backend::Context& ctx, const Lwpsinfo& lwp, const Psinfo& ps, const detail::ProcessKind& kind,
                   const UsageRead& usage, ProcessInfo& out);

}  // namespace psi::solaris_proc
