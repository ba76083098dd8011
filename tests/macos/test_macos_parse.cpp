// The macOS backend's pure decoders, on buffers built here from the
// documented layouts (sysctl(3) KERN_PROCARGS2: native int argc, exec path,
// NUL padding, argv, environ, empty string, apple strings; <sys/proc.h>
// p_stat values and <mach/thread_info.h> thread run states;
// mach_timebase_info(3) units and hw.tbfrequency; <sys/proc_info.h>
// pbi_name; <sys/mount.h> MNT_* bits).
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
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

// XNU keeps p_stat at SRUN (2) for every live process; the threads'
// pth_run_state (TH_STATE_RUNNING 1, STOPPED 2, WAITING 3,
// UNINTERRUPTIBLE 4, HALTED 5) say what it is doing.
constexpr int kSRun = 2;
using States = std::optional<std::vector<int>>;
mac::State st(ProcStatus s, char c) { return mac::State{s, c}; }

TEST(MacosStatus, PStatAloneDecidesOnlyIdleZombieStopped) {
    for (const States& threads : {States{}, States{std::vector<int>{1}}, States{std::vector<int>{3}}}) {
        EXPECT_EQ(mac::process_state(1, threads), st(ProcStatus::idle, 'I'));  // SIDL
        EXPECT_EQ(mac::process_state(5, threads), st(ProcStatus::zombie, 'Z'));
        EXPECT_EQ(mac::process_state(4, threads), st(ProcStatus::stopped, 'T'));
        EXPECT_EQ(mac::process_state(3, threads), st(ProcStatus::sleeping, 'S'));  // SSLEEP, never set by XNU
        for (int v : {0, 6, -1, 127}) EXPECT_EQ(mac::process_state(v, threads), st(ProcStatus::unknown, '?')) << v;
    }
}

TEST(MacosStatus, SrunIsDecidedByTheMostActiveThread) {
    // A shell waiting for input: every thread waits. p_stat says SRUN.
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{3, 3, 3}), st(ProcStatus::sleeping, 'S'));
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{3, 1, 3}), st(ProcStatus::running, 'R'));
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{3, 4}), st(ProcStatus::disk_sleep, 'U'));
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{4, 1}), st(ProcStatus::running, 'R'));
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{2, 3}), st(ProcStatus::sleeping, 'S'));
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{2, 2}), st(ProcStatus::stopped, 'T'));
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{5, 2}), st(ProcStatus::stopped, 'T'));
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{5}), st(ProcStatus::dead, 'X'));
    // Unknown run states are ignored, not taken for running.
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{0, 99, -1, 3}), st(ProcStatus::sleeping, 'S'));
}

TEST(MacosStatus, SrunWithoutThreadsIsNotRunning) {
    // Threads refused (another user's process, no root): nothing to say.
    EXPECT_EQ(mac::process_state(kSRun, std::nullopt), std::nullopt);
    // No thread with a known state (none listed, or garbage).
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{}), std::nullopt);
    EXPECT_EQ(mac::process_state(kSRun, std::vector<int>{0, 6, 42}), std::nullopt);
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

