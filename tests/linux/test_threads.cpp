// System::threads (-- w-threads): the threads of one process, read from
// /proc/PID/task/TID/ under the core's liveness protocol. A fixture tree
// with known answers (test_live_threads.cpp checks the live system).
#include <gtest/gtest.h>

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using psi::AttrStatus;
using psi::Group;
using psi_test::ProcFixture;
using psi_test::StatFields;
using psi_test::make_stat;

// Process 300 with threads 300 (the leader) and 301, each with its own
// stat: the process's stat adds both threads' times, as the kernel's does.
void add_threaded(ProcFixture& fx) {
    StatFields proc;
    proc.utime = 70;
    proc.stime = 7;
    proc.num_threads = 2;
    fx.add_process(300, "server", proc);
    fx.mkdir("300/task");
    fx.mkdir("300/task/300");
    fx.mkdir("300/task/301");
    StatFields leader = proc;
    leader.utime = 20;
    leader.stime = 2;
    fx.write("300/task/300/stat", make_stat(300, "server", leader));
    StatFields worker = proc;
    worker.utime = 50;
    worker.stime = 5;
    worker.state = 'R';
    worker.nice = 5;
    worker.starttime = 1200;
    fx.write("300/task/301/stat", make_stat(301, "worker #1", worker));
    fx.write("300/task/301/wchan", "0");  // the kernel's "0": running
    fx.write("300/task/300/wchan", "do_nanosleep");
}

TEST(FixtureThreads, RowsAreTheThreadsOwn) {
    ProcFixture fx;
    add_threaded(fx);
    psi::System sys = psi_test::open_fixture(fx);
    const long tck = ::sysconf(_SC_CLK_TCK);
    std::vector<psi::ProcessInfo> ts = sys.threads(300, Group::stat);
    ASSERT_EQ(ts.size(), 2u);
    EXPECT_EQ(ts[0].pid, 300);
    EXPECT_EQ(ts[0].tid, 300);
    EXPECT_EQ(ts[1].pid, 300);
    EXPECT_EQ(ts[1].tid, 301);
    EXPECT_EQ(ts[0].name.value(), "server");
    EXPECT_EQ(ts[1].name.value(), "worker #1");
    EXPECT_EQ(ts[1].status.value(), psi::ProcStatus::running);
    EXPECT_EQ(ts[1].nice.value(), 5);
    EXPECT_EQ(ts[1].start_ticks, 1200u);
    EXPECT_EQ(ts[1].utime.value(), psi::TimeSpec::from_ticks(50, tck));
    EXPECT_EQ(ts[0].utime.value(), psi::TimeSpec::from_ticks(20, tck));
    // The process row keeps the process's own (summed) times.
    psi::ProcessInfo p = sys.process(300, Group::stat);
    EXPECT_EQ(p.tid, 0);
    EXPECT_EQ(p.utime.value(), psi::TimeSpec::from_ticks(70, tck));
    // Lazy reads of a thread row read that thread: its wchan, not the process's.
    sys.read_more(ts[1], Group::wchan);
    EXPECT_EQ(ts[1].wchan.value(), "");
    EXPECT_EQ(ts[1].tid, 301);
    EXPECT_EQ(ts[1].pid, 300);
    sys.read_more(ts[0], Group::wchan);
    EXPECT_EQ(ts[0].wchan.value(), "do_nanosleep");  // the leader thread's, not the process's
    EXPECT_TRUE(sys.exists(ts[1]));
}

TEST(FixtureThreads, GoneThreadAndGoneProcess) {
    ProcFixture fx;
    add_threaded(fx);
    psi::System sys = psi_test::open_fixture(fx);
    std::vector<psi::ProcessInfo> ts = sys.threads(300, Group::stat);
    ASSERT_EQ(ts.size(), 2u);
    // The thread ends: exists() says so, refresh() reports it gone.
    std::remove(fx.path("300/task/301/stat").c_str());
    EXPECT_FALSE(sys.exists(ts[1]));
    std::error_code ec;
    sys.refresh(ts[1], ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    EXPECT_EQ(ts[1].tid, 301);  // left as it was
    // A listed thread whose stat is gone is left out of the listing.
    std::vector<psi::ProcessInfo> again = sys.threads(300, Group::stat);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].tid, 300);
    // No such process.
    sys.threads(999, Group::stat, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    sys.threads(-1, Group::stat, ec);
    EXPECT_EQ(ec, psi::errc::invalid_argument);
}

