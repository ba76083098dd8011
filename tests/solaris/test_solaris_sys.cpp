// The Solaris system-figure decoders (src/platform/solaris/sys_parse.cpp)
// on Linux, with kstat values and page counts of known answers. The calls
// that fetch them (libkstat, sysconf, swapctl) are Solaris's and never run
// here: sys_figures.cpp is only compiled, by tests/cross/check_solaris.sh.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "platform/solaris/sys_parse.hpp"

namespace ss = psi::solaris_sys;
using psi::TimeSpec;

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// A cpu:N:sys kstat as mpstat reads it: ticks at hz 100 (the default
// _SC_CLK_TCK), with unrelated counters beside them.
ss::KstatValues sys_kstat(std::uint64_t user, std::uint64_t kernel, std::uint64_t idle, std::uint64_t wait) {
    return {{"cpu_ticks_user", user}, {"cpu_ticks_kernel", kernel}, {"cpu_ticks_idle", idle},
            {"cpu_ticks_wait", wait}, {"cpu_nsec_user", 123}, {"syscall", 999}, {"intr", 5}};
}

}  // namespace

TEST(SolarisSys, CpuTicksToTimes) {
    auto t = ss::cpu_times_from_sys(sys_kstat(12345, 678, 900001, 0), 3, 100);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->cpu, 3);
    EXPECT_EQ(t->user, TimeSpec(123, 450000000));
    EXPECT_EQ(t->system, TimeSpec(6, 780000000));
    EXPECT_EQ(t->idle, TimeSpec(9000, 10000000));
    EXPECT_EQ(t->iowait, TimeSpec(0, 0));
    // Not kept apart by Solaris: zero.
    for (const TimeSpec* z : {&t->nice, &t->irq, &t->softirq, &t->steal, &t->guest, &t->guest_nice})
        EXPECT_EQ(*z, TimeSpec(0, 0));
    // hz 1000 (hires_tick=1): a tick is a millisecond.
    t = ss::cpu_times_from_sys(sys_kstat(1001, 0, 0, 7), 0, 1000);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->user, TimeSpec(1, 1000000));
    EXPECT_EQ(t->iowait, TimeSpec(0, 7000000));
}

TEST(SolarisSys, CpuMissingCounterOrBadHz) {
    auto v = sys_kstat(1, 2, 3, 4);
    EXPECT_FALSE(ss::cpu_times_from_sys(v, 0, 0));
    EXPECT_FALSE(ss::cpu_times_from_sys(v, 0, -100));
    for (const char* name : {"cpu_ticks_user", "cpu_ticks_kernel", "cpu_ticks_idle", "cpu_ticks_wait"}) {
        auto w = v;
        w.erase(name);
        EXPECT_FALSE(ss::cpu_times_from_sys(w, 0, 100)) << name;
    }
    EXPECT_FALSE(ss::cpu_times_from_sys({}, 0, 100));
    // The largest counter does not overflow the conversion.
    auto t = ss::cpu_times_from_sys(sys_kstat(kMax, kMax, kMax, kMax), 0, 100);
    ASSERT_TRUE(t);
    EXPECT_GT(t->user, TimeSpec(1'000'000'000, 0));
}

TEST(SolarisSys, SumOverCpus) {
    std::vector<psi::CpuTimes> cpus{*ss::cpu_times_from_sys(sys_kstat(150, 50, 800, 0), 0, 100),
                                    *ss::cpu_times_from_sys(sys_kstat(250, 75, 600, 3), 1, 100)};
    psi::CpuTimes s = ss::sum_cpu_times(cpus);
    EXPECT_EQ(s.cpu, -1);
    EXPECT_EQ(s.user, TimeSpec(4, 0));
    EXPECT_EQ(s.system, TimeSpec(1, 250000000));
    EXPECT_EQ(s.idle, TimeSpec(14, 0));
    EXPECT_EQ(s.iowait, TimeSpec(0, 30000000));
    EXPECT_EQ(ss::sum_cpu_times({}).user, TimeSpec(0, 0));
}

TEST(SolarisSys, MemoryFromPages) {
    // 4 GiB of 4 KiB pages, 1 GiB free.
    psi::MemoryInfo m = ss::memory_from_pages(1048576, 262144, 4096);
    EXPECT_EQ(m.total, 4294967296u);
    EXPECT_EQ(m.free, 1073741824u);
    EXPECT_EQ(m.available, m.free);
    EXPECT_EQ(m.used, 3221225472u);
    EXPECT_EQ(m.buffers + m.cached + m.shared + m.slab + m.active + m.inactive, 0u);
    // SPARC's 8 KiB pages; a free count above physmem (damaged) clamps.
    m = ss::memory_from_pages(100, 250, 8192);
    EXPECT_EQ(m.total, 819200u);
    EXPECT_EQ(m.free, 819200u);
    EXPECT_EQ(m.used, 0u);
    m = ss::memory_from_pages(kMax, kMax, 8192);  // saturates, never wraps
    EXPECT_EQ(m.total, kMax);
    EXPECT_EQ(m.used, 0u);
}

TEST(SolarisSys, SwapFromDevices) {
    // swap -l with two devices: 2 GiB with 1.5 GiB free, 512 MiB all free.
    std::vector<ss::SwapDevice> devs{{524288, 393216}, {131072, 131072}};
    psi::SwapInfo s = ss::swap_from(devs, 4096, 10, 20);
    EXPECT_EQ(s.total, 2684354560u);
    EXPECT_EQ(s.free, 2147483648u);
    EXPECT_EQ(s.used, 536870912u);
    EXPECT_EQ(s.sin, 40960u);
    EXPECT_EQ(s.sout, 81920u);
    // No swap configured; a free count above the size (damaged) clamps.
    s = ss::swap_from({}, 4096, 0, 0);
    EXPECT_EQ(s.total + s.used + s.free, 0u);
    s = ss::swap_from({{10, 20}}, 4096, kMax, 0);
    EXPECT_EQ(s.free, s.total);
    EXPECT_EQ(s.sin, kMax);
}
