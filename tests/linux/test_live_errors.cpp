// Bad input and refused actions on the live system: clear codes through
// both paths, and the error_code overloads never throw (SPEC 3, 9).
//
// Safety: any kill() aimed at a pid psi might mishandle uses signal 0, so a
// library bug can never turn into kill(-1, SIGKILL) on this machine.
#include <gtest/gtest.h>

#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <string>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

using psi::errc;
using psi::Group;

struct BadPid {
    std::int64_t pid;
    errc want;
    bool or_no_such_process;  // either code is a fair answer
};

// system.hpp: invalid_argument outside 1..INT_MAX; pid 0 "where the OS has
// it" (Linux lists no /proc/0, so no_such_process is fair there too).
const BadPid kBadPids[] = {
    {-1, errc::invalid_argument, false},
    {-2, errc::invalid_argument, false},
    {INT64_MIN, errc::invalid_argument, false},
    {static_cast<std::int64_t>(INT_MAX) + 1, errc::invalid_argument, false},
    {std::int64_t{1} << 32, errc::invalid_argument, false},
    {INT64_MAX, errc::invalid_argument, false},
    {0, errc::invalid_argument, true},
    // In range, but above PID_MAX_LIMIT (4194304): cannot exist.
    {INT_MAX, errc::no_such_process, false},
    {4194305, errc::no_such_process, false},
};

TEST(LiveErrors, BadPidsBothPaths) {
    psi::System sys;
    for (const BadPid& b : kBadPids) {
        SCOPED_TRACE(testing::Message() << "pid " << b.pid);
        std::error_code ec;
        EXPECT_NO_THROW((void)sys.process(b.pid, psi::groups::all, ec));
        if (b.or_no_such_process && ec == errc::no_such_process) continue;
        EXPECT_EQ(ec, b.want) << ec.message();
        try {
            (void)sys.process(b.pid, Group::stat);
            ADD_FAILURE() << "no exception";
        } catch (const psi::Error& e) {
            EXPECT_EQ(e.code(), b.want);
        }
    }
}

TEST(LiveErrors, ErrorCodeOverloadsNeverThrow) {
    psi::System sys;
    std::error_code ec;
    psi::ProcessInfo bogus;
    bogus.pid = -1;
    bogus.groups_read = Group::stat;
    psi::ProcessInfo huge;
    huge.pid = INT_MAX;
    huge.start_ticks = 12345;
    huge.groups_read = Group::stat;
    for (psi::ProcessInfo* p : {&bogus, &huge}) {
        SCOPED_TRACE(testing::Message() << "pid " << p->pid);
        ec.clear();
        EXPECT_NO_THROW(sys.read_more(*p, Group::args, ec));
        EXPECT_TRUE(static_cast<bool>(ec));
        ec.clear();
        EXPECT_NO_THROW(sys.refresh(*p, ec));
        EXPECT_TRUE(static_cast<bool>(ec));
        ec.clear();
        EXPECT_NO_THROW(sys.kill(*p, 0, ec));  // signal 0: see the file comment
        EXPECT_TRUE(static_cast<bool>(ec));
        EXPECT_NO_THROW(EXPECT_FALSE(sys.exists(*p)));
    }
    ec.clear();
    EXPECT_NO_THROW((void)sys.pids(ec));
    EXPECT_FALSE(ec);
    EXPECT_NO_THROW((void)sys.table(psi::groups::all, ec));
    EXPECT_FALSE(ec);
    EXPECT_NO_THROW((void)sys.loadavg(ec));
    EXPECT_FALSE(ec);
    EXPECT_NO_THROW((void)sys.boot_time(ec));
    EXPECT_FALSE(ec);
    EXPECT_NO_THROW((void)sys.uptime(ec));
    EXPECT_FALSE(ec);
    EXPECT_NO_THROW((void)sys.mounts(true, ec));
    EXPECT_FALSE(ec);
}

