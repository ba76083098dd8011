// /proc/PID/smaps_rollup and /proc/PID/limits: fixtures captured on Linux
// 6.18 with their known values, then damage.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "depth_fixture.hpp"
#include "platform/linux/parse_limits.hpp"
#include "platform/linux/parse_smaps.hpp"

namespace {

using namespace psi::linux_proc;
using depth_test::fixture;
constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::size_t idx(std::string_view name) {
    for (std::size_t i = 0; i < kNumRlimits; ++i)
        if (kRlimitNames[i] == name) return i;
    ADD_FAILURE() << name;
    return 0;
}

// ---- smaps_rollup -----------------------------------------------------

TEST(DepthSmaps, CapturedRollup) {
    auto s = parse_smaps_rollup(fixture("smaps_rollup_self.txt"));
    ASSERT_TRUE(s.any);
    EXPECT_EQ(s.rss, 1708u * 1024);
    EXPECT_EQ(s.pss, 267u * 1024);
    EXPECT_EQ(s.pss_dirty, 112u * 1024);
    EXPECT_EQ(s.pss_anon, 112u * 1024);
    EXPECT_EQ(s.pss_file, 155u * 1024);
    EXPECT_EQ(s.pss_shmem, 0u);
    EXPECT_EQ(s.shared_clean, 1556u * 1024);
    EXPECT_EQ(s.shared_dirty, 0u);
    EXPECT_EQ(s.private_clean, 40u * 1024);
    EXPECT_EQ(s.private_dirty, 112u * 1024);
    EXPECT_EQ(s.referenced, 1708u * 1024);
    EXPECT_EQ(s.anonymous, 112u * 1024);
    EXPECT_EQ(s.private_hugetlb, 0u);
    EXPECT_EQ(s.swap, 0u);
    EXPECT_EQ(s.swap_pss, 0u);
    EXPECT_EQ(s.locked, 0u);
    EXPECT_EQ(s.uss(), (40u + 112u) * 1024);
    EXPECT_EQ(s.uss_procps(), (40u + 112u) * 1024);
}

TEST(DepthSmaps, UssCountsHugetlbLikePsutilNotLikeProcps) {
    auto s = parse_smaps_rollup("Private_Clean: 1 kB\nPrivate_Dirty: 2 kB\nPrivate_Hugetlb: 2048 kB\n");
    EXPECT_EQ(s.uss(), 2051u * 1024);
    EXPECT_EQ(s.uss_procps(), 3u * 1024);
    // Without Private_Hugetlb (an old kernel) it counts 0.
    EXPECT_EQ(parse_smaps_rollup("Private_Clean: 1 kB\nPrivate_Dirty: 2 kB\n").uss(), 3u * 1024);
    EXPECT_FALSE(parse_smaps_rollup("Private_Clean: 1 kB\n").uss());
}

TEST(DepthSmaps, OldKernelEmptyAndDamage) {
    // 4.14-5.6: no Pss_Anon/File/Shmem.
    auto old = parse_smaps_rollup("00400000-7fff0000 ---p 00000000 00:00 0 [rollup]\nRss: 10 kB\nPss: 5 kB\n");
    EXPECT_EQ(old.pss, 5u * 1024);
    EXPECT_FALSE(old.pss_anon);
    // Kernel thread or zombie: an empty file.
    auto none = parse_smaps_rollup("");
    EXPECT_FALSE(none.any);
    EXPECT_FALSE(none.uss());
    auto bad = parse_smaps_rollup("Rss: 18014398509481984 kB\nPss: x kB\nSwap: 3 MB\nSwapPss:\n");
    EXPECT_EQ(bad.rss, kMax);  // 2^54 kB overflows bytes: saturates
    EXPECT_FALSE(bad.pss);
    EXPECT_FALSE(bad.swap);
    EXPECT_FALSE(bad.swap_pss);
    // A header whose text holds "Rss:" is not a field line.
    EXPECT_FALSE(parse_smaps_rollup("0-1 ---p 0 00:00 0 Rss: 5 kB\n").rss);
}

// ---- limits -----------------------------------------------------------

TEST(DepthLimits, NamesFollowTheKernelNumbering) {
    // include/uapi/asm-generic/resource.h: RLIMIT_NOFILE 7, RLIMIT_AS 9,
    // RLIMIT_RTTIME 15.
    EXPECT_EQ(idx("cpu"), 0u);
    EXPECT_EQ(idx("nofile"), 7u);
    EXPECT_EQ(idx("as"), 9u);
    EXPECT_EQ(idx("rttime"), 15u);
}

TEST(DepthLimits, CapturedFile) {
    auto l = parse_limits(fixture("limits_self.txt"));
    for (std::size_t i = 0; i < kNumRlimits; ++i) EXPECT_TRUE(l[i]) << kRlimitNames[i];
    auto is = [&](std::string_view name, std::uint64_t soft, std::uint64_t hard) {
        auto v = l[idx(name)];
        ASSERT_TRUE(v) << name;
        EXPECT_EQ(v->soft, soft) << name;
        EXPECT_EQ(v->hard, hard) << name;
    };
    is("cpu", kRlimInfinity, kRlimInfinity);
    is("fsize", kRlimInfinity, kRlimInfinity);
    is("stack", 8388608, kRlimInfinity);
    is("core", 0, kRlimInfinity);
    is("nproc", 96365, 96365);
    is("nofile", 20000, 20000);
    is("memlock", 8388608, 8388608);
    is("as", kRlimInfinity, kRlimInfinity);
    is("locks", kRlimInfinity, kRlimInfinity);
    is("sigpending", 96365, 96365);
    is("msgqueue", 819200, 819200);
    is("nice", 0, 0);  // no units column
    is("rtprio", 0, 0);
    is("rttime", kRlimInfinity, kRlimInfinity);
}

TEST(DepthLimits, SimilarTitlesReorderedRowsAndDamage) {
    auto l = parse_limits("Max file locks            7                    unlimited            locks\n"
                          "Max file size             1                    2                    bytes\n"
                          "Max open files            -1                   5                    files\n"
                          "Max processes             18446744073709551616 5                    processes\n"
                          "Max nice priority         3\n"
                          "Max realtime prioritys    1                    1\n"
                          "Max cpu timeless          1                    1\n");
    ASSERT_TRUE(l[idx("locks")] && l[idx("fsize")]);
    EXPECT_EQ(l[idx("locks")]->soft, 7u);
    EXPECT_EQ(l[idx("locks")]->hard, kRlimInfinity);
    EXPECT_EQ(l[idx("fsize")]->soft, 1u);
    EXPECT_EQ(l[idx("fsize")]->hard, 2u);
    EXPECT_FALSE(l[idx("nofile")]);  // negative
    EXPECT_FALSE(l[idx("nproc")]);   // overflows
    EXPECT_FALSE(l[idx("nice")]);    // hard missing
    EXPECT_FALSE(l[idx("rtprio")]);  // a longer title is another row
    EXPECT_FALSE(l[idx("cpu")]);
    for (const auto& v : parse_limits("")) EXPECT_FALSE(v);
    for (const auto& v : parse_limits("Limit Soft Limit Hard Limit Units\n\xff\n")) EXPECT_FALSE(v);
}

}  // namespace
