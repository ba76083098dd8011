// System figures of the running Linux system against independent oracles:
// procps `free -b -w`, /proc/stat, /proc/meminfo, /proc/pressure and the
// cgroup files read here directly, and sched_getaffinity(2).
//
// No timing assumptions: a figure that moves (free memory, CPU ticks) is
// checked to lie between an oracle reading taken before and one taken
// after psi's, widened only where the text says why.
#include <gtest/gtest.h>

#include <sched.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

bool is_linux() { return psi::arch().sysname == "Linux"; }

// Key -> first number of each line of a "Key: value [kB]" file.
std::map<std::string, std::uint64_t> key_values(const std::string& text) {
    std::map<std::string, std::uint64_t> m;
    std::istringstream in(text);
    std::string key;
    std::uint64_t v = 0;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        if (ls >> key >> v) m[key] = v;
    }
    return m;
}

// "Mem:" of `free -b -w`: total used free shared buffers cache available.
std::vector<std::uint64_t> free_mem_line() {
    std::string out = psi_test::run_capture("LC_ALL=C free -b -w");
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("Mem:", 0) != 0) continue;
        std::istringstream ls(line.substr(4));
        std::vector<std::uint64_t> v;
        std::uint64_t x = 0;
        while (ls >> x) v.push_back(x);
        return v;
    }
    return {};
}

bool between(std::uint64_t v, std::uint64_t a, std::uint64_t b, std::uint64_t slack) {
    std::uint64_t lo = std::min(a, b), hi = std::max(a, b);
    return v + slack >= lo && v <= hi + slack;
}

TEST(LiveSysFigures, MemoryMatchesFree) {
    if (!is_linux()) GTEST_SKIP() << "Linux figures";
    if (free_mem_line().size() != 7) GTEST_SKIP() << "no procps free -w here";
    // Between two runs of free (each a few ms: fork, exec, read meminfo)
    // other processes allocate and free; on a busy build machine that is
    // tens of MB. 1% of total (250 MB on 25 GB) covers it. A failure is
    // retried twice: one burst must not fail the test, a wrong formula
    // fails all three attempts (it differs by whole fields: buffers,
    // SReclaimable, or MemFree versus MemAvailable).
    std::string why;
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto before = free_mem_line();
        psi::MemoryInfo m = psi::memory();
        auto after = free_mem_line();
        ASSERT_EQ(before.size(), 7u);
        ASSERT_EQ(after.size(), 7u);
        EXPECT_EQ(m.total, before[0]);
        const std::uint64_t slack = m.total / 100;
        const std::uint64_t psi_v[] = {m.total, m.used, m.free, m.shared, m.buffers, m.cached, m.available};
        const char* names[] = {"total", "used", "free", "shared", "buffers", "cache", "available"};
        why.clear();
        for (int i = 0; i < 7; ++i)
            if (!between(psi_v[i], before[static_cast<std::size_t>(i)], after[static_cast<std::size_t>(i)], slack))
                why += std::string(names[i]) + "=" + std::to_string(psi_v[i]) + " not near free's " +
                       std::to_string(before[static_cast<std::size_t>(i)]) + ".." +
                       std::to_string(after[static_cast<std::size_t>(i)]) + "; ";
        if (why.empty()) break;
    }
    EXPECT_TRUE(why.empty()) << why;
}

TEST(LiveSysFigures, MemoryFormulaOnMeminfo) {
    if (!is_linux()) GTEST_SKIP() << "Linux figures";
    // Same text, same answer: one read of meminfo taken here, the fields
    // that do not move between reads (MemTotal, SwapTotal) must be equal.
    auto mi = key_values(psi_test::read_file("/proc/meminfo"));
    psi::MemoryInfo m = psi::memory();
    EXPECT_EQ(m.total, mi["MemTotal:"] * 1024);
    EXPECT_EQ(m.used + m.available, m.total);
    psi::SwapInfo s = psi::swap();
    EXPECT_EQ(s.total, mi["SwapTotal:"] * 1024);
    EXPECT_EQ(s.used + s.free, s.total);
    // pswpin/pswpout only grow: bracket them.
    auto v1 = key_values(psi_test::read_file("/proc/vmstat"));
    s = psi::swap();
    auto v2 = key_values(psi_test::read_file("/proc/vmstat"));
    const auto page = static_cast<std::uint64_t>(psi::arch().page_size);
    EXPECT_TRUE(between(s.sin, v1["pswpin"] * page, v2["pswpin"] * page, 0));
    EXPECT_TRUE(between(s.sout, v1["pswpout"] * page, v2["pswpout"] * page, 0));
}

// The "cpu" line (or cpuN lines) of /proc/stat as tick arrays.
std::vector<std::vector<std::uint64_t>> stat_cpus(bool percpu) {
    std::istringstream in(psi_test::read_file("/proc/stat"));
    std::string line;
    std::vector<std::vector<std::uint64_t>> out;
    while (std::getline(in, line)) {
        if (line.rfind("cpu", 0) != 0) continue;
        bool summary = line.size() > 3 && line[3] == ' ';
        if (summary == percpu) continue;
        std::istringstream ls(line);
        std::string key;
        ls >> key;
        std::vector<std::uint64_t> v;
        std::uint64_t x = 0;
        while (ls >> x) v.push_back(x);
        out.push_back(v);
    }
    return out;
}

