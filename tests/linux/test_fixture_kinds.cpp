// Fixture trees, part 2: the kinds of process that broke PSI and other
// readers: zombies, kernel threads, rewritten argv, short stat lines.
#include <gtest/gtest.h>

#include <unistd.h>

#include <string>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using namespace std::string_literals;
using psi::AttrStatus;
using psi::Group;
using psi_test::ProcFiles;
using psi_test::ProcFixture;
using psi_test::open_fixture;
using psi_test::StatFields;

constexpr unsigned long long kPfKthread = 0x00200000;  // include/linux/sched.h
constexpr unsigned long long kPfExiting = 0x00000004;

// What the kernel shows for a task with no mm and no fs (kernel thread) or
// one that has exited (zombie): empty cmdline and environ, and readlink of
// exe/cwd failing with ENOENT (the links are absent in the fixture).
ProcFiles no_mm_files() {
    ProcFiles files;
    files.statm = "0 0 0 0 0 0 0\n";
    files.cmdline = ""s;
    files.environ = ""s;
    files.exe.reset();
    files.cwd.reset();
    return files;
}

void expect_no_mm_attrs(const psi::ProcessInfo& p) {
    // SPEC 4: not available, never "gone" and never an error for the whole.
    EXPECT_EQ(p.args.status(), AttrStatus::not_available) << psi::to_string(p.args.status());
    EXPECT_EQ(p.env.status(), AttrStatus::not_available) << psi::to_string(p.env.status());
    EXPECT_EQ(p.exe.status(), AttrStatus::not_available) << psi::to_string(p.exe.status());
    EXPECT_EQ(p.cwd.status(), AttrStatus::not_available) << psi::to_string(p.cwd.status());
}

TEST(FixtureKinds, Zombie) {
    ProcFixture fx;
    StatFields f;
    f.state = 'Z';
    f.ppid = 299;
    f.flags = 0x00400100 | kPfExiting;
    f.vsize = 0;
    f.rss = 0;
    f.utime = 3;
    f.stime = 4;
    fx.add_process(300, "defunct (x)", f, no_mm_files());
    psi::System sys = open_fixture(fx);

    std::error_code ec;
    const psi::ProcessInfo p = sys.process(300, psi::groups::all, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_FALSE(p.is_kernel_thread);
    EXPECT_EQ(p.status.value("status"), psi::ProcStatus::zombie);
    EXPECT_EQ(p.status_letter.value("status_letter"), 'Z');
    EXPECT_EQ(p.name.value("name"), "defunct (x)");
    EXPECT_EQ(p.ppid.value("ppid"), 299);
    EXPECT_EQ(p.rss.value("rss"), 0u);
    EXPECT_EQ(p.vsz.value("vsz"), 0u);
    EXPECT_EQ(p.cputime().value(), psi::TimeSpec::from_ticks(7, static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK))));
    expect_no_mm_attrs(p);
    EXPECT_TRUE(sys.exists(p));

    // A table asking for everything keeps the zombie.
    const psi::ProcessTable t = sys.table(psi::groups::all);
    ASSERT_NE(t.find(300), nullptr);
    EXPECT_EQ(t.find(300)->status.value_or(psi::ProcStatus::unknown), psi::ProcStatus::zombie);
}

