// The attributes of psi.process.Process, one table row each.
//
// They are installed as plain CPython getset descriptors rather than
// pybind11 properties: a ProcessTable listing reads about ten attributes of
// every process, and a getset call skips pybind11's generic dispatcher
// (argument vectors, overload resolution), which measured as a large share
// of the Python-side cost per process.
#include <cerrno>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "process.hpp"

namespace psi_py {

namespace {

using psi::Group;
using psi::Groups;
using Info = psi::ProcessInfo;
using Depth = psi::ProcessDepth;
using A = psi::AttrId;

// An attribute's groups, from the registry (psi/fields.hpp), folded at
// compile time: a getter does no lookup.
template <A id>
constexpr Groups kNeeds = psi::attr_groups(id);

// Sets the Attr* error of an attribute without a value; returns nullptr so
// getters can `return fail(...)`. No C++ exception on this path: a listing
// meets it for every kernel thread, and a throw costs microseconds.
PyObject* fail(const PyProcess& p, psi::AttrStatus status, int os_error, Groups need, const char* name) {
    if (status == psi::AttrStatus::not_read && !(p.gone & need).empty()) {
        // The lazy read found the process gone: the snapshot simply has no
        // value for this attribute (AttributeError, so getattr(p, a, None)
        // keeps working on a table whose processes exit meanwhile).
        status = psi::AttrStatus::not_available;
        os_error = ESRCH;
    }
    set_attr_error(status, os_error, "pid " + std::to_string(p.info.pid), name, p.info.pid);
    return nullptr;
}

// The attribute's value, or nullptr with the Python error set.
template <class T>
const T* get(PyProcess& p, psi::Attr<T> Info::*member, Groups need, const char* name) {
    ensure_groups(p, need);
    const psi::Attr<T>& a = p.info.*member;
    if (!a.ok()) {
        fail(p, a.status(), a.os_error(), need, name);
        return nullptr;
    }
    return a.get();
}

// The same for an attribute of the depth groups: read without allocating
// the snapshot's depth storage when the read left it empty.
template <class T>
const T* get(PyProcess& p, psi::Attr<T> Depth::*member, Groups need, const char* name) {
    ensure_groups(p, need);
    const psi::Attr<T>& a = std::as_const(p.info).depth().*member;
    if (!a.ok()) {
        fail(p, a.status(), a.os_error(), need, name);
        return nullptr;
    }
    return a.get();
}

PyObject* str(const std::string& s) {
    // As os.fsdecode(): undecodable bytes become surrogates, never an error.
    return PyUnicode_DecodeFSDefaultAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
}

template <class T>
PyObject* integer(const T* v) {
    if (!v) return nullptr;
    // Enums (psi::SchedPolicy, whose unknown is -1) as their signed number.
    if constexpr (std::is_enum_v<T> || std::is_signed_v<T>) return PyLong_FromLongLong(static_cast<long long>(*v));
    else return PyLong_FromUnsignedLongLong(static_cast<unsigned long long>(*v));
}

PyObject* text(const std::string* v) { return v ? str(*v) : nullptr; }
PyObject* boolean(const bool* v) { return v ? PyBool_FromLong(*v ? 1 : 0) : nullptr; }
PyObject* time(const psi::TimeSpec* v) { return v ? new_timespec(*v) : nullptr; }

// euid/egid come from the cheap owner probe unless the full credentials
// were read already (Linux: fstatat of /proc/PID vs. status).
Groups owner_group(const PyProcess& p) {
    return p.info.groups_read.has(Group::creds) ? Groups(Group::creds) : Groups(Group::owner);
}

PyObject* real_name(PyProcess& p, psi::Attr<std::string> Info::*member, const char* name) {
    return text(get(p, member, kNeeds<A::ruser>, name));
}

PyObject* eff_name(PyProcess& p, psi::Attr<std::string> Info::*member, const char* name) {
    return text(get(p, member, owner_group(p) | Group::names, name));
}

PyObject* parent_of(PyProcess& p, const char* name) {
    const int* ppid = get(p, &Info::ppid, Group::stat, name);
    if (!ppid) return nullptr;
    if (*ppid <= 0) Py_RETURN_NONE;  // pid 1 and kernel roots have ppid 0
    // What psi::parent looks at (identity and ppid), copied under the GIL:
    // another thread may replace p.info while the read runs without it.
    Info child;
    child.pid = p.info.pid;
    child.start_ticks = p.info.start_ticks;
    child.groups_read = p.info.groups_read;
    child.ppid = p.info.ppid;
    SystemPtr sys = p.system;
    Groups groups = p.info.groups_read | Group::stat;
    std::error_code ec;
    std::optional<Info> parent =
        with_system(*sys, [&](psi::System& s) { return psi::parent(s, child, groups, ec); });
    if (ec) raise_error(ec, "pid " + std::to_string(p.info.pid) + ": parent: " + ec.message(), p.info.pid);
    if (!parent) Py_RETURN_NONE;  // gone, or its pid reused (psi/family.hpp)
    return wrap(std::move(*parent), sys).release().ptr();
}

// -- w-status: a vector of numbers (gids, CPU numbers) as a tuple of int.
// Ints are made first, then the tuple, as for Strings below: creating the
// tuple may run the GC, and small ints are not GC-tracked.
template <class T>
PyObject* ints_tuple(const std::vector<T>* v) {
    if (!v) return nullptr;
    std::vector<T> copy = *v;  // by value: PyTuple_New may run other threads' code
    PyObject* t = PyTuple_New(static_cast<Py_ssize_t>(copy.size()));
    if (!t) return nullptr;
    for (std::size_t i = 0; i < copy.size(); ++i) {
        PyObject* o = integer(&copy[i]);
        if (!o) { Py_DECREF(t); return nullptr; }
        PyTuple_SET_ITEM(t, static_cast<Py_ssize_t>(i), o);
    }
    return t;
}

// Decodes every string before creating the container: creating a tuple or
// dict may run the cyclic GC, hence arbitrary Python code, which may let
// another thread replace p.info (refresh, lazy read) under our feet. Plain
// str objects are not GC-tracked, so the decoding loop cannot.
class Strings {
public:
    Strings() = default;
    Strings(const Strings&) = delete;
    Strings& operator=(const Strings&) = delete;
    ~Strings() {
        for (std::size_t i = 0; i < size_; ++i) Py_XDECREF(at(i));
    }
    bool add(const std::string& s) {
        PyObject* o = str(s);
        if (!o) return false;
        // Most argv and environments are short: no heap use below kInline.
        if (size_ < kInline) inline_[size_] = o;
        else more_.push_back(o);
        ++size_;
        return true;
    }
    std::size_t size() const { return size_; }
    PyObject* take(std::size_t i) { return std::exchange(at(i), nullptr); }

private:
    static constexpr std::size_t kInline = 32;
    PyObject*& at(std::size_t i) { return i < kInline ? inline_[i] : more_[i - kInline]; }
    PyObject* inline_[kInline] = {};
    std::vector<PyObject*> more_;
    std::size_t size_ = 0;
};

PyObject* env_dict(const psi::Environment* env) {
    if (!env) return nullptr;
    Strings s;
    for (const auto& [key, value] : *env) {
        if (!s.add(key) || !s.add(value)) return nullptr;
    }
    py::dict d;
    for (std::size_t i = 0; i + 1 < s.size(); i += 2) {
        py::object k = py::reinterpret_steal<py::object>(s.take(i));
        py::object v = py::reinterpret_steal<py::object>(s.take(i + 1));
        // First occurrence wins, as with getenv(3) in the process itself.
        if (PyDict_SetDefault(d.ptr(), k.ptr(), v.ptr()) == nullptr) return nullptr;
    }
    return d.release().ptr();
}

PyObject* args_tuple(const std::vector<std::string>* args) {
    if (!args) return nullptr;
    Strings s;
    for (const std::string& a : *args) {
        if (!s.add(a)) return nullptr;
    }
    PyObject* t = PyTuple_New(static_cast<Py_ssize_t>(s.size()));
    if (!t) return nullptr;
    for (std::size_t i = 0; i < s.size(); ++i) PyTuple_SET_ITEM(t, static_cast<Py_ssize_t>(i), s.take(i));
    return t;
}

// argv, or nullptr with the Python error set. A kernel thread never had
// one: the backends report its args as "not available", but PSI and psutil
// both give an empty argv, which is what code iterating over args expects.
// A zombie is different: its argv existed and is gone with its memory, and
// psutil raises (ZombieProcess) there, so its args stay not available.
// Decided here rather than in the backends so that the C++ API keeps
// saying why there is no argv.
const std::vector<std::string>* argv_of(PyProcess& p, const char* name) {
    static const std::vector<std::string> kNoArgs;
    ensure_groups(p, Group::stat | Group::args);
    if (p.info.is_kernel_thread && p.info.args.status() == psi::AttrStatus::not_available) return &kNoArgs;
    return get(p, &Info::args, kNeeds<A::args>, name);
}

PyObject* argc_of(PyProcess& p, const char* name) {
    const std::vector<std::string>* args = argv_of(p, name);
    return args ? PyLong_FromSize_t(args->size()) : nullptr;
}

// A derived value (cputime, argc, command, pcpu): computed from the
// snapshot, carrying the status of what it is derived from.
template <class T, class F>
PyObject* derived(PyProcess& p, Groups need, const char* name, F compute) {
    ensure_groups(p, need);
    psi::Attr<T> a = compute(p.info);
    if (!a.ok()) return fail(p, a.status(), a.os_error(), need, name);
    if constexpr (std::is_same_v<T, std::string>) return str(*a.get());
    else if constexpr (std::is_same_v<T, psi::TimeSpec>) return new_timespec(*a.get());
    else if constexpr (std::is_floating_point_v<T>) return PyFloat_FromDouble(*a.get());
    else return integer(a.get());
}

// -- w-ns: cgroups, containers, namespaces --
// Each copies the value out of p.info before creating Python objects: an
// allocation may run the cyclic GC, hence other threads (see Strings).
PyObject* cgroup_tuple(const std::vector<psi::CgroupEntry>* v) {
    if (!v) return nullptr;
    const std::vector<psi::CgroupEntry> rows = *v;
    py::tuple t(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        py::object ctl = py::reinterpret_steal<py::object>(str(rows[i].controllers));
        py::object path = py::reinterpret_steal<py::object>(str(rows[i].path));
        if (!ctl || !path) return nullptr;
        t[i] = py::make_tuple(rows[i].id, ctl, path);
    }
    return t.release().ptr();
}

// The empty string (not in a container, not in a pod) as None.
PyObject* text_or_none(const std::string* v) {
    if (v && v->empty()) Py_RETURN_NONE;
    return text(v);
}

// name -> inode for the types this kernel has (0 marks one it has not).
PyObject* namespace_dict(const psi::Namespaces* v) {
    if (!v) return nullptr;
    const psi::Namespaces ns = *v;
    py::dict d;
    for (std::size_t i = 0; i < psi::kNsTypeCount; ++i) {
        if (ns.inode[i] == 0) continue;
        const std::string_view name = psi::ns_type_names[i];
        d[py::str(name.data(), name.size())] = py::int_(static_cast<unsigned long long>(ns.inode[i]));
    }
    return d.release().ptr();
}
// -- end w-ns --
// -- w-io: io_counters and rlimits values (issue 12) --
// The IoCounters named tuple type (psi._core.IoCounters), made once.
PyObject* io_tuple(const psi::IoCounters* v) {
    if (!v) return nullptr;
    py::object t = io_counters_type()(v->read_count, v->write_count, v->read_bytes, v->write_bytes, v->read_chars,
                                      v->write_chars, v->cancelled_write_bytes);
    return t.release().ptr();
}

// name -> (soft, hard); "unlimited" is resource.RLIM_INFINITY, which
// CPython's resource module gives as -1 on Linux (rlim_t converted signed).
PyObject* limits_dict(const psi::ResourceLimits* v) {
    if (!v) return nullptr;
    psi::ResourceLimits copy = *v;  // by value: building the dict may run Python code
    auto num = [](std::uint64_t x) -> py::object {
        if (x == psi::ResourceLimit::kInfinity) return py::int_(-1);
        return py::reinterpret_steal<py::object>(PyLong_FromUnsignedLongLong(x));
    };
    py::dict d;
    for (const psi::ResourceLimit& l : copy) d[py::str(l.name)] = py::make_tuple(num(l.soft), num(l.hard));
    return d.release().ptr();
}

// New reference, or nullptr with a Python error set. May also throw (a
// lazy read that failed for another reason than the process being gone).
using Getter = PyObject* (*)(PyProcess&, const char*);

struct AttrDef {
    const char* name;
    Getter get;
    psi::AttrId id;  // its registry row: the groups reading it eagerly needs
    const char* doc;
};

#define PSI_GETTER(expr) +[](PyProcess& p, [[maybe_unused]] const char* n) -> PyObject* { return expr; }
#define PSI_INT(member) PSI_GETTER(integer(get(p, &Info::member, kNeeds<A::member>, n)))
#define PSI_TEXT(member) PSI_GETTER(text(get(p, &Info::member, kNeeds<A::member>, n)))
#define PSI_TIME(member) PSI_GETTER(time(get(p, &Info::member, kNeeds<A::member>, n)))
// The same for the depth groups' attributes (psi::ProcessDepth).
#define PSI_DINT(member) PSI_GETTER(integer(get(p, &Depth::member, kNeeds<A::member>, n)))
#define PSI_DTEXT(member) PSI_GETTER(text(get(p, &Depth::member, kNeeds<A::member>, n)))
#define PSI_EID(member) PSI_GETTER(integer(get(p, &Info::member, owner_group(p), n)))
#define PSI_DERIVED(T, attr, expr) \
    PSI_GETTER(derived<T>(p, kNeeds<A::attr>, n, [](const Info& i) { return expr; }))

// One row per registry attribute that psi.Process has (psi::AttrInfo::python),
// in the order of PROCESS_ATTRIBUTES; the aliases follow from
// psi::attribute_aliases.
constexpr AttrDef kAttrs[] = {
    {"pid", PSI_GETTER(PyLong_FromLong(p.info.pid)), A::pid, "process id"},
    {"ppid", PSI_INT(ppid), A::ppid, "parent process id"},
    {"pgrp", PSI_INT(pgrp), A::pgrp, "process group id"},
    {"sid", PSI_INT(sid), A::sid, "session id"},
    {"name", PSI_TEXT(name), A::name, "accounting name (at most 15 characters on Linux)"},
    {"exe", PSI_TEXT(exe), A::exe, "absolute path of the executable"},
    {"exe_deleted", PSI_GETTER(boolean(get(p, &Info::exe_deleted, kNeeds<A::exe_deleted>, n))), A::exe_deleted,
     "True when the executable was deleted since exec (exe is then the path it had)"},
    {"args", PSI_GETTER(args_tuple(argv_of(p, n))), A::args, "argv as a tuple of str; () for kernel threads"},
    {"argc", &argc_of, A::argc, "len(args)"},
    {"command", PSI_DERIVED(std::string, command, i.command()), A::command,
     "' '.join(args), or name when args is empty"},
    {"env", PSI_GETTER(env_dict(get(p, &Info::env, kNeeds<A::env>, n))), A::env, "environment as a dict"},
    {"cwd", PSI_TEXT(cwd), A::cwd, "current working directory"},
    {"euid", PSI_EID(euid), A::euid, "effective user id"},
    {"egid", PSI_EID(egid), A::egid, "effective group id"},
    {"ruid", PSI_INT(ruid), A::ruid, "real user id"},
    {"rgid", PSI_INT(rgid), A::rgid, "real group id"},
    {"euser", PSI_GETTER(eff_name(p, &Info::euser, n)), A::euser,
     "effective user name (decimal uid when it has no name)"},
    {"egroup", PSI_GETTER(eff_name(p, &Info::egroup, n)), A::egroup,
     "effective group name (decimal gid when it has no name)"},
    {"ruser", PSI_GETTER(real_name(p, &Info::ruser, n)), A::ruser, "real user name"},
    {"rgroup", PSI_GETTER(real_name(p, &Info::rgroup, n)), A::rgroup, "real group name"},
    {"terminal",
     PSI_GETTER([&]() -> PyObject* {
         const std::string* t = get(p, &Info::terminal, kNeeds<A::terminal>, n);
         if (t && t->empty()) Py_RETURN_NONE;
         return text(t);
     }()),
     A::terminal, "controlling terminal path, or None"},
    {"status", PSI_GETTER([&]() -> PyObject* {
         const psi::ProcStatus* s = get(p, &Info::status, kNeeds<A::status>, n);
         return s ? PyLong_FromLong(static_cast<int>(*s)) : nullptr;
     }()),
     A::status, "one of the PROC_STATUS_* constants"},
    {"nice", PSI_INT(nice), A::nice, "nice value"},
    {"priority", PSI_INT(priority), A::priority, "real-time priority: 0 for normal tasks, 1..99 FIFO/RR"},
    {"nthreads", PSI_INT(nthreads), A::nthreads, "number of threads"},
    {"processor", PSI_INT(processor), A::processor, "CPU the process last ran on (as ps psr)"},
    {"wchan", PSI_TEXT(wchan), A::wchan,
     "kernel function the process sleeps in; '' when it runs or the kernel will not say"},
    {"flags", PSI_INT(flags), A::flags, "kernel process flags word"},
    {"start_time", PSI_TIME(start_time), A::start_time, "start instant (UTC) as a TimeSpec"},
    {"jiffies", PSI_INT(jiffies), A::jiffies, "Linux: start time in clock ticks since boot"},
    {"utime", PSI_TIME(utime), A::utime, "user CPU time as a TimeSpec"},
    {"stime", PSI_TIME(stime), A::stime, "system CPU time as a TimeSpec"},
    {"cputime", PSI_DERIVED(psi::TimeSpec, cputime, i.cputime()), A::cputime, "utime + stime"},
    {"pcpu", PSI_DERIVED(double, pcpu, i.pcpu(psi::now())), A::pcpu, "lifetime CPU percentage, as ps computes %cpu"},
    {"rss", PSI_INT(rss), A::rss, "resident set size in bytes"},
    {"vsz", PSI_INT(vsz), A::vsz, "virtual memory size in bytes"},
    {"zoneid", PSI_INT(zoneid), A::zoneid, "Solaris: zone id (AttrNotImplementedError elsewhere)"},
    {"zonename", PSI_TEXT(zonename), A::zonename, "Solaris: zone name (AttrNotImplementedError elsewhere)"},
    {"parent", &parent_of, A::parent, "the parent Process, or None"},
    {"start_datetime", PSI_GETTER([&]() -> PyObject* {
         const psi::TimeSpec* t = get(p, &Info::start_time, kNeeds<A::start_datetime>, n);
         if (!t) return nullptr;
         psi::TimeSpec when = *t;  // by value: the conversion runs Python code
         try {
             return to_local_datetime(when).release().ptr();
         } catch (py::error_already_set& e) {
             // A start no datetime can hold (a damaged or fake proc): the
             // attribute has no value, like any other unreadable one.
             if (!e.matches(PyExc_OverflowError)) throw;
             return fail(p, psi::AttrStatus::not_available, EOVERFLOW, kNeeds<A::start_datetime>, n);
         }
     }()),
     A::start_datetime, "start_time as a naive local datetime"},
    // -- w-ns: cgroups, containers, namespaces --
    {"cgroup", PSI_DTEXT(cgroup), A::cgroup, "Linux: unified (v2) cgroup path, the 0:: line of /proc/PID/cgroup"},
    {"cgroups", PSI_GETTER(cgroup_tuple(get(p, &Depth::cgroups, kNeeds<A::cgroups>, n))), A::cgroups,
     "Linux: cgroup v1 hierarchies as a tuple of (id, controllers, path)"},
    {"container_id", PSI_GETTER(text_or_none(get(p, &Depth::container_id, kNeeds<A::container_id>, n))),
     A::container_id, "Linux: id of the container its cgroup names (LXC: its name), or None"},
    {"container_runtime", PSI_GETTER(text_or_none(get(p, &Depth::container_runtime, kNeeds<A::container_runtime>, n))),
     A::container_runtime, "Linux: 'docker', 'containerd', 'cri-o', 'podman', 'kubepods' or 'lxc', or None"},
    {"pod_uid", PSI_GETTER(text_or_none(get(p, &Depth::pod_uid, kNeeds<A::pod_uid>, n))), A::pod_uid,
     "Linux: Kubernetes pod UID its cgroup names, or None"},
    {"namespaces", PSI_GETTER(namespace_dict(get(p, &Depth::namespaces, kNeeds<A::namespaces>, n))), A::namespaces,
     "Linux: dict of namespace type ('ipc', 'mnt', 'net', 'pid', ...) -> inode number"},
    // -- w-threads: security label --
    {"label", PSI_DTEXT(label), A::label, "security label (LSM context); not available without a security module"},
    // -- w-io: process depth (issue 12) --
    {"io_counters", PSI_GETTER(io_tuple(get(p, &Depth::io_counters, kNeeds<A::io_counters>, n))), A::io_counters,
     "IoCounters(read_count, write_count, read_bytes, write_bytes, read_chars, write_chars, "
     "cancelled_write_bytes); AttrInsufficientPrivsError without ptrace access"},
    {"num_fds", PSI_DINT(num_fds), A::num_fds, "number of open file descriptors"},
    {"uss", PSI_DINT(uss), A::uss, "unique set size in bytes (smaps_rollup; costly)"},
    {"pss", PSI_DINT(pss), A::pss, "proportional set size in bytes (smaps_rollup; costly)"},
    {"swap_pss", PSI_DINT(swap_pss), A::swap_pss, "proportional swap size in bytes (smaps_rollup; costly)"},
    {"oom_score", PSI_DINT(oom_score), A::oom_score, "OOM killer badness score"},
    {"oom_score_adj", PSI_DINT(oom_score_adj), A::oom_score_adj, "OOM killer adjustment, -1000..1000"},
    {"rlimits", PSI_GETTER(limits_dict(get(p, &Depth::rlimits, kNeeds<A::rlimits>, n))), A::rlimits,
     "resource limits: dict name -> (soft, hard); unlimited is resource.RLIM_INFINITY"},
    // -- w-status: stat extras and the status group --
    {"minor_faults", PSI_INT(minor_faults), A::minor_faults, "page faults that needed no disk read"},
    {"major_faults", PSI_INT(major_faults), A::major_faults, "page faults that read from disk"},
    {"children_minor_faults", PSI_INT(children_minor_faults), A::children_minor_faults, "minor faults of its waited-for children"},
    {"children_major_faults", PSI_INT(children_major_faults), A::children_major_faults, "major faults of its waited-for children"},
    {"children_utime", PSI_TIME(children_utime), A::children_utime, "user CPU time of its waited-for children as a TimeSpec"},
    {"children_stime", PSI_TIME(children_stime), A::children_stime, "system CPU time of its waited-for children as a TimeSpec"},
    {"voluntary_ctxt_switches", PSI_DINT(voluntary_ctxt_switches), A::voluntary_ctxt_switches, "voluntary context switches"},
    {"involuntary_ctxt_switches", PSI_DINT(involuntary_ctxt_switches), A::involuntary_ctxt_switches, "involuntary context switches"},
    {"rss_peak", PSI_DINT(rss_peak), A::rss_peak, "peak resident set size in bytes (VmHWM)"},
    {"vsz_peak", PSI_DINT(vsz_peak), A::vsz_peak, "peak virtual size in bytes (VmPeak)"},
    {"swap", PSI_DINT(swap), A::swap, "swapped-out bytes (VmSwap)"},
    {"rss_anon", PSI_DINT(rss_anon), A::rss_anon, "resident anonymous bytes (RssAnon)"},
    {"rss_file", PSI_DINT(rss_file), A::rss_file, "resident file-backed bytes (RssFile)"},
    {"rss_shmem", PSI_DINT(rss_shmem), A::rss_shmem, "resident shared-memory bytes (RssShmem)"},
    {"data_size", PSI_DINT(data_size), A::data_size, "data segment bytes (VmData)"},
    {"stack_size", PSI_DINT(stack_size), A::stack_size, "stack bytes (VmStk)"},
    {"text_size", PSI_DINT(text_size), A::text_size, "program text bytes (VmExe)"},
    {"lib_size", PSI_DINT(lib_size), A::lib_size, "shared library code bytes (VmLib)"},
    {"page_tables", PSI_DINT(page_tables), A::page_tables, "page table bytes (VmPTE)"},
    {"suid", PSI_DINT(suid), A::suid, "saved set-user-id"},
    {"sgid", PSI_DINT(sgid), A::sgid, "saved set-group-id"},
    {"fsuid", PSI_DINT(fsuid), A::fsuid, "file-system user id"},
    {"fsgid", PSI_DINT(fsgid), A::fsgid, "file-system group id"},
    {"supplementary_groups", PSI_GETTER(ints_tuple(get(p, &Depth::supplementary_groups, kNeeds<A::supplementary_groups>, n))), A::supplementary_groups, "supplementary group ids as a tuple of int"},
    {"suser", PSI_DTEXT(suser), A::suser, "saved user name"},
    {"sgroup", PSI_DTEXT(sgroup), A::sgroup, "saved group name"},
    {"fsuser", PSI_DTEXT(fsuser), A::fsuser, "file-system user name"},
    {"fsgroup", PSI_DTEXT(fsgroup), A::fsgroup, "file-system group name"},
    {"sigmask", PSI_DINT(sigmask), A::sigmask, "blocked signals (bit n-1: signal n)"},
    {"sigpending", PSI_DINT(sigpending), A::sigpending, "signals pending for the process (bit n-1: signal n)"},
    {"sigignore", PSI_DINT(sigignore), A::sigignore, "ignored signals (bit n-1: signal n)"},
    {"sigcatch", PSI_DINT(sigcatch), A::sigcatch, "caught signals (bit n-1: signal n)"},
    {"ns_pid", PSI_DINT(ns_pid), A::ns_pid, "pid in its innermost pid namespace"},
    {"cpu_affinity", PSI_GETTER(ints_tuple(get(p, &Depth::cpu_affinity, kNeeds<A::cpu_affinity>, n))), A::cpu_affinity, "CPUs it may run on, as an ascending tuple of int"},
};

// Each row is its registry row, and every registry attribute marked for
// Python has a row: checked when compiling.
constexpr bool rows_match_registry() {
    std::size_t python_rows = 0;
    for (const psi::AttrInfo& r : psi::attribute_table) python_rows += r.python ? 1 : 0;
    if (python_rows != std::size(kAttrs)) return false;
    for (const AttrDef& a : kAttrs) {
        const psi::AttrInfo& r = psi::attr_info(a.id);
        if (!r.python || r.name != std::string_view(a.name)) return false;
    }
    return true;
}
static_assert(rows_match_registry(), "kAttrs must hold exactly the registry's Python attributes, by their names");

#undef PSI_GETTER
#undef PSI_INT
#undef PSI_TEXT
#undef PSI_TIME
#undef PSI_DINT
#undef PSI_DTEXT
#undef PSI_EID
#undef PSI_DERIVED

// The getter reaches the C++ value through py::detail::instance, which is
// not pybind11's documented API. The documented py::handle::cast<PyProcess*>
// was measured slower: p.pid 34-36 ns against 48-50 ns per access
// (time.thread_time, 200,000 accesses, best of 30, pybind11 3.1.0), a
// 15 ns cost per attribute on every table row. So the pybind11 versions
// whose layout this was checked against are pinned (pyproject.toml), this
// build refuses any other, and tests/python/test_bad_input.py
// (test_getter_layout_*) reads attributes of Process, of a Python subclass
// and of an uninitialised instance, which fails if the layout changes.
static_assert(PYBIND11_VERSION_HEX >= 0x020C0000 && PYBIND11_VERSION_HEX < 0x03020000,
              "getter() assumes pybind11 2.12-3.1's instance layout: re-check it, then widen the pin");

// Turns any C++ exception into a Python one; the getset protocol wants a
// NULL return with the error set, not a C++ throw.
PyObject* getter(PyObject* self, void* closure) {
    const auto* def = static_cast<const AttrDef*>(closure);
    try {
        // CPython has checked that self is a Process (or subclass) instance,
        // which holds exactly one C++ value: take it directly instead of a
        // type-caster lookup per attribute access.
        auto* inst = reinterpret_cast<py::detail::instance*>(self);
        auto* p = inst->get_value_and_holder().value_ptr<PyProcess>();
        if (!p) {
            PyErr_SetString(PyExc_TypeError, "Process.__init__ was not called");
            return nullptr;
        }
        return def->get(*p, def->name);
    } catch (py::error_already_set& e) {
        e.restore();
    } catch (const py::builtin_exception& e) {
        e.set_error();
    } catch (const psi::Error& e) {
        set_python_error(e.code(), e.what());
    } catch (const std::system_error& e) {
        set_python_error(e.code(), e.what());
    } catch (const std::bad_alloc&) {
        PyErr_NoMemory();
    } catch (const std::exception& e) {
        PyErr_SetString(PyExc_RuntimeError, e.what());
    }
    return nullptr;
}

// The alias rows: each a copy of its target's row under the alias name
// (errors name what the caller asked for), built once.
const std::vector<AttrDef>& alias_defs() {
    static const std::vector<AttrDef> defs = [] {
        static std::vector<std::string> docs;  // the rows point into these
        docs.reserve(std::size(psi::attribute_aliases));
        std::vector<AttrDef> v;
        for (const psi::AttrAlias& a : psi::attribute_aliases) {
            for (const AttrDef& d : kAttrs) {
                if (d.id != a.target) continue;
                docs.push_back("alias of " + std::string(d.name));
                v.push_back(AttrDef{a.alias.data(), d.get, d.id, docs.back().c_str()});
            }
        }
        return v;
    }();
    return defs;
}

}  // namespace

void install_process_attributes(py::handle cls) {
    static std::vector<PyGetSetDef> defs;  // must outlive the type
    defs.clear();
    defs.reserve(std::size(kAttrs) + alias_defs().size());
    for (const AttrDef& a : kAttrs) {
        defs.push_back(PyGetSetDef{a.name, &getter, nullptr, a.doc, const_cast<AttrDef*>(&a)});
    }
    for (const AttrDef& a : alias_defs()) {
        defs.push_back(PyGetSetDef{a.name, &getter, nullptr, a.doc, const_cast<AttrDef*>(&a)});
    }
    auto* type = reinterpret_cast<PyTypeObject*>(cls.ptr());
    for (PyGetSetDef& d : defs) {
        py::object descr = py::reinterpret_steal<py::object>(PyDescr_NewGetSet(type, &d));
        if (!descr) throw py::error_already_set();
        cls.attr(d.name) = descr;
    }
}

std::vector<const char*> process_attribute_names() {
    std::vector<const char*> names;
    for (const AttrDef& a : kAttrs) names.push_back(a.name);
    for (const AttrDef& a : alias_defs()) names.push_back(a.name);
    return names;
}

// -- w-io --
py::object io_counters_type() {
    // Made on first use and kept (the module holds it too): a named tuple
    // like psutil's pio, with the counters psi reads.
    static py::object* type = [] {
        py::object nt = py::module_::import("collections").attr("namedtuple");
        auto* t = new py::object(nt("IoCounters",
                                    py::make_tuple("read_count", "write_count", "read_bytes", "write_bytes",
                                                   "read_chars", "write_chars", "cancelled_write_bytes"),
                                    py::arg("module") = "psi._core"));
        return t;
    }();
    return *type;
}

Groups groups_for_names(py::handle names) {
    if (PyUnicode_Check(names.ptr())) throw py::type_error("attrs must be an iterable of attribute names, not a str");
    Groups g = Group::stat;  // identity and existence come from stat anyway
    for (py::handle item : names) {
        if (!PyUnicode_Check(item.ptr())) throw py::type_error("attribute names must be str");
        // A str that is not valid UTF-8 (a lone surrogate, as os.fsdecode
        // makes of a non-UTF-8 byte) names no attribute: that is the
        // caller's bad value, so ValueError, not the encoding failure (which
        // pybind11's cast<std::string> would turn into RuntimeError).
        Py_ssize_t size = 0;
        const char* utf8 = PyUnicode_AsUTF8AndSize(item.ptr(), &size);
        if (!utf8) PyErr_Clear();
        // The registry knows names and aliases; only those psi.Process has
        // count (the C++-only ones are unknown here).
        const psi::AttrInfo* row =
            utf8 ? psi::find_attribute(std::string_view(utf8, static_cast<std::size_t>(size))) : nullptr;
        if (!row || !row->python) throw py::value_error("unknown Process attribute: " + std::string(py::repr(item)));
        g |= row->groups;
    }
    return g;
}

}  // namespace psi_py
