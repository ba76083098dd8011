// psi.mount: MountBase, LocalMount, RemoteMount and mounts().
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common.hpp"

namespace psi_py {

namespace {

struct PyMount {
    psi::MountInfo info;
};
struct PyLocalMount : PyMount {};
struct PyRemoteMount : PyMount {};

using Size = psi::Attr<std::uint64_t> psi::MountInfo::*;

// Sizes come from statvfs and may be refused for one mount (EACCES, stale
// NFS): then that attribute raises, the rest of the list is fine.
py::object size(const PyMount& m, Size member, const char* name) {
    const psi::Attr<std::uint64_t>& a = m.info.*member;
    if (!a.ok()) {
        raise_attr(a.status(), a.os_error(), "mount " + std::string(py::repr(to_str(m.info.mountpoint))), name);
    }
    return to_uint(*a.get());
}

std::string repr(const PyMount& m, const char* cls) {
    return std::string("psi.mount.") + cls + "(device=" + std::string(py::repr(to_str(m.info.device))) +
           ", mountpoint=" + std::string(py::repr(to_str(m.info.mountpoint))) +
           ", fstype=" + std::string(py::repr(to_str(m.info.fstype))) + ")";
}

// Seconds as a float, as time.sleep and socket timeouts take them.
std::chrono::milliseconds timeout_ms(py::handle timeout) {
    if (py::isinstance<py::bool_>(timeout) || !(py::isinstance<py::float_>(timeout) || py::isinstance<py::int_>(timeout)))
        throw py::type_error("timeout must be a number of seconds, not " +
                             std::string(py::str(py::type::handle_of(timeout).attr("__name__"))));
    const double seconds = timeout.cast<double>();
    if (std::isnan(seconds) || seconds < 0) throw py::value_error("timeout must be a non-negative number of seconds");
    // A day is as good as for ever for a listing, and keeps the count in range.
    const double ms = std::ceil(std::min(seconds, 86400.0) * 1000.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

py::list mounts(bool remote, py::handle timeout) {
    const std::chrono::milliseconds wait = timeout_ms(timeout);
    SystemPtr sys = default_system();
    std::vector<psi::MountInfo> list = with_system(*sys, [&](psi::System& s) { return s.mounts(remote, wait); });
    py::list out;
    for (psi::MountInfo& info : list) {
        if (info.remote) {
            out.append(py::cast(PyRemoteMount{{std::move(info)}}, py::return_value_policy::move));
        } else {
            out.append(py::cast(PyLocalMount{{std::move(info)}}, py::return_value_policy::move));
        }
    }
    return out;
}

// PSI's mount objects had refresh(). The C++ API reads the whole mount
// table (it has no per-mount read), so this reads it again and takes the
// entry that is this mount: same device, mount point and type. With several
// (filesystems stacked on one mount point), the last one is the one visible
// there. Another filesystem mounted at the same place is not this mount.
void refresh(PyMount& m, py::handle timeout) {
    const std::chrono::milliseconds wait = timeout_ms(timeout);
    SystemPtr sys = default_system();
    // Remote mounts are only listed when asked for; a local one never needs
    // the network mounts' statvfs calls.
    const bool remote = m.info.remote;
    std::vector<psi::MountInfo> list = with_system(*sys, [&](psi::System& s) { return s.mounts(remote, wait); });
    auto same = [&m](const psi::MountInfo& x) {
        return x.mountpoint == m.info.mountpoint && x.device == m.info.device && x.fstype == m.info.fstype &&
               x.remote == m.info.remote;
    };
    auto found = std::find_if(list.rbegin(), list.rend(), same);
    if (found == list.rend()) {
        raise_no_such_mount("mount " + std::string(py::repr(to_str(m.info.mountpoint))) + ": no longer mounted (" +
                            std::string(py::repr(to_str(m.info.device))) + ", " +
                            std::string(py::repr(to_str(m.info.fstype))) + ")");
    }
    m.info = std::move(*found);
}

}  // namespace

void register_mounts(py::module_& m) {
    py::class_<PyMount> base(m, "MountBase", "A mounted filesystem (snapshot taken by mounts()).");
    base.def_property_readonly("device", [](const PyMount& x) { return to_str(x.info.device); })
        .def_property_readonly("mountpoint", [](const PyMount& x) { return to_str(x.info.mountpoint); })
        .def_property_readonly("fstype", [](const PyMount& x) { return to_str(x.info.fstype); })
        .def_property_readonly("options", [](const PyMount& x) { return to_str(x.info.options); })
        .def("refresh", &refresh, py::arg("timeout") = std::chrono::duration<double>(psi::kDefaultMountTimeout).count(),
             "Re-read this mount (options and sizes, timeout as for mounts()); NoSuchMountError\n"
             "if it is no longer mounted.");
    struct SizeDef { const char* name; Size member; };
    static constexpr SizeDef kSizes[] = {
        {"total", &psi::MountInfo::total},
        {"free", &psi::MountInfo::free},
        {"available", &psi::MountInfo::available},
        {"inodes", &psi::MountInfo::inodes},
        {"free_inodes", &psi::MountInfo::free_inodes},
        {"available_inodes", &psi::MountInfo::available_inodes},
    };
    for (const SizeDef& s : kSizes) {
        base.def_property_readonly(s.name, [s](const PyMount& x) { return size(x, s.member, s.name); });
    }
    py::class_<PyLocalMount, PyMount>(m, "LocalMount", "A mount of a local filesystem.")
        .def("__repr__", [](const PyLocalMount& x) { return repr(x, "LocalMount"); });
    py::class_<PyRemoteMount, PyMount>(m, "RemoteMount", "A mount of a network filesystem.")
        .def_property_readonly("host", [](const PyRemoteMount& x) { return to_str(x.info.host); })
        .def("__repr__", [](const PyRemoteMount& x) { return repr(x, "RemoteMount"); });
    m.def("mounts", &mounts, py::arg("remote") = false, py::arg("timeout") = std::chrono::duration<double>(psi::kDefaultMountTimeout).count(),
          "Mounted filesystems; network ones too when remote is true. A network, FUSE or\n"
          "autofs mount whose statvfs takes longer than timeout seconds (0: not asked)\n"
          "is listed without sizes.");
}

}  // namespace psi_py
