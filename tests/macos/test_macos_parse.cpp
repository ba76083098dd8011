// The macOS backend's pure decoders, on buffers built here from the
// documented layouts (sysctl(3) KERN_PROCARGS2: native int argc, exec path,
// NUL padding, argv, environ, empty string, apple strings; <sys/proc.h>
// p_stat values; mach_timebase_info(3) units; <sys/mount.h> MNT_* bits).
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "platform/macos/parse.hpp"

namespace {

using psi::ProcStatus;
using psi::TimeSpec;
namespace mac = psi::macos;

// A KERN_PROCARGS2 buffer: argc in native byte order, then the string area.
std::string procargs(std::int32_t argc, const std::string& strings) {
    std::string buf(sizeof argc, '\0');
    std::memcpy(buf.data(), &argc, sizeof argc);
    return buf + strings;
}

// Parses from a heap block of exactly buf.size() bytes, so that a read past
// the end is caught by AddressSanitizer (a std::string keeps a spare NUL).
std::optional<mac::ProcArgs> parse_exact(const std::string& buf) {
    std::unique_ptr<char[]> block(new char[buf.size() ? buf.size() : 1]);
    std::memcpy(block.get(), buf.data(), buf.size());
    return mac::parse_procargs2(std::string_view(block.get(), buf.size()));
}

using namespace std::string_literals;

const std::string kSleep = procargs(2, "/bin/sleep\0\0\0\0\0\0sleep\0" "10\0"
                                       "PATH=/usr/bin:/bin\0HOME=/Users/ann\0\0"
                                       "executable_path=/bin/sleep\0"s);

TEST(MacosStatus, EveryPStatValue) {
    EXPECT_EQ(mac::status_from_pstat(1), ProcStatus::idle);  // SIDL
    EXPECT_EQ(mac::status_from_pstat(2), ProcStatus::running);
    EXPECT_EQ(mac::status_from_pstat(3), ProcStatus::sleeping);
    EXPECT_EQ(mac::status_from_pstat(4), ProcStatus::stopped);
    EXPECT_EQ(mac::status_from_pstat(5), ProcStatus::zombie);
    EXPECT_EQ(std::string("IRSTZ"), std::string({mac::letter_from_pstat(1), mac::letter_from_pstat(2),
                                                  mac::letter_from_pstat(3), mac::letter_from_pstat(4),
                                                  mac::letter_from_pstat(5)}));
    for (int v : {0, 6, -1, 127}) {
        EXPECT_EQ(mac::status_from_pstat(v), ProcStatus::unknown) << v;
        EXPECT_EQ(mac::letter_from_pstat(v), '?') << v;
    }
}

TEST(MacosTime, StartTimeFromTimeval) {
    EXPECT_EQ(mac::start_time_from_timeval(1700000000, 250000), TimeSpec(1700000000, 250000000));
    // A damaged row's tv_usec (the kernel keeps it below 10^6) must not
    // overflow: only its sub-second part is used (found by the fuzzer).
    EXPECT_EQ(mac::start_time_from_timeval(7, 10'739'093'917'871'930), TimeSpec(7, 871'930'000));
    EXPECT_EQ(mac::start_ticks_from_timeval(1700000000, 250000), 1700000000250000ULL);
    EXPECT_EQ(mac::start_ticks_from_timeval(0, 999999), 999999ULL);
    EXPECT_EQ(mac::start_ticks_from_timeval(-1, 5), 0ULL);
}

TEST(MacosTime, MachTicksIntelIsNanoseconds) {
    EXPECT_EQ(mac::mach_ticks_to_timespec(0, 1, 1), TimeSpec(0, 0));
    EXPECT_EQ(mac::mach_ticks_to_timespec(1'500'000'007, 1, 1), TimeSpec(1, 500'000'007));
    EXPECT_EQ(mac::mach_ticks_to_timespec(UINT64_MAX, 1, 1),
              TimeSpec(static_cast<std::int64_t>(UINT64_MAX / 1'000'000'000), UINT64_MAX % 1'000'000'000));
}

TEST(MacosTime, MachTicksAppleSilicon) {
    // 24 MHz timebase: numer/denom = 125/3, one tick = 41.666... ns.
    EXPECT_EQ(mac::mach_ticks_to_timespec(24'000'000, 125, 3), TimeSpec(1, 0));
    EXPECT_EQ(mac::mach_ticks_to_timespec(1, 125, 3), TimeSpec(0, 41));
    EXPECT_EQ(mac::mach_ticks_to_timespec(3'000'000'001ULL, 125, 3), TimeSpec(125, 41));
    // Past 2^64 / 125 ticks a naive ticks * numer would overflow.
    EXPECT_EQ(mac::mach_ticks_to_timespec(300'000'000'000'000'000ULL, 125, 3), TimeSpec(12'500'000'000LL, 0));
}

TEST(MacosTime, MachTicksZeroTimebaseMeansIdentity) {
    EXPECT_EQ(mac::mach_ticks_to_timespec(42, 0, 0), TimeSpec(0, 42));
    EXPECT_EQ(mac::mach_ticks_to_timespec(42, 125, 0), TimeSpec(0, 42));
}

TEST(MacosProcargs, TypicalBuffer) {
    auto r = parse_exact(kSleep);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->complete);
    EXPECT_EQ(r->exec_path, "/bin/sleep");
    EXPECT_EQ(r->args, (std::vector<std::string>{"sleep", "10"}));
    psi::Environment want{{"PATH", "/usr/bin:/bin"}, {"HOME", "/Users/ann"}};
    EXPECT_EQ(r->env, want);  // the apple strings after the empty one are not environ
}

TEST(MacosProcargs, EmptyAndOddStrings) {
    // argv[1] empty is kept (argc counts it); env without '=' and with two.
    auto r = parse_exact(procargs(3, "/x\0\0a\0\0c d\0NOEQ\0K=V=W\0=lead\0"s));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->complete);
    EXPECT_EQ(r->args, (std::vector<std::string>{"a", "", "c d"}));
    psi::Environment want{{"NOEQ", ""}, {"K", "V=W"}, {"", "lead"}};
    EXPECT_EQ(r->env, want);
}

TEST(MacosProcargs, NoPaddingNoEnvironment) {
    auto r = parse_exact(procargs(1, "/bin/true\0true\0"s));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->complete);
    EXPECT_EQ(r->args, std::vector<std::string>{"true"});
    EXPECT_TRUE(r->env.empty());
}

TEST(MacosProcargs, ZeroArgc) {
    auto r = parse_exact(procargs(0, "/sbin/launchd\0\0\0A=1\0"s));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->args.empty());
    EXPECT_EQ(r->env, (psi::Environment{{"A", "1"}}));
}

TEST(MacosProcargs, TooShortOrNegative) {
    EXPECT_FALSE(parse_exact(""));
    EXPECT_FALSE(parse_exact("\x01\x00\x00"s));
    EXPECT_FALSE(parse_exact(procargs(-1, "/x\0a\0"s)));
    EXPECT_FALSE(parse_exact(procargs(INT32_MIN, "")));
}

TEST(MacosProcargs, ArgcOnly) {
    auto r = parse_exact(procargs(2, ""));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->complete);
    EXPECT_EQ(r->exec_path, "");
    EXPECT_TRUE(r->args.empty());
}

TEST(MacosProcargs, UnterminatedExecPath) {
    auto r = parse_exact(procargs(1, "/usr/bin/lo"));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->complete);
    EXPECT_EQ(r->exec_path, "/usr/bin/lo");
    EXPECT_TRUE(r->args.empty());
}

TEST(MacosProcargs, FewerStringsThanArgc) {
    auto r = parse_exact(procargs(5, "/bin/ls\0\0ls\0-l\0"s));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->complete);
    EXPECT_EQ(r->args, (std::vector<std::string>{"ls", "-l"}));
}

TEST(MacosProcargs, CutInsideAnArgument) {
    auto r = parse_exact(procargs(2, "/bin/ls\0ls\0/Us"s));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->complete);
    EXPECT_EQ(r->args, (std::vector<std::string>{"ls", "/Us"}));
}

