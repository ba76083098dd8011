// /proc/PID/io, fdinfo, status extras and stat fields 10-13, 16-17, 26-27:
// fixtures captured on Linux 6.18 with their known values, then damage.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "depth_fixture.hpp"
#include "platform/linux/parse.hpp"
#include "platform/linux/parse_io.hpp"
#include "platform/linux/parse_status_ext.hpp"

namespace {

using namespace psi::linux_proc;
using depth_test::fixture;
constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// ---- io ---------------------------------------------------------------

TEST(DepthIo, CapturedFile) {
    auto io = parse_io(fixture("io_self.txt"));
    ASSERT_TRUE(io.complete());
    EXPECT_EQ(*io.rchar, 6976u);
    EXPECT_EQ(*io.wchar, 0u);
    EXPECT_EQ(*io.syscr, 10u);
    EXPECT_EQ(*io.syscw, 0u);
    EXPECT_EQ(*io.read_bytes, 0u);
    EXPECT_EQ(*io.write_bytes, 0u);
    EXPECT_EQ(*io.cancelled_write_bytes, 0u);
}

TEST(DepthIo, MaxValueAndOverflow) {
    auto io = parse_io("rchar: 18446744073709551615\nwchar: 18446744073709551616\nsyscr: -1\nsyscw: 12x\n");
    EXPECT_EQ(io.rchar, kMax);
    EXPECT_FALSE(io.wchar);  // one past UINT64_MAX fails the field, never wraps
    EXPECT_FALSE(io.syscr);
    EXPECT_FALSE(io.syscw);
    EXPECT_FALSE(io.complete());
}

TEST(DepthIo, TruncatedEmptyAndGarbage) {
    auto io = parse_io("rchar: 5\nwchar: 7\nsys");
    EXPECT_EQ(io.rchar, 5u);
    EXPECT_EQ(io.wchar, 7u);
    EXPECT_FALSE(io.syscr);
    EXPECT_FALSE(parse_io("").complete());
    EXPECT_FALSE(parse_io("\n\n::::\n\xff\xfe").rchar);
    // A repeated key keeps its first value; unknown keys are skipped.
    auto twice = parse_io("rchar: 1\nfuture_key: 9\nrchar: 2\n");
    EXPECT_EQ(twice.rchar, 1u);
}

// ---- fdinfo -----------------------------------------------------------

TEST(DepthFdinfo, CapturedFile) {
    auto fi = parse_fdinfo(fixture("fdinfo_stdin.txt"));
    EXPECT_EQ(fi.pos, 0);
    EXPECT_EQ(fi.flags, 0100000u);  // O_LARGEFILE, O_RDONLY
    EXPECT_EQ(fi.mnt_id, 24);
    EXPECT_EQ(fi.ino, 3u);
    EXPECT_STREQ(fd_mode_from_flags(*fi.flags), "r");
}

TEST(DepthFdinfo, SpecialFileLinesAndDamage) {
    // An eventfd's extra lines follow; "flags" is octal, 8 and 9 are not.
    auto fi = parse_fdinfo("pos:\t12\nflags:\t02006002\nmnt_id:\t15\nino:\t1057\neventfd-count:\t0\neventfd-id: 3\n");
    EXPECT_EQ(fi.pos, 12);
    EXPECT_EQ(fi.flags, 02006002u);
    EXPECT_STREQ(fd_mode_from_flags(*fi.flags), "a+");  // O_RDWR | O_APPEND (| O_NONBLOCK)
    EXPECT_FALSE(parse_fdinfo("flags:\t0109\n").flags);
    EXPECT_FALSE(parse_fdinfo("mnt_id:\t-4\n").mnt_id);
    EXPECT_FALSE(parse_fdinfo("mnt_id:\t99999999999\n").mnt_id);
    auto old = parse_fdinfo("pos:\t-1\nflags:\t01\n");  // pre-5.14: no ino
    EXPECT_EQ(old.pos, -1);
    EXPECT_FALSE(old.ino);
    EXPECT_STREQ(fd_mode_from_flags(01), "w");
    EXPECT_STREQ(fd_mode_from_flags(02001), "a");
    EXPECT_STREQ(fd_mode_from_flags(02), "r+");
    EXPECT_EQ(fd_mode_from_flags(03), nullptr);
}

// ---- status -----------------------------------------------------------

TEST(DepthStatus, CapturedGroupsSignalsAndIds) {
    // A python3 that set groups 4 24 27 1000, resgid(0,5,6), resuid(0,1000,
    // 2000), a SIGUSR1 handler, SIGHUP ignored, SIGUSR2+SIGTERM blocked and
    // a SIGUSR2 sent to itself (pending process-wide).
    const std::string text = fixture("status_groups_signals.txt");  // cpus_allowed_list points into it
    auto st = parse_status_ext(text);
    ASSERT_TRUE(st.uid && st.gid && st.groups);
    EXPECT_EQ(*st.uid, (std::array<std::uint32_t, 4>{0, 1000, 2000, 1000}));  // fsuid follows euid
    EXPECT_EQ(*st.gid, (std::array<std::uint32_t, 4>{0, 5, 6, 5}));
    EXPECT_EQ(*st.groups, (std::vector<std::uint32_t>{4, 24, 27, 1000}));
    EXPECT_EQ(st.sig_pnd, 0u);
    EXPECT_EQ(st.shd_pnd, 1u << (12 - 1));                       // SIGUSR2 = 12
    EXPECT_EQ(st.sig_blk, (1u << (12 - 1)) | (1u << (15 - 1)));  // + SIGTERM = 15
    EXPECT_EQ(st.sig_ign, 0x1001001u);  // SIGHUP, and python's SIGPIPE and SIGXFSZ
    EXPECT_EQ(st.sig_cgt, 0x202u);      // SIGINT (python's) and SIGUSR1 = 10
    EXPECT_EQ(st.ns_pid, 19721);
    EXPECT_EQ(st.ns_depth, 1);
    EXPECT_EQ(st.cpus_allowed_list, "0-1");
    EXPECT_EQ(st.vm_peak, 16564u * 1024);
    EXPECT_EQ(st.vm_size, 16564u * 1024);
    EXPECT_EQ(st.vm_lck, 0u);
    EXPECT_EQ(st.vm_hwm, 13640u * 1024);
    EXPECT_EQ(st.vm_rss, 13640u * 1024);
    EXPECT_EQ(st.rss_anon, 6916u * 1024);
    EXPECT_EQ(st.rss_file, 6724u * 1024);
    EXPECT_EQ(st.rss_shmem, 0u);
    EXPECT_EQ(st.vm_data, 7944u * 1024);
    EXPECT_EQ(st.vm_stk, 132u * 1024);
    EXPECT_EQ(st.vm_exe, 4u * 1024);
    EXPECT_EQ(st.vm_lib, 4672u * 1024);
    EXPECT_EQ(st.vm_pte, 80u * 1024);
    EXPECT_EQ(st.vm_swap, 0u);
    EXPECT_EQ(st.voluntary_ctxt_switches, 22u);
    EXPECT_EQ(st.nonvoluntary_ctxt_switches, 10u);
}

TEST(DepthStatus, CapturedPid1) {
    auto st = parse_status_ext(fixture("status_pid1.txt"));
    ASSERT_TRUE(st.groups);
    EXPECT_TRUE(st.groups->empty());  // "Groups:\t \n"
    EXPECT_EQ(st.vm_lck, 45524u * 1024);
    EXPECT_EQ(st.rss_shmem, 6396u * 1024);
    EXPECT_EQ(st.sig_cgt, 0x4e8u);
    EXPECT_EQ(st.voluntary_ctxt_switches, 523u);
    EXPECT_EQ(st.nonvoluntary_ctxt_switches, 142u);
}

TEST(DepthStatus, SupersetOfParseStatus) {
    // What parse_status (the default table's reader) gives, parse_status_ext
    // gives too, so the status group may switch to it.
    for (const char* name : {"status_self.txt", "status_pid1.txt", "status_kthread.txt", "status_groups_signals.txt"}) {
        const std::string text = fixture(name);
        StatusFields old = parse_status(text);
        StatusExt ext = parse_status_ext(text);
        EXPECT_EQ(old.have_uid, ext.uid.has_value()) << name;
        EXPECT_EQ(old.have_gid, ext.gid.has_value()) << name;
        EXPECT_EQ(old.have_rss, ext.vm_rss.has_value()) << name;
        EXPECT_EQ(old.have_locked, ext.vm_lck.has_value()) << name;
        if (ext.uid) {
            EXPECT_TRUE(old.ruid == (*ext.uid)[0] && old.euid == (*ext.uid)[1]) << name;
        }
        if (ext.gid) {
            EXPECT_TRUE(old.rgid == (*ext.gid)[0] && old.egid == (*ext.gid)[1]) << name;
        }
        if (ext.vm_rss) {
            EXPECT_EQ(old.rss_kb * 1024, *ext.vm_rss) << name;
        }
        if (ext.vm_lck) {
            EXPECT_EQ(old.locked_kb * 1024, *ext.vm_lck) << name;
        }
    }
}

TEST(DepthStatus, KernelThreadHasNoMemoryLines) {
    auto st = parse_status_ext(fixture("status_kthread.txt"));
    EXPECT_FALSE(st.vm_rss);
    EXPECT_FALSE(st.vm_peak);
    EXPECT_FALSE(st.rss_anon);
    EXPECT_FALSE(st.vm_swap);
    EXPECT_EQ(st.sig_ign, kMax);  // ffffffffffffffff
    EXPECT_EQ(st.ns_pid, 2);
    EXPECT_EQ(st.voluntary_ctxt_switches, 144u);
}

TEST(DepthStatus, NestedPidNamespaceAndWideMasks) {
    auto st = parse_status_ext("NSpid:\t4242\t17\t1\nSigBlk:\t00000000000000000000000000000001\n"
                               "SigCgt:\t10000000000000000000000000000000\nShdPnd:\t\n");
    EXPECT_EQ(st.ns_pid, 1);  // innermost
    EXPECT_EQ(st.ns_depth, 3);
    EXPECT_EQ(st.sig_blk, 1u);  // MIPS width, fits in 64 bits
    EXPECT_FALSE(st.sig_cgt);   // signal 128: does not fit
    EXPECT_FALSE(st.shd_pnd);
}

TEST(DepthStatus, DamageFailsOnlyItsField) {
    auto st = parse_status_ext("Uid:\t1\t2\t3\nGid:\t1\t2\t3\t4\t5\nGroups:\t1 x 3\nVmHWM:\t18446744073709551615 kB\n"
                               "VmRSS:\t12 MB\nVmPeak:\t7\nNSpid:\t12\t-1\nvoluntary_ctxt_switches:\t99999999999999999999\n"
                               "nonvoluntary_ctxt_switches:\t3\nSigIgn:\tzz\n");
    EXPECT_FALSE(st.uid);     // three ids
    EXPECT_FALSE(st.gid);     // five ids
    EXPECT_FALSE(st.groups);  // not a number
    EXPECT_EQ(st.vm_hwm, kMax);    // kB -> bytes saturates
    EXPECT_FALSE(st.vm_rss);       // not kB
    EXPECT_EQ(st.vm_peak, 7u * 1024);  // unit missing: still kB
    EXPECT_FALSE(st.ns_pid);
    EXPECT_FALSE(st.voluntary_ctxt_switches);
    EXPECT_EQ(st.nonvoluntary_ctxt_switches, 3u);
    EXPECT_FALSE(st.sig_ign);
    auto empty = parse_status_ext("");
    EXPECT_FALSE(empty.uid || empty.groups || empty.vm_rss || empty.cpus_allowed_list);
    // A cut read: the last line without its newline still counts when whole.
    EXPECT_EQ(parse_status_ext("VmSwap:\t   12 kB").vm_swap, 12u * 1024);
    EXPECT_FALSE(parse_status_ext("Uid:\t0\t0\t0").uid);
}

TEST(DepthStatus, TooManyGroupsFailsTheLine) {
    std::string line = "Groups:\t";
    for (std::size_t i = 0; i <= kMaxGroups; ++i) line += "7 ";
    EXPECT_FALSE(parse_status_ext(line + "\n").groups);
}

// ---- cpu lists --------------------------------------------------------

TEST(DepthCpuList, Ranges) {
    EXPECT_EQ(parse_cpu_list("0-3,8,10-11"), (std::vector<int>{0, 1, 2, 3, 8, 10, 11}));
    EXPECT_EQ(parse_cpu_list("0-1\n"), (std::vector<int>{0, 1}));
    EXPECT_EQ(parse_cpu_list("5"), (std::vector<int>{5}));
    EXPECT_EQ(parse_cpu_list(""), (std::vector<int>{}));
    for (const char* bad : {"3-1", "1,1", "2,1", "0-", "-1", "a", "1,,2", "1,", "0-3:1/2", "99999999999"})
        EXPECT_FALSE(parse_cpu_list(bad)) << bad;
    EXPECT_EQ(parse_cpu_list("0-65535")->size(), 65536u);
    EXPECT_FALSE(parse_cpu_list("0-65536"));  // bounded: more than kMaxCpuListEntries
    EXPECT_FALSE(parse_cpu_list("0-2147483647"));
}

// ---- stat extras ------------------------------------------------------

TEST(DepthStat, CapturedLines) {
    auto self = parse_stat_extra(fixture("stat_self.txt"));
    ASSERT_TRUE(self);
    EXPECT_EQ(self->fields, 27);
    EXPECT_EQ(self->minflt, 113u);
    EXPECT_EQ(self->cminflt, 0u);
    EXPECT_EQ(self->majflt, 0u);
    EXPECT_EQ(self->cmajflt, 0u);
    EXPECT_EQ(self->cutime, 0u);
    EXPECT_EQ(self->cstime, 0u);
    EXPECT_EQ(self->startcode, 93854593871872u);
    EXPECT_EQ(self->endcode, 93854593891753u);
    // pid 1, not ptrace-readable here: startcode and endcode read as 1.
    auto init = parse_stat_extra(fixture("stat_pid1.txt"));
    ASSERT_TRUE(init);
    EXPECT_EQ(init->minflt, 129412u);
    EXPECT_EQ(init->cminflt, 310227235u);
    EXPECT_EQ(init->majflt, 0u);
    EXPECT_EQ(init->cmajflt, 6736u);
    EXPECT_EQ(init->cutime, 1293580u);
    EXPECT_EQ(init->cstime, 251252u);
    EXPECT_EQ(init->startcode, 1u);
    EXPECT_EQ(init->endcode, 1u);
}

TEST(DepthStat, OddNamesShortLinesAndDamage) {
    auto odd = parse_stat_extra("7 (a) b) (c) S 1 1 1 0 -1 0 11 12 13 14 0 0 15 16\n");
    ASSERT_TRUE(odd);
    EXPECT_EQ(odd->minflt, 11u);
    EXPECT_EQ(odd->cmajflt, 14u);
    EXPECT_EQ(odd->cstime, 16u);
    EXPECT_EQ(odd->fields, 17);
    EXPECT_FALSE(odd->startcode);  // past the end
    auto bad = parse_stat_extra("7 (x) S 1 1 1 0 -1 0 -5 18446744073709551616 3 4 0 0 5 6");
    ASSERT_TRUE(bad);
    EXPECT_FALSE(bad->minflt);
    EXPECT_FALSE(bad->cminflt);
    EXPECT_EQ(bad->majflt, 3u);
    EXPECT_FALSE(parse_stat_extra(""));
    EXPECT_FALSE(parse_stat_extra("x (y) S"));
    EXPECT_FALSE(parse_stat_extra("7 (y) SS 1"));
    EXPECT_FALSE(parse_stat_extra("7 )y( S 1"));
    EXPECT_EQ(parse_stat_extra("7 (y) S")->fields, 3);
}

}  // namespace
