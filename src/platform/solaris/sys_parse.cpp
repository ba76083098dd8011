// See sys_parse.hpp. Sums and products saturate: a damaged or hostile
// value must not wrap into a small number.
#include "platform/solaris/sys_parse.hpp"

#include <algorithm>
#include <limits>
#include <string_view>

namespace psi::solaris_sys {

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) { return a > kMax - b ? kMax : a + b; }
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) { return b != 0 && a > kMax / b ? kMax : a * b; }

// ticks / hz seconds, exact to the nanosecond for any hz up to 1e9.
TimeSpec ticks_to_time(std::uint64_t ticks, std::uint64_t hz) {
    const std::uint64_t sec = ticks / hz, rem = ticks % hz;
    constexpr auto kMaxSec = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 4);
    if (sec > kMaxSec) return TimeSpec(static_cast<std::int64_t>(kMaxSec), 0);
    // rem < hz: rem * 1e9 fits in 64 bits for hz below 1.8e10.
    const std::uint64_t nsec = hz <= 1'000'000'000 ? rem * 1'000'000'000 / hz : 0;
    return TimeSpec(static_cast<std::int64_t>(sec), static_cast<std::int64_t>(nsec));
}

std::optional<std::uint64_t> get(const KstatValues& v, std::string_view name) {
    auto it = v.find(name);
    if (it == v.end()) return std::nullopt;
    return it->second;
}

}  // namespace

std::optional<CpuTimes> cpu_times_from_sys(const KstatValues& sys, int cpu, long hz) {
    if (hz <= 0) return std::nullopt;
    auto user = get(sys, "cpu_ticks_user"), kernel = get(sys, "cpu_ticks_kernel");
    auto idle = get(sys, "cpu_ticks_idle"), wait = get(sys, "cpu_ticks_wait");
    if (!user || !kernel || !idle || !wait) return std::nullopt;
    const auto h = static_cast<std::uint64_t>(hz);
    CpuTimes t;
    t.cpu = cpu;
    t.user = ticks_to_time(*user, h);
    t.system = ticks_to_time(*kernel, h);
    t.idle = ticks_to_time(*idle, h);
    t.iowait = ticks_to_time(*wait, h);
    return t;
}

CpuTimes sum_cpu_times(const std::vector<CpuTimes>& cpus) {
    CpuTimes s;
    s.cpu = -1;
    for (const CpuTimes& c : cpus) {
        // TimeSpec's + saturates.
        s.user = s.user + c.user;
        s.nice = s.nice + c.nice;
        s.system = s.system + c.system;
        s.idle = s.idle + c.idle;
        s.iowait = s.iowait + c.iowait;
        s.irq = s.irq + c.irq;
        s.softirq = s.softirq + c.softirq;
        s.steal = s.steal + c.steal;
        s.guest = s.guest + c.guest;
        s.guest_nice = s.guest_nice + c.guest_nice;
    }
    return s;
}

MemoryInfo memory_from_pages(std::uint64_t phys_pages, std::uint64_t free_pages, std::uint64_t page_size) {
    MemoryInfo m;
    m.total = mul_sat(phys_pages, page_size);
    // freemem can exceed physmem only on a damaged value: keep used >= 0.
    m.free = std::min(mul_sat(free_pages, page_size), m.total);
    m.available = m.free;
    m.used = m.total - m.free;
    return m;
}

SwapInfo swap_from(const std::vector<SwapDevice>& devices, std::uint64_t page_size, std::uint64_t pgswapin,
                   std::uint64_t pgswapout) {
    SwapInfo s;
    for (const SwapDevice& d : devices) {
        s.total = add_sat(s.total, mul_sat(d.pages, page_size));
        s.free = add_sat(s.free, mul_sat(std::min(d.free_pages, d.pages), page_size));
    }
    s.used = s.total - s.free;
    s.sin = mul_sat(pgswapin, page_size);
    s.sout = mul_sat(pgswapout, page_size);
    return s;
}

}  // namespace psi::solaris_sys