TEST(FixtureKinds, KernelThreads) {
    ProcFixture fx;
    StatFields kthreadd;  // pid 2: ppid 0, flags carry PF_KTHREAD
    kthreadd.ppid = 0;
    kthreadd.pgrp = 0;  // kernel threads have no process group or session
    kthreadd.session = 0;
    kthreadd.flags = 2129984;  // 0x208040, as on a 6.x kernel
    kthreadd.vsize = 0;
    kthreadd.rss = 0;
    fx.add_process(2, "kthreadd", kthreadd, no_mm_files());

    StatFields worker;  // a kworker: ppid 2, idle, PF_KTHREAD|PF_WQ_WORKER...
    worker.state = 'I';
    worker.ppid = 2;
    worker.flags = 69238880;  // 0x4208060
    worker.nice = -20;
    worker.priority = 0;
    worker.vsize = 0;
    worker.rss = 0;
    fx.add_process(45, "kworker/0:1H-events_highpri", worker, no_mm_files());

    StatFields child_of_2;  // no PF_KTHREAD bit but parented by kthreadd
    child_of_2.ppid = 2;
    child_of_2.flags = 0x00000040;
    child_of_2.vsize = 0;
    fx.add_process(46, "oldkthread", child_of_2, no_mm_files());
    psi::System sys = open_fixture(fx);

    const psi::ProcessInfo p2 = sys.process(2, psi::groups::all);
    EXPECT_TRUE(p2.is_kernel_thread);
    EXPECT_EQ(p2.ppid.value("ppid"), 0);
    EXPECT_EQ(p2.pgrp.value("pgrp"), 0);
    EXPECT_EQ(p2.sid.value("sid"), 0);
    EXPECT_NE(p2.flags.value("flags") & kPfKthread, 0u);
    EXPECT_EQ(p2.name.value("name"), "kthreadd");
    expect_no_mm_attrs(p2);
    // ps shows "[kthreadd]"; psi's command() falls back to the bare name.
    EXPECT_EQ(p2.command().value_or("<none>"), "kthreadd");
    EXPECT_EQ(p2.rss.value("rss"), 0u);

    const psi::ProcessInfo p45 = sys.process(45, psi::groups::all);
    EXPECT_TRUE(p45.is_kernel_thread);
    EXPECT_EQ(p45.status.value("status"), psi::ProcStatus::idle);
    EXPECT_EQ(p45.nice.value("nice"), -20);
    EXPECT_EQ(p45.name.value("name"), "kworker/0:1H-events_highpri");
    expect_no_mm_attrs(p45);

    const psi::ProcessInfo p46 = sys.process(46, psi::groups::all);
    EXPECT_TRUE(p46.is_kernel_thread) << "SPEC 4: flags & PF_KTHREAD, or ppid 2";
    expect_no_mm_attrs(p46);

    // PSI 0.3 could not build a table on a kernel with kernel threads.
    std::error_code ec;
    const psi::ProcessTable t = sys.table(psi::groups::all, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(t.size(), 3u);
}

struct ArgvCase {
    int pid;
    std::string cmdline;
    std::vector<std::string> args;
};

TEST(FixtureKinds, CmdlineSplitting) {
    const ArgvCase cases[] = {
        // NUL-separated with the trailing NUL: split, drop the last empty.
        {400, "/bin/sleep\0" "600\0"s, {"/bin/sleep", "600"}},
        {401, "echo\0line1\nline2\0tab\there\0"s, {"echo", "line1\nline2", "tab\there"}},
        {402, "a\0\0b\0"s, {"a", "", "b"}},
        {403, "only\0"s, {"only"}},
        // setproctitle(3)-style rewrite with no NUL at the end: spaces split.
        {404, "sshd: alice@pts/0 [priv]"s, {"sshd:", "alice@pts/0", "[priv]"}},
        {405, "nginx:"s, {"nginx:"}},
    };
    ProcFixture fx;
    for (const auto& c : cases) {
        ProcFiles files;
        files.cmdline = c.cmdline;
        fx.add_process(c.pid, "p", StatFields{}, files);
    }
    psi::System sys = open_fixture(fx);
    for (const auto& c : cases) {
        SCOPED_TRACE(testing::Message() << "pid " << c.pid);
        const psi::ProcessInfo p = sys.process(c.pid, Group::args);
        ASSERT_TRUE(p.args.ok()) << psi::to_string(p.args.status());
        EXPECT_EQ(p.args.value(), c.args);
        EXPECT_EQ(p.argc().value(), c.args.size());
    }
}

TEST(FixtureKinds, BigCmdlineAndEnviron) {
    // Far beyond one page: readers that stop after the first read(2) or a
    // fixed buffer lose the tail.
    std::vector<std::string> want_args;
    std::string cmdline;
    for (int i = 0; i < 5000; ++i) {
        want_args.push_back("argument-" + std::to_string(i));
        cmdline += want_args.back();
        cmdline += '\0';
    }
    psi::Environment want_env;
    std::string environ;
    for (int i = 0; i < 3000; ++i) {
        want_env.emplace_back("VAR" + std::to_string(i), std::string(static_cast<std::size_t>(i % 97), 'x'));
        environ += want_env.back().first + "=" + want_env.back().second;
        environ += '\0';
    }
    ProcFixture fx;
    ProcFiles files;
    files.cmdline = cmdline;
    files.environ = environ;
    fx.add_process(440, "big", StatFields{}, files);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(440, Group::args | Group::env);
    EXPECT_EQ(p.args.value("args"), want_args);
    EXPECT_EQ(p.env.value("env"), want_env);
    // A small process read afterwards must not see leftovers of the big one.
    fx.add_process(441, "small");
    const psi::ProcessInfo q = sys.process(441, Group::args | Group::env);
    EXPECT_EQ(q.args.value("args"), std::vector<std::string>{"/usr/bin/prog"});
    EXPECT_EQ(q.env.value("env"), (psi::Environment{{"PATH", "/usr/bin"}}));
}

TEST(FixtureKinds, MissingFilesOfALiveProcess) {
    // stat is there, so the process exists (SPEC 4); each missing file only
    // costs its own attribute.
    ProcFixture fx;
    ProcFiles files;
    files.statm.reset();
    files.write_status = false;
    files.cmdline.reset();
    files.environ.reset();
    files.exe.reset();
    files.cwd.reset();
    files.wchan.reset();  // also what a kernel without CONFIG_KALLSYMS shows
    fx.add_process(450, "sparse", StatFields{}, files);
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    const psi::ProcessInfo p = sys.process(450, psi::groups::all, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(p.name.value("name"), "sparse");
    for (auto st : {p.rss.status(), p.ruid.status(), p.args.status(), p.env.status(), p.exe.status(),
                    p.cwd.status(), p.wchan.status()}) {
        EXPECT_EQ(st, AttrStatus::not_available) << psi::to_string(st);
    }
}

TEST(FixtureKinds, EnvironSplitting) {
    ProcFixture fx;
    ProcFiles files;
    files.environ = "A=1\0B=x=y\0EMPTY=\0PATH=/usr/bin:/bin\0NL=two\nlines\0"s;
    fx.add_process(410, "p", StatFields{}, files);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(410, Group::env);
    const psi::Environment want = {
        {"A", "1"}, {"B", "x=y"}, {"EMPTY", ""}, {"PATH", "/usr/bin:/bin"}, {"NL", "two\nlines"}};
    EXPECT_EQ(p.env.value("env"), want);
}

// Linux before 2.5.19 wrote no rt_priority (field 40); 2.4 stopped at field
// 39 and older ones earlier. psi must give what the line has.
TEST(FixtureKinds, ShortStatLineEndingAtStarttime) {
    ProcFixture fx;
    StatFields f;
    f.state = 'S';
    f.ppid = 7;
    f.pgrp = 500;
    f.session = 400;
    f.tty_nr = 34818;  // /dev/pts/2
    f.flags = 0x100;
    f.utime = 12;
    f.stime = 34;
    f.priority = 30;
    f.nice = 10;
    f.num_threads = 1;
    f.starttime = 777;
    f.nfields = 22;
    fx.add_process(420, "old kernel", f);
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    const psi::ProcessInfo p = sys.process(420, psi::groups::ps | Group::stat, ec);
    ASSERT_FALSE(ec) << ec.message();
    const auto hz = static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK));
    EXPECT_EQ(p.name.value("name"), "old kernel");
    EXPECT_EQ(p.status_letter.value("status_letter"), 'S');
    EXPECT_EQ(p.ppid.value("ppid"), 7);
    EXPECT_EQ(p.pgrp.value("pgrp"), 500);
    EXPECT_EQ(p.sid.value("sid"), 400);
    EXPECT_EQ(p.tty_dev.value("tty_dev"), 34818u);
    EXPECT_EQ(p.flags.value("flags"), 0x100u);
    EXPECT_EQ(p.utime.value("utime"), psi::TimeSpec::from_ticks(12, hz));
    EXPECT_EQ(p.stime.value("stime"), psi::TimeSpec::from_ticks(34, hz));
    EXPECT_EQ(p.kernel_priority.value("kernel_priority"), 30);
    EXPECT_EQ(p.nice.value("nice"), 10);
    EXPECT_EQ(p.nthreads.value("nthreads"), 1);
    EXPECT_EQ(p.jiffies.value("jiffies"), 777u);
    EXPECT_TRUE(p.start_time.ok());
    // Fields the line does not have are reported missing, not invented.
    EXPECT_EQ(p.vsz.status(), AttrStatus::not_available) << psi::to_string(p.vsz.status());
    EXPECT_EQ(p.priority.status(), AttrStatus::not_available) << psi::to_string(p.priority.status());
    // statm is separate and present.
    EXPECT_TRUE(p.rss.ok());
}

