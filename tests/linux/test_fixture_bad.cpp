// Fixture trees, part 3: proc roots that are missing or hold garbage.
// SPEC 9: bad input gets a clear error, never a crash or a hang, and no
// single process or file can fail a table.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>
#include <string>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using namespace std::string_literals;
using psi::errc;
using psi::Group;
using psi_test::ProcFiles;
using psi_test::ProcFixture;
using psi_test::open_fixture;
using psi_test::StatFields;

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(FixtureBad, MissingProcRoot) {
    ProcFixture fx;  // an existing directory, so "<root>/nope" surely is not
    const psi::Options opts{.proc_root = fx.path("nope")};
    std::error_code ec;
    EXPECT_NO_THROW({ psi::System sys(opts, ec); });
    EXPECT_EQ(ec, errc::proc_root_unusable) << ec.message();
    try {
        psi::System sys(opts);
        FAIL() << "constructing on a missing proc root must throw";
    } catch (const psi::Error& e) {
        EXPECT_EQ(e.code(), errc::proc_root_unusable);
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos) << "name the root: " << e.what();
    }
}

TEST(FixtureBad, ProcRootIsARegularFile) {
    ProcFixture fx;
    fx.write("plainfile", "1 2 3\n");
    std::error_code ec;
    psi::System sys(psi::Options{.proc_root = fx.path("plainfile")}, ec);
    EXPECT_EQ(ec, errc::proc_root_unusable) << ec.message();
    EXPECT_THROW(psi::System(psi::Options{.proc_root = fx.path("plainfile")}), psi::Error);
}

TEST(FixtureBad, EmptyProcRoot) {
    ProcFixture fx;
    std::error_code ec;
    psi::System sys(psi::Options{.proc_root = fx.root()}, ec);
    if (ec) {
        // Refusing a directory with no processes at all is a fair answer...
        EXPECT_EQ(ec, errc::proc_root_unusable) << ec.message();
    } else {
        // ...and so is an empty table.
        std::error_code ec2;
        EXPECT_TRUE(sys.table(psi::groups::all, ec2).empty());
        EXPECT_FALSE(ec2) << ec2.message();
        (void)sys.process(1, psi::groups::all, ec2);
        EXPECT_EQ(ec2, errc::no_such_process) << ec2.message();
    }
}

// A stat file psi cannot read as a stat line: process() reports parse_error
// through both paths; the table leaves the process out.
class FixtureGarbage : public testing::Test {
protected:
    void SetUp() override {
        auto garbage = [this](int pid, std::string stat) {
            ProcFiles files;
            files.stat = std::move(stat);
            fx.add_process(pid, "g", StatFields{}, files);
        };
        garbage(500, ""s);
        garbage(501, "complete garbage\n"s);
        garbage(502, "502 (unterminated S 1 2 3 4 5\n"s);
        garbage(503, "\x01\x02\xff\xfe\0\0\0binary"s);
        garbage(511, "511 (x)\n"s);
        garbage(512, "(\n"s);
        garbage(513, ")(\n"s);

        // Numbers where psi must not invent values.
        garbage(504, "504 (bad nums) S abc def ghi 0 -1 0 1 2 3 4 5 6 7 8 20 0 1 0 100 1000 10\n"s);
        garbage(509, "509 (huge) S 99999999999999999999 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 "
                     "18446744073709551616 10\n"s);

        // Valid stat, unreadable other files.
        ProcFiles bad_others;
        bad_others.statm = "garbage\n";
        bad_others.status = "no ids here\nUid:\tx y\n";
        fx.add_process(505, "bad others", StatFields{}, bad_others);
        ProcFiles empty_others;
        empty_others.statm = ""s;
        empty_others.status = ""s;
        fx.add_process(506, "empty others", StatFields{}, empty_others);

        fx.mkdir("507");  // a process directory without stat: gone
        fx.write("508", "not a directory\n");
        for (const char* junk : {"abc", "12x", "-5", "0x10", "99999999999999999999", " 7", "self"})
            fx.mkdir(junk);

        fx.add_process(520, "good one");
    }
    ProcFixture fx;
};

TEST_F(FixtureGarbage, UnparsableStatIsParseError) {
    psi::System sys = open_fixture(fx);
    for (int pid : {500, 501, 502, 503, 511, 512, 513}) {
        SCOPED_TRACE(testing::Message() << "pid " << pid);
        std::error_code ec;
        EXPECT_NO_THROW((void)sys.process(pid, psi::groups::all, ec));
        EXPECT_EQ(ec, errc::parse_error) << ec.message();
        try {
            (void)sys.process(pid, Group::stat);
            ADD_FAILURE() << "expected psi::Error";
        } catch (const psi::Error& e) {
            EXPECT_EQ(e.code(), errc::parse_error);
            EXPECT_NE(std::string(e.what()).find(std::to_string(pid)), std::string::npos) << e.what();
        }
    }
}

TEST_F(FixtureGarbage, BadNumbersAreNotInvented) {
    psi::System sys = open_fixture(fx);
    for (int pid : {504, 509}) {
        SCOPED_TRACE(testing::Message() << "pid " << pid);
        std::error_code ec;
        const psi::ProcessInfo p = sys.process(pid, Group::stat, ec);
        if (ec) {
            EXPECT_EQ(ec, errc::parse_error) << ec.message();
        } else {
            EXPECT_FALSE(p.ppid.ok()) << "ppid invented: " << p.ppid.value_or(-12345);
        }
    }
    std::error_code ec;
    const psi::ProcessInfo p509 = sys.process(509, Group::stat, ec);
    if (!ec) {
        EXPECT_FALSE(p509.vsz.ok()) << "vsz overflowed to " << p509.vsz.value_or(0);
    }
}

