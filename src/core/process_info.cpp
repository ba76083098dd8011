// Portable parts of the process model: state letters and derived values.
#include <numeric>

#include "psi/process.hpp"

namespace psi {

ProcStatus status_from_letter(char letter) noexcept {
    // Letters from proc(5) and fs/proc/array.c's task_state_array; W meant
    // "waking" on 2.6.33-4.13 (and "paging" before 2.6), x is the old "dead".
    switch (letter) {
        case 'R': return ProcStatus::running;
        case 'S': return ProcStatus::sleeping;
        case 'D': return ProcStatus::disk_sleep;
        case 'T': return ProcStatus::stopped;
        case 't': return ProcStatus::tracing_stop;
        case 'Z': return ProcStatus::zombie;
        case 'X':
        case 'x': return ProcStatus::dead;
        case 'W': return ProcStatus::waking;
        case 'I': return ProcStatus::idle;
        case 'P': return ProcStatus::parked;
        case 'K': return ProcStatus::wakekill;
        default: return ProcStatus::unknown;
    }
}

char status_to_letter(ProcStatus s) noexcept {
    // ps prints the kernel's letter; for dead that is 'X' (the current
    // kernels' spelling; 'x' was 2.6.33-3.13's).
    switch (s) {
        case ProcStatus::running: return 'R';
        case ProcStatus::sleeping: return 'S';
        case ProcStatus::disk_sleep: return 'D';
        case ProcStatus::stopped: return 'T';
        case ProcStatus::tracing_stop: return 't';
        case ProcStatus::zombie: return 'Z';
        case ProcStatus::dead: return 'X';
        case ProcStatus::waking: return 'W';
        case ProcStatus::idle: return 'I';
        case ProcStatus::parked: return 'P';
        case ProcStatus::wakekill: return 'K';
        case ProcStatus::unknown: break;
    }
    return '?';
}

const char* sched_policy_class(SchedPolicy p) noexcept {
    // procps ps output.c pr_class names the Linux numbers 0-6; Solaris ps
    // prints the class name (priocntl(1)).
    switch (p) {
        case SchedPolicy::other: return "TS";
        case SchedPolicy::fifo: return "FF";
        case SchedPolicy::rr: return "RR";
        case SchedPolicy::batch: return "B";
        case SchedPolicy::iso: return "ISO";
        case SchedPolicy::idle: return "IDL";
        case SchedPolicy::deadline: return "DLN";
        case SchedPolicy::sys: return "SYS";
        case SchedPolicy::interactive: return "IA";
        case SchedPolicy::fair_share: return "FSS";
        case SchedPolicy::fixed: return "FX";
        case SchedPolicy::unknown: break;
    }
    return "?";
}

const char* status_name(ProcStatus s) noexcept {
    switch (s) {
        case ProcStatus::running: return "running";
        case ProcStatus::sleeping: return "sleeping";
        case ProcStatus::disk_sleep: return "disk-sleep";
        case ProcStatus::stopped: return "stopped";
        case ProcStatus::tracing_stop: return "tracing-stop";
        case ProcStatus::zombie: return "zombie";
        case ProcStatus::dead: return "dead";
        case ProcStatus::waking: return "waking";
        case ProcStatus::idle: return "idle";
        case ProcStatus::parked: return "parked";
        case ProcStatus::wakekill: return "wake-kill";
        case ProcStatus::unknown: break;
    }
    return "unknown";
}

namespace {
template <class T, class U>
void copy_failure(Attr<T>& to, const Attr<U>& from) {
    to.fail(from.status(), from.os_error());
}
}  // namespace

Attr<TimeSpec> ProcessInfo::cputime() const {
    Attr<TimeSpec> out;
    if (!utime.ok()) copy_failure(out, utime);
    else if (!stime.ok()) copy_failure(out, stime);
    else out.set(*utime.get() + *stime.get());
    return out;
}

Attr<std::size_t> ProcessInfo::argc() const {
    Attr<std::size_t> out;
    if (args.ok()) out.set(args.get()->size());
    else copy_failure(out, args);
    return out;
}

Attr<std::string> ProcessInfo::command() const {
    Attr<std::string> out;
    // Unread args say nothing yet: not the name (the registry's contract,
    // command needs args and stat, is checked on fixtures).
    if (args.status() == AttrStatus::not_read) {
        copy_failure(out, args);
    } else if (const auto* a = args.get(); a && !a->empty()) {
        std::string joined;
        joined.reserve(std::accumulate(a->begin(), a->end(), std::size_t{0},
                                       [](std::size_t n, const std::string& s) { return n + s.size() + 1; }));
        for (const auto& arg : *a) {
            if (!joined.empty() || &arg != &a->front()) joined += ' ';
            joined += arg;
        }
        out.set(std::move(joined));
    } else if (name.ok()) {
        // Kernel threads and zombies have no argv; ps shows the name instead.
        out.set(*name.get());
    } else {
        copy_failure(out, name);
    }
    return out;
}

Attr<double> ProcessInfo::pcpu(TimeSpec now) const {
    Attr<double> out;
    Attr<TimeSpec> cpu = cputime();
    if (!cpu.ok()) { copy_failure(out, cpu); return out; }
    if (!start_time.ok()) { copy_failure(out, start_time); return out; }
    double elapsed = (now - *start_time.get()).seconds();
    out.set(elapsed > 0 ? cpu.get()->seconds() / elapsed * 100.0 : 0.0);
    return out;
}

const ProcessDepth& ProcessInfo::depth() const noexcept {
    // Every attribute of a default ProcessDepth is not_read: what a snapshot
    // that never read a depth group has to say about them. Immutable, so
    // one instance serves every thread.
    static const ProcessDepth none;
    const ProcessDepth* d = depth_.get();
    return d ? *d : none;
}

std::size_t ProcessInfo::memory_footprint() const {
    // Heap beyond the small-string buffer only counts when it is allocated.
    auto heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
    std::size_t n = sizeof(ProcessInfo);
    for (const Attr<std::string>* s : {&name, &exe, &cwd, &euser, &ruser, &egroup, &rgroup, &terminal, &zonename, &wchan})
        if (const auto* v = s->get()) n += heap(*v);
    if (const auto* a = args.get()) {
        n += a->capacity() * sizeof(std::string);
        for (const auto& s : *a) n += heap(s);
    }
    if (const auto* e = env.get()) {
        n += e->capacity() * sizeof(e->front());
        for (const auto& [k, v] : *e) n += heap(k) + heap(v);
    }
    if (!has_depth()) return n;
    const ProcessDepth& d = depth();
    n += sizeof(ProcessDepth);
    for (const Attr<std::string>* s : {&d.label, &d.cgroup, &d.container_id, &d.container_runtime, &d.pod_uid,
                                       &d.lxc_name, &d.suser, &d.sgroup, &d.fsuser, &d.fsgroup})
        if (const auto* v = s->get()) n += heap(*v);
    if (const auto* c = d.cgroups.get()) {
        n += c->capacity() * sizeof(CgroupEntry);
        for (const auto& e : *c) n += heap(e.controllers) + heap(e.path);
    }
    // The limits rows' names fit the small-string buffer.
    if (const auto* l = d.rlimits.get()) {
        n += l->capacity() * sizeof(ResourceLimit);
        for (const auto& r : *l) n += heap(r.name);
    }
    if (const auto* g = d.supplementary_groups.get()) n += g->capacity() * sizeof(std::uint32_t);
    if (const auto* c = d.cpu_affinity.get()) n += c->capacity() * sizeof(int);
    if (const auto* g = d.supplementary_group_names.get()) {
        n += g->capacity() * sizeof(std::string);
        for (const auto& s : *g) n += heap(s);
    }
    return n;
}

}  // namespace psi
