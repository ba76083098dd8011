// The Linux backend's pure parsers (src/platform/linux/parse.cpp) on bytes
// with known answers, written out from proc(5) and the kernel's formats
// (fs/proc/array.c, fs/proc/base.c), as tests/macos and tests/solaris test
// their decoders. The fixture-tree tests reach the same code through whole
// /proc/PID directories; these pin each parser's own rules.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "platform/linux/parse.hpp"

namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;
namespace lp = psi::linux_proc;

// A stat line as fs/proc/array.c do_task_stat prints it, 52 fields.
constexpr std::string_view kStat =
    "4242 (my prog) S 1 4242 4200 34817 4250 4194560 120 0 3 0 57 13 0 0 20 0 3 0 98765 "
    "12345678 400 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

TEST(LinuxParseStat, FieldsByNumber) {
    auto st = lp::parse_stat(kStat);
    ASSERT_TRUE(st);
    EXPECT_EQ(st->pid, 4242);
    EXPECT_EQ(st->comm, "my prog");
    EXPECT_EQ(st->state, 'S');
    EXPECT_EQ(st->ppid, 1);
    EXPECT_EQ(st->pgrp, 4242);
    EXPECT_EQ(st->session, 4200);
    EXPECT_EQ(st->tty_nr, 34817u);
    EXPECT_EQ(st->tpgid, 4250);
    EXPECT_EQ(st->flags, 4194560u);
    EXPECT_EQ(st->utime, 57u);
    EXPECT_EQ(st->stime, 13u);
    EXPECT_EQ(st->priority, 20);
    EXPECT_EQ(st->nice, 0);
    EXPECT_EQ(st->num_threads, 3);
    EXPECT_EQ(st->starttime, 98765u);
    EXPECT_EQ(st->vsize, 12345678u);
    EXPECT_EQ(st->processor, 1);
    EXPECT_EQ(st->rt_priority, 0u);
    EXPECT_EQ(st->policy, 0);
    EXPECT_EQ(st->fields, 41);  // the parser stops after the last field it uses
}

TEST(LinuxParseStat, NameRunsToTheLastParenthesis) {
    // comm is printed raw (no escaping): it may hold ") S 1 (" and newlines.
    auto st = lp::parse_stat("7 (a) S 1 (\nb) R 3 7 7 0 -1 0\n");
    ASSERT_TRUE(st);
    EXPECT_EQ(st->comm, "a) S 1 (\nb");
    EXPECT_EQ(st->state, 'R');
    EXPECT_EQ(st->ppid, 3);
    EXPECT_EQ(st->tpgid, -1);
    EXPECT_EQ(st->fields, 9);
}

TEST(LinuxParseStat, ShortLineCountsItsFields) {
    auto st = lp::parse_stat("9 (old) S 1 9 9");
    ASSERT_TRUE(st);
    EXPECT_EQ(st->fields, 6);
    EXPECT_EQ(st->session, 9);
    EXPECT_EQ(st->starttime, 0u);  // absent: the default
}

TEST(LinuxParseStat, NegativeNiceAndPriority) {
    auto st = lp::parse_stat("5 (rt) S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 -51 -20 1 0 30 0\n");
    ASSERT_TRUE(st);
    EXPECT_EQ(st->priority, -51);
    EXPECT_EQ(st->nice, -20);
    EXPECT_EQ(st->starttime, 30u);
}

TEST(LinuxParseStat, NumbersAtTheEdgeOf64Bits) {
    // Field 9 (flags) is unsigned 64-bit here. The parser reads up to 19
    // digits unchecked (they cannot overflow) and checks every digit after.
    auto max = lp::parse_stat("3 (m) S 1 3 3 0 -1 18446744073709551615 7\n");
    ASSERT_TRUE(max);
    EXPECT_EQ(max->flags, 18446744073709551615u);
    EXPECT_EQ(max->minflt, 7u);
    auto nineteen = lp::parse_stat("3 (m) S 1 3 3 0 -1 9999999999999999999 8\n");
    ASSERT_TRUE(nineteen);
    EXPECT_EQ(nineteen->flags, 9999999999999999999u);
    EXPECT_EQ(nineteen->minflt, 8u);
    // One past 2^64 - 1: malformed, the scan stops before the field.
    auto over = lp::parse_stat("3 (m) S 1 3 3 0 -1 18446744073709551616 7\n");
    ASSERT_TRUE(over);
    EXPECT_EQ(over->fields, 8);
    EXPECT_EQ(over->minflt, 0u);
    // Leading zeros are digits like any other: the value decides overflow.
    auto zeros = lp::parse_stat("3 (m) S 1 3 3 0 -1 0000000000000000000000000042 9\n");
    ASSERT_TRUE(zeros);
    EXPECT_EQ(zeros->flags, 42u);
    EXPECT_EQ(zeros->minflt, 9u);
}

