// psi/rates.hpp: differences of two snapshots. Pure functions; the only
// clock read here is Instant::now(), which System uses to stamp snapshots.
#include "psi/rates.hpp"

#include <algorithm>
#include <thread>

namespace psi {

Instant Instant::now() noexcept {
    // Monotonic first: it is what intervals are made of; the wall instant
    // taken right after differs by the cost of one vDSO call.
    Instant at;
    at.monotonic = std::chrono::steady_clock::now();
    at.wall = psi::now();
    return at;
}

double seconds_between(const Instant& a, const Instant& b) noexcept {
    if (!a.known() || !b.known()) return 0;
    return std::chrono::duration<double>(b.monotonic - a.monotonic).count();
}

namespace {

// Why a value derived from two attributes is missing: "not read" and "not
// implemented" say the most about what to do (ask for the group; nothing),
// so they win over a per-process failure.
template <class A, class B>
AttrStatus missing_status(const A& before, const B& after, int& os_error) {
    os_error = 0;
    for (AttrStatus s : {AttrStatus::not_read, AttrStatus::not_implemented})
        if (before.status() == s || after.status() == s) return s;
    const bool b_bad = !before.ok();
    os_error = b_bad ? before.os_error() : after.os_error();
    return b_bad ? before.status() : after.status();
}

// -- w-io: one counter of io_counters as an Attr of its own, carrying the
// group's status when it has no value --
Attr<std::uint64_t> io_part(const Attr<IoCounters>& io, std::uint64_t IoCounters::*m) {
    Attr<std::uint64_t> out;
    if (const IoCounters* c = io.get()) out.set((*c).*m);
    else out.fail(io.status(), io.os_error());
    return out;
}

int cpus_or_default(int cpu_count) {
    if (cpu_count > 0) return cpu_count;
    // libstdc++ and libc++ answer with the CPUs online (get_nprocs,
    // sysconf(_SC_NPROCESSORS_ONLN)).
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? static_cast<int>(n) : 1;
}

ProcessRates rates_of(const ProcessInfo& b, const ProcessInfo& a, int cpus) {
    ProcessRates r;
    r.id = {a.pid, a.start_ticks};
    r.interval = seconds_between(b.read_at, a.read_at);
    const double dt = r.interval;

    const Attr<TimeSpec> cb = b.cputime(), ca = a.cputime();
    if (!cb.ok() || !ca.ok()) {
        int err = 0;
        const AttrStatus s = missing_status(cb, ca, err);
        r.cpu_percent.fail(s, err);
    } else if (dt <= 0) {
        r.cpu_percent.fail(AttrStatus::not_available);
    } else {
        // Linux keeps utime + stime monotonic per process (cputime_adjust
        // in kernel/sched/cputime.c), so "backwards" means damaged data.
        const TimeSpec d = *ca.get() > *cb.get() ? *ca.get() - *cb.get() : TimeSpec{};
        r.cpu_percent.set(d.seconds() / dt * 100.0);
    }
    if (const double* pct = r.cpu_percent.get()) r.cpu_percent_normalized.set(*pct / cpus);
    else r.cpu_percent_normalized.fail(r.cpu_percent.status(), r.cpu_percent.os_error());

    // The counters of issue 12 (each an Attr<std::uint64_t> read in a group
    // of its own) fill their slots here, one line each, e.g.
    //   r.read_bytes = counter_rate(b.io_read_bytes, a.io_read_bytes, dt);
    //   r.minor_faults = counter_rate(b.minor_faults, a.minor_faults, dt);
    // Until ProcessInfo has them the slots stay not_read.
    // -- w-io: I/O rates (io group): storage bytes and read/write calls --
    r.read_bytes = counter_rate(io_part(b.depth().io_counters, &IoCounters::read_bytes),
                                io_part(a.depth().io_counters, &IoCounters::read_bytes), dt);
    r.write_bytes = counter_rate(io_part(b.depth().io_counters, &IoCounters::write_bytes),
                                 io_part(a.depth().io_counters, &IoCounters::write_bytes), dt);
    r.read_ops = counter_rate(io_part(b.depth().io_counters, &IoCounters::read_count),
                              io_part(a.depth().io_counters, &IoCounters::read_count), dt);
    r.write_ops = counter_rate(io_part(b.depth().io_counters, &IoCounters::write_count),
                               io_part(a.depth().io_counters, &IoCounters::write_count), dt);
    // -- w-status: faults (stat) and context switches (status) --
    r.minor_faults = counter_rate(b.minor_faults, a.minor_faults, dt);
    r.major_faults = counter_rate(b.major_faults, a.major_faults, dt);
    r.voluntary_ctx_switches = counter_rate(b.depth().voluntary_ctxt_switches, a.depth().voluntary_ctxt_switches, dt);
    r.involuntary_ctx_switches = counter_rate(b.depth().involuntary_ctxt_switches, a.depth().involuntary_ctxt_switches, dt);
    return r;
}

}  // namespace

Attr<double> counter_rate(const Attr<std::uint64_t>& before, const Attr<std::uint64_t>& after, double seconds) {
    Attr<double> out;
    if (!before.ok() || !after.ok()) {
        int err = 0;
        const AttrStatus s = missing_status(before, after, err);
        out.fail(s, err);
    } else if (seconds <= 0) {
        out.fail(AttrStatus::not_available);
    } else {
        const std::uint64_t b = *before.get(), a = *after.get();
        out.set(a > b ? static_cast<double>(a - b) / seconds : 0.0);
    }
    return out;
}

ProcessRates rates(const ProcessInfo& before, const ProcessInfo& after, int cpu_count, std::error_code& ec) {
    ec.clear();
    if (before.pid != after.pid || before.start_ticks != after.start_ticks) {
        ec = make_error_code(errc::invalid_argument);
        return ProcessRates{};
    }
    return rates_of(before, after, cpus_or_default(cpu_count));
}

ProcessRates rates(const ProcessInfo& before, const ProcessInfo& after, int cpu_count) {
    std::error_code ec;
    ProcessRates r = rates(before, after, cpu_count, ec);
    if (ec) throw Error(ec, "rates of pid " + std::to_string(after.pid) + " since pid " + std::to_string(before.pid));
    return r;
}

TableRates rates(std::span<const ProcessInfo* const> before, const Instant& before_at,
                 std::span<const ProcessInfo* const> after, const Instant& after_at, int cpu_count) {
    const int cpus = cpus_or_default(cpu_count);
    auto sorted = [](std::span<const ProcessInfo* const> rows) {
        std::vector<const ProcessInfo*> v;
        v.reserve(rows.size());
        for (const ProcessInfo* p : rows)
            if (p) v.push_back(p);
        std::sort(v.begin(), v.end(), [](const ProcessInfo* x, const ProcessInfo* y) {
            return Identity{x->pid, x->start_ticks} < Identity{y->pid, y->start_ticks};
        });
        return v;
    };
    const std::vector<const ProcessInfo*> b = sorted(before), a = sorted(after);
    TableRates out;
    out.interval = seconds_between(before_at, after_at);
    out.processes.reserve(std::min(a.size(), b.size()));
    // One merge over both identity-sorted lists: equal identities pair up,
    // the rest came or went (a reused pid sorts as two identities).
    std::size_t i = 0, j = 0;
    while (i < b.size() || j < a.size()) {
        if (j == a.size() || (i < b.size() && Identity{b[i]->pid, b[i]->start_ticks} <
                                                  Identity{a[j]->pid, a[j]->start_ticks})) {
            out.disappeared.push_back({b[i]->pid, b[i]->start_ticks});
            ++i;
        } else if (i == b.size() || Identity{a[j]->pid, a[j]->start_ticks} < Identity{b[i]->pid, b[i]->start_ticks}) {
            out.appeared.push_back({a[j]->pid, a[j]->start_ticks});
            ++j;
        } else {
            out.processes.push_back(rates_of(*b[i], *a[j], cpus));
            ++i;
            ++j;
        }
    }
    return out;
}

TableRates rates(const ProcessTable& before, const ProcessTable& after, int cpu_count) {
    auto pointers = [](const ProcessTable& t) {
        std::vector<const ProcessInfo*> v;
        v.reserve(t.size());
        for (const ProcessInfo& p : t) v.push_back(&p);
        return v;
    };
    const auto b = pointers(before), a = pointers(after);
    return rates(b, before.read_at(), a, after.read_at(), cpu_count);
}

const ProcessRates* TableRates::find(int pid) const {
    auto it = std::lower_bound(processes.begin(), processes.end(), pid,
                               [](const ProcessRates& r, int v) { return r.id.pid < v; });
    return it != processes.end() && it->id.pid == pid ? &*it : nullptr;
}

}  // namespace psi
