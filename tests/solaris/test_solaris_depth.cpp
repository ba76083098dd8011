// The Solaris reader's process depth (issue 12: usage counters, children's
// times, fd count) and lwps (issue 14: /proc/PID/lwp/LWPID/) over fixture
// proc trees (solaris_tree_fixture.hpp), in the same binary as
// test_solaris_tree.cpp.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "psi/system.hpp"
#include "solaris_tree_fixture.hpp"

// -- x-solaris: process depth from usage, status and fd/ (issue 12) --
// A process row's faults come with the usage group (a stat read does not
// include it: usage would be a third record on every row of a default
// table), context switches with the status group (usage too, read once),
// the children's times from pstatus pr_cutime/pr_cstime, num_fds from the
// entries of fd/.
TEST_F(SolarisTree, UsageCountersAndFds) {
    psi::System s = sys();
    auto p = s.process(1234, psi::Group::stat);
    EXPECT_EQ(p.minor_faults.status(), psi::AttrStatus::not_read);
    EXPECT_EQ(p.major_faults.status(), psi::AttrStatus::not_read);
    EXPECT_FALSE(p.groups_read.has(psi::Group::usage));
    auto u = s.process(1234, psi::Group::usage);
    EXPECT_TRUE(u.groups_read.has(psi::Group::usage));
    EXPECT_EQ(u.minor_faults.value(), 123401u);  // usage pr_minf
    EXPECT_EQ(u.major_faults.value(), 123402u);  // usage pr_majf
    // Asked for both, usage is read once and serves both groups.
    auto both = s.process(1300, psi::Group::usage | psi::Group::status);
    EXPECT_EQ(both.minor_faults.value(), 130001u);
    EXPECT_EQ(both.depth().voluntary_ctxt_switches.value(), 130003u);
    EXPECT_EQ(p.children_utime.value(), psi::TimeSpec(7, 125000000));
    EXPECT_EQ(p.children_stime.value(), psi::TimeSpec(3, 5));
    EXPECT_EQ(p.depth().voluntary_ctxt_switches.status(), psi::AttrStatus::not_read);
    // No children faults in prusage_t; no split of pr_ioch into reads and writes.
    EXPECT_EQ(p.children_minor_faults.status(), psi::AttrStatus::not_implemented);
    auto q = s.process(1300, psi::Group::status | psi::Group::fds | psi::Group::io);
    EXPECT_EQ(q.depth().voluntary_ctxt_switches.value(), 130003u);
    EXPECT_EQ(q.depth().involuntary_ctxt_switches.value(), 130004u);
    EXPECT_EQ(q.depth().num_fds.value(), 3u);  // 3 + 1300 % 5
    EXPECT_EQ(s.process(1234, psi::Group::fds).depth().num_fds.value(), 7u);
    EXPECT_EQ(q.depth().io_counters.status(), psi::AttrStatus::not_implemented);
    EXPECT_EQ(q.depth().rss_peak.status(), psi::AttrStatus::not_implemented);
    // sched has an empty fd/ and its own usage.
    auto sched = s.process(0, psi::Group::stat | psi::Group::fds | psi::Group::usage);
    EXPECT_EQ(sched.depth().num_fds.value(), 0u);
    EXPECT_EQ(sched.minor_faults.value(), 1u);
    // A zombie without a usage record: not available, and still a row.
    auto z = s.process(77, psi::Group::stat | psi::Group::status | psi::Group::usage);
    EXPECT_EQ(z.depth().involuntary_ctxt_switches.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(z.minor_faults.status(), psi::AttrStatus::not_available);
    // A table that asks for the faults reads usage for every row; the
    // default one (stat, no usage) for none.
    psi::ProcessTable t = s.table(psi::Group::stat | psi::Group::usage);
    ASSERT_NE(t.find(1234), nullptr);
    EXPECT_EQ(t.find(1234)->minor_faults.value(), 123401u);
    EXPECT_EQ(s.table(psi::groups::ps).find(1234)->minor_faults.status(), psi::AttrStatus::not_read);
}

// A short usage record is unreadable (not a parse of garbage); a usage
// record that vanished with its process makes the row go.
TEST_F(SolarisTree, ShortOrVanishedUsage) {
    psi::System s = sys();
    ASSERT_EQ(::truncate((root + "/1234/usage").c_str(), 400), 0);
    auto p = s.process(1234, psi::Group::stat | psi::Group::status | psi::Group::usage);
    EXPECT_EQ(p.depth().voluntary_ctxt_switches.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(p.minor_faults.status(), psi::AttrStatus::not_available);
    EXPECT_TRUE(p.utime.ok());
    ::unlink((root + "/1300/usage").c_str());
    auto q = s.process(1300, psi::Group::status);  // psinfo still there: the process is
    EXPECT_EQ(q.depth().voluntary_ctxt_switches.status(), psi::AttrStatus::not_available);
}

// -- x-solaris: threads (issue 14): /proc/PID/lwp/LWPID/{lwpsinfo,lwpusage} --
namespace {

struct Lwp {
    int lwpid;
    char sname;
    std::int64_t start_sec;
    int pri, onpro;
    std::string clname, name;
};

// An lwpsinfo_t at proc(5)'s _LP64 offsets (see test_solaris_parse.cpp).
std::string lwpsinfo(const Lwp& l) {
    Rec w(128);
    w.put<std::int32_t>(4, l.lwpid).put<char>(26, l.sname).put<char>(27, 30).put<std::int32_t>(32, l.pri);
    w.put<std::int64_t>(40, l.start_sec).put<std::int64_t>(56, 9);
    w.str(72, l.clname).str(80, l.name).put<std::int32_t>(96, l.onpro);
    return w.b;
}

}  // namespace

class SolarisLwps : public SolarisTree {
protected:
    void add_lwp(int pid, const Lwp& l, bool with_usage = true) {
        const std::string dir = std::to_string(pid) + "/lwp/" + std::to_string(l.lwpid);
        ::mkdir((root + "/" + std::to_string(pid) + "/lwp").c_str(), 0755);
        ::mkdir((root + "/" + dir).c_str(), 0755);
        write(dir + "/lwpsinfo", lwpsinfo(l));
        if (with_usage) write(dir + "/lwpusage", usage(pid, l.lwpid).b);
    }
};

// Two lwps of the LP64 process: the main one unnamed (illumos zeroes
// pr_name: the process's name stands in), a named FX-class one running on
// CPU 3. Each row's values come from its own lwpsinfo and lwpusage, the
// shared ones from the process's psinfo.
TEST_F(SolarisLwps, TwoLwps) {
    add_lwp(1234, {1, 'S', 1700000000, 59, 0, "TS", ""});
    add_lwp(1234, {2, 'O', 1700000042, 30, 3, "FX", "worker"});
    psi::System s = sys();
    auto rows = s.threads(1234, psi::Group::stat | psi::Group::status | psi::Group::owner);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].pid, 1234);
    EXPECT_EQ(rows[0].tid, 1);
    EXPECT_EQ(rows[1].tid, 2);
    EXPECT_EQ(rows[0].name.value(), "prog1234");
    EXPECT_EQ(rows[1].name.value(), "worker");
    EXPECT_EQ(rows[0].status.value(), psi::ProcStatus::sleeping);
    EXPECT_EQ(rows[1].status.value(), psi::ProcStatus::running);
    EXPECT_EQ(rows[1].status_letter.value(), 'O');
    EXPECT_EQ(rows[1].processor.value(), 3);
    EXPECT_EQ(rows[1].kernel_priority.value(), 30);
    EXPECT_EQ(rows[1].policy.value(), psi::SchedPolicy::fixed);
    EXPECT_EQ(rows[1].nice.value(), 10);  // pr_nice 30 - NZERO
    EXPECT_EQ(rows[1].start_time.value(), psi::TimeSpec(1700000042, 0));
    EXPECT_EQ(rows[1].start_ticks, 1700000042000000000ULL);
    // lwpusage: utime, stime + trap time, faults, context switches.
    EXPECT_EQ(rows[1].utime.value(), psi::TimeSpec(4, 102));
    EXPECT_EQ(rows[1].stime.value(), psi::TimeSpec(1, 202 + 300));
    EXPECT_EQ(rows[0].minor_faults.value(), 123411u);
    EXPECT_EQ(rows[1].major_faults.value(), 123422u);
    // An lwp's stat read includes its faults (it reads lwpusage anyway).
    EXPECT_TRUE(rows[0].groups_read.has(psi::Group::usage));
    EXPECT_EQ(rows[1].depth().voluntary_ctxt_switches.value(), 123423u);
    EXPECT_EQ(rows[1].depth().involuntary_ctxt_switches.value(), 123424u);
    // The process's: parent, ids, lwp count.
    EXPECT_EQ(rows[1].ppid.value(), 1);
    EXPECT_EQ(rows[1].euid.value(), 101u);
    EXPECT_EQ(rows[1].nthreads.value(), 1);
    EXPECT_EQ(rows[1].flags.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(rows[1].wchan.status(), psi::AttrStatus::not_read);
    // A thread row is that lwp: exists() checks its own start.
    EXPECT_TRUE(s.exists(rows[1]));
    write("1234/lwp/2/lwpsinfo", Rec(8).put<std::int64_t>(0, 1700000999).b, 40);
    EXPECT_FALSE(s.exists(rows[1]));
    EXPECT_TRUE(s.exists(rows[0]));
}

// Process-wide groups of a thread row are the process's files (as Linux's
// task/TID/ shows the process's cmdline, exe, cwd, fd).
TEST_F(SolarisLwps, ProcessWideGroups) {
    add_lwp(1234, {1, 'S', 1700000000, 59, 0, "TS", ""});
    auto rows = sys().threads(1234, psi::Group::args | psi::Group::exe | psi::Group::fds | psi::Group::wchan);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].args.value(), (std::vector<std::string>{"/usr/bin/prog", "-v"}));
    EXPECT_EQ(rows[0].exe.value(), "/usr/bin/prog");
    EXPECT_EQ(rows[0].depth().num_fds.value(), 7u);
    EXPECT_EQ(rows[0].wchan.status(), psi::AttrStatus::not_implemented);  // an address, not a name
}