TEST(LiveErrors, KillWithBadSignal) {
    psi_test::Sleepers kids;
    const pid_t pid = kids.spawn();
    psi::System sys;
    const psi::ProcessInfo p = sys.process(pid, Group::stat);
    for (int sig : {-1, 65, 999, INT_MAX, INT_MIN}) {
        SCOPED_TRACE(testing::Message() << "signal " << sig);
        std::error_code ec;
        EXPECT_NO_THROW(sys.kill(p, sig, ec));
        EXPECT_EQ(ec, errc::invalid_argument) << ec.message();
        try {
            sys.kill(p, sig);
            ADD_FAILURE() << "no exception";
        } catch (const psi::Error& e) {
            EXPECT_EQ(e.code(), errc::invalid_argument);
        }
    }
    std::error_code ec;
    sys.kill(p, 0, ec);  // signal 0 only checks (kill(2))
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_TRUE(sys.exists(p)) << "the child must have survived";
    sys.kill(p, SIGKILL);
    const int st = kids.reap(pid);
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

// A snapshot whose pid now belongs to another process (simulated by a
// start-ticks mismatch on a live child): psi must refuse to signal or read
// it rather than hit the wrong process (system.hpp: "gone or reused").
TEST(LiveErrors, ReusedPidIsNotSignalled) {
    psi_test::Sleepers kids;
    const pid_t pid = kids.spawn();
    psi::System sys;
    psi::ProcessInfo stale = sys.process(pid, Group::stat);
    stale.start_ticks -= 1;  // "the process that had this pid started earlier"
    EXPECT_FALSE(sys.exists(stale));
    std::error_code ec;
    sys.kill(stale, SIGTERM, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    EXPECT_THROW(sys.kill(stale, SIGTERM), psi::Error);
    ec.clear();
    sys.read_more(stale, Group::env, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    EXPECT_EQ(stale.env.status(), psi::AttrStatus::not_read);
    ec.clear();
    sys.refresh(stale, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    // The child never got SIGTERM: it is still asleep, and dies by SIGKILL.
    const psi::ProcessInfo now = sys.process(pid, Group::stat);
    EXPECT_TRUE(sys.exists(now));
    const int st = kids.kill_and_reap(pid);
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) << st;
}

// Reading root's processes and signalling them as an unprivileged user: the
// OS refuses, psi reports it (SPEC 9) and the rest of the snapshot is fine.
// Runs in a forked child that drops to nobody, reporting through a pipe.
TEST(LiveErrors, InsufficientPrivileges) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to another user";
    psi_test::Sleepers kids;
    const pid_t target = kids.spawn();  // root-owned
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(fds[0]);
        std::string report;
        auto check = [&](bool ok, const std::string& what) {
            if (!ok) report += "FAIL " + what + "\n";
        };
        if (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
            ::setresuid(65534, 65534, 65534) != 0) {
            report = "FAIL could not drop privileges\n";
        } else {
            psi::System sys;
            std::error_code ec;
            const psi::ProcessInfo p = sys.process(target, psi::groups::all, ec);
            check(!ec, "process(target): " + ec.message());
            check(p.ppid.ok(), "ppid of a root process is public");
            check(p.name.ok(), "name is public");
            check(p.args.ok(), "cmdline is world-readable");
            check(p.env.status() == psi::AttrStatus::insufficient_privs,
                  std::string("env status ") + psi::to_string(p.env.status()));
            check(p.exe.status() == psi::AttrStatus::insufficient_privs,
                  std::string("exe status ") + psi::to_string(p.exe.status()));
            check(p.cwd.status() == psi::AttrStatus::insufficient_privs,
                  std::string("cwd status ") + psi::to_string(p.cwd.status()));
            check(p.env.os_error() == EACCES, "env os_error " + std::to_string(p.env.os_error()));
            ec.clear();
            sys.kill(p, SIGTERM, ec);
            check(ec == errc::insufficient_privs, "kill as nobody: " + ec.message());
            try {
                sys.kill(p, SIGTERM);
                check(false, "kill did not throw");
            } catch (const psi::Error& e) {
                check(e.code() == errc::insufficient_privs, std::string("kill threw ") + e.what());
            } catch (...) {
                check(false, "kill threw something else");
            }
            ec.clear();
            const psi::ProcessTable t = sys.table(psi::groups::all, ec);
            check(!ec && t.find(1) != nullptr, "table as nobody: " + ec.message());
        }
        if (report.empty()) report = "OK\n";
        (void)!::write(fds[1], report.data(), report.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buf[512];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int st = 0;
    ASSERT_EQ(::waitpid(child, &st, 0), child);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "child status " << st;
    EXPECT_EQ(out, "OK\n");
    // The target must not have been touched.
    psi::System sys;
    EXPECT_TRUE(sys.exists(sys.process(target, Group::stat)));
}

}  // namespace
