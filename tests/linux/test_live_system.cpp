// System-wide facts against the libc/syscall view of the same facts.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

TEST(LiveSystem, ArchAgainstUnameAndSysconf) {
    utsname u{};
    ASSERT_EQ(::uname(&u), 0);
    psi::System sys;
    const psi::ArchInfo a = sys.arch();
    EXPECT_EQ(a.sysname, u.sysname);
    EXPECT_EQ(a.nodename, u.nodename);
    EXPECT_EQ(a.release, u.release);
    EXPECT_EQ(a.version, u.version);
    EXPECT_EQ(a.machine, u.machine);

    // The release's leading dot-separated numbers, e.g. "6.18.44-fc" -> 6 18 44.
    std::vector<int> nums;
    const std::string rel = u.release;
    std::size_t i = 0;
    while (i < rel.size() && rel[i] >= '0' && rel[i] <= '9') {
        int v = 0;
        while (i < rel.size() && rel[i] >= '0' && rel[i] <= '9') v = v * 10 + (rel[i++] - '0');
        nums.push_back(v);
        if (i < rel.size() && rel[i] == '.' && i + 1 < rel.size() && rel[i + 1] >= '0' && rel[i + 1] <= '9') ++i;
        else break;
    }
    EXPECT_EQ(a.release_info, nums);

    EXPECT_EQ(a.cpu_count, ::sysconf(_SC_NPROCESSORS_ONLN));
    if (a.physical_cpu_count) {
        EXPECT_GE(*a.physical_cpu_count, 1);
        EXPECT_LE(*a.physical_cpu_count, ::sysconf(_SC_NPROCESSORS_CONF));
    }
    EXPECT_EQ(a.page_size, ::sysconf(_SC_PAGESIZE));
    EXPECT_EQ(a.clock_ticks, ::sysconf(_SC_CLK_TCK));
    struct sysinfo si{};
    ASSERT_EQ(::sysinfo(&si), 0);
    EXPECT_EQ(a.total_memory, static_cast<std::uint64_t>(si.totalram) * si.mem_unit);
    EXPECT_EQ(a.bits, static_cast<int>(sizeof(void*) * 8));
    // The free function agrees with the member.
    EXPECT_EQ(psi::arch().machine, a.machine);
}

TEST(LiveSystem, LoadavgAgainstGetloadavg) {
    // glibc's getloadavg(3) takes the kernel's fixed-point averages from
    // sysinfo(2), and so does psi for the live /proc: the values must be
    // equal, not merely close (/proc/loadavg's two decimals would differ).
    // The kernel updates the averages every 5 s and an update can fall
    // between the two reads: retry until one pair is taken inside the same
    // period.
    psi::System sys;
    bool matched = false;
    psi::LoadAvg mine;
    double theirs[3] = {};
    auto near = [](double a, double b) { return a == b; };
    for (int attempt = 0; attempt < 20 && !matched; ++attempt) {
        mine = sys.loadavg();
        ASSERT_EQ(::getloadavg(theirs, 3), 3);
        matched = near(mine.one, theirs[0]) && near(mine.five, theirs[1]) && near(mine.fifteen, theirs[2]);
    }
    EXPECT_TRUE(matched) << mine.one << " " << mine.five << " " << mine.fifteen << " vs " << theirs[0] << " "
                         << theirs[1] << " " << theirs[2];
    EXPECT_GE(mine.one, 0.0);
}

std::int64_t proc_stat_btime() {
    std::istringstream in(psi_test::read_file("/proc/stat"));
    std::string key;
    std::int64_t v = 0;
    while (in >> key) {
        if (key == "btime" && (in >> v)) return v;
        in.ignore(1 << 20, '\n');
    }
    return -1;
}

