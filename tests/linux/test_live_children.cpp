// Children of the test process in known states (sleeping, killed, zombie)
// and pid 1, read through psi and checked against what the parent knows.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

using psi::errc;
using psi::Group;

TEST(LiveChildren, ForkedChildThenGone) {
    psi_test::Sleepers kids;
    const pid_t pid = kids.spawn("psi kid (1)");
    psi::System sys;

    const psi::ProcessInfo p = sys.process(pid, psi::groups::all);
    psi::ProcessInfo stat_only = sys.process(pid, Group::stat);
    EXPECT_EQ(stat_only.start_ticks, p.start_ticks);
    EXPECT_EQ(p.pid, pid);
    EXPECT_EQ(p.ppid.value("ppid"), ::getpid());
    EXPECT_EQ(p.pgrp.value("pgrp"), ::getpgrp());
    EXPECT_EQ(p.sid.value("sid"), ::getsid(0));
    EXPECT_EQ(p.name.value("name"), "psi kid (1)");
    // The child signalled readiness right before pause(2); it may still be
    // on its way into the sleep.
    const char letter = p.status_letter.value("status_letter");
    EXPECT_TRUE(letter == 'S' || letter == 'R') << letter;
    // fork(2) keeps argv, the executable and the directory.
    EXPECT_EQ(p.args.value("args"), psi_test::g_argv);
    const psi::ProcessInfo self = sys.process(::getpid(), Group::exe | Group::cwd | Group::stat);
    EXPECT_EQ(p.exe.value("exe"), self.exe.value("exe"));
    EXPECT_EQ(p.cwd.value("cwd"), self.cwd.value("cwd"));
    EXPECT_GE(p.start_time.value("start_time"), self.start_time.value("start_time"));
    EXPECT_GE(p.start_ticks, self.start_ticks);
    EXPECT_TRUE(sys.exists(p));

    const psi::ProcessTable t = sys.table(psi::groups::ps);
    const psi::ProcessInfo* in_table = t.find(pid);
    ASSERT_NE(in_table, nullptr);
    EXPECT_EQ(in_table->ppid.value("ppid"), ::getpid());
    EXPECT_EQ(in_table->start_ticks, p.start_ticks);

    // psi delivers the signal; the kernel reports it in the wait status.
    sys.kill(p, SIGTERM);
    const int st = kids.reap(pid);
    ASSERT_TRUE(WIFSIGNALED(st));
    EXPECT_EQ(WTERMSIG(st), SIGTERM);

    std::error_code ec;
    (void)sys.process(pid, psi::groups::all, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    try {
        (void)sys.process(pid);
        ADD_FAILURE() << "expected no_such_process";
    } catch (const psi::Error& e) {
        EXPECT_EQ(e.code(), errc::no_such_process);
        EXPECT_NE(std::string(e.what()).find(std::to_string(pid)), std::string::npos) << e.what();
    }
    EXPECT_FALSE(sys.exists(p));
    ec.clear();
    sys.kill(p, 0, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    psi::ProcessInfo copy = p;
    ec.clear();
    sys.refresh(copy, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    // A group not read yet cannot be read from a process that is gone.
    ec.clear();
    sys.read_more(stat_only, Group::env, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    EXPECT_EQ(stat_only.env.status(), psi::AttrStatus::not_read);
    EXPECT_EQ(sys.table(psi::groups::ps).find(pid), nullptr);
}

TEST(LiveChildren, ZombieChild) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) ::_exit(7);
    // WNOWAIT leaves the child unreaped: from here until waitpid it is a
    // zombie (wait(2)).
    siginfo_t info{};
    ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT), 0);

    psi::System sys;
    std::error_code ec;
    const psi::ProcessInfo p = sys.process(pid, psi::groups::all, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(p.status.value("status"), psi::ProcStatus::zombie);
    EXPECT_EQ(p.status_letter.value("status_letter"), 'Z');
    EXPECT_EQ(p.ppid.value("ppid"), ::getpid());
    EXPECT_FALSE(p.is_kernel_thread);
    for (auto st : {p.args.status(), p.env.status(), p.exe.status(), p.cwd.status()})
        EXPECT_EQ(st, psi::AttrStatus::not_available) << psi::to_string(st);
    EXPECT_TRUE(p.name.ok());
    EXPECT_TRUE(p.euid.ok());
    EXPECT_TRUE(sys.exists(p)) << "zombies exist until reaped";

    const psi::ProcessTable t = sys.table(psi::groups::all, ec);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_NE(t.find(pid), nullptr);
    EXPECT_EQ(t.find(pid)->status_letter.value_or('?'), 'Z');

    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_EQ(WEXITSTATUS(status), 7);
    (void)sys.process(pid, Group::stat, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    EXPECT_FALSE(sys.exists(p));
}

TEST(LiveChildren, StoppedChild) {
    psi_test::Sleepers kids;
    const pid_t pid = kids.spawn();
    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    siginfo_t info{};
    ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(pid), &info, WSTOPPED), 0);
    psi::System sys;
    const psi::ProcessInfo p = sys.process(pid, Group::stat);
    EXPECT_EQ(p.status.value("status"), psi::ProcStatus::stopped);
    EXPECT_EQ(p.status_letter.value("status_letter"), 'T');

    // A stopped task stays in the same kernel function, so the kernel's
    // wchan file and ps (procps prints it with leading '_'s dropped, "-"
    // for "0") must agree with psi.
    const psi::ProcessInfo w = sys.process(pid, Group::wchan);
    const std::string raw = psi_test::read_file("/proc/" + std::to_string(pid) + "/wchan");
    ASSERT_FALSE(raw.empty());
    EXPECT_EQ(w.wchan.value("wchan"), raw == "0" ? "" : raw);
    std::string from_ps = psi_test::run_capture("ps -o wchan:60= -p " + std::to_string(pid));
    while (!from_ps.empty() && (from_ps.back() == '\n' || from_ps.back() == ' ')) from_ps.pop_back();
    std::string want = w.wchan.value("wchan");
    while (!want.empty() && want.front() == '_') want.erase(0, 1);
    EXPECT_EQ(from_ps, want.empty() ? "-" : want);
}

TEST(LivePid1, Init) {
    psi::System sys;
    const psi::ProcessInfo p = sys.process(1, psi::groups::all);
    EXPECT_EQ(p.pid, 1);
    EXPECT_EQ(p.ppid.value("ppid"), 0);
    EXPECT_GT(p.start_ticks, 0u);
    EXPECT_TRUE(sys.exists(p));
    EXPECT_FALSE(p.is_kernel_thread);
    int st = 0;
    std::string comm = psi_test::run_capture("ps -o comm= -p 1", &st);
    ASSERT_EQ(st, 0);
    while (!comm.empty() && (comm.back() == '\n' || comm.back() == ' ')) comm.pop_back();
    EXPECT_EQ(p.name.value("name"), comm);
    // pid 1 started before us.
    EXPECT_LE(p.start_ticks, sys.process(::getpid(), Group::stat).start_ticks);
    EXPECT_LE(p.start_time.value("start_time"), sys.process(::getpid(), Group::stat).start_time.value());
}

}  // namespace
