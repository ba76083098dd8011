// psi::parent and psi::children on a live process tree three levels deep
// (this test -> a -> b -> c), checked against the ppids in /proc/PID/stat.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

using psi::Group;

// Field 4 of /proc/PID/stat (after the last ')', which ends comm).
int proc_ppid(int pid) {
    const std::string stat = psi_test::read_file("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    int ppid = -1;
    char state = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return -1;
    return ppid;
}

// a (its own process group) forks b, b forks c; c reports its pid and b's
// through a pipe once all three exist. The destructor kills the group.
class Tree {
public:
    Tree() {
        int fds[2];
        if (::pipe(fds) != 0) return;
        a_ = ::fork();
        if (a_ == 0) {
            ::setpgid(0, 0);
            if (::fork() == 0) {
                if (::fork() == 0) {
                    int ids[2] = {static_cast<int>(::getpid()), static_cast<int>(::getppid())};
                    (void)!::write(fds[1], ids, sizeof ids);
                    for (;;) ::pause();
                }
                for (;;) ::pause();
            }
            for (;;) ::pause();
        }
        ::close(fds[1]);
        ::setpgid(a_, a_);  // also from here: no race with a's own call
        int ids[2] = {0, 0};
        if (::read(fds[0], ids, sizeof ids) == static_cast<ssize_t>(sizeof ids)) {
            c_ = ids[0];
            b_ = ids[1];
        }
        ::close(fds[0]);
    }
    ~Tree() {
        if (a_ > 0) {
            ::kill(-a_, SIGKILL);
            int st = 0;
            ::waitpid(a_, &st, 0);
        }
    }
    Tree(const Tree&) = delete;
    Tree& operator=(const Tree&) = delete;
    int a() const { return a_; }
    int b() const { return b_; }
    int c() const { return c_; }

private:
    int a_ = -1, b_ = 0, c_ = 0;
};

std::set<int> pids_of(const std::vector<psi::ProcessInfo>& v) {
    std::set<int> out;
    for (const auto& p : v) out.insert(p.pid);
    return out;
}

TEST(LiveFamily, ThreeLevelTreeMatchesProcStat) {
    Tree tree;
    ASSERT_GT(tree.a(), 0);
    ASSERT_GT(tree.c(), 0);
    // The kernel's view first: the chain is what the test expects.
    ASSERT_EQ(proc_ppid(tree.a()), ::getpid());
    ASSERT_EQ(proc_ppid(tree.b()), tree.a());
    ASSERT_EQ(proc_ppid(tree.c()), tree.b());

    psi::System sys;
    const psi::ProcessInfo self = sys.process(::getpid(), Group::stat);
    const psi::ProcessInfo a = sys.process(tree.a(), Group::stat);

    // Direct children of a: exactly b (a forked nothing else).
    std::vector<psi::ProcessInfo> direct = psi::children(sys, a, Group::stat, false);
    EXPECT_EQ(pids_of(direct), (std::set<int>{tree.b()}));
    // Every descendant of a: b and c, each with /proc's ppid.
    std::vector<psi::ProcessInfo> all = psi::children(sys, a, Group::stat | Group::args, true);
    EXPECT_EQ(pids_of(all), (std::set<int>{tree.b(), tree.c()}));
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](auto& x, auto& y) { return x.pid < y.pid; }));
    for (const auto& p : all) {
        EXPECT_EQ(p.ppid.value("ppid"), proc_ppid(p.pid)) << p.pid;
        EXPECT_TRUE(p.groups_read.has(Group::args)) << "groups asked for are read";
    }

    // Descendants of this test process: a, b, c among them, and each
    // listed one's /proc ppid is this process or another listed one.
    std::vector<psi::ProcessInfo> mine = psi::children(sys, self, Group::stat, true);
    std::set<int> mine_pids = pids_of(mine);
    for (int pid : {tree.a(), tree.b(), tree.c()}) EXPECT_TRUE(mine_pids.count(pid)) << pid;
    for (int pid : mine_pids) {
        const int pp = proc_ppid(pid);
        EXPECT_TRUE(pp == ::getpid() || mine_pids.count(pp)) << pid << " has ppid " << pp;
    }
    std::set<int> my_direct = pids_of(psi::children(sys, self, Group::stat, false));
    EXPECT_TRUE(my_direct.count(tree.a()));
    EXPECT_FALSE(my_direct.count(tree.b()));
    EXPECT_FALSE(my_direct.count(tree.c()));

    // Parents, up the chain: c -> b -> a -> this process.
    const psi::ProcessInfo c = sys.process(tree.c(), Group::stat);
    std::optional<psi::ProcessInfo> pb = psi::parent(sys, c);
    ASSERT_TRUE(pb);
    EXPECT_EQ(pb->pid, tree.b());
    std::optional<psi::ProcessInfo> pa = psi::parent(sys, *pb);
    ASSERT_TRUE(pa);
    EXPECT_EQ(pa->pid, tree.a());
    EXPECT_EQ(pa->start_ticks, a.start_ticks);
    std::optional<psi::ProcessInfo> pself = psi::parent(sys, *pa, Group::stat | Group::exe);
    ASSERT_TRUE(pself);
    EXPECT_EQ(pself->pid, ::getpid());
    EXPECT_TRUE(pself->groups_read.has(Group::exe));

    // A snapshot whose ppid was not read gets it read first.
    psi::ProcessInfo bare;
    bare.pid = c.pid;
    bare.start_ticks = c.start_ticks;
    pb = psi::parent(sys, bare);
    ASSERT_TRUE(pb);
    EXPECT_EQ(pb->pid, tree.b());
}

TEST(LiveFamily, PidOneHasNoParent) {
    psi::System sys;
    const psi::ProcessInfo init = sys.process(1, Group::stat);
    ASSERT_EQ(proc_ppid(1), 0);
    std::error_code ec;
    EXPECT_FALSE(psi::parent(sys, init, Group::stat, ec));
    EXPECT_FALSE(ec) << ec.message();
}

TEST(LiveFamily, GoneProcess) {
    psi::System sys;
    psi::ProcessInfo gone;
    {
        Tree tree;
        ASSERT_GT(tree.a(), 0);
        gone = sys.process(tree.a(), Group::stat);
    }  // killed and reaped
    std::error_code ec;
    EXPECT_TRUE(psi::children(sys, gone, Group::stat, true, ec).empty());
    EXPECT_EQ(ec, psi::errc::no_such_process) << ec.message();
    try {
        (void)psi::children(sys, gone);
        ADD_FAILURE() << "expected no_such_process";
    } catch (const psi::Error& e) {
        EXPECT_EQ(e.code(), psi::errc::no_such_process);
    }
    // Its snapshot still names its parent (this process), which lives and
    // is older: the parent is found from the snapshot alone.
    std::optional<psi::ProcessInfo> p = psi::parent(sys, gone, Group::stat, ec);
    EXPECT_FALSE(ec) << ec.message();
    ASSERT_TRUE(p);
    EXPECT_EQ(p->pid, ::getpid());
}

}  // namespace