TEST(MacosProcargs, CutInsideTheEnvironment) {
    auto r = parse_exact(procargs(1, "/bin/ls\0ls\0A=1\0B=2"s));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->complete);
    EXPECT_EQ(r->env, (psi::Environment{{"A", "1"}, {"B", "2"}}));
}

TEST(MacosProcargs, HugeArgcOnASmallBuffer) {
    auto r = parse_exact(procargs(INT32_MAX, "/x\0a\0b\0"s));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->complete);
    EXPECT_EQ(r->args, (std::vector<std::string>{"a", "b"}));
}

TEST(MacosProcargs, EveryPrefixOfAValidBuffer) {
    // Each cut yields a prefix of the full answer and never reads beyond it.
    auto full = parse_exact(kSleep);
    ASSERT_TRUE(full);
    for (std::size_t n = 0; n <= kSleep.size(); ++n) {
        auto r = parse_exact(kSleep.substr(0, n));
        if (n < 4) {
            EXPECT_FALSE(r) << n;
            continue;
        }
        ASSERT_TRUE(r) << n;
        EXPECT_EQ(full->exec_path.compare(0, r->exec_path.size(), r->exec_path), 0) << n;
        ASSERT_LE(r->args.size(), full->args.size()) << n;
        for (std::size_t i = 0; i < r->args.size(); ++i)
            EXPECT_EQ(full->args[i].compare(0, r->args[i].size(), r->args[i]), 0) << n;
        ASSERT_LE(r->env.size(), full->env.size()) << n;
    }
}