TEST(FixtureKinds, ShortStatLineOfLinux24) {
    ProcFixture fx;
    StatFields f;
    f.vsize = 4096000;
    f.nfields = 39;  // up to "processor"
    fx.add_process(421, "init", f);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(421, Group::stat);
    EXPECT_EQ(p.vsz.value("vsz"), 4096000u);
    EXPECT_EQ(p.ppid.value("ppid"), 1);
    EXPECT_EQ(p.priority.status(), AttrStatus::not_available) << psi::to_string(p.priority.status());
    EXPECT_EQ(p.processor.value("processor"), 1);  // field 39 is the last one there
    f.nfields = 38;
    fx.add_process(422, "init", f);
    EXPECT_EQ(sys.process(422, Group::stat).processor.status(), AttrStatus::not_available);
}

TEST(FixtureKinds, ExeOfDeletedFile) {
    // readlink(2) of exe gives "<path> (deleted)" once the file is unlinked
    // (proc(5)). psi reports the path, like psutil's Process.exe().
    ProcFixture fx;
    ProcFiles files;
    files.exe = "/usr/bin/old prog (deleted)";
    fx.add_process(430, "old prog", StatFields{}, files);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo p = sys.process(430, Group::exe);
    EXPECT_EQ(p.exe.value("exe"), "/usr/bin/old prog");
}

