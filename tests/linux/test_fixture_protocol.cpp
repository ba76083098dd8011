// The liveness protocol as psi::System runs it (core/backend_process.hpp):
// a snapshot whose pid now names another process (the fixture's stat start
// time rewritten between two reads) is refused and left exactly as it was;
// a failed read of a process that is still there is that attribute's
// status, not "gone"; pids are checked once, in System.
#include <gtest/gtest.h>

#include <unistd.h>

#include <string>
#include <system_error>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using namespace std::string_literals;
using psi::AttrStatus;
using psi::Group;
using psi::Groups;
using psi_test::ProcFiles;
using psi_test::ProcFixture;
using psi_test::StatFields;
using psi_test::open_fixture;

// What a test compares before and after a refused read: identity, the
// groups read, and attributes of every group (read or not).
struct Seen {
    int pid;
    std::uint64_t start_ticks;
    Groups groups_read;
    std::string name;
    int ppid;
    AttrStatus args, env, exe, cwd, ruid, rss, euser;
    bool operator==(const Seen&) const = default;
};
Seen seen(const psi::ProcessInfo& p) {
    return {p.pid, p.start_ticks, p.groups_read, p.name.get() ? *p.name.get() : "<none>",
            p.ppid.get() ? *p.ppid.get() : -99, p.args.status(), p.env.status(), p.exe.status(),
            p.cwd.status(), p.ruid.status(), p.rss.status(), p.euser.status()};
}

// Pid 100 started at tick 1000; `reuse` rewrites its stat as another
// process's, started at tick 2000 under the same pid.
struct ReusedPid : ::testing::Test {
    ProcFixture fx;
    StatFields f;
    void SetUp() override {
        f.starttime = 1000;
        f.ppid = 1;
        fx.add_process(100, "original", f);
    }
    void reuse() {
        StatFields g = f;
        g.starttime = 2000;
        g.ppid = 55;
        fx.write("100/stat", psi_test::make_stat(100, "newcomer", g));
    }
};

TEST_F(ReusedPid, ReadMoreRefusesAndLeavesTheSnapshot) {
    psi::System sys = open_fixture(fx);
    psi::ProcessInfo p = sys.process(100, Groups(Group::stat) | Group::owner);
    ASSERT_EQ(p.start_ticks, 1000u);
    const Seen before = seen(p);
    reuse();
    std::error_code ec;
    sys.read_more(p, Groups(Group::args) | Group::env | Group::exe | Group::cwd | Group::creds |
                         Group::memory | Group::names, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    EXPECT_EQ(seen(p), before);
    EXPECT_EQ(*p.name.get(), "original");
    EXPECT_EQ(p.args.status(), AttrStatus::not_read);
    EXPECT_FALSE(sys.exists(p));
}

TEST_F(ReusedPid, RefreshRefusesAndLeavesTheSnapshot) {
    psi::System sys = open_fixture(fx);
    psi::ProcessInfo p = sys.process(100, psi::groups::all);
    const Seen before = seen(p);
    reuse();
    std::error_code ec;
    sys.refresh(p, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    EXPECT_EQ(seen(p), before);
    EXPECT_EQ(*p.ppid.get(), 1);
}

TEST_F(ReusedPid, TheNewcomerReadsAsItself) {
    psi::System sys = open_fixture(fx);
    reuse();
    psi::ProcessInfo q = sys.process(100, Groups(Group::stat));
    EXPECT_EQ(q.start_ticks, 2000u);
    EXPECT_EQ(*q.name.get(), "newcomer");
}

TEST_F(ReusedPid, UnchangedPidReadsMore) {
    psi::System sys = open_fixture(fx);
    psi::ProcessInfo p = sys.process(100, Groups(Group::stat));
    sys.read_more(p, Groups(Group::args));
    EXPECT_TRUE(p.groups_read.has(Group::args));
    EXPECT_TRUE(p.groups_read.has(Group::stat));
    EXPECT_EQ(*p.args.get(), (std::vector<std::string>{"/usr/bin/prog"}));
    EXPECT_EQ(p.start_ticks, 1000u);
    EXPECT_TRUE(sys.exists(p));
}

TEST(FixtureProtocol, FailedReadOfALiveProcessIsTheAttributes) {
    // cmdline missing (ENOENT) looks like an exit; the one re-check finds
    // stat with the same start, so the process is there and only args
    // failed: the read succeeds, the group counts as read.
    ProcFixture fx;
    ProcFiles files;
    files.cmdline.reset();
    fx.add_process(120, "prog", StatFields{}, files);
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    psi::ProcessInfo p = sys.process(120, Groups(Group::stat) | Group::args, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(p.args.status(), AttrStatus::not_available);
    EXPECT_TRUE(p.groups_read.has(Group::args));
    EXPECT_EQ(p.pid, 120);
    // The same through read_more of an existing snapshot.
    psi::ProcessInfo q = sys.process(120, Groups(Group::stat));
    sys.read_more(q, Groups(Group::args), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(q.args.status(), AttrStatus::not_available);
    EXPECT_TRUE(q.groups_read.has(Group::args));
}

TEST(FixtureProtocol, GoneProcessIsRefusedAndLeftAlone) {
    ProcFixture fx;
    fx.add_process(130, "prog");
    psi::System sys = open_fixture(fx);
    psi::ProcessInfo p = sys.process(130, Groups(Group::stat));
    const Seen before = seen(p);
    ASSERT_EQ(::unlink(fx.path("130/stat").c_str()), 0);
    std::error_code ec;
    sys.read_more(p, Groups(Group::args), ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    EXPECT_EQ(seen(p), before);
    sys.process(130, Groups(Group::stat), ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
}

TEST(FixtureProtocol, PidsAreCheckedOnce) {
    ProcFixture fx;
    fx.add_process(1, "init");
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    sys.process(-1, Groups(Group::stat), ec);
    EXPECT_EQ(ec, psi::errc::invalid_argument);
    sys.process(std::int64_t{1} << 40, Groups(Group::stat), ec);
    EXPECT_EQ(ec, psi::errc::invalid_argument);
    psi::ProcessInfo bad;
    bad.pid = -7;
    sys.read_more(bad, Groups(Group::args), ec);
    EXPECT_EQ(ec, psi::errc::invalid_argument);
    EXPECT_EQ(bad.args.status(), AttrStatus::not_read);
    sys.refresh(bad, ec);
    EXPECT_EQ(ec, psi::errc::invalid_argument);
    EXPECT_FALSE(sys.exists(bad));
}

TEST(FixtureProtocol, TableDropsARowWhoseStatIsGarbage) {
    ProcFixture fx;
    fx.add_process(1, "init");
    ProcFiles garbage;
    garbage.stat = "garbage"s;
    fx.add_process(2, "x", StatFields{}, garbage);
    psi::System sys = open_fixture(fx);
    psi::ProcessTable t = sys.table(psi::groups::ps);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t.find(1)->pid, 1);
    EXPECT_EQ(t.find(2), nullptr);
}

}  // namespace
