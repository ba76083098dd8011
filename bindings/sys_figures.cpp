// System figures (psi/sysinfo.hpp) as plain tuples and dicts; the named
// tuples users see are built in python/psi/_sysinfo.py.
#include <vector>

#include "common.hpp"

namespace psi_py {

namespace {

py::tuple cpu_tuple(const psi::CpuTimes& c) {
    return py::make_tuple(c.user.seconds(), c.nice.seconds(), c.system.seconds(), c.idle.seconds(),
                          c.iowait.seconds(), c.irq.seconds(), c.softirq.seconds(), c.steal.seconds(),
                          c.guest.seconds(), c.guest_nice.seconds());
}

// (cpu number, times tuple) per entry; the number is -1 for the summary.
py::list cpu_times(bool percpu) {
    SystemPtr sys = default_system();
    auto rows = with_system(*sys, [&](psi::System& s) { return s.cpu_times(percpu); });
    py::list out;
    for (const auto& c : rows) out.append(py::make_tuple(c.cpu, cpu_tuple(c)));
    return out;
}

py::tuple memory() {
    SystemPtr sys = default_system();
    psi::MemoryInfo m = with_system(*sys, [](psi::System& s) { return s.memory(); });
    return py::make_tuple(to_uint(m.total), to_uint(m.available), to_uint(m.used), to_uint(m.free),
                          to_uint(m.buffers), to_uint(m.cached), to_uint(m.shared), to_uint(m.slab),
                          to_uint(m.active), to_uint(m.inactive));
}

py::tuple swap() {
    SystemPtr sys = default_system();
    psi::SwapInfo s = with_system(*sys, [](psi::System& x) { return x.swap(); });
    return py::make_tuple(to_uint(s.total), to_uint(s.used), to_uint(s.free), to_uint(s.sin), to_uint(s.sout));
}

py::object pressure_line(const psi::PressureLine& l) {
    return py::make_tuple(l.avg10, l.avg60, l.avg300, l.total.seconds());
}

py::object pressure_resource(const std::optional<psi::PressureResource>& r) {
    if (!r) return py::none();
    return py::make_tuple(pressure_line(r->some), r->full ? pressure_line(*r->full) : py::none());
}

py::dict pressure() {
    SystemPtr sys = default_system();
    psi::Pressure p = with_system(*sys, [](psi::System& s) { return s.pressure(); });
    py::dict d;
    d["cpu"] = pressure_resource(p.cpu);
    d["memory"] = pressure_resource(p.memory);
    d["io"] = pressure_resource(p.io);
    return d;
}

py::dict cgroup_limits() {
    SystemPtr sys = default_system();
    psi::CgroupLimits l = with_system(*sys, [](psi::System& s) { return s.cgroup_limits(); });
    py::dict d;
    d["path"] = to_str(l.path);
    d["mount"] = to_str(l.mount);
    d["cpu_controller"] = l.cpu_controller;
    d["memory_controller"] = l.memory_controller;
    d["cpu_quota"] = l.cpu_max ? to_uint(l.cpu_max->quota) : py::none();
    d["cpu_period"] = l.cpu_max ? to_uint(l.cpu_max->period) : py::none();
    d["cpu_limit_cgroup"] = l.cpu_max ? py::object(to_str(l.cpu_max->cgroup)) : py::none();
    d["cpu_limit"] = l.cpu_max ? py::object(py::int_(l.cpu_max->cpus())) : py::none();
    d["memory_max"] = l.memory_max ? to_uint(*l.memory_max) : py::none();
    d["memory_current"] = l.memory_current ? to_uint(*l.memory_current) : py::none();
    return d;
}

int effective_cpu_count() {
    SystemPtr sys = default_system();
    return with_system(*sys, [](psi::System& s) { return s.effective_cpu_count(); });
}

}  // namespace

void register_sys_figures(py::module_& m) {
    m.def("cpu_times", &cpu_times, py::arg("percpu") = false,
          "[(cpu, (user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice))] in seconds.");
    m.def("memory", &memory,
          "(total, available, used, free, buffers, cached, shared, slab, active, inactive) in bytes.");
    m.def("swap", &swap, "(total, used, free, sin, sout) in bytes.");
    m.def("pressure", &pressure, "{resource: ((avg10, avg60, avg300, total_s), full or None) or None}.");
    m.def("cgroup_limits", &cgroup_limits, "The cgroup v2 limits on this process, as a dict.");
    m.def("effective_cpu_count", &effective_cpu_count, "CPUs this process can use (affinity and cpu.max).");
}

}  // namespace psi_py