TEST_F(FixtureGarbage, OtherFilesFailOnlyTheirAttributes) {
    psi::System sys = open_fixture(fx);
    for (int pid : {505, 506}) {
        SCOPED_TRACE(testing::Message() << "pid " << pid);
        std::error_code ec;
        const psi::ProcessInfo p = sys.process(pid, psi::groups::all, ec);
        ASSERT_FALSE(ec) << ec.message();
        EXPECT_TRUE(p.name.ok());
        EXPECT_EQ(p.ppid.value_or(-1), 1);
        EXPECT_FALSE(p.rss.ok()) << "rss from a garbage statm: " << p.rss.value_or(0);
        EXPECT_NE(p.rss.status(), psi::AttrStatus::not_read);
        EXPECT_FALSE(p.ruid.ok()) << "ruid from a status without Uid: " << p.ruid.value_or(0);
        EXPECT_NE(p.ruid.status(), psi::AttrStatus::not_read);
        EXPECT_TRUE(p.args.ok());
        EXPECT_TRUE(p.exe.ok());
    }
}

TEST_F(FixtureGarbage, DirectoryWithoutStatIsGone) {
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    (void)sys.process(507, psi::groups::all, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    EXPECT_THROW((void)sys.process(507), psi::Error);
}

TEST_F(FixtureGarbage, PidsAreNumericEntriesOnly) {
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    const std::vector<int> pids = sys.pids(ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_TRUE(std::is_sorted(pids.begin(), pids.end()));
    EXPECT_TRUE(contains(pids, 505));
    EXPECT_TRUE(contains(pids, 520));
    for (int p : pids) {
        EXPECT_GT(p, 0) << "from a non-pid entry such as -5";
        EXPECT_NE(p, 12) << "\"12x\" is not a pid";
        EXPECT_NE(p, 7) << "\" 7\" is not a pid";
    }
}

TEST_F(FixtureGarbage, TableSurvivesEverything) {
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    psi::ProcessTable t;
    EXPECT_NO_THROW(t = sys.table(psi::groups::all, ec));
    ASSERT_FALSE(ec) << ec.message();
    std::vector<int> got;
    for (const auto& p : t) got.push_back(p.pid);
    EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
    for (int pid : {505, 506, 520}) EXPECT_TRUE(contains(got, pid)) << pid;
    for (int pid : {500, 501, 502, 503, 507, 508, 511, 512, 513}) EXPECT_FALSE(contains(got, pid)) << pid;
    for (int pid : {504, 509}) {
        if (const psi::ProcessInfo* p = t.find(pid)) {
            EXPECT_FALSE(p->ppid.ok()) << pid;
        }
    }
    ASSERT_NE(t.find(520), nullptr);
    EXPECT_EQ(t.find(520)->name.value_or(""), "good one");
    // And the throwing overload does not throw either.
    EXPECT_NO_THROW((void)sys.table(psi::groups::ps));
}

TEST_F(FixtureGarbage, GoneProcessOnReadMoreAndRefresh) {
    psi::System sys = open_fixture(fx);
    psi::ProcessInfo p = sys.process(520, Group::stat);
    ASSERT_TRUE(sys.exists(p));
    // The process exits: its directory disappears.
    std::filesystem::remove_all(fx.path("520"));
    EXPECT_FALSE(sys.exists(p));
    std::error_code ec;
    EXPECT_NO_THROW(sys.read_more(p, Group::args, ec));
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    ec.clear();
    EXPECT_NO_THROW(sys.refresh(p, ec));
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    EXPECT_THROW(sys.refresh(p), psi::Error);
}

TEST_F(FixtureGarbage, ReusedPidIsAnotherProcess) {
    psi::System sys = open_fixture(fx);
    psi::ProcessInfo p = sys.process(520, Group::stat);
    // Same pid, later start: the kernel reused the pid for a new process.
    StatFields later;
    later.starttime = 5000;
    fx.write("520/stat", psi_test::make_stat(520, "imposter", later));
    EXPECT_FALSE(sys.exists(p));
    std::error_code ec;
    sys.read_more(p, Group::args, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    EXPECT_EQ(p.args.status(), psi::AttrStatus::not_read) << "must not read the imposter's argv";
    ec.clear();
    sys.refresh(p, ec);
    EXPECT_EQ(ec, errc::no_such_process) << ec.message();
    EXPECT_NE(p.name.value_or(""), "imposter");
}

}  // namespace

namespace {

// A fixture tree's pids are not this system's: signalling "its" pid would
// hit whatever process has that number here. The fixture uses our own pid
// (with our real start ticks) so that only the proc-root check can refuse.
TEST(FixtureBad, KillRefusedOnForeignProcRoot) {
    psi::System live;
    const psi::ProcessInfo me = live.process(::getpid(), Group::stat);
    ProcFixture fx;
    StatFields f;
    f.starttime = me.start_ticks;
    fx.add_process(::getpid(), "me", f);
    psi::System sys = open_fixture(fx);
    const psi::ProcessInfo fake = sys.process(::getpid(), Group::stat);
    ASSERT_TRUE(sys.exists(fake));
    std::error_code ec;
    sys.kill(fake, 0, ec);
    EXPECT_EQ(ec, errc::invalid_argument) << ec.message();
    // The live root may signal it.
    live.kill(me, 0, ec);
    EXPECT_FALSE(ec) << ec.message();
}

}  // namespace
