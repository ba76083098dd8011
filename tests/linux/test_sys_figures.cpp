// System figures (psi/sysinfo.hpp), Linux: the pure decoders on fixed text
// with known answers, then psi::System over fixture proc and cgroup trees.
#include <gtest/gtest.h>

#include <string>

#include "platform/linux/sys_parse.hpp"
#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using namespace psi::linux_sys;
using psi::TimeSpec;
using psi_test::ProcFixture;

// ---- cpu_percent: pure arithmetic --------------------------------------

psi::CpuTimes times(long user, long nice, long system, long idle, long iowait, long guest = 0) {
    psi::CpuTimes t;
    t.user = TimeSpec(user, 0);
    t.nice = TimeSpec(nice, 0);
    t.system = TimeSpec(system, 0);
    t.idle = TimeSpec(idle, 0);
    t.iowait = TimeSpec(iowait, 0);
    t.guest = TimeSpec(guest, 0);
    return t;
}

TEST(CpuPercent, SharesOfTheInterval) {
    // 100 s pass: 30 user (10 of them guest), 10 system, 50 idle, 10 iowait.
    auto p = psi::cpu_percent(times(100, 0, 100, 100, 100, 5), times(130, 0, 110, 150, 110, 15));
    EXPECT_DOUBLE_EQ(p.user, 30);
    EXPECT_DOUBLE_EQ(p.system, 10);
    EXPECT_DOUBLE_EQ(p.idle, 50);
    EXPECT_DOUBLE_EQ(p.iowait, 10);
    EXPECT_DOUBLE_EQ(p.guest, 10);  // inside user, not added to the total
    EXPECT_DOUBLE_EQ(p.busy, 40);   // iowait counts as idle
}

TEST(CpuPercent, NoTimePassedIsZeroNotNaN) {
    auto t = times(1, 2, 3, 4, 5);
    auto p = psi::cpu_percent(t, t);
    EXPECT_EQ(p.busy, 0);
    EXPECT_EQ(p.idle, 0);
}

TEST(CpuPercent, CounterGoingBackwardsCountsZero) {
    // Linux iowait may decrease (per-runqueue accounting): clamp, never < 0.
    auto p = psi::cpu_percent(times(0, 0, 0, 0, 50), times(10, 0, 0, 10, 40));
    EXPECT_DOUBLE_EQ(p.iowait, 0);
    EXPECT_DOUBLE_EQ(p.user, 50);
    EXPECT_DOUBLE_EQ(p.busy, 50);
}

TEST(CpuPercent, HugeCountersDoNotOverflow) {
    // 2^40 s apart: more than int64 nanoseconds hold (found by fuzz_linux_sys).
    psi::CpuTimes a, b;
    b.user = TimeSpec(std::int64_t{1} << 40, 0);
    b.idle = TimeSpec(std::int64_t{1} << 40, 0);
    auto p = psi::cpu_percent(a, b);
    EXPECT_DOUBLE_EQ(p.user, 50);
    EXPECT_DOUBLE_EQ(p.busy, 50);
}

TEST(CpuMax, RoundsUp) {
    EXPECT_EQ((psi::CpuMax{150000, 100000, "/"}.cpus()), 2);
    EXPECT_EQ((psi::CpuMax{200000, 100000, "/"}.cpus()), 2);
    EXPECT_EQ((psi::CpuMax{1000, 100000, "/"}.cpus()), 1);
    EXPECT_EQ((psi::CpuMax{0, 100000, "/"}.cpus()), 1);
}

// ---- decoders ----------------------------------------------------------

TEST(SysParse, StatSummaryAndPerCpu) {
    const char* text =
        "cpu  447114 17184 66807 10918 425 0 514 836 7 3\n"
        "cpu0 224749 8696 31494 6566 48 0 20 342 0 0\n"
        "cpu2 222365 8488 35313 4352 377 0 493 494 7 3\n"
        "intr 1 2 3\nctxt 5\n";
    auto all = parse_stat_cpus(text, false);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].cpu, -1);
    EXPECT_EQ(all[0].ticks[0], 447114u);
    EXPECT_EQ(all[0].ticks[9], 3u);
    auto per = parse_stat_cpus(text, true);
    ASSERT_EQ(per.size(), 2u);
    EXPECT_EQ(per[1].cpu, 2);  // cpu1 offline: numbers are kept, not renumbered
    auto t = cpu_times_from_ticks(all[0], 100);
    EXPECT_EQ(t.user, TimeSpec(4471, 140000000));
    EXPECT_EQ(t.guest_nice, TimeSpec(0, 30000000));
}

