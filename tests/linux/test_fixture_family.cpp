// Fixture proc trees with known answers for what the core derives across
// processes or from system files: parent/children with their pid-reuse
// guards and cycle safety, pid_max, the host of remote mounts.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using psi::Group;
using psi_test::ProcFixture;
using psi_test::StatFields;

std::set<int> pids_of(const std::vector<psi::ProcessInfo>& v) {
    std::set<int> out;
    for (const auto& p : v) out.insert(p.pid);
    return out;
}

// 1 (init) -> 10 -> 11 -> 12 -> 13; 14 names 10 as its parent but started
// before 10 did (its parent was an earlier holder of pid 10), 15 is 14's
// child; 20 and 21 name each other (a crafted tree), 22 is 21's child.
class FamilyTree : public ::testing::Test {
protected:
    void SetUp() override {
        add(1, 0, 10);
        add(10, 1, 100);
        add(11, 10, 200);
        add(12, 11, 300);
        add(13, 12, 400);
        add(14, 10, 50);
        add(15, 14, 500);
        add(20, 21, 600);
        add(21, 20, 600);
        add(22, 21, 700);
        add(30, 99, 800);  // parent 99 is not listed
    }
    void add(int pid, int ppid, unsigned long long start) {
        StatFields f;
        f.ppid = ppid;
        f.starttime = start;
        fx.add_process(pid, "p" + std::to_string(pid), f);
    }
    ProcFixture fx;
};

TEST_F(FamilyTree, DirectAndRecursiveChildren) {
    psi::System sys = psi_test::open_fixture(fx);
    const psi::ProcessInfo p10 = sys.process(10, Group::stat);
    EXPECT_EQ(pids_of(psi::children(sys, p10, Group::stat, false)), (std::set<int>{11}));
    EXPECT_EQ(pids_of(psi::children(sys, p10, Group::stat, true)), (std::set<int>{11, 12, 13}));
    const psi::ProcessInfo p1 = sys.process(1, Group::stat);
    EXPECT_EQ(pids_of(psi::children(sys, p1, Group::stat, false)), (std::set<int>{10}));
    EXPECT_EQ(pids_of(psi::children(sys, p1, Group::stat, true)), (std::set<int>{10, 11, 12, 13}));
    const psi::ProcessInfo p13 = sys.process(13, Group::stat);
    EXPECT_TRUE(psi::children(sys, p13, Group::stat, true).empty());
    // 14's own child is found from 14, whose start it does not precede.
    const psi::ProcessInfo p14 = sys.process(14, Group::stat);
    EXPECT_EQ(pids_of(psi::children(sys, p14, Group::stat, true)), (std::set<int>{15}));
}

TEST_F(FamilyTree, CycleEnds) {
    psi::System sys = psi_test::open_fixture(fx);
    const psi::ProcessInfo p20 = sys.process(20, Group::stat);
    EXPECT_EQ(pids_of(psi::children(sys, p20, Group::stat, true)), (std::set<int>{21, 22}));
    const psi::ProcessInfo p21 = sys.process(21, Group::stat);
    EXPECT_EQ(pids_of(psi::children(sys, p21, Group::stat, false)), (std::set<int>{20, 22}));
    EXPECT_EQ(pids_of(psi::children(sys, p21, Group::stat, true)), (std::set<int>{20, 22}));
}

TEST_F(FamilyTree, Parents) {
    psi::System sys = psi_test::open_fixture(fx);
    auto parent_pid = [&](int pid) {
        std::optional<psi::ProcessInfo> p = psi::parent(sys, sys.process(pid, Group::stat), Group::stat);
        return p ? p->pid : -1;
    };
    EXPECT_EQ(parent_pid(13), 12);
    EXPECT_EQ(parent_pid(11), 10);
    EXPECT_EQ(parent_pid(10), 1);
    EXPECT_EQ(parent_pid(1), -1);   // ppid 0
    EXPECT_EQ(parent_pid(14), -1);  // pid 10 now belongs to a younger process
    EXPECT_EQ(parent_pid(30), -1);  // gone
    EXPECT_EQ(parent_pid(21), 20);  // same start: not younger
}

TEST_F(FamilyTree, ReusedPidIsNoSuchProcess) {
    psi::System sys = psi_test::open_fixture(fx);
    psi::ProcessInfo stale = sys.process(10, Group::stat);
    stale.start_ticks = 99;  // an earlier process with pid 10
    std::error_code ec;
    EXPECT_TRUE(psi::children(sys, stale, Group::stat, true, ec).empty());
    EXPECT_EQ(ec, psi::errc::no_such_process);
    psi::ProcessInfo missing;
    missing.pid = 77;
    missing.start_ticks = 1;
    (void)psi::children(sys, missing, Group::stat, false, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    // A snapshot without ppid whose process is gone: its stat cannot be read.
    (void)psi::parent(sys, missing, Group::stat, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
}

TEST(FixturePidMax, FromTheProcRoot) {
    ProcFixture fx;
    fx.add_process(1, "init");
    fx.write("sys/kernel/pid_max", "4194304\n");
    psi::System sys = psi_test::open_fixture(fx);
    std::error_code ec;
    EXPECT_EQ(sys.pid_max(ec), 4194304);
    EXPECT_FALSE(ec);
    EXPECT_EQ(sys.arch().pid_max, 4194304);
    fx.write("sys/kernel/pid_max", "32768");
    EXPECT_EQ(sys.pid_max(ec), 32768);
}

TEST(FixturePidMax, MissingOrGarbage) {
    ProcFixture fx;
    fx.add_process(1, "init");
    psi::System sys = psi_test::open_fixture(fx);
    std::error_code ec;
    EXPECT_EQ(sys.pid_max(ec), 0);
    EXPECT_EQ(ec, psi::errc::attr_not_available);
    EXPECT_EQ(sys.arch().pid_max, 0);
    for (const char* bad : {"", "\n", "abc\n", "-5\n", "0\n", "99999999999\n", "12 34\n"}) {
        fx.write("sys/kernel/pid_max", bad);
        EXPECT_EQ(sys.pid_max(ec), 0) << bad;
        EXPECT_EQ(ec, psi::errc::attr_not_available) << bad;
    }
}

TEST(FixtureMountHost, ServerWithoutUser) {
    ProcFixture fx;
    fx.add_process(1, "init");
    fx.write("mounts",
             "//alice@srv/share /mnt/cifs cifs rw 0 0\n"
             "bob@build:/home/bob /mnt/sshfs fuse.sshfs rw 0 0\n"
             "[fd00::5]:/export /mnt/nfs6 nfs4 rw 0 0\n"
             "/dev/vdz / ext4 rw 0 0\n");
    psi::System sys = psi_test::open_fixture(fx);
    const std::vector<psi::MountInfo> m = sys.mounts(true, std::chrono::milliseconds(0));
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0].host, "srv");
    EXPECT_EQ(m[0].device, "//alice@srv/share");
    EXPECT_EQ(m[1].host, "build");
    EXPECT_EQ(m[2].host, "fd00::5");
    EXPECT_FALSE(m[3].remote);
    EXPECT_EQ(m[3].host, "");
}

}  // namespace
