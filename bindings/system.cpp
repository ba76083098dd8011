// System handles (which proc root, which System) and the system-wide facts:
// load average, boot time, uptime, architecture.
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "common.hpp"

namespace psi_py {

std::string current_proc_root() {
    // getenv sees os.environ changes: CPython's os.environ calls putenv.
    return psi::Options::from_environment().proc_root;
}

SystemPtr new_system(const std::string& root, int threads) {
    psi::Options options;
    options.proc_root = root;
    options.threads = threads;
    py::gil_scoped_release nogil;  // opening the proc root is a system read
    return std::make_shared<SharedSystem>(std::move(options));
}

SystemPtr table_reader() {
    // A table is read with one thread per online CPU (the library reads
    // small tables with one thread anyway): the GIL is released meanwhile,
    // and a Python program asking for every process wants it soon.
    return new_system(current_proc_root(), 0);
}

SystemPtr shared_system(const std::string& root) {
    // Guarded by the GIL (but new_system releases it: look the slot up again
    // afterwards). Weak entries: a fixture root's System goes away with its
    // last Process; the most recently used root is also held strongly, so
    // calls like psi.loadavg() do not reopen /proc every time. Leaked on
    // purpose: Process objects may outlive interpreter teardown.
    static auto* systems = new std::map<std::string, std::weak_ptr<SharedSystem>>();
    static auto* recent = new SystemPtr();
    if (*recent && (*recent)->system.options().proc_root == root) return *recent;
    SystemPtr sys = (*systems)[root].lock();
    if (!sys) {
        sys = new_system(root, 1);
        std::weak_ptr<SharedSystem>& slot = (*systems)[root];
        if (SystemPtr raced = slot.lock()) sys = raced;  // another thread made one meanwhile
        else slot = sys;
    }
    *recent = sys;
    return sys;
}

SystemPtr default_system() { return shared_system(current_proc_root()); }

namespace {

py::tuple loadavg() {
    SystemPtr sys = default_system();
    psi::LoadAvg l = with_system(*sys, [](psi::System& s) { return s.loadavg(); });
    return py::make_tuple(l.one, l.five, l.fifteen);
}

py::object boottime() {
    SystemPtr sys = default_system();
    return to_timespec(with_system(*sys, [](psi::System& s) { return s.boot_time(); }));
}

py::object uptime() {
    SystemPtr sys = default_system();
    return to_timespec(with_system(*sys, [](psi::System& s) { return s.uptime(); }));
}

// The facts psi.arch's singleton is built from, as a plain dict: the Python
// side owns the class hierarchy (ArchBase, ArchLinux, ...).
py::dict arch_info() {
    SystemPtr sys = default_system();
    psi::ArchInfo a = with_system(*sys, [](psi::System& s) { return s.arch(); });
    py::dict d;
    d["sysname"] = to_str(a.sysname);
    d["nodename"] = to_str(a.nodename);
    d["release"] = to_str(a.release);
    d["version"] = to_str(a.version);
    d["machine"] = to_str(a.machine);
    py::tuple info(a.release_info.size());
    for (std::size_t i = 0; i < a.release_info.size(); ++i) info[i] = a.release_info[i];
    d["release_info"] = info;
    d["cpu_count"] = a.cpu_count;
    d["physical_cpu_count"] = a.physical_cpu_count ? py::object(py::int_(*a.physical_cpu_count)) : py::none();
    d["page_size"] = a.page_size;
    d["clock_ticks"] = a.clock_ticks;
    d["total_memory"] = to_uint(a.total_memory);
    d["bits"] = a.bits;
    return d;
}

}  // namespace

void register_system(py::module_& m) {
    m.attr("__version__") = PSI_VERSION_STRING;
    m.def("loadavg", &loadavg, "Load averages over 1, 5 and 15 minutes.");
    m.def("boottime", &boottime, "Absolute UTC instant of boot, as a TimeSpec.");
    m.def("uptime", &uptime, "Time since boot, as a TimeSpec.");
    m.def("arch_info", &arch_info, "uname fields and machine facts, as a dict.");
    m.def("proc_root", &current_proc_root, "The proc root in force ($PSI_PROCFS or the default).");
}

}  // namespace psi_py