TEST(LinuxParseStat, GarbageIsRefused) {
    EXPECT_FALSE(lp::parse_stat(""));
    EXPECT_FALSE(lp::parse_stat("1 no parens S 0"));
    EXPECT_FALSE(lp::parse_stat("1 (x"));
    EXPECT_FALSE(lp::parse_stat("-3 (x) S 1"));
    EXPECT_FALSE(lp::parse_stat("x (x) S 1"));
    EXPECT_FALSE(lp::parse_stat("1 (x) SS 1"));  // the state is one letter
}

TEST(LinuxParseStatm, SecondNumberIsResident) {
    EXPECT_EQ(lp::parse_statm_resident("2048 100 50 10 0 300 0\n"), 100u);
    EXPECT_FALSE(lp::parse_statm_resident("2048"));
    EXPECT_FALSE(lp::parse_statm_resident("2048 x1"));
    EXPECT_FALSE(lp::parse_statm_resident(""));
}

TEST(LinuxParseStatus, IdsAndSizes) {
    // fs/proc/array.c: Uid/Gid are real, effective, saved, filesystem.
    auto f = lp::parse_status(
        "Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t1000\t1001\t1002\t1003\n"
        "Gid:\t100\t101\t102\t103\nVmPeak:\t  9000 kB\nVmLck:\t      8 kB\nVmRSS:\t  5120 kB\nThreads:\t1\n");
    EXPECT_TRUE(f.have_uid);
    EXPECT_TRUE(f.have_gid);
    EXPECT_EQ(f.ruid, 1000u);
    EXPECT_EQ(f.euid, 1001u);
    EXPECT_EQ(f.rgid, 100u);
    EXPECT_EQ(f.egid, 101u);
    EXPECT_TRUE(f.have_locked);
    EXPECT_EQ(f.locked_kb, 8u);
    EXPECT_TRUE(f.have_rss);
    EXPECT_EQ(f.rss_kb, 5120u);
}

TEST(LinuxParseStatus, KernelThreadHasNoVmLines) {
    auto f = lp::parse_status("Name:\tkthreadd\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t1\n");
    EXPECT_TRUE(f.have_uid);
    EXPECT_TRUE(f.have_gid);
    EXPECT_FALSE(f.have_rss);
    EXPECT_FALSE(f.have_locked);
}

TEST(LinuxParseStatus, MalformedIdsAreNotIds) {
    auto f = lp::parse_status("Uid:\t1000\nGid:\tx\t1\n");
    EXPECT_FALSE(f.have_uid);
    EXPECT_FALSE(f.have_gid);
}

TEST(LinuxSplitCmdline, NulTerminatedArgv) {
    EXPECT_EQ(lp::split_cmdline("/bin/sleep\0" "100\0"sv), (std::vector<std::string>{"/bin/sleep", "100"}));
    // An empty argument in the middle is kept; trailing NULs are padding.
    EXPECT_EQ(lp::split_cmdline("a\0\0b\0\0\0"sv), (std::vector<std::string>{"a", "", "b"}));
}

TEST(LinuxSplitCmdline, RewrittenTitleSplitsOnSpaces) {
    // No final NUL: setproctitle wrote over the area.
    EXPECT_EQ(lp::split_cmdline("postgres: writer process "sv),
              (std::vector<std::string>{"postgres:", "writer", "process"}));
    EXPECT_EQ(lp::split_cmdline("nginx: master\n"sv), (std::vector<std::string>{"nginx:", "master"}));
}

TEST(LinuxSplitCmdline, EmptyAndAllNul) {
    EXPECT_TRUE(lp::split_cmdline(""sv).empty());  // ps shows [comm]
    EXPECT_EQ(lp::split_cmdline("\0\0\0"sv), (std::vector<std::string>{""}));  // ps shows ?
    EXPECT_EQ(lp::split_cmdline(" "sv), (std::vector<std::string>{""}));
}

TEST(LinuxSplitEnviron, DefinitionsInOrder) {
    auto env = lp::split_environ("A=1\0B=x=y\0NOEQUALS\0A=2\0=empty\0"sv);
    ASSERT_EQ(env.size(), 4u);
    EXPECT_EQ(env[0], (std::pair<std::string, std::string>{"A", "1"}));
    EXPECT_EQ(env[1], (std::pair<std::string, std::string>{"B", "x=y"}));
    EXPECT_EQ(env[2], (std::pair<std::string, std::string>{"A", "2"}));
    EXPECT_EQ(env[3], (std::pair<std::string, std::string>{"", "empty"}));
    EXPECT_TRUE(lp::split_environ(""sv).empty());
    // No final NUL (an area cut at the read cap): the last entry still counts.
    EXPECT_EQ(lp::split_environ("K=v"sv).size(), 1u);
}