TEST(SysParse, StatOldKernelFewerFields) {
    // 2.6.9-era line: no steal, guest, guest_nice.
    auto v = parse_stat_cpus("cpu  1 2 3 4 5 6 7\n", false);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].ticks[6], 7u);
    EXPECT_EQ(v[0].ticks[7], 0u);
    EXPECT_TRUE(parse_stat_cpus("cpu  1 x 3 4\n", false).empty());
    EXPECT_TRUE(parse_stat_cpus("cpu  1 2\n", false).empty());
    EXPECT_TRUE(parse_stat_cpus("", true).empty());
}

constexpr const char* kMeminfo =
    "MemTotal:       1000000 kB\n"
    "MemFree:         200000 kB\n"
    "MemAvailable:    600000 kB\n"
    "Buffers:          10000 kB\n"
    "Cached:          300000 kB\n"
    "SwapCached:           0 kB\n"
    "Active:          250000 kB\n"
    "Inactive:        150000 kB\n"
    "SwapTotal:       500000 kB\n"
    "SwapFree:        400000 kB\n"
    "Shmem:             5000 kB\n"
    "Slab:             60000 kB\n"
    "SReclaimable:     40000 kB\n"
    "HugePages_Total:      0\n";

TEST(SysParse, MeminfoAsProcps4) {
    auto m = memory_from_meminfo(parse_meminfo(kMeminfo));
    ASSERT_TRUE(m);
    constexpr std::uint64_t K = 1024;
    EXPECT_EQ(m->total, 1000000 * K);
    EXPECT_EQ(m->available, 600000 * K);
    EXPECT_EQ(m->used, 400000 * K);             // total - available
    EXPECT_EQ(m->cached, (300000 + 40000) * K);  // Cached + SReclaimable
    EXPECT_EQ(m->buffers, 10000 * K);
    EXPECT_EQ(m->shared, 5000 * K);
    EXPECT_EQ(m->slab, 60000 * K);
    EXPECT_EQ(m->active, 250000 * K);
    EXPECT_EQ(m->inactive, 150000 * K);
    auto s = swap_from_meminfo(parse_meminfo(kMeminfo));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->used, 100000 * K);
}

TEST(SysParse, MeminfoAvailableFallbacks) {
    // < 3.14: no MemAvailable -> MemFree; a container's available > total -> MemFree.
    auto old = memory_from_meminfo(parse_meminfo("MemTotal: 100 kB\nMemFree: 40 kB\n"));
    ASSERT_TRUE(old);
    EXPECT_EQ(old->available, 40u * 1024);
    EXPECT_EQ(old->used, 60u * 1024);
    auto lxc = memory_from_meminfo(parse_meminfo("MemTotal: 100 kB\nMemFree: 30 kB\nMemAvailable: 900 kB\n"));
    ASSERT_TRUE(lxc);
    EXPECT_EQ(lxc->available, 30u * 1024);
    // Damaged: MemFree above MemTotal (found by fuzz_linux_sys). Stay within total.
    auto bad = memory_from_meminfo(parse_meminfo("MemTotal: 10 kB\nMemFree: 90 kB\nMemAvailable: 95 kB\n"));
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->available, 10u * 1024);
    EXPECT_EQ(bad->used, 0u);
    EXPECT_FALSE(memory_from_meminfo(parse_meminfo("MemFree: 1 kB\n")));
    EXPECT_FALSE(memory_from_meminfo(parse_meminfo("MemTotal: 1\nMemFree: 1 kB\n")));  // no unit
}

TEST(SysParse, VmstatSwapPages) {
    auto p = parse_vmstat_swap("pgpgin 5\npswpin 12\npswpout 34\n");
    EXPECT_EQ(p.in, 12u);
    EXPECT_EQ(p.out, 34u);
    EXPECT_FALSE(parse_vmstat_swap("pgpgin 5\n").in);
}

