// The io, fds, smaps, oom and limits groups (issue 12) on fixture proc
// trees with known answers: each value from its file, the not-available
// cases (a missing file, an empty smaps_rollup of a process without mm, a
// damaged file) and the insufficient-privileges case (EACCES on io, made
// with a mode-0000 file when not running as root).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using psi::AttrStatus;
using psi::Group;
using psi_test::open_fixture;
using psi_test::ProcFixture;
using psi_test::StatFields;

constexpr const char* kIo =
    "rchar: 323934931\nwchar: 323929600\nsyscr: 632687\nsyscw: 632675\n"
    "read_bytes: 4096\nwrite_bytes: 323932160\ncancelled_write_bytes: 12288\n";

// A smaps_rollup as Linux 6.x writes it (the header line, then kB sums).
constexpr const char* kRollup =
    "55d1b0e5e000-7ffd4b3fe000 ---p 00000000 00:00 0                          [rollup]\n"
    "Rss:                3456 kB\nPss:                1234 kB\nPss_Dirty:           600 kB\n"
    "Pss_Anon:            500 kB\nPss_File:            734 kB\nPss_Shmem:             0 kB\n"
    "Shared_Clean:       2000 kB\nShared_Dirty:          0 kB\nPrivate_Clean:       100 kB\n"
    "Private_Dirty:       656 kB\nReferenced:         3456 kB\nAnonymous:           600 kB\n"
    "KSM:                   0 kB\nLazyFree:              0 kB\nAnonHugePages:         0 kB\n"
    "ShmemPmdMapped:        0 kB\nFilePmdMapped:         0 kB\nShared_Hugetlb:        0 kB\n"
    "Private_Hugetlb:    2048 kB\nSwap:                  8 kB\nSwapPss:               4 kB\n"
    "Locked:                0 kB\n";

// fs/proc/base.c proc_pid_limits: "%-25s %-20s %-20s %-10s\n".
std::string limits_file() {
    auto row = [](const char* title, const char* soft, const char* hard, const char* unit) {
        char line[128];
        std::snprintf(line, sizeof line, "%-25s %-20s %-20s %-10s\n", title, soft, hard, unit);
        return std::string(line);
    };
    std::string s = row("Limit", "Soft Limit", "Hard Limit", "Units");
    s += row("Max cpu time", "unlimited", "unlimited", "seconds");
    s += row("Max file size", "unlimited", "unlimited", "bytes");
    s += row("Max data size", "unlimited", "unlimited", "bytes");
    s += row("Max stack size", "8388608", "unlimited", "bytes");
    s += row("Max core file size", "0", "unlimited", "bytes");
    s += row("Max resident set", "unlimited", "unlimited", "bytes");
    s += row("Max processes", "63432", "63432", "processes");
    s += row("Max open files", "1024", "524288", "files");
    s += row("Max locked memory", "8388608", "8388608", "bytes");
    s += row("Max address space", "unlimited", "unlimited", "bytes");
    s += row("Max file locks", "unlimited", "unlimited", "locks");
    s += row("Max pending signals", "63432", "63432", "signals");
    s += row("Max msgqueue size", "819200", "819200", "bytes");
    s += row("Max nice priority", "0", "0", "");
    s += row("Max realtime priority", "0", "0", "");
    s += row("Max realtime timeout", "unlimited", "unlimited", "us");
    return s;
}

constexpr psi::Groups kDepth = Group::io | Group::fds | Group::smaps | Group::oom | Group::limits;

class DepthIo : public ::testing::Test {
protected:
    void SetUp() override {
        fx_.add_process(100, "prog");
        fx_.write("100/io", kIo);
        fx_.write("100/smaps_rollup", kRollup);
        fx_.write("100/oom_score", "667\n");
        fx_.write("100/oom_score_adj", "-17\n");
        fx_.write("100/limits", limits_file());
        fx_.mkdir("100/fd");
        for (const char* fd : {"0", "1", "2", "255"}) fx_.symlink(std::string("100/fd/") + fd, "/dev/null");
    }
    ProcFixture fx_;
};

TEST_F(DepthIo, EachValueFromItsFile) {
    psi::System sys = open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(100, kDepth);
    psi::IoCounters io = p.depth().io_counters.value();
    EXPECT_EQ(io.read_chars, 323934931u);
    EXPECT_EQ(io.write_chars, 323929600u);
    EXPECT_EQ(io.read_count, 632687u);
    EXPECT_EQ(io.write_count, 632675u);
    EXPECT_EQ(io.read_bytes, 4096u);
    EXPECT_EQ(io.write_bytes, 323932160u);
    EXPECT_EQ(io.cancelled_write_bytes, 12288u);
    EXPECT_EQ(p.depth().num_fds.value(), 4u);
    // psutil's USS: Private_Clean + Private_Dirty + Private_Hugetlb.
    EXPECT_EQ(p.depth().uss.value(), (100u + 656u + 2048u) * 1024u);
    EXPECT_EQ(p.depth().pss.value(), 1234u * 1024u);
    EXPECT_EQ(p.depth().swap_pss.value(), 4u * 1024u);
    EXPECT_EQ(p.depth().oom_score.value(), 667);
    EXPECT_EQ(p.depth().oom_score_adj.value(), -17);
    const psi::ResourceLimits& l = p.depth().rlimits.value();
    ASSERT_EQ(l.size(), 16u);
    EXPECT_EQ(l[0].name, "cpu");
    EXPECT_EQ(l[0].soft, psi::ResourceLimit::kInfinity);
    EXPECT_EQ(l[3].name, "stack");
    EXPECT_EQ(l[3].soft, 8388608u);
    EXPECT_EQ(l[3].hard, psi::ResourceLimit::kInfinity);
    EXPECT_EQ(l[7].name, "nofile");
    EXPECT_EQ(l[7].soft, 1024u);
    EXPECT_EQ(l[7].hard, 524288u);
    EXPECT_EQ(l[15].name, "rttime");
}