TEST(LinuxStripDeleted, OnlyTheKernelSuffix) {
    EXPECT_EQ(lp::strip_deleted_suffix("/usr/bin/prog (deleted)"), "/usr/bin/prog");
    EXPECT_EQ(lp::strip_deleted_suffix("/usr/bin/prog"), "/usr/bin/prog");
    EXPECT_EQ(lp::strip_deleted_suffix(" (deleted)"), " (deleted)");  // nothing before it: not a path
    EXPECT_EQ(lp::strip_deleted_suffix("/a (deleted) (deleted)"), "/a (deleted)");
}

TEST(LinuxParseWchan, SymbolOrNothing) {
    EXPECT_EQ(lp::parse_wchan("do_epoll_wait"), "do_epoll_wait");
    EXPECT_EQ(lp::parse_wchan("0"), "");
    EXPECT_EQ(lp::parse_wchan("hrtimer_nanosleep\n"), "hrtimer_nanosleep");
    EXPECT_EQ(lp::parse_wchan(".sys_poll"), "sys_poll");  // ppc64 ELFv1 descriptor dot
}

TEST(LinuxTtyPath, FixedMajors) {
    // new_encode_dev: minor low 8 bits, major next 12, minor's high bits above.
    auto dev = [](unsigned major, unsigned minor) {
        return static_cast<std::uint64_t>((minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
    };
    EXPECT_EQ(lp::tty_path_from_dev(dev(136, 1)), "/dev/pts/1");
    EXPECT_EQ(lp::tty_path_from_dev(dev(136, 300)), "/dev/pts/300");
    EXPECT_EQ(lp::tty_path_from_dev(dev(137, 4)), "/dev/pts/260");
    EXPECT_EQ(lp::tty_path_from_dev(dev(4, 2)), "/dev/tty2");
    EXPECT_EQ(lp::tty_path_from_dev(dev(4, 65)), "/dev/ttyS1");
    EXPECT_EQ(lp::tty_path_from_dev(dev(5, 1)), "/dev/console");
    EXPECT_EQ(lp::tty_path_from_dev(dev(5, 0)), "/dev/tty");
    EXPECT_FALSE(lp::tty_path_from_dev(0));
    EXPECT_FALSE(lp::tty_path_from_dev(dev(204, 64)));  // ttyAMA: from the drivers table
}

TEST(LinuxTtyPath, DriversTable) {
    auto drivers = lp::parse_tty_drivers(
        "/dev/tty             /dev/tty        5       0 system:/dev/tty\n"
        "ttyAMA               /dev/ttyAMA   204 64-77 serial\n"
        "bad line\n"
        "usbserial            /dev/ttyUSB   188 0-511 serial\n");
    ASSERT_EQ(drivers.size(), 3u);
    EXPECT_EQ(drivers[1].prefix, "/dev/ttyAMA");
    EXPECT_EQ(drivers[1].major, 204u);
    EXPECT_EQ(drivers[1].minor_first, 64u);
    EXPECT_EQ(drivers[1].minor_last, 77u);
    auto dev = [](unsigned major, unsigned minor) {
        return static_cast<std::uint64_t>((minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
    };
    EXPECT_EQ(lp::tty_path_from_drivers(dev(204, 65), drivers), "/dev/ttyAMA1");
    EXPECT_EQ(lp::tty_path_from_drivers(dev(188, 300), drivers), "/dev/ttyUSB300");
    EXPECT_EQ(lp::tty_path_from_drivers(dev(5, 0), drivers), "/dev/tty");  // one minor: the prefix itself
    EXPECT_FALSE(lp::tty_path_from_drivers(dev(204, 78), drivers));
}

TEST(LinuxParseLoadavg, ThreeNumbers) {
    auto l = lp::parse_loadavg("0.52 1.05 12.50 2/345 6789\n");
    ASSERT_TRUE(l);
    EXPECT_DOUBLE_EQ(l->one, 0.52);
    EXPECT_DOUBLE_EQ(l->five, 1.05);
    EXPECT_DOUBLE_EQ(l->fifteen, 12.5);
    EXPECT_FALSE(lp::parse_loadavg("0.52 1.05"));
    EXPECT_FALSE(lp::parse_loadavg("a b c"));
}

TEST(LinuxParseMounts, OctalEscapes) {
    // fs/proc_namespace.c mangles space, tab, newline and backslash as \ooo.
    auto m = lp::parse_mounts("/dev/sda1 /mnt/my\\040disk ext4 rw,relatime 0 0\nshort line\n");
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].device, "/dev/sda1");
    EXPECT_EQ(m[0].mountpoint, "/mnt/my disk");
    EXPECT_EQ(m[0].fstype, "ext4");
    EXPECT_EQ(m[0].options, "rw,relatime");
}

}  // namespace
