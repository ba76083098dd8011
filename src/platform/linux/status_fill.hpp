// Turning a parsed /proc/PID/status into the Group::status attributes
// (issue 12): context switches, memory detail, saved and file-system ids,
// supplementary groups, signal sets, NSpid and CPU affinity.
#pragma once

#include "core/classify.hpp"
#include "platform/linux/parse.hpp"
#include "platform/linux/parse_status_ext.hpp"

namespace psi::backend {

// The head the creds group reads, from the full parse (one read, one pass
// when both groups are asked for).
linux_proc::StatusFields status_fields_of(const linux_proc::StatusExt& x);
// Sets every Group::status attribute of `out` from `x`. A line the file
// lacks is not_available, except the memory lines of a kernel thread,
// which has no user memory at all (0, as for rss).
void fill_status_group(const linux_proc::StatusExt& x, const detail::ProcessKind& kind, ProcessInfo& out);
// The status file could not be read (errno `err`): every Group::status
// attribute gets its classified status. True when the process may be gone.
bool fail_status_group(int err, const detail::ProcessKind& kind, ProcessInfo& out);

}  // namespace psi::backend
