// The pure parts of psi/sysinfo.hpp: CPU shares between two samples and the
// CPU count a cgroup quota allows. No OS calls, no state.
#include <algorithm>
#include <cstdint>

#include "psi/sysinfo.hpp"

namespace psi {

namespace {

// Nanoseconds a field advanced; 0 when it went backwards (see cpu_percent).
double advanced(TimeSpec before, TimeSpec after) {
    if (after <= before) return 0;
    // In doubles: tick counters of a long-running (or damaged) system can
    // exceed the ~292 years that fit in int64 nanoseconds (found by
    // fuzz_linux_sys).
    const TimeSpec d = after - before;
    return static_cast<double>(d.tv_sec) * 1e9 + static_cast<double>(d.tv_nsec);
}

}  // namespace

CpuPercent cpu_percent(const CpuTimes& b, const CpuTimes& a) {
    const double user = advanced(b.user, a.user), nice = advanced(b.nice, a.nice),
                 system = advanced(b.system, a.system), idle = advanced(b.idle, a.idle),
                 iowait = advanced(b.iowait, a.iowait), irq = advanced(b.irq, a.irq),
                 softirq = advanced(b.softirq, a.softirq), steal = advanced(b.steal, a.steal),
                 guest = advanced(b.guest, a.guest), guest_nice = advanced(b.guest_nice, a.guest_nice);
    // guest and guest_nice are already inside user and nice: not in the total.
    const double total = user + nice + system + idle + iowait + irq + softirq + steal;
    CpuPercent p;
    if (total <= 0) return p;
    auto share = [&](double v) { return std::clamp(100.0 * v / total, 0.0, 100.0); };
    p.user = share(user);
    p.nice = share(nice);
    p.system = share(system);
    p.idle = share(idle);
    p.iowait = share(iowait);
    p.irq = share(irq);
    p.softirq = share(softirq);
    p.steal = share(steal);
    p.guest = share(guest);
    p.guest_nice = share(guest_nice);
    p.busy = share(total - idle - iowait);
    return p;
}

int CpuMax::cpus() const {
    if (period == 0) return 1;
    // ceil(quota / period), at least 1: a 0.5-CPU quota still runs one thread.
    std::uint64_t n = quota / period + (quota % period != 0 ? 1 : 0);
    return static_cast<int>(std::clamp<std::uint64_t>(n, 1, 1u << 20));
}

}  // namespace psi
