// psi.process.Process: construction, lazy loading, identity and actions.
#include <sys/resource.h>

#include <atomic>
#include <climits>
#include <csignal>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>

#include "process.hpp"

namespace psi_py {

void register_open_files(py::module_& m);  // -- x-openfiles (open_files.cpp)

namespace {

std::string subject(const PyProcess& p) { return "pid " + std::to_string(p.info.pid); }

// Runs a library call about one process. Its errors (no such process, kill
// refused) are raised here with the pid attached: the module-wide
// translator in errors.cpp sees only the C++ exception, which has no pid
// field, so e.pid would be None there.
template <class F>
decltype(auto) about_pid(long pid, F&& fn) {
    try {
        return std::forward<F>(fn)();
    } catch (const std::system_error& e) {
        raise_error(e.code(), e.what(), pid);
    }
}

// What System::exists/kill need to recognise the process: a small copy
// taken under the GIL, so the read can run without it while another thread
// may be replacing p.info (copy-and-swap in ensure_groups and refresh).
psi::ProcessInfo identity_of(const PyProcess& p) {
    psi::ProcessInfo id;
    id.pid = p.info.pid;
    id.start_ticks = p.info.start_ticks;
    id.tid = p.info.tid;  // -- w-threads: a thread snapshot checks its thread
    id.groups_read = p.info.groups_read;
    id.is_kernel_thread = p.info.is_kernel_thread;
    return id;
}

// Pidfds held by live Process objects. A standalone Process pins its
// process (one descriptor) so that kill() reaches exactly the process read.
// A program may keep thousands of Process objects, and RLIMIT_NOFILE is
// often 1024: psi must not take the descriptors it needs for its own
// files. Beyond a budget (an eighth of the soft limit, at most 1024) a
// Process is not pinned and kill() pins at call time, as table rows do
// (docs/limits.md).
std::atomic<long> g_pinned{0};

bool may_pin() {
    struct rlimit r {};
    rlim_t soft = ::getrlimit(RLIMIT_NOFILE, &r) == 0 ? r.rlim_cur : 1024;
    if (soft == RLIM_INFINITY || soft > 8192) soft = 8192;
    return g_pinned.load(std::memory_order_relaxed) < static_cast<long>(soft / 8);
}

std::shared_ptr<psi::ProcessHandle> counted(psi::ProcessHandle h) {
    g_pinned.fetch_add(1, std::memory_order_relaxed);
    return std::shared_ptr<psi::ProcessHandle>(new psi::ProcessHandle(std::move(h)), [](psi::ProcessHandle* q) {
        delete q;
        g_pinned.fetch_sub(1, std::memory_order_relaxed);
    });
}

PyProcess construct(py::handle pid_obj) {
    std::int64_t pid = index_arg(pid_obj, "pid");
    if (pid < 0) throw py::value_error("pid must be >= 0, not " + std::to_string(pid));
    SystemPtr sys = default_system();
    // A standalone Process reads every group at once: one consistent
    // snapshot, as PSI's Process was (tables read less, see table.cpp).
    std::shared_ptr<psi::ProcessHandle> handle;
    psi::ProcessInfo info = about_pid(static_cast<long>(pid), [&] {
        return with_system(*sys, [&](psi::System& s) {
            psi::ProcessInfo read = s.process(pid, psi::groups::all);
            // Pinned right after the read. A pidfd that cannot be had (an old
            // kernel, no fd left, a process gone already) is no error here: the
            // process was read, and kill() falls back to its own checks.
            if (may_pin()) {
                std::error_code ec;
                psi::ProcessHandle h = s.pin(read, ec);
                if (h.pinned()) handle = counted(std::move(h));
            }
            return read;
        });
    });
    return PyProcess{std::move(info), std::move(sys), {}, std::move(handle)};
}

void refresh(PyProcess& p) {
    psi::ProcessInfo copy = p.info;
    SystemPtr sys = p.system;
    about_pid(copy.pid, [&] { with_system(*sys, [&](psi::System& s) { s.refresh(copy); }); });
    p.info = std::move(copy);
    p.gone = {};
}

bool exists(PyProcess& p) {
    psi::ProcessInfo id = identity_of(p);
    SystemPtr sys = p.system;
    return with_system(*sys, [&](psi::System& s) { return s.exists(id); });
}

void kill(PyProcess& p, py::handle sig_obj) {
    std::int64_t sig = index_arg(sig_obj, "sig");
    if (sig < 0 || sig > INT_MAX) throw py::value_error("invalid signal number: " + std::to_string(sig));
    psi::ProcessInfo id = identity_of(p);
    SystemPtr sys = p.system;
    std::shared_ptr<psi::ProcessHandle> handle = p.handle;  // kept alive while the GIL is released
    about_pid(id.pid, [&] {
        with_system(*sys, [&](psi::System& s) {
            if (handle) s.kill(id, *handle, static_cast<int>(sig));
            else s.kill(id, static_cast<int>(sig));
        });
    });
}

py::list children(PyProcess& p, bool recursive) {
    psi::ProcessInfo id = identity_of(p);
    SystemPtr sys = p.system;
    // One scan of stat files only (psi::children, which holds the pid-reuse
    // guards); the children read more groups lazily.
    std::vector<psi::ProcessInfo> kids = about_pid(id.pid, [&] {
        return with_system(*sys, [&](psi::System& s) { return psi::children(s, id, psi::Group::stat, recursive); });
    });
    return wrap_all(std::move(kids), sys);
}

py::object equals(const PyProcess& a, py::handle other) {
    if (!py::isinstance<PyProcess>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    const PyProcess& b = other.cast<const PyProcess&>();
    // -- w-threads: tid too: a leader thread has its process's pid and start.
    return py::bool_(a.info.pid == b.info.pid && a.info.tid == b.info.tid && a.info.start_ticks == b.info.start_ticks);
}

// PSI ordered processes by pid. Identity here is (pid, start ticks), so the
// order is by that pair: it agrees with == and hash, and of two processes
// that had the same pid the earlier one comes first.
template <class Cmp>
py::object order(const PyProcess& a, py::handle other, Cmp cmp) {
    if (!py::isinstance<PyProcess>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    const PyProcess& b = other.cast<const PyProcess&>();
    return py::bool_(cmp(std::tie(a.info.pid, a.info.tid, a.info.start_ticks),
                         std::tie(b.info.pid, b.info.tid, b.info.start_ticks)));  // -- w-threads: tid
}

std::string repr(const PyProcess& p) {
    std::string r = "psi.process.Process(pid=" + std::to_string(p.info.pid);
    if (p.info.tid != 0) r += ", tid=" + std::to_string(p.info.tid);  // -- w-threads
    if (const std::string* name = p.info.name.get()) r += ", name=" + std::string(py::repr(to_str(*name)));
    return r + ")";
}

}  // namespace

void ensure_groups(PyProcess& p, psi::Groups need) {
    psi::Groups missing = need - p.info.groups_read - p.gone;
    if (missing.empty()) return;
    // Read into a copy without the GIL, then swap it in with the GIL held:
    // another thread may read p meanwhile and must never see a half-filled
    // snapshot.
    psi::ProcessInfo copy = p.info;
    SystemPtr sys = p.system;
    std::error_code ec;
    // Names are resolved from whichever ids the snapshot holds at the time of
    // the call, so ask for them again whenever new ids are being read.
    psi::Groups request = missing | (need & psi::Groups(psi::Group::names));
    with_system(*sys, [&](psi::System& s) { s.read_more(copy, request, ec); });
    if (ec == psi::errc::no_such_process) {
        p.gone |= missing;
        return;
    }
    if (ec) raise_error(ec, subject(p) + ": " + ec.message(), p.info.pid);
    // A group this platform does not fill must not be retried on every
    // access: it is read (its attributes say why they have no value).
    copy.groups_read |= missing;
    p.info = std::move(copy);
}

py::object wrap(psi::ProcessInfo&& info, const SystemPtr& system) {
    // Built on the heap and handed over: one move of the snapshot, not the
    // two that casting a temporary with return_value_policy::move costs.
    std::unique_ptr<PyProcess> p(new PyProcess{std::move(info), system, {}, nullptr});
    return py::cast(std::move(p));
}

py::list wrap_all(std::vector<psi::ProcessInfo>&& infos, const SystemPtr& system) {
    py::list out(infos.size());
    for (std::size_t i = 0; i < infos.size(); ++i) out[i] = wrap(std::move(infos[i]), system);
    return out;
}

void register_process(py::module_& m) {
    py::class_<PyProcess> cls(m, "Process",
                              "A snapshot of one process. Attributes reflect the last read; "
                              "refresh() re-reads. Identity is (pid, start time).");
    cls.def(py::init(&construct), py::arg("pid"))
        .def("refresh", &refresh, "Re-read; NoSuchProcessError if gone or the pid was reused.")
        .def("exists", &exists, "True while the same process lives (zombies included).")
        .def("children", &children, py::arg("recursive") = false,
             "The children (with recursive=True every descendant), in pid order, from one scan "
             "of the process table.")
        .def("kill", &kill, py::arg("sig") = static_cast<int>(SIGTERM),
             "Send signal sig; NoSuchProcessError if gone or reused, InsufficientPrivsError "
             "if refused, ValueError for a bad signal.")
        .def("__eq__", &equals)
        .def("__ne__",
             [](const PyProcess& a, py::handle other) -> py::object {
                 py::object eq = equals(a, other);
                 if (eq.is(py::reinterpret_borrow<py::object>(Py_NotImplemented))) return eq;
                 return py::bool_(!eq.cast<bool>());
             })
        .def("__lt__", [](const PyProcess& a, py::handle b) { return order(a, b, std::less<>()); })
        .def("__le__", [](const PyProcess& a, py::handle b) { return order(a, b, std::less_equal<>()); })
        .def("__gt__", [](const PyProcess& a, py::handle b) { return order(a, b, std::greater<>()); })
        .def("__ge__", [](const PyProcess& a, py::handle b) { return order(a, b, std::greater_equal<>()); })
        .def("__hash__",
             [](const PyProcess& p) {
                 // -- w-threads: a process hashes as before; a thread adds its tid.
                 if (p.info.tid != 0) return py::hash(py::make_tuple(p.info.pid, p.info.start_ticks, p.info.tid));
                 return py::hash(py::make_tuple(p.info.pid, p.info.start_ticks));
             })
        .def("__repr__", &repr);
    install_process_attributes(cls);
    m.attr("IoCounters") = io_counters_type();  // -- w-io --
    register_open_files(m);  // -- x-openfiles: Process.open_files(), OpenFile --

    py::tuple names(process_attribute_names().size());
    std::size_t i = 0;
    for (const char* n : process_attribute_names()) names[i++] = py::str(n);
    m.attr("PROCESS_ATTRIBUTES") = names;

    // Status constants: the numeric values of psi::ProcStatus, which keeps
    // PSI's numbers for the states PSI had.
    struct S { const char* name; psi::ProcStatus status; };
    static constexpr S kStatuses[] = {
        {"RUNNING", psi::ProcStatus::running},     {"SLEEPING", psi::ProcStatus::sleeping},
        {"DISKSLEEP", psi::ProcStatus::disk_sleep}, {"STOPPED", psi::ProcStatus::stopped},
        {"TRACINGSTOP", psi::ProcStatus::tracing_stop}, {"ZOMBIE", psi::ProcStatus::zombie},
        {"DEAD", psi::ProcStatus::dead},            {"WAKING", psi::ProcStatus::waking},
        {"IDLE", psi::ProcStatus::idle},            {"PARKED", psi::ProcStatus::parked},
        {"WAKEKILL", psi::ProcStatus::wakekill},    {"UNKNOWN", psi::ProcStatus::unknown},
    };
    for (const S& s : kStatuses) m.attr(("PROC_STATUS_" + std::string(s.name)).c_str()) = static_cast<int>(s.status);
    // PSI's name for W, from the days (2.4) when W meant paging.
    m.attr("PROC_STATUS_PAGING") = static_cast<int>(psi::ProcStatus::waking);

    auto lookup = [](py::handle status) -> const S& {
        std::int64_t v = index_arg(status, "status");
        for (const S& s : kStatuses) {
            if (static_cast<int>(s.status) == v) return s;
        }
        throw py::value_error("not a PROC_STATUS_* value: " + std::to_string(v));
    };
    m.def("status_name",
          [lookup](py::handle status) { return std::string(psi::status_name(lookup(status).status)); },
          py::arg("status"), "psutil's spelling of a status: 'sleeping', 'disk-sleep', ...");
    m.def("status_letter",
          [lookup](py::handle status) { return std::string(1, psi::status_to_letter(lookup(status).status)); },
          py::arg("status"), "ps's first stat letter for a status: 'S', 'D', ...");
}

}  // namespace psi_py
