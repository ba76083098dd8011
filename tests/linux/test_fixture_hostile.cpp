// Fixture trees, hostile part (issue 9): proc roots with FIFOs and devices
// in place of files, command lines and environments in every shape a
// process can leave, a planted " (deleted)" suffix, and areas beyond the
// read caps. The known answers are the kernel's and procps' documented
// behaviour (proc(5), readproc.c), written next to the bytes.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "platform/linux/parse.hpp"
#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using namespace std::string_literals;
using psi::Group;
using psi_test::ProcFiles;
using psi_test::ProcFixture;
using psi_test::open_fixture;
using psi_test::StatFields;

// Replaces root/rel by a FIFO nobody writes to: a blocking open(2) of it
// would wait for ever (the test TIMEOUT would then fail the run).
void plant_fifo(ProcFixture& fx, const std::string& rel) {
    ::unlink(fx.path(rel).c_str());
    ASSERT_EQ(::mkfifo(fx.path(rel).c_str(), 0600), 0) << rel;
}

TEST(FixtureHostile, FifoInPlaceOfEachProcessFile) {
    for (const char* file : {"stat", "statm", "status", "cmdline", "environ", "wchan"}) {
        SCOPED_TRACE(file);
        ProcFixture fx;
        fx.add_process(2, "victim");
        fx.add_process(3, "bystander");
        plant_fifo(fx, "2/"s + file);
        psi::System sys = open_fixture(fx);
        std::error_code ec;
        const psi::ProcessTable t = sys.table(psi::groups::all, ec);
        ASSERT_FALSE(ec) << ec.message();
        // The other process is read in full.
        const psi::ProcessInfo* other = t.find(3);
        ASSERT_NE(other, nullptr);
        EXPECT_EQ(other->args.value("args"), std::vector<std::string>{"/usr/bin/prog"});
        EXPECT_EQ(other->rss.value("rss"), 100u * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)));
        const psi::ProcessInfo* victim = t.find(2);
        if (std::string(file) == "stat") {
            // stat is the identity: without it there is no process to list.
            EXPECT_EQ(victim, nullptr);
            psi::ProcessInfo p = sys.process(2, psi::groups::all, ec);
            EXPECT_TRUE(ec) << "a FIFO is no stat file";
            continue;
        }
        ASSERT_NE(victim, nullptr);
        const std::string f(file);
        if (f == "cmdline") { EXPECT_FALSE(victim->args.ok()); }
        if (f == "environ") { EXPECT_FALSE(victim->env.ok()); }
        if (f == "wchan") { EXPECT_FALSE(victim->wchan.ok()); }
        if (f == "statm") { EXPECT_TRUE(victim->rss.ok()) << "status gives rss when statm cannot"; }
        if (f == "status") { EXPECT_FALSE(victim->ruid.ok()); }
    }
}