// System::thread_table: every process's threads, in pid order. A process
// whose threads cannot be listed (here: no task directory, as when it was
// reaped between the pid listing and the task listing) is left out; the
// table does not fail.
TEST(FixtureThreads, ThreadTableOfEveryProcess) {
    ProcFixture fx;
    StatFields single;
    fx.add_process(120, "single", single);
    fx.mkdir("120/task");
    fx.mkdir("120/task/120");
    fx.write("120/task/120/stat", make_stat(120, "single", single));
    fx.add_process(200, "taskless");  // no task/ directory
    add_threaded(fx);
    psi::System sys = psi_test::open_fixture(fx);
    std::error_code ec;
    std::vector<psi::ProcessInfo> all = sys.thread_table(Group::stat, ec);
    ASSERT_FALSE(ec) << ec.message();
    std::vector<std::pair<int, int>> ids;
    for (const auto& t : all) ids.emplace_back(t.pid, t.tid);
    const std::vector<std::pair<int, int>> want = {{120, 120}, {300, 300}, {300, 301}};
    EXPECT_EQ(ids, want);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[2].name.value(), "worker #1");  // the thread's own record
    EXPECT_EQ(all[2].start_ticks, 1200u);
    // The throwing form returns the same rows.
    EXPECT_EQ(sys.thread_table(Group::stat).size(), 3u);
    // A thread that ends before its read is left out too.
    std::remove(fx.path("300/task/301/stat").c_str());
    EXPECT_EQ(sys.thread_table(Group::stat).size(), 2u);
}

}  // namespace

namespace {

// -- the security label (Group::label): /proc/PID/attr/current --
TEST(FixtureLabel, CurrentWithoutNewlineAndNul) {
    ProcFixture fx;
    fx.add_process(400, "confined");
    fx.mkdir("400/attr");
    fx.write("400/attr/current", std::string("system_u:system_r:httpd_t:s0\n\0", 30));
    fx.add_process(401, "nolabel");
    fx.mkdir("401/attr");
    fx.write("401/attr/current", "");
    psi::System sys = psi_test::open_fixture(fx);
    psi::ProcessInfo p = sys.process(400, Group::label);
    EXPECT_EQ(p.depth().label.value(), "system_u:system_r:httpd_t:s0");
    EXPECT_EQ(sys.process(401, Group::label).depth().label.status(), AttrStatus::not_available);
    // Not read unless asked for: groups::all leaves it out.
    EXPECT_EQ(sys.process(400).depth().label.status(), AttrStatus::not_read);
}

}  // namespace

namespace {

// -- x-threads: a thread row's faults (task/TID/stat 10, 12) and context
// switches (task/TID/status) are the thread's own, not its process's.
TEST(FixtureThreads, FaultsAndContextSwitchesAreTheThreadsOwn) {
    ProcFixture fx;
    add_threaded(fx);
    psi_test::ProcFiles files;
    StatFields worker;
    worker.minflt = 41;
    worker.majflt = 3;
    fx.write("300/task/301/stat", make_stat(301, "worker #1", worker));
    fx.write("300/task/301/status", psi_test::make_status(301, "worker #1", files, worker) +
                                        "voluntary_ctxt_switches:\t17\nnonvoluntary_ctxt_switches:\t5\n");
    StatFields leader;
    leader.minflt = 7;
    leader.majflt = 0;
    fx.write("300/task/300/stat", make_stat(300, "server", leader));
    fx.write("300/task/300/status", psi_test::make_status(300, "server", files, leader) +
                                        "voluntary_ctxt_switches:\t2\nnonvoluntary_ctxt_switches:\t1\n");
    psi::System sys = psi_test::open_fixture(fx);
    std::vector<psi::ProcessInfo> ts = sys.threads(300, psi::Groups(Group::stat) | Group::status);
    ASSERT_EQ(ts.size(), 2u);
    EXPECT_EQ(ts[1].minor_faults.value(), 41u);
    EXPECT_EQ(ts[1].major_faults.value(), 3u);
    EXPECT_EQ(ts[1].depth().voluntary_ctxt_switches.value(), 17u);
    EXPECT_EQ(ts[1].depth().involuntary_ctxt_switches.value(), 5u);
    EXPECT_EQ(ts[0].minor_faults.value(), 7u);
    EXPECT_EQ(ts[0].depth().voluntary_ctxt_switches.value(), 2u);
    // The stat group alone leaves the status counters unread; read_more
    // reads them from the thread's own status file.
    std::vector<psi::ProcessInfo> lazy = sys.threads(300, Group::stat);
    ASSERT_EQ(lazy.size(), 2u);
    EXPECT_EQ(lazy[1].depth().voluntary_ctxt_switches.status(), AttrStatus::not_read);
    sys.read_more(lazy[1], Group::status);
    EXPECT_EQ(lazy[1].depth().involuntary_ctxt_switches.value(), 5u);
    // The process row keeps the process's stat (the fixture's default 100).
    EXPECT_EQ(sys.process(300, Group::stat).minor_faults.value(), 100u);
}

}  // namespace