TEST(LiveSysFigures, CpuTimesBetweenTwoStatReads) {
    if (!is_linux()) GTEST_SKIP() << "Linux figures";
    const auto hz = static_cast<std::uint64_t>(psi::arch().clock_ticks);
    for (bool percpu : {false, true}) {
        auto before = stat_cpus(percpu);
        auto got = psi::cpu_times(percpu);
        auto after = stat_cpus(percpu);
        // A CPU going on- or offline between the reads changes the rows; rare
        // enough that we only compare when the shapes agree.
        if (before.size() != got.size() || after.size() != got.size()) continue;
        for (std::size_t i = 0; i < got.size(); ++i) {
            const psi::CpuTimes& c = got[i];
            const psi::TimeSpec fields[] = {c.user, c.nice, c.system, c.idle};
            // user, nice, system, idle only grow; iowait may go backwards
            // (kernel/sched/cputime.c), so it is not bracketed.
            for (std::size_t f = 0; f < 4; ++f) {
                auto lo = psi::TimeSpec::from_ticks(before[i][f], hz), hi = psi::TimeSpec::from_ticks(after[i][f], hz);
                EXPECT_LE(lo, fields[f]) << "cpu row " << i << " field " << f;
                EXPECT_LE(fields[f], hi) << "cpu row " << i << " field " << f;
            }
        }
    }
    auto p = psi::cpu_percent(psi::cpu_times()[0], psi::cpu_times()[0]);
    EXPECT_GE(p.busy, 0);
    EXPECT_LE(p.busy, 100);
}

TEST(LiveSysFigures, PressureTotalsGrow) {
    if (!is_linux()) GTEST_SKIP() << "Linux figures";
    int err = 0;
    std::string before = psi_test::read_file("/proc/pressure/io", &err);
    std::error_code ec;
    psi::Pressure p = psi::System().pressure(ec);
    if (err != 0) {
        // No PSI in this kernel (ENOENT) or switched off (EOPNOTSUPP).
        EXPECT_TRUE(ec == psi::errc::attr_not_available || !p.io) << ec.message();
        return;
    }
    std::string after = psi_test::read_file("/proc/pressure/io");
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_TRUE(p.io);
    auto total = [](const std::string& text) {
        auto at = text.find("total=");
        return std::stoull(text.substr(at + 6));
    };
    const std::int64_t us = p.io->some.total.total_nanoseconds() / 1000;
    EXPECT_LE(total(before), static_cast<std::uint64_t>(us));
    EXPECT_LE(static_cast<std::uint64_t>(us), total(after));
    EXPECT_GE(p.io->some.avg10, 0);
    EXPECT_LE(p.io->some.avg10, 100);
}

int affinity_count() {
    cpu_set_t set;
    if (::sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(&set);
    int n = 0;
    for (std::size_t i = 0; i < sizeof set; ++i) n += __builtin_popcount(bytes[i]);
    return n;
}

TEST(LiveSysFigures, CgroupAgainstTheFiles) {
    if (!is_linux()) GTEST_SKIP() << "Linux figures";
    std::string self = psi_test::read_file("/proc/self/cgroup");
    std::string path;
    std::istringstream in(self);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("0::", 0) == 0) path = line.substr(3);
    std::error_code ec;
    psi::CgroupLimits l = psi::System().cgroup_limits(ec);
    const int aff = affinity_count();
    ASSERT_GT(aff, 0);
    if (path.empty()) {
        EXPECT_EQ(ec, psi::errc::attr_not_available);
        EXPECT_EQ(psi::effective_cpu_count(), aff);
        return;
    }
    if (ec) {
        // A path outside our namespace or a mount we cannot see.
        EXPECT_EQ(ec, psi::errc::attr_not_available) << ec.message();
        EXPECT_EQ(psi::effective_cpu_count(), aff);
        return;
    }
    EXPECT_EQ(l.path, path);
    const std::string dir = l.mount + (path == "/" ? "" : path);
    int err = 0;
    std::string cpu_max = psi_test::read_file(dir + "/cpu.max", &err);
    if (err == 0 && cpu_max.rfind("max", 0) != 0 && l.cpu_controller) {
        // Our own cgroup's limit is a bound on the tightest one.
        ASSERT_TRUE(l.cpu_max);
        std::istringstream cs(cpu_max);
        double quota = 0, period = 1;
        cs >> quota >> period;
        EXPECT_LE(static_cast<double>(l.cpu_max->quota) / static_cast<double>(l.cpu_max->period), quota / period);
    }
    std::string current = psi_test::read_file(dir + "/memory.current", &err);
    if (err == 0 && l.memory_controller) {
        ASSERT_TRUE(l.memory_current);
        EXPECT_GT(*l.memory_current, 0u);
    }
    const int expect = l.cpu_max ? std::min(aff, l.cpu_max->cpus()) : aff;
    EXPECT_EQ(psi::effective_cpu_count(), expect);
}

}  // namespace