TEST(MacosTime, CpuTimeTimebasePrefersTbfrequency) {
    // Apple silicon, native arm64: hw.tbfrequency 24 MHz, mach 125/3.
    EXPECT_EQ(mac::cpu_time_timebase(24'000'000, 125, 3), (mac::Timebase{125, 3}));
    // x86_64 under Rosetta 2: mach_timebase_info is translated to 1/1, the
    // task times are still 24 MHz ticks. One second of CPU is 24e6 ticks.
    const mac::Timebase rosetta = mac::cpu_time_timebase(24'000'000, 1, 1);
    EXPECT_EQ(rosetta, (mac::Timebase{125, 3}));
    EXPECT_EQ(mac::mach_ticks_to_timespec(24'000'000, rosetta.numer, rosetta.denom), TimeSpec(1, 0));
    EXPECT_EQ(mac::mach_ticks_to_timespec(36'000'000, rosetta.numer, rosetta.denom), TimeSpec(1, 500'000'000));
    // (What 1/1 would have said: 41.67 times too little.)
    EXPECT_EQ(mac::mach_ticks_to_timespec(24'000'000, 1, 1), TimeSpec(0, 24'000'000));
    // Intel: tbfrequency 10^9, nanoseconds.
    EXPECT_EQ(mac::cpu_time_timebase(1'000'000'000, 1, 1), (mac::Timebase{1, 1}));
    // Other rates reduce exactly: 19.2 MHz -> 625/12; 3 GHz -> 1/3.
    EXPECT_EQ(mac::cpu_time_timebase(19'200'000, 1, 1), (mac::Timebase{625, 12}));
    EXPECT_EQ(mac::cpu_time_timebase(3'000'000'000ULL, 1, 1), (mac::Timebase{1, 3}));
}

TEST(MacosTime, CpuTimeTimebaseFallsBack) {
    // No hw.tbfrequency: mach_timebase_info; a failed one too: 1/1.
    EXPECT_EQ(mac::cpu_time_timebase(0, 125, 3), (mac::Timebase{125, 3}));
    EXPECT_EQ(mac::cpu_time_timebase(0, 0, 0), (mac::Timebase{1, 1}));
    EXPECT_EQ(mac::cpu_time_timebase(0, 5, 0), (mac::Timebase{1, 1}));
    // A rate whose ratio does not fit 32 bits (a prime above 2^32).
    EXPECT_EQ(mac::cpu_time_timebase(4'294'967'311ULL, 125, 3), (mac::Timebase{125, 3}));
    EXPECT_EQ(mac::cpu_time_timebase(UINT64_MAX, 1, 1), (mac::Timebase{1, 1}));
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

TEST(MacosProcargs, EmptyEnvironmentIsNotWithheld) {
    // env -i /bin/true: environ is just its terminating empty string; the
    // apple strings exec adds still follow.
    auto r = parse_exact(procargs(1, "/bin/true\0\0\0true\0\0executable_path=/bin/true\0ptr_munge=\0"s));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->complete);
    EXPECT_EQ(r->args, std::vector<std::string>{"true"});
    EXPECT_TRUE(r->env.empty());
    EXPECT_FALSE(r->env_withheld);
}

// A SIP-restricted target read by an unentitled caller: XNU cuts the
// buffer after argv[argc-1], so no environ and no apple strings follow,
// only nothing or NULs (to the end of the returned length).
TEST(MacosProcargs, EnvironmentWithheldAfterArgv) {
    const std::string head = "/usr/libexec/secd\0\0\0\0\0\0\0secd\0--daemon\0"s;
    for (const std::string& tail : {""s, "\0"s, std::string(64, '\0')}) {
        auto r = parse_exact(procargs(2, head + tail));
        ASSERT_TRUE(r) << tail.size();
        EXPECT_TRUE(r->complete);
        EXPECT_EQ(r->exec_path, "/usr/libexec/secd");
        EXPECT_EQ(r->args, (std::vector<std::string>{"secd", "--daemon"}));
        EXPECT_TRUE(r->env.empty());
        EXPECT_TRUE(r->env_withheld) << tail.size();
    }
    // The same process read by its owner: environ, then the apple strings.
    auto full = parse_exact(procargs(2, head + "LANG=C\0\0executable_path=/usr/libexec/secd\0"s));
    ASSERT_TRUE(full);
    EXPECT_FALSE(full->env_withheld);
    EXPECT_EQ(full->env, (psi::Environment{{"LANG", "C"}}));
    // argc 0 cut after (no) argv.
    auto none = parse_exact(procargs(0, "/sbin/launchd\0\0\0\0"s));
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->env_withheld);
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

TEST(MacosFields, LongProcessName) {
    // pbi_name holds 2 * MAXCOMLEN = 32 bytes, p_comm MAXCOMLEN = 16, both
    // without a NUL when full.
    char pbi_name[32];
    std::memcpy(pbi_name, "com.apple.WebKit.WebContent.Xpc!", 32);
    char comm[16];
    std::memcpy(comm, "com.apple.WebKit", 16);
    EXPECT_EQ(mac::process_name(mac::c_field(pbi_name, sizeof pbi_name), mac::c_field(comm, sizeof comm)),
              "com.apple.WebKit.WebContent.Xpc!");
    char shorter[32] = "Google Chrome Helper (Renderer)";
    char cut[16];
    std::memcpy(cut, "Google Chrome He", 16);
    EXPECT_EQ(mac::process_name(mac::c_field(shorter, sizeof shorter), mac::c_field(cut, sizeof cut)),
              "Google Chrome Helper (Renderer)");
    // No long name (task info refused, or none registered): p_comm.
    char empty[32] = {};
    EXPECT_EQ(mac::process_name(mac::c_field(empty, sizeof empty), mac::c_field(cut, sizeof cut)), "Google Chrome He");
    EXPECT_EQ(mac::process_name({}, "bash"), "bash");
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

// Mount hosts and release numbers are shared: tests/cpp/test_posix_parse.cpp.

TEST(MacosSched, MachPolicies) {
    // <mach/policy.h>: POLICY_TIMESHARE 1, POLICY_RR 2, POLICY_FIFO 4.
    EXPECT_EQ(mac::policy_from_mach(1), psi::SchedPolicy::other);
    EXPECT_EQ(mac::policy_from_mach(2), psi::SchedPolicy::rr);
    EXPECT_EQ(mac::policy_from_mach(4), psi::SchedPolicy::fifo);
    for (int v : {0, 3, 5, 8, -1, INT_MAX}) EXPECT_EQ(mac::policy_from_mach(v), psi::SchedPolicy::unknown) << v;
}

}  // namespace