// An lwp whose directory is listed but whose lwpsinfo is gone (it exited
// and was reaped mid-read) is left out; one whose lwpusage is missing is a
// row with those attributes not available; a non-numeric name is skipped.
TEST_F(SolarisLwps, VanishedAndPartialLwps) {
    add_lwp(1234, {1, 'S', 1700000000, 59, 0, "TS", ""});
    add_lwp(1234, {5, 'S', 1700000010, 59, 0, "TS", ""}, false);
    ::mkdir((root + "/1234/lwp/9").c_str(), 0755);       // no lwpsinfo
    ::mkdir((root + "/1234/lwp/agent").c_str(), 0755);   // not an lwp id
    add_lwp(1234, {7, 'S', 1700000020, 59, 0, "TS", ""});
    ASSERT_EQ(::truncate((root + "/1234/lwp/7/lwpsinfo").c_str(), 100), 0);
    auto rows = sys().threads(1234, psi::Group::stat | psi::Group::status);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].tid, 1);
    EXPECT_EQ(rows[1].tid, 5);
    EXPECT_EQ(rows[1].utime.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(rows[1].minor_faults.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(rows[1].depth().voluntary_ctxt_switches.status(), psi::AttrStatus::not_available);
    EXPECT_TRUE(rows[1].name.ok());
}

// No such process, and a process without an lwp directory.
TEST_F(SolarisLwps, GoneProcess) {
    std::error_code ec;
    auto rows = sys().threads(999, psi::Group::stat, ec);
    EXPECT_EQ(ec, psi::make_error_code(psi::errc::no_such_process));
    EXPECT_TRUE(rows.empty());
    rows = sys().threads(1300, psi::Group::stat, ec);  // psinfo, but no lwp/: it has gone since
    EXPECT_EQ(ec, psi::make_error_code(psi::errc::no_such_process));
}
