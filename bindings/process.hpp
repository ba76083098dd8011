// The C++ object behind psi.process.Process.
#pragma once

#include <memory>
#include <vector>

#include "common.hpp"

namespace psi_py {

// A snapshot plus the System that read it. Attributes whose group was not
// read are read on first access (System::read_more, which checks the pid
// still belongs to the same process). No Python references are held, so a
// Process can never be part of a reference cycle.
struct PyProcess {
    psi::ProcessInfo info;
    SystemPtr system;
    // Groups a lazy read found the process gone for: their attributes are
    // "not available" from then on (until a successful refresh()), rather
    // than raising NoSuchProcessError from an attribute access.
    psi::Groups gone;
    // A pidfd on the process, taken when a single Process is constructed
    // (System::pin right after the read), so kill() reaches exactly the
    // process read or raises NoSuchProcessError. Table rows have none (a
    // table must not hold thousands of fds): their kill() pins at the time
    // of the kill. Shared: copies of the object share the one fd, closed
    // with the last of them.
    std::shared_ptr<psi::ProcessHandle> handle;
};

// Makes sure `need` has been read (or found unreadable). May release the GIL.
void ensure_groups(PyProcess& p, psi::Groups need);
// Process objects for a list of snapshots sharing one System.
py::list wrap_all(std::vector<psi::ProcessInfo>&& infos, const SystemPtr& system);
py::object wrap(psi::ProcessInfo&& info, const SystemPtr& system);
// The attribute getters (process_attrs.cpp), installed on the class.
void install_process_attributes(py::handle cls);
// -- w-io: the IoCounters named tuple type (psi._core.IoCounters) --
py::object io_counters_type();
// The public attribute names, in documentation order.
std::vector<const char*> process_attribute_names();
// Groups that serve the named attributes (ValueError for unknown names).
psi::Groups groups_for_names(py::handle names);

}  // namespace psi_py
