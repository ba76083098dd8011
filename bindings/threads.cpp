// Threads (-- w-threads): Process.thread_list() and the filling of
// psi.process.ThreadTable. A thread snapshot is a Process object whose
// `tid` is set (psi::System::threads rows): the same attributes, read the
// same lazy way (System::read_more reads that thread again), with the
// thread's own name, state, times and CPU; `pid` stays the process's.
#include <utility>
#include <vector>

#include "process.hpp"

namespace psi_py {

namespace {

// Up front: the stat group (name, status, times, processor, nice,
// priority, policy); anything else is read on first access, per thread.
psi::Groups thread_groups(py::handle attrs) {
    return attrs.is_none() ? psi::Groups(psi::Group::stat) : groups_for_names(attrs);
}

std::vector<psi::ProcessInfo> read_threads(const SystemPtr& sys, std::int64_t pid, psi::Groups groups) {
    std::error_code ec;
    std::vector<psi::ProcessInfo> rows =
        with_system(*sys, [&](psi::System& s) { return s.threads(pid, groups, ec); });
    if (ec) raise_error(ec, "pid " + std::to_string(pid) + ": threads: " + ec.message(), static_cast<long>(pid));
    return rows;
}

py::list thread_list(PyProcess& p, py::handle attrs) {
    if (p.info.tid != 0) throw py::type_error("thread_list() of a thread snapshot: ask its process");
    SystemPtr sys = p.system;
    return wrap_all(read_threads(sys, p.info.pid, thread_groups(attrs)), sys);
}

// Fills a dict tid -> thread snapshot: the threads of `pid`, or of every
// process when pid is None (System::thread_table: a process that exits
// meanwhile, or whose threads cannot be listed, is left out, like a thread
// that ends). Returns nothing; errors raise.
void fill_thread_table(py::dict target, py::handle pid_obj, py::handle attrs) {
    const psi::Groups groups = thread_groups(attrs);
    SystemPtr sys = shared_system(current_proc_root());
    std::vector<psi::ProcessInfo> rows;
    if (!pid_obj.is_none()) {
        std::int64_t pid = index_arg(pid_obj, "pid");
        if (pid < 0) throw py::value_error("pid must be >= 0, not " + std::to_string(pid));
        rows = read_threads(sys, pid, groups);
    } else {
        std::error_code ec;
        rows = with_system(*sys, [&](psi::System& s) { return s.thread_table(groups, ec); });
        if (ec) raise_error(ec, "threads: " + ec.message());
    }
    for (psi::ProcessInfo& info : rows) {
        py::object key = to_int(info.tid);
        py::object value = wrap(std::move(info), sys);
        if (PyDict_SetItem(target.ptr(), key.ptr(), value.ptr()) != 0) throw py::error_already_set();
    }
}

}  // namespace

void register_threads(py::module_& m) {
    auto cls = py::reinterpret_borrow<py::class_<PyProcess>>(m.attr("Process"));
    cls.def("thread_list", &thread_list, py::arg("attrs") = py::none(),
            "Snapshots of this process's threads, by thread id (Process objects with tid set); "
            "NoSuchProcessError if the process is gone.")
        .def_property_readonly(
            "tid", [](const PyProcess& p) -> py::object { return p.info.tid != 0 ? to_int(p.info.tid) : py::none(); },
            "The thread id of a thread snapshot (thread_list, ThreadTable); None for a process.")
        .def_property_readonly(
            "tgid", [](const PyProcess& p) { return to_int(p.info.pid); },
            "The thread group id: the process's pid (for a process, its own pid).");
    m.def("fill_thread_table", &fill_thread_table, py::arg("table"), py::arg("pid") = py::none(),
          py::arg("attrs") = py::none(), "Fill a dict with tid -> thread snapshot (GIL released while reading).");
}

}  // namespace psi_py
