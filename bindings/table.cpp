// Filling a psi.process.ProcessTable (a dict subclass defined in Python).
#include <utility>
#include <vector>

#include "process.hpp"

namespace psi_py {

namespace {

// What ProcessTable() reads up front when not told otherwise: what
// `ps -ef` shows (ids, user, state, times, sizes, tty, command line). Other
// attributes (env, cwd, exe, real ids) are read on first access.
constexpr psi::Groups kDefaultGroups = psi::groups::ps_args;

// Returns the table's read instant (instant_tuple).
py::tuple fill_table(py::dict target, py::object attrs) {
    psi::Groups groups = attrs.is_none() ? kDefaultGroups : groups_for_names(attrs);
    SystemPtr reader = table_reader();
    psi::ProcessTable table = with_system(*reader, [&](psi::System& s) { return s.table(groups); });
    const psi::Instant listed = table.read_at();
    std::vector<psi::ProcessInfo> procs = std::move(table).release();
    SystemPtr sys = shared_system(reader->system.options().proc_root);
    // Straight into the dict's storage: the Python class blocks __setitem__
    // (the table is read-only) and PyDict_SetItem does not go through it.
    for (psi::ProcessInfo& info : procs) {
        py::object key = to_int(info.pid);
        py::object value = wrap(std::move(info), sys);
        if (PyDict_SetItem(target.ptr(), key.ptr(), value.ptr()) != 0) throw py::error_already_set();
    }
    return instant_tuple(listed);
}

}  // namespace

void register_table(py::module_& m) {
    m.def("fill_table", &fill_table, py::arg("table"), py::arg("attrs") = py::none(),
          "Fill a dict with pid -> Process for every process (GIL released while reading); "
          "returns the listing instant (wall TimeSpec, monotonic seconds).");
}

}  // namespace psi_py