TEST(MacosProcargs, GarbageStaysWithinTheBuffer) {
    // Deterministic pseudo-random bytes (a 64-bit LCG): whatever they say,
    // the strings taken out can hold no more bytes than the buffer had.
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    for (int round = 0; round < 500; ++round) {
        std::size_t len = 4 + static_cast<std::size_t>(round % 97);
        std::string buf(len, '\0');
        for (char& c : buf) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned v = static_cast<unsigned>(state >> 56);
            c = static_cast<char>(v < 96 ? 0 : v);  // plenty of NULs
        }
        std::int32_t argc = round % 7;
        std::memcpy(buf.data(), &argc, sizeof argc);
        auto r = parse_exact(buf);
        ASSERT_TRUE(r) << round;
        std::size_t taken = r->exec_path.size();
        for (const auto& a : r->args) taken += a.size();
        for (const auto& [k, v] : r->env) taken += k.size() + v.size();
        EXPECT_LE(taken, len - 4) << round;
        EXPECT_LE(r->args.size(), static_cast<std::size_t>(argc)) << round;
    }
}

TEST(MacosFields, CField) {
    const char with_nul[8] = {'b', 'a', 's', 'h', '\0', 'x', 'y', 'z'};
    EXPECT_EQ(mac::c_field(with_nul, sizeof with_nul), "bash");
    const char full[4] = {'a', 'b', 'c', 'd'};  // MAXCOMLEN names need not end in NUL
    EXPECT_EQ(mac::c_field(full, sizeof full), "abcd");
}

TEST(MacosMounts, OptionsFromFlags) {
    EXPECT_EQ(mac::mount_options(0), "rw");
    // MNT_RDONLY | MNT_NOSUID | MNT_LOCAL | MNT_ROOTFS | MNT_JOURNALED
    EXPECT_EQ(mac::mount_options(0x1u | 0x8u | 0x1000u | 0x4000u | 0x800000u), "ro,nosuid,local,root,journaled");
    EXPECT_EQ(mac::mount_options(0x100000u | 0x10000000u), "rw,nobrowse,noatime");
}

TEST(MacosMounts, RemoteIsNotLocal) {
    EXPECT_FALSE(mac::is_remote(0x1000u));
    EXPECT_FALSE(mac::is_remote(0x1000u | 0x1u));
    EXPECT_TRUE(mac::is_remote(0));
    EXPECT_TRUE(mac::is_remote(0x1u));
}

TEST(MacosMounts, HostOfRemoteDevice) {
    EXPECT_EQ(mac::mount_host("server:/export/home"), "server");
    EXPECT_EQ(mac::mount_host("//ann@fileserver/share"), "fileserver");
    EXPECT_EQ(mac::mount_host("//u:pw@nas:445/x"), "nas");
    EXPECT_EQ(mac::mount_host("afp://host.local/Volume"), "host.local");
    EXPECT_EQ(mac::mount_host("/dev/disk1s1"), "");
    EXPECT_EQ(mac::mount_host("map auto_home"), "");
    EXPECT_EQ(mac::mount_host(""), "");
}

TEST(MacosArch, ReleaseNumbers) {
    EXPECT_EQ(mac::release_numbers("23.1.0"), (std::vector<int>{23, 1, 0}));
    EXPECT_EQ(mac::release_numbers("19.6.0-beta"), (std::vector<int>{19, 6, 0}));
    EXPECT_EQ(mac::release_numbers("x23"), std::vector<int>{});
    EXPECT_EQ(mac::release_numbers("99999999999.1"), (std::vector<int>{INT_MAX, 1}));
}

}  // namespace
