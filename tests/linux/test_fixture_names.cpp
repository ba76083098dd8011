// Fixture trees, part 1: the stat line's name field and a fully described
// ordinary process. Every expected value below is read off the bytes this
// file writes; proc_pid_stat(5) gives the field positions.
#include <gtest/gtest.h>

#include <pwd.h>
#include <grp.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"
#include "support.hpp"

namespace {

using namespace std::string_literals;
using psi::AttrStatus;
using psi::Group;
using psi_test::ProcFiles;
using psi_test::ProcFixture;
using psi_test::open_fixture;
using psi_test::StatFields;

std::string name_of_uid(uid_t uid) {
    const passwd* pw = ::getpwuid(uid);
    return pw != nullptr ? pw->pw_name : std::to_string(uid);
}
std::string name_of_gid(gid_t gid) {
    const group* gr = ::getgrgid(gid);
    return gr != nullptr ? gr->gr_name : std::to_string(gid);
}

// The fixture writer itself, checked against a line written out by hand from
// proc_pid_stat(5), so that a mistake there cannot hide one in psi.
TEST(FixtureWriter, StatLineMatchesManPageLayout) {
    StatFields f;
    f.state = 'R';
    f.ppid = 5;
    f.tty_nr = 34817;
    f.utime = 250;
    f.stime = 130;
    f.rt_priority = 7;
    f.policy = 1;
    EXPECT_EQ(psi_test::make_stat(77, "cat", f),
              "77 (cat) R 5 77 77 34817 -1 4194560 100 0 1 0 250 130 0 0 20 0 1 0 1000 8388608 100 "
              "18446744073709551615 94000000000000 94000000100000 140700000000000 0 0 0 0 4096 16384 1 0 0 "
              "17 1 7 1 0 0 0 94000000200000 94000000300000 94000000400000 140700000001000 "
              "140700000002000 140700000002000 140700000003000 0\n");
    f.nfields = 22;
    EXPECT_EQ(psi_test::make_stat(77, "cat", f),
              "77 (cat) R 5 77 77 34817 -1 4194560 100 0 1 0 250 130 0 0 20 0 1 0 1000\n");
}

// SPEC 4: the name runs from the first '(' to the LAST ')'. Each name below
// breaks a parser that splits on spaces, stops at the first ')', or reads
// line by line. The fields after the name differ per process so a shifted
// parse shows up as a wrong ppid/pgrp/state.
struct NameCase {
    int pid;
    const char* comm;
    char state;
};
const NameCase kNames[] = {
    {101, "my prog", 'S'},
    {102, "a(b", 'R'},
    {103, "a)b", 'D'},
    {104, ") (", 'T'},
    {105, "x) R 9 9 9 (y", 'S'},  // a name forging the fields that follow it
    {106, "new\nline", 'S'},
    {107, "", 'S'},               // PR_SET_NAME accepts an empty name
    {108, "ab)", 'I'},
    {109, "sp ", 'S'},
    {110, "((()))", 'S'},
    {111, "\n)\n", 'S'},
};

TEST(FixtureNames, ParenthesesSpacesNewlines) {
    ProcFixture fx;
    for (const auto& c : kNames) {
        StatFields f;
        f.state = c.state;
        f.ppid = c.pid + 1000;
        f.pgrp = c.pid + 2000;
        f.session = c.pid + 3000;
        f.num_threads = c.pid - 100;
        fx.add_process(c.pid, c.comm, f);
    }
    psi::System sys = open_fixture(fx);
    for (const auto& c : kNames) {
        SCOPED_TRACE(testing::Message() << "pid " << c.pid);
        const psi::ProcessInfo p = sys.process(c.pid, Group::stat);
        EXPECT_EQ(p.pid, c.pid);
        EXPECT_EQ(p.name.value_or("<none>"), c.comm);
        EXPECT_EQ(p.status_letter.value_or('?'), c.state);
        EXPECT_EQ(p.status.value_or(psi::ProcStatus::unknown), psi::status_from_letter(c.state));
        EXPECT_EQ(p.ppid.value_or(-1), c.pid + 1000);
        EXPECT_EQ(p.pgrp.value_or(-1), c.pid + 2000);
        EXPECT_EQ(p.sid.value_or(-1), c.pid + 3000);
        EXPECT_EQ(p.nthreads.value_or(-1), c.pid - 100);
        EXPECT_EQ(p.jiffies.value_or(0), 1000u);
    }
    // The same names through the table, which is sorted by pid.
    const psi::ProcessTable t = sys.table(psi::groups::ps);
    ASSERT_EQ(t.size(), std::size(kNames));
    for (std::size_t i = 0; i < t.size(); ++i) {
        EXPECT_EQ(t[i].pid, kNames[i].pid);
        EXPECT_EQ(t[i].name.value_or("<none>"), kNames[i].comm);
        EXPECT_EQ(t[i].ppid.value_or(-1), kNames[i].pid + 1000);
    }
}

// An ordinary process with every group read, values chosen to be distinct.
class FixtureFullProcess : public testing::Test {
protected:
    void SetUp() override {
        StatFields f;
        f.state = 'S';
        f.ppid = 1;
        f.pgrp = 200;
        f.session = 150;
        f.tty_nr = 34817;  // major 136 minor 1: /dev/pts/1 (devices.txt)
        f.flags = 0x00400100;
        f.utime = 250;
        f.stime = 130;
        f.priority = 25;
        f.nice = 5;
        f.num_threads = 3;
        f.starttime = 123456;
        f.vsize = 123456789;
        f.rss = 99999;  // stat's drifting rss: must not be what psi reports
        ProcFiles files;
        files.statm = "3000 250 100 10 0 500 0\n";
        files.uid[0] = 1000; files.uid[1] = 54321; files.uid[2] = 1003; files.uid[3] = 54321;
        files.gid[0] = 2000; files.gid[1] = 54322; files.gid[2] = 2003; files.gid[3] = 54322;
        files.cmdline = "/opt/fixture/bin/my prog\0--flag\0arg with space\0\0last\0"s;
        files.environ = "HOME=/home/x\0EQ=a=b\0EMPTY=\0LANG=C.UTF-8\0"s;
        files.exe = "/opt/fixture/bin/my prog";
        files.cwd = "/home/fixture/dir with space";
        fx.add_process(200, "my prog", f, files);
        // /proc/PID is owned by the effective ids (proc(5)); only root can
        // make the fixture say so.
        owner_set = fx.chown("200", 54321, 54322);
    }
    ProcFixture fx;
    bool owner_set = false;
};

TEST_F(FixtureFullProcess, EveryGroup) {
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(200, psi::groups::all);
    const long hz = ::sysconf(_SC_CLK_TCK);
    const long page = ::sysconf(_SC_PAGESIZE);

    EXPECT_EQ(p.pid, 200);
    EXPECT_EQ(p.start_ticks, 123456u);
    EXPECT_TRUE(p.groups_read.contains(psi::groups::all));
    EXPECT_FALSE(p.is_kernel_thread);
    EXPECT_EQ(p.name.value("name"), "my prog");
    EXPECT_EQ(p.ppid.value("ppid"), 1);
    EXPECT_EQ(p.pgrp.value("pgrp"), 200);
    EXPECT_EQ(p.sid.value("sid"), 150);
    EXPECT_EQ(p.status.value("status"), psi::ProcStatus::sleeping);
    EXPECT_EQ(p.status_letter.value("status_letter"), 'S');
    EXPECT_EQ(p.tty_dev.value("tty_dev"), 34817u);
    EXPECT_EQ(p.terminal.value("terminal"), "/dev/pts/1");
    EXPECT_EQ(p.flags.value("flags"), 0x00400100u);
    EXPECT_EQ(p.nice.value("nice"), 5);
    EXPECT_EQ(p.kernel_priority.value("kernel_priority"), 25);
    EXPECT_EQ(p.priority.value("priority"), 0);
    EXPECT_EQ(p.nthreads.value("nthreads"), 3);
    EXPECT_EQ(p.jiffies.value("jiffies"), 123456u);
    EXPECT_EQ(p.utime.value("utime"), psi::TimeSpec::from_ticks(250, static_cast<std::uint64_t>(hz)));
    EXPECT_EQ(p.stime.value("stime"), psi::TimeSpec::from_ticks(130, static_cast<std::uint64_t>(hz)));
    EXPECT_EQ(p.cputime().value(), psi::TimeSpec::from_ticks(380, static_cast<std::uint64_t>(hz)));
    EXPECT_EQ(p.vsz.value("vsz"), 123456789u);
    // SPEC 4: rss is statm's resident pages times the page size.
    EXPECT_EQ(p.rss.value("rss"), 250u * static_cast<std::uint64_t>(page));

    // Start = boot instant (CLOCK_REALTIME - CLOCK_BOOTTIME) + ticks / HZ.
    // The boot instant is computed here independently, so allow the few
    // microseconds between our two clock reads and psi's.
    const psi::TimeSpec boot = psi_test::clock_now(CLOCK_REALTIME) - psi_test::clock_now(CLOCK_BOOTTIME);
    const psi::TimeSpec expect_start = boot + psi::TimeSpec::from_ticks(123456, static_cast<std::uint64_t>(hz));
    const psi::TimeSpec start = p.start_time.value("start_time");
    EXPECT_LT(std::llabs((start - expect_start).total_nanoseconds()), 20'000'000LL)
        << start.tv_sec << "." << start.tv_nsec << " vs " << expect_start.tv_sec << "." << expect_start.tv_nsec;

    EXPECT_EQ(p.ruid.value("ruid"), 1000u);
    EXPECT_EQ(p.euid.value("euid"), 54321u);
    EXPECT_EQ(p.rgid.value("rgid"), 2000u);
    EXPECT_EQ(p.egid.value("egid"), 54322u);
    EXPECT_EQ(p.euser.value("euser"), name_of_uid(54321));
    EXPECT_EQ(p.ruser.value("ruser"), name_of_uid(1000));
    EXPECT_EQ(p.egroup.value("egroup"), name_of_gid(54322));
    EXPECT_EQ(p.rgroup.value("rgroup"), name_of_gid(2000));

    const std::vector<std::string> args = {"/opt/fixture/bin/my prog", "--flag", "arg with space", "", "last"};
    EXPECT_EQ(p.args.value("args"), args);
    EXPECT_EQ(p.argc().value(), 5u);
    EXPECT_EQ(p.command().value(), "/opt/fixture/bin/my prog --flag arg with space  last");
    const psi::Environment env = {{"HOME", "/home/x"}, {"EQ", "a=b"}, {"EMPTY", ""}, {"LANG", "C.UTF-8"}};
    EXPECT_EQ(p.env.value("env"), env);
    EXPECT_EQ(p.exe.value("exe"), "/opt/fixture/bin/my prog");
    EXPECT_EQ(p.cwd.value("cwd"), "/home/fixture/dir with space");
}

TEST_F(FixtureFullProcess, OwnerGroupUsesDirectoryOwner) {
    if (!owner_set) GTEST_SKIP() << "chown of the fixture needs root";
    psi::System sys = open_fixture(fx);
    psi::ProcessInfo p = sys.process(200, Group::owner);
    EXPECT_EQ(p.euid.value("euid"), 54321u);
    EXPECT_EQ(p.egid.value("egid"), 54322u);
    // Groups not asked for stay not_read (SPEC 4: read only what is needed).
    // stat is the exception psi may make: identity (start ticks) comes from
    // it, so its attributes may come along, but then groups_read says so.
    EXPECT_EQ(p.ruid.status(), AttrStatus::not_read);
    EXPECT_EQ(p.args.status(), AttrStatus::not_read);
    EXPECT_EQ(p.rss.status(), AttrStatus::not_read);
    EXPECT_THROW((void)p.args.value("args", p.pid), psi::Error);
    EXPECT_EQ(p.ppid.status() != AttrStatus::not_read, p.groups_read.has(Group::stat));
    EXPECT_FALSE(p.groups_read.has(Group::creds));
    EXPECT_FALSE(p.groups_read.has(Group::args));

    sys.read_more(p, Group::creds | Group::args);
    EXPECT_EQ(p.ruid.value("ruid"), 1000u);
    EXPECT_EQ(p.rgid.value("rgid"), 2000u);
    EXPECT_EQ(p.euid.value("euid"), 54321u);
    EXPECT_EQ(p.args.value("args").size(), 5u);
    EXPECT_TRUE(p.groups_read.has(Group::owner));
    EXPECT_TRUE(p.groups_read.has(Group::creds));
    EXPECT_TRUE(p.groups_read.has(Group::args));
    EXPECT_FALSE(p.groups_read.has(Group::env));
}

TEST(FixtureProcess, RealTimePriority) {
    ProcFixture fx;
    StatFields f;
    f.policy = 1;        // SCHED_FIFO
    f.rt_priority = 50;  // field 40
    f.priority = -51;    // field 18 for RT tasks: -1 - rt_priority
    fx.add_process(201, "rt task", f);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(201, Group::stat);
    EXPECT_EQ(p.priority.value("priority"), 50);
    EXPECT_EQ(p.kernel_priority.value("kernel_priority"), -51);
    EXPECT_EQ(p.nice.value("nice"), 0);
}

TEST(FixtureProcess, NoTerminal) {
    ProcFixture fx;
    fx.add_process(202, "daemon");
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(202, Group::stat);
    EXPECT_EQ(p.tty_dev.value("tty_dev"), 0u);
    EXPECT_EQ(p.terminal.value("terminal"), "");
}

TEST(FixtureProcess, MinimalFilesForMinimalGroups) {
    // Only stat and statm exist: a ps-style read must still succeed fully.
    ProcFixture fx;
    ProcFiles files;
    files.write_status = false;
    files.cmdline.reset();
    files.environ.reset();
    files.exe.reset();
    files.cwd.reset();
    fx.add_process(203, "lean", StatFields{}, files);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(203, psi::groups::ps);
    EXPECT_EQ(p.name.value("name"), "lean");
    EXPECT_EQ(p.rss.value("rss"), 100u * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)));
    EXPECT_TRUE(p.euid.ok());
    EXPECT_TRUE(p.euser.ok());
}

}  // namespace
