// Reading the issue-12 groups io, fds, smaps, oom and limits of one process
// (Linux). Called by read_groups (process.cpp) for the groups asked for;
// none of them is ever read by default (psi::groups::all leaves them out).
#pragma once

#include "core/classify.hpp"
#include "platform/linux/context.hpp"
#include "psi/process.hpp"

namespace psi::backend {

// Fills the attributes of the io, fds, smaps, oom and limits groups that
// are in `groups`; true when a read failed as if the process had gone (the
// core then re-checks its identity, core/backend_process.hpp).
bool read_depth_io(Context& ctx, int pid, Groups groups, const detail::ProcessKind& kind, ProcessInfo& out);

// At most this many descriptors are counted for num_fds: a process may hold
// up to fs.nr_open (2^20 by default, settable to 2^30) descriptors, and
// counting them is one getdents64 pass over a directory the kernel builds
// from the whole fd table. Past the cap num_fds fails with not_available
// (EOVERFLOW) rather than costing a table listing seconds.
inline constexpr std::uint64_t kMaxCountedFds = std::uint64_t{1} << 22;

}  // namespace psi::backend