TEST(SysParse, Pressure) {
    auto r = parse_pressure(
        "some avg10=92.61 avg60=91.47 avg300=96.52 total=2558788670\n"
        "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    ASSERT_TRUE(r);
    EXPECT_DOUBLE_EQ(r->some.avg10, 92.61);
    EXPECT_DOUBLE_EQ(r->some.avg300, 96.52);
    EXPECT_EQ(r->some.total, TimeSpec(2558, 788670000));
    ASSERT_TRUE(r->full);
    // Before 5.13 cpu had only "some".
    auto cpu = parse_pressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=7\n");
    ASSERT_TRUE(cpu);
    EXPECT_FALSE(cpu->full);
    EXPECT_FALSE(parse_pressure("some avg10=1.0 total=3\n"));
    EXPECT_FALSE(parse_pressure("some avg10=-1 avg60=0 avg300=0 total=0\n"));
    EXPECT_FALSE(parse_pressure(""));
}

TEST(SysParse, CgroupFiles) {
    EXPECT_EQ(parse_cgroup_v2_path("12:cpu,cpuacct:/x\n0::/user.slice/a:b.scope\n"), "/user.slice/a:b.scope");
    EXPECT_FALSE(parse_cgroup_v2_path("4:memory:/x\n1:cpu:/\n"));
    auto c = parse_cpu_max("150000 100000\n");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->quota, 150000u);
    EXPECT_EQ(c->period, 100000u);
    auto unlimited = parse_cpu_max("max 100000\n");
    ASSERT_TRUE(unlimited);
    EXPECT_FALSE(unlimited->quota);
    EXPECT_FALSE(parse_cpu_max("max 0\n"));
    EXPECT_FALSE(parse_cpu_max("150000\n"));
    EXPECT_FALSE(parse_cpu_max("1 2 3\n"));
    bool no_limit = false;
    EXPECT_EQ(parse_cgroup_bytes("536870912\n", &no_limit), 536870912u);
    EXPECT_FALSE(no_limit);
    EXPECT_TRUE(parse_cgroup_bytes("max\n", &no_limit));
    EXPECT_TRUE(no_limit);
    EXPECT_FALSE(parse_cgroup_bytes("12k\n", &no_limit));
    EXPECT_TRUE(has_word("cpuset cpu io memory pids\n", "cpu"));
    EXPECT_FALSE(has_word("cpuset io\n", "cpu"));
    EXPECT_EQ(find_cgroup2_mount("cgroup /sys/fs/cgroup/cpu cgroup rw 0 0\n"
                                 "cgroup2 /sys/fs/cgroup/my\\040dir cgroup2 rw 0 0\n"),
              "/sys/fs/cgroup/my dir");
    EXPECT_FALSE(find_cgroup2_mount("cgroup /sys/fs/cgroup/cpu cgroup rw 0 0\n"));
    auto a = cgroup_ancestors("/a/b");
    ASSERT_TRUE(a);
    EXPECT_EQ(*a, (std::vector<std::string>{"/a/b", "/a", "/"}));
    EXPECT_EQ(*cgroup_ancestors("/"), (std::vector<std::string>{"/"}));
    EXPECT_FALSE(cgroup_ancestors("/../outside"));
    EXPECT_FALSE(cgroup_ancestors("relative"));
}

// ---- System over fixture trees ----------------------------------------

psi::System open_with_cgroup(const ProcFixture& fx, const std::string& cgroup_root) {
    psi::Options o;
    o.proc_root = fx.root();
    o.cgroup_root = cgroup_root;
    return psi::System(o);
}