TEST(FixtureHostile, FifoInPlaceOfSystemFiles) {
    ProcFixture fx;
    fx.add_system_files();
    // A tty whose major is not in the fixed table (204: ttyAMA) makes the
    // reader consult tty/drivers.
    StatFields f;
    f.tty_nr = (204 << 8) | 64;
    fx.add_process(5, "serial", f);
    fx.mkdir("tty");
    fx.mkdir("self");
    for (const char* rel : {"tty/drivers", "mounts", "self/mounts", "loadavg", "uptime", "stat"})
        plant_fifo(fx, rel);
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    const psi::ProcessInfo p = sys.process(5, psi::groups::all, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_FALSE(p.terminal.ok()) << "no drivers table: the terminal is unknown";
    (void)sys.mounts(true, ec);
    EXPECT_TRUE(ec) << "mounts from a FIFO";
    (void)sys.loadavg(ec);
    EXPECT_TRUE(ec) << "loadavg from a FIFO";
}

TEST(FixtureHostile, DeviceInPlaceOfCmdlineIsRefused) {
    // /dev/zero never ends: only the cap would stop a reader, after 6 MiB.
    ProcFixture fx;
    ProcFiles files;
    files.cmdline.reset();
    fx.add_process(7, "zero", StatFields{}, files);
    fx.symlink("7/cmdline", "/dev/zero");
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(7, Group::args);
    EXPECT_EQ(p.args.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(p.args.os_error(), EIO);
}

struct Shape {
    const char* what;
    std::string cmdline;
    std::vector<std::string> args;  // what `ps -o args` shows is ' '.join(args)
};

TEST(FixtureHostile, CommandLineShapes) {
    // procps readproc read_unvectored: trailing NULs are skipped, the other
    // NULs and newlines become blanks, and a final blank is dropped.
    const Shape shapes[] = {
        {"execve argv", "sleep\0" "60\0"s, {"sleep", "60"}},
        {"inner empty argument", "a\0\0b\0"s, {"a", "", "b"}},
        {"setproctitle padding NULs", "nginx: worker process\0\0\0\0\0\0\0\0"s, {"nginx: worker process"}},
        {"a then NULs", "a\0\0\0"s, {"a"}},
        {"two NULs", "\0\0"s, {""}},
        {"one NUL (execve with argv = [])", "\0"s, {""}},
        {"title padded with blanks, no NUL", "title     "s, {"title", "", "", "", ""}},
        {"title, no NUL", "sshd: alice [priv]"s, {"sshd:", "alice", "[priv]"}},
        {"newline ends a title", "a\n"s, {"a"}},
        {"a lone newline", "\n"s, {""}},
        {"blank then NULs", " \0\0"s, {" "}},
    };
    ProcFixture fx;
    int pid = 500;
    for (const Shape& s : shapes) {
        ProcFiles files;
        files.cmdline = s.cmdline;
        fx.add_process(pid++, "p", StatFields{}, files);
    }
    psi::System sys = open_fixture(fx);
    pid = 500;
    for (const Shape& s : shapes) {
        SCOPED_TRACE(s.what);
        const psi::ProcessInfo p = sys.process(pid++, Group::args | Group::stat);
        EXPECT_EQ(p.args.value("args"), s.args);
    }
}

TEST(FixtureHostile, EnvironEntriesWithoutEqualsAreNoDefinitions) {
    ProcFixture fx;
    ProcFiles files;
    // "HOME" alone is what a process that wrote over its environ, or an
    // execve with a sloppy envp, leaves; getenv("HOME") still finds the
    // later definition, and so must a reader.
    files.environ = "HOME\0HOME=/root\0A=1\0A=2\0=x\0NOEQ\0B=\0"s;
    fx.add_process(9, "env", StatFields{}, files);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(9, Group::env);
    const psi::Environment want{{"HOME", "/root"}, {"A", "1"}, {"A", "2"}, {"", "x"}, {"B", ""}};
    EXPECT_EQ(p.env.value("env"), want);
}

TEST(FixtureHostile, DeletedSuffixOnlyWhenReallyDeleted) {
    ProcFixture fx;
    // A file really named "prog (deleted)", alive: the link resolves to it.
    fx.write("bin/prog (deleted)", "#!/bin/sh\n");
    ProcFiles alive;
    alive.exe = fx.path("bin/prog (deleted)");
    fx.add_process(20, "alive", StatFields{}, alive);
    // The kernel's suffix for an unlinked file: nothing at either path.
    ProcFiles gone;
    gone.exe = fx.path("bin/gone") + " (deleted)";
    fx.add_process(21, "gone", StatFields{}, gone);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo a = sys.process(20, Group::exe);
    EXPECT_EQ(a.exe.value("exe"), fx.path("bin/prog (deleted)"));
    EXPECT_FALSE(a.exe_deleted.value("exe_deleted"));
    const psi::ProcessInfo g = sys.process(21, Group::exe);
    EXPECT_EQ(g.exe.value("exe"), fx.path("bin/gone"));
    EXPECT_TRUE(g.exe_deleted.value("exe_deleted"));
    // An ordinary path: not deleted.
    fx.add_process(22, "plain");
    EXPECT_FALSE(sys.process(22, Group::exe).exe_deleted.value("exe_deleted"));
}

TEST(FixtureHostile, ArgumentAreaBeyondTheCaps) {
    namespace lp = psi::linux_proc;
    ProcFixture fx;
    // 7 MiB of one long argument: cut at 6 MiB.
    ProcFiles huge;
    huge.cmdline = std::string(7u << 20, 'a') + '\0';
    fx.add_process(30, "huge", StatFields{}, huge);
    // NUL-dense: 4 Mi NULs then "x": every NUL would be an empty string.
    ProcFiles dense;
    dense.cmdline = std::string(4u << 20, '\0') + "x\0"s;
    fx.add_process(31, "dense", StatFields{}, dense);
    ProcFiles denv;
    denv.environ = std::string(1u << 20, '\0');
    for (int i = 0; i < 800000; ++i) denv.environ->append("A=\0", 3);
    fx.add_process(32, "denv", StatFields{}, denv);
    psi::System sys = open_fixture(fx);

    const psi::ProcessInfo h = sys.process(30, Group::args);
    ASSERT_EQ(h.args.value("args").size(), 1u);
    EXPECT_EQ(h.args.value("args")[0].size(), lp::kMaxArgBytes);

    const psi::ProcessInfo d = sys.process(31, Group::args);
    EXPECT_EQ(d.args.value("args").size(), lp::kMaxArgStrings);

    const psi::ProcessInfo e = sys.process(32, Group::env);
    // 800,000 definitions, within 6 MiB: the count stops them.
    EXPECT_EQ(e.env.value("env").size(), lp::kMaxArgStrings);
}

}  // namespace
