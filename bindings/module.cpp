// psi._core: the compiled half of the psi package. Private; the public
// names are re-exported by python/psi/ (see docs/python-api.md).
#include "common.hpp"

PYBIND11_MODULE(_core, m) {
    namespace py = pybind11;
    m.doc() = "psi's compiled core (private: use the psi package).";
    psi_py::register_errors(m);
    psi_py::register_timespec(m);
    psi_py::register_process(m);
    psi_py::register_table(m);
    psi_py::register_system(m);
    psi_py::register_mounts(m);
    psi_py::register_sys_figures(m);
    psi_py::register_rates(m);  // after register_process: adds to Process
    psi_py::register_threads(m);  // -- w-threads: after register_process: adds to Process
    // Show the classes under their public homes (reprs, help(), pickling).
    m.attr("Process").attr("__module__") = "psi.process";
    for (const char* name : {"MountBase", "LocalMount", "RemoteMount"}) {
        m.attr(name).attr("__module__") = "psi.mount";
    }
}