// proc(5) wchan: a symbol name, or "0" when the task runs, the address has
// no symbol, or the reader may not ptrace the task. ppc64 (ELFv1) names
// carry a leading '.', which is not part of the function's name; leading
// underscores are (ps strips those for display; the library does not).
TEST(FixtureKinds, Wchan) {
    ProcFixture fx;
    struct Case { int pid; std::string file; std::string want; };
    const Case table[] = {
        {500, "hrtimer_nanosleep", "hrtimer_nanosleep"},
        {501, "0", ""},
        {502, ".do_select", "do_select"},
        {503, "__x64_sys_pause", "__x64_sys_pause"},
        {504, "poll_schedule_timeout.constprop.0\n", "poll_schedule_timeout.constprop.0"},
    };
    for (const Case& c : table) {
        ProcFiles files;
        files.wchan = c.file;
        fx.add_process(c.pid, "waiter", StatFields{}, files);
    }
    psi::System sys = open_fixture(fx);
    for (const Case& c : table) {
        const psi::ProcessInfo p = sys.process(c.pid, Group::wchan);
        EXPECT_EQ(p.wchan.value("wchan"), c.want) << c.file;
        EXPECT_TRUE(p.groups_read.has(Group::wchan));
    }
    // Read only when asked for: no group, no value.
    EXPECT_EQ(sys.process(500, Group::stat).wchan.status(), AttrStatus::not_read);
    const psi::ProcessTable t = sys.table(Group::stat | Group::wchan);
    ASSERT_EQ(t.size(), std::size(table));
    EXPECT_EQ(t.find(502)->wchan.value("wchan"), "do_select");
}

}  // namespace
