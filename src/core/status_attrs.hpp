// The core's part of issue 12's stat and status attributes: what every
// backend gets without code of its own.
#pragma once

#include "core/names.hpp"
#include "psi/process.hpp"

namespace psi::detail {

// After a backend read `groups`: each issue-12 stat/status attribute whose
// group was read but which the backend left not_read does not exist on
// this platform (the registry's os bits say where it does), so it becomes
// not_implemented. One place instead of a line per backend.
void mark_status_attrs_unimplemented(ProcessInfo& p, Groups groups);

// suser sgroup fsuser fsgroup from suid sgid fsuid fsgid, through the
// System's name cache (as euser from euid), when the status group is read.
void fill_status_names(NameCache& names, ProcessInfo& p);

}  // namespace psi::detail
