// psi/family.hpp - a process's parent and children, guarded against pid reuse.
//
// A ppid names a pid, not a process: the parent may have exited and its pid
// been given to a newer process since the child was read. Both functions
// therefore compare start times (ProcessInfo::start_ticks, one clock for
// every process of a system): a parent never starts after its child.
#pragma once

#include <optional>
#include <system_error>
#include <vector>

#include "psi/process.hpp"
#include "psi/system.hpp"

namespace psi {

// The parent of `child`, read with `groups` (stat is always added). Empty
// when child's ppid is <= 0 (pid 1, kernel roots; Solaris and macOS pid 0),
// when the parent is gone, or when the process holding the ppid started
// after the child (the parent exited and its pid was reused). A child whose
// ppid was not read gets its stat group read first (no_such_process when
// the child itself is gone); a ppid that could not be read gives empty.
// ec: errors other than "no such process" (e.g. proc_root_unusable).
std::optional<ProcessInfo> parent(System& sys, const ProcessInfo& child, Groups groups, std::error_code& ec);
std::optional<ProcessInfo> parent(System& sys, const ProcessInfo& child, Groups groups = groups::ps);

// The children of `proc`, from one scan of the process table read with
// `groups` (stat is always added), in pid order. recursive=false: the
// processes whose ppid is proc's pid; recursive=true: every descendant
// (children, their children, ...). A process counts as a child only if it
// started no earlier than its parent: an older process with a matching
// ppid is the child of an earlier holder of that pid. The walk is
// iterative and visits each process once, so a damaged proc tree whose
// ppids form a cycle cannot loop. no_such_process when proc is gone or
// its pid was reused.
std::vector<ProcessInfo> children(System& sys, const ProcessInfo& proc, Groups groups, bool recursive,
                                  std::error_code& ec);
std::vector<ProcessInfo> children(System& sys, const ProcessInfo& proc, Groups groups = groups::ps,
                                  bool recursive = false);

}  // namespace psi