TEST(LiveSystem, BootTimeAgainstBtime) {
    psi::System sys;
    const psi::TimeSpec boot = sys.boot_time();
    const std::int64_t btime = proc_stat_btime();
    ASSERT_GT(btime, 0);
    // btime is the boot instant in whole seconds (SPEC 4): within 1 s.
    EXPECT_LE(std::llabs(boot.total_nanoseconds() - btime * 1'000'000'000LL), 1'000'000'000LL)
        << boot.tv_sec << "." << boot.tv_nsec << " vs btime " << btime;
    EXPECT_LT(std::llabs((psi::boot_time() - boot).total_nanoseconds()), 5'000'000LL) << "free function";
    // The same System keeps one boot instant.
    EXPECT_EQ(sys.boot_time(), boot);
}

TEST(LiveSystem, UptimeAgainstBoottimeClock) {
    psi::System sys;
    const psi::TimeSpec before = psi_test::clock_now(CLOCK_BOOTTIME);
    const psi::TimeSpec up = sys.uptime();
    const psi::TimeSpec after = psi_test::clock_now(CLOCK_BOOTTIME);
    // /proc/uptime has centisecond resolution, so allow 10 ms below.
    EXPECT_GE(up, before - psi::TimeSpec(0, 10'000'000));
    EXPECT_LE(up, after);
    // boot + uptime is "now" (to the same resolution plus the btime caveat).
    const psi::TimeSpec now = psi::now();
    const psi::TimeSpec real = psi_test::clock_now(CLOCK_REALTIME);
    EXPECT_LE(now, real);
    EXPECT_LT(std::llabs((sys.boot_time() + up - real).total_nanoseconds()), 1'000'000'000LL);
}

TEST(LiveSystem, MountsRootAgainstStatvfs) {
    psi::System sys;
    // "/" can be listed more than once (rootfs under the real root); the
    // last entry is the one on top, the one statvfs("/") sees.
    bool matched = false;
    std::string detail;
    for (int attempt = 0; attempt < 10 && !matched; ++attempt) {
        struct statvfs s1{}, s2{};
        ASSERT_EQ(::statvfs("/", &s1), 0);
        const std::vector<psi::MountInfo> m = sys.mounts();
        ASSERT_EQ(::statvfs("/", &s2), 0);
        const psi::MountInfo* root = nullptr;
        for (const auto& e : m)
            if (e.mountpoint == "/") root = &e;
        ASSERT_NE(root, nullptr) << "\"/\" missing from mounts()";
        EXPECT_FALSE(root->fstype.empty());
        EXPECT_FALSE(root->device.empty());
        EXPECT_FALSE(root->remote);
        ASSERT_TRUE(root->total.ok());
        const std::uint64_t f = s1.f_frsize;
        // Sizes are bytes: blocks times the fragment size (statvfs(3)).
        EXPECT_EQ(root->total.value(), s1.f_blocks * f);
        EXPECT_EQ(root->inodes.value("inodes"), s1.f_files);
        // Free space moves while other programs write; only a pair of
        // identical statvfs readings pins it down.
        if (s1.f_bfree != s2.f_bfree || s1.f_bavail != s2.f_bavail || s1.f_ffree != s2.f_ffree) continue;
        matched = root->free.value("free") == s1.f_bfree * f && root->available.value("available") == s1.f_bavail * f &&
                  root->free_inodes.value("free_inodes") == s1.f_ffree &&
                  root->available_inodes.value("available_inodes") == s1.f_favail;
        detail = std::to_string(root->free.value()) + " vs " + std::to_string(s1.f_bfree * f);
    }
    EXPECT_TRUE(matched) << detail;
}

TEST(LiveSystem, MountsRemoteIsSuperset) {
    psi::System sys;
    const auto local = sys.mounts(false);
    const auto all = sys.mounts(true);
    EXPECT_GE(all.size(), local.size());
    for (const auto& m : local) {
        EXPECT_FALSE(m.remote) << m.mountpoint;
        EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&](const psi::MountInfo& a) {
            return a.mountpoint == m.mountpoint && a.device == m.device;
        })) << m.mountpoint;
    }
}

}  // namespace