TEST_F(DepthIo, OnlyTheGroupsAskedFor) {
    psi::System sys = open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(100, Group::oom);
    EXPECT_EQ(p.depth().oom_score.value(), 667);
    EXPECT_EQ(p.depth().io_counters.status(), AttrStatus::not_read);
    EXPECT_EQ(p.depth().num_fds.status(), AttrStatus::not_read);
    EXPECT_EQ(p.depth().uss.status(), AttrStatus::not_read);
    EXPECT_EQ(p.depth().rlimits.status(), AttrStatus::not_read);
    // The default groups never read them.
    const psi::ProcessInfo q = sys.process(100);
    EXPECT_EQ(q.depth().io_counters.status(), AttrStatus::not_read);
    EXPECT_EQ(q.depth().pss.status(), AttrStatus::not_read);
}

TEST_F(DepthIo, MissingFilesAreNotAvailable) {
    // A process whose depth files are all absent (a kernel without
    // CONFIG_TASK_IO_ACCOUNTING has no io file; before 4.14 no smaps_rollup).
    fx_.add_process(200, "old");
    psi::System sys = open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(200, kDepth);
    EXPECT_EQ(p.depth().io_counters.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().num_fds.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().uss.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().pss.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().swap_pss.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().oom_score.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().rlimits.status(), AttrStatus::not_available);
}

TEST_F(DepthIo, EmptyRollupAndDamagedFiles) {
    // A kernel thread or zombie has no mm: smaps_rollup is empty.
    fx_.add_process(300, "kworker/0:1");
    fx_.write("300/smaps_rollup", "");
    fx_.write("300/io", "rchar: 1\nwchar: x\n");            // damaged: not every counter
    fx_.write("300/oom_score", "99999999999999999999\n");   // does not fit an int
    fx_.write("300/limits", "Limit Soft Limit Hard Limit Units\n");
    psi::System sys = open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(300, kDepth);
    EXPECT_EQ(p.depth().uss.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().pss.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().io_counters.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().oom_score.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().rlimits.status(), AttrStatus::not_available);
}

TEST_F(DepthIo, UnreadableIoIsInsufficientPrivs) {
    if (::geteuid() == 0) {
        // Root reads a mode-0000 file: the EACCES case cannot be made here
        // (the Python suite checks it against another user's process).
        GTEST_SKIP() << "root bypasses file modes";
    }
    ASSERT_EQ(::chmod(fx_.path("100/io").c_str(), 0), 0);
    psi::System sys = open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(100, Group::io);
    EXPECT_EQ(p.depth().io_counters.status(), AttrStatus::insufficient_privs);
}

}  // namespace

namespace {

// psi::rates' I/O slots (src/core/rates.cpp): per second of the rows'
// monotonic interval, from io_counters; not_read when a row lacks the group.
psi::ProcessInfo io_row(double at_seconds, std::uint64_t rbytes, std::uint64_t wbytes, std::uint64_t r, std::uint64_t w) {
    psi::ProcessInfo p;
    p.pid = 7;
    p.start_ticks = 99;
    p.utime.set(psi::TimeSpec{});
    p.stime.set(psi::TimeSpec{});
    p.read_at.monotonic = std::chrono::steady_clock::time_point(std::chrono::duration_cast<
        std::chrono::steady_clock::duration>(std::chrono::duration<double>(1000 + at_seconds)));
    psi::IoCounters c;
    c.read_bytes = rbytes;
    c.write_bytes = wbytes;
    c.read_count = r;
    c.write_count = w;
    p.depth().io_counters.set(c);
    return p;
}

TEST(DepthIoRates, BytesAndOpsPerSecond) {
    psi::ProcessRates r = psi::rates(io_row(0, 1000, 0, 10, 4), io_row(2, 5096, 8192, 30, 4), 1);
    EXPECT_NEAR(r.read_bytes.value(), 2048.0, 1e-6);
    EXPECT_NEAR(r.write_bytes.value(), 4096.0, 1e-6);
    EXPECT_NEAR(r.read_ops.value(), 10.0, 1e-6);
    EXPECT_NEAR(r.write_ops.value(), 0.0, 1e-6);
    // A counter going backwards counts 0.
    EXPECT_NEAR(psi::rates(io_row(0, 9000, 0, 0, 0), io_row(1, 10, 0, 0, 0), 1).read_bytes.value(), 0.0, 1e-9);
}

TEST(DepthIoRates, UnreadOrRefusedIoHasNoRate) {
    psi::ProcessInfo b = io_row(0, 1, 1, 1, 1), a = io_row(1, 2, 2, 2, 2);
    a.depth().io_counters = {};
    EXPECT_EQ(psi::rates(b, a, 1).read_bytes.status(), AttrStatus::not_read);
    a.depth().io_counters.fail(AttrStatus::insufficient_privs, EACCES);
    psi::ProcessRates r = psi::rates(b, a, 1);
    EXPECT_EQ(r.write_ops.status(), AttrStatus::insufficient_privs);
    EXPECT_EQ(r.write_ops.os_error(), EACCES);
}

}  // namespace