TEST(FixtureSysFigures, CpuMemorySwapPressure) {
    ProcFixture fx;
    fx.add_system_files();  // stat: cpu 100 0 100 1000 ...
    fx.write("meminfo", kMeminfo);
    fx.write("vmstat", "pswpin 3\npswpout 5\n");
    fx.write("pressure/memory", "some avg10=1.50 avg60=0.00 avg300=0.00 total=1500000\n"
                                "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    psi::System sys = psi_test::open_fixture(fx);
    auto cpu = sys.cpu_times();
    ASSERT_EQ(cpu.size(), 1u);
    const long hz = sys.arch().clock_ticks;
    EXPECT_EQ(cpu[0].user, TimeSpec::from_ticks(100, static_cast<std::uint64_t>(hz)));
    EXPECT_EQ(sys.cpu_times(true).size(), 1u);
    EXPECT_EQ(sys.memory().used, 400000u * 1024);
    auto sw = sys.swap();
    EXPECT_EQ(sw.sin, 3u * static_cast<std::uint64_t>(sys.arch().page_size));
    auto p = sys.pressure();
    EXPECT_FALSE(p.cpu);  // no file: that resource is empty
    ASSERT_TRUE(p.memory);
    EXPECT_EQ(p.memory->some.total, TimeSpec(1, 500000000));
}

TEST(FixtureSysFigures, NoPressureDirIsNotAvailable) {
    ProcFixture fx;
    fx.add_system_files();
    psi::System sys = psi_test::open_fixture(fx);
    std::error_code ec;
    sys.pressure(ec);
    EXPECT_EQ(ec, psi::errc::attr_not_available);
    sys.memory(ec);  // no meminfo: this root is not a usable proc
    EXPECT_EQ(ec, psi::errc::proc_root_unusable);
}

// A cgroup v2 tree: root -> /outer (cpu.max 300000/100000, memory.max 1 GiB)
// -> /outer/inner (cpu.max 150000/100000, memory.max max), our cgroup.
struct CgroupTree {
    ProcFixture proc, cg;
    CgroupTree() {
        proc.add_system_files();
        proc.write("self/cgroup", "0::/outer/inner\n");
        cg.write("cgroup.controllers", "cpuset cpu io memory pids\n");
        cg.write("outer/cgroup.controllers", "cpu memory\n");
        cg.write("outer/cpu.max", "300000 100000\n");
        cg.write("outer/memory.max", "1073741824\n");
        cg.write("outer/inner/cgroup.controllers", "\n");
        cg.write("outer/inner/cpu.max", "150000 100000\n");
        cg.write("outer/inner/memory.max", "max\n");
        cg.write("outer/inner/memory.current", "4096\n");
    }
};

TEST(FixtureCgroup, TightestAlongThePath) {
    CgroupTree t;
    psi::System sys = open_with_cgroup(t.proc, t.cg.root());
    auto l = sys.cgroup_limits();
    EXPECT_EQ(l.path, "/outer/inner");
    EXPECT_TRUE(l.cpu_controller);
    ASSERT_TRUE(l.cpu_max);
    EXPECT_EQ(l.cpu_max->quota, 150000u);
    EXPECT_EQ(l.cpu_max->cgroup, "/outer/inner");
    EXPECT_EQ(l.cpu_max->cpus(), 2);
    ASSERT_TRUE(l.memory_max);
    EXPECT_EQ(*l.memory_max, 1073741824u);  // the parent's: "max" below it does not lift it
    EXPECT_EQ(l.memory_current, 4096u);
    EXPECT_LE(sys.effective_cpu_count(), 2);
    EXPECT_GE(sys.effective_cpu_count(), 1);
}

TEST(FixtureCgroup, ParentTighterThanChild) {
    CgroupTree t;
    t.cg.write("outer/cpu.max", "50000 100000\n");  // half a CPU above a 1.5-CPU child
    psi::System sys = open_with_cgroup(t.proc, t.cg.root());
    auto l = sys.cgroup_limits();
    ASSERT_TRUE(l.cpu_max);
    EXPECT_EQ(l.cpu_max->cgroup, "/outer");
    EXPECT_EQ(l.cpu_max->cpus(), 1);
    EXPECT_EQ(sys.effective_cpu_count(), 1);
}

TEST(FixtureCgroup, MaxEverywhereIsNoLimit) {
    CgroupTree t;
    t.cg.write("outer/cpu.max", "max 100000\n");
    t.cg.write("outer/inner/cpu.max", "max 100000\n");
    t.cg.write("outer/memory.max", "max\n");
    psi::System sys = open_with_cgroup(t.proc, t.cg.root());
    auto l = sys.cgroup_limits();
    EXPECT_FALSE(l.cpu_max);
    EXPECT_FALSE(l.memory_max);
    EXPECT_GE(sys.effective_cpu_count(), 1);
}

TEST(FixtureCgroup, ControllerNotOnV2IsNotEnforced) {
    // Hybrid system: cpu is bound to v1, so v2's cpu.max files (if any) are not read.
    CgroupTree t;
    t.cg.write("cgroup.controllers", "pids\n");
    psi::System sys = open_with_cgroup(t.proc, t.cg.root());
    auto l = sys.cgroup_limits();
    EXPECT_FALSE(l.cpu_controller);
    EXPECT_FALSE(l.cpu_max);
    EXPECT_FALSE(l.memory_max);
}

TEST(FixtureCgroup, V1OnlyIsNotAvailable) {
    ProcFixture proc, cg;
    proc.add_system_files();
    proc.write("self/cgroup", "4:memory:/x\n1:cpu,cpuacct:/\n");
    psi::System sys = open_with_cgroup(proc, cg.root());
    std::error_code ec;
    sys.cgroup_limits(ec);
    EXPECT_EQ(ec, psi::errc::attr_not_available);
    EXPECT_GE(sys.effective_cpu_count(), 1);  // falls back to the affinity mask
}

TEST(FixtureCgroup, MountFoundInSelfMounts) {
    CgroupTree t;
    t.proc.write("self/mounts", "cgroup2 " + t.cg.root() + " cgroup2 rw,nosuid 0 0\n");
    psi::System sys = open_with_cgroup(t.proc, "");
    auto l = sys.cgroup_limits();
    EXPECT_EQ(l.mount, t.cg.root());
    ASSERT_TRUE(l.cpu_max);
    EXPECT_EQ(l.cpu_max->quota, 150000u);
}

TEST(FixtureCgroup, OurDirectoryMissingIsNotAvailable) {
    CgroupTree t;
    t.proc.write("self/cgroup", "0::/elsewhere\n");
    psi::System sys = open_with_cgroup(t.proc, t.cg.root());
    std::error_code ec;
    sys.cgroup_limits(ec);
    EXPECT_EQ(ec, psi::errc::attr_not_available);
}

}  // namespace
