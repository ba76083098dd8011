// Process.open_files() (-- x-openfiles, issue 12) and its named tuple
// psi.process.OpenFile(path, fd, position, mode, flags), psutil's
// popenfile fields in psutil's order. The read is psi::System::open_files,
// which checks the process's identity (pid and start) before and after it.
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "process.hpp"

namespace psi_py {

namespace {

// Made once and kept (the module holds it too).
py::object open_file_type() {
    static py::object* type = [] {
        py::object nt = py::module_::import("collections").attr("namedtuple");
        return new py::object(nt("OpenFile", py::make_tuple("path", "fd", "position", "mode", "flags"),
                                 py::arg("module") = "psi.process"));
    }();
    return *type;
}

py::list open_files_of(PyProcess& p) {
    // What System::open_files needs to recognise the process, copied under
    // the GIL (another thread may be replacing p.info meanwhile).
    psi::ProcessInfo id;
    id.pid = p.info.pid;
    id.tid = p.info.tid;
    id.start_ticks = p.info.start_ticks;
    SystemPtr sys = p.system;
    std::error_code ec;
    std::vector<psi::OpenFile> files =
        with_system(*sys, [&](psi::System& s) { return s.open_files(id, ec); });
    if (ec) raise_error(ec, "pid " + std::to_string(id.pid) + ": open_files: " + ec.message(), id.pid);
    const py::object type = open_file_type();
    py::list out(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const psi::OpenFile& f = files[i];
        // The path as os.fsdecode() would give it: any bytes round-trip
        // through os.fsencode(), like exe and cwd.
        out[i] = type(to_str(f.path), to_int(f.fd), to_int(f.position), py::str(f.mode), to_uint(f.flags));
    }
    return out;
}

}  // namespace

void register_open_files(py::module_& m) {
    auto cls = py::reinterpret_borrow<py::class_<PyProcess>>(m.attr("Process"));
    cls.def("open_files", &open_files_of,
            "The regular files the process has open, by descriptor: a list of "
            "OpenFile(path, fd, position, mode, flags). NoSuchProcessError if it is gone or its "
            "pid was reused, InsufficientPrivsError without ptrace access, "
            "AttrNotImplementedError where the platform cannot list descriptors.");
    m.attr("OpenFile") = open_file_type();
}

}  // namespace psi_py
