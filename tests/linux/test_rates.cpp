// psi/rates.hpp on known values and fixture trees, and psi::Sampler on
// fixture trees: pure arithmetic, identity matching across pid reuse, and
// the sampler giving what a fresh read gives.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using psi::AttrStatus;
using psi_test::ProcFixture;
using psi_test::StatFields;
using namespace std::chrono_literals;

psi::ProcessInfo row(int pid, std::uint64_t start, double cpu_seconds, double at_seconds) {
    psi::ProcessInfo p;
    p.pid = pid;
    p.start_ticks = start;
    p.groups_read = psi::Group::stat;
    p.utime.set(psi::TimeSpec::from_seconds(cpu_seconds * 0.75));
    p.stime.set(psi::TimeSpec::from_seconds(cpu_seconds * 0.25));
    p.read_at.monotonic = std::chrono::steady_clock::time_point(std::chrono::duration_cast<
        std::chrono::steady_clock::duration>(std::chrono::duration<double>(1000 + at_seconds)));
    p.read_at.wall = psi::TimeSpec::from_seconds(1.7e9 + at_seconds);
    return p;
}

TEST(Rates, CpuPercentOfKnownValues) {
    // 1.5 s of CPU in 2 s: 75 %; on 4 CPUs 18.75 % of the machine.
    psi::ProcessRates r = psi::rates(row(7, 99, 10.0, 0.0), row(7, 99, 11.5, 2.0), 4);
    EXPECT_EQ(r.id.pid, 7);
    EXPECT_EQ(r.id.start_ticks, 99u);
    EXPECT_NEAR(r.interval, 2.0, 1e-6);
    ASSERT_TRUE(r.cpu_percent.ok());
    EXPECT_NEAR(*r.cpu_percent.get(), 75.0, 1e-4);
    EXPECT_NEAR(*r.cpu_percent_normalized.get(), 18.75, 1e-4);
}

TEST(Rates, TwoCpusShowTwoHundred) {
    psi::ProcessRates r = psi::rates(row(7, 99, 1.0, 5.0), row(7, 99, 3.0, 6.0), 2);
    EXPECT_NEAR(*r.cpu_percent.get(), 200.0, 1e-4);
    EXPECT_NEAR(*r.cpu_percent_normalized.get(), 100.0, 1e-4);
}

TEST(Rates, NoIntervalNoRate) {
    // Same instant: nothing to divide by (documented: not_available).
    psi::ProcessRates same = psi::rates(row(7, 99, 1.0, 5.0), row(7, 99, 1.0, 5.0), 1);
    EXPECT_EQ(same.cpu_percent.status(), AttrStatus::not_available);
    EXPECT_EQ(same.cpu_percent_normalized.status(), AttrStatus::not_available);
    // Backwards in time (arguments swapped) is no rate either.
    EXPECT_EQ(psi::rates(row(7, 99, 2.0, 6.0), row(7, 99, 1.0, 5.0), 1).cpu_percent.status(),
              AttrStatus::not_available);
    // A row never stamped.
    psi::ProcessInfo unstamped = row(7, 99, 1.0, 0);
    unstamped.read_at = {};
    EXPECT_EQ(psi::rates(unstamped, row(7, 99, 2.0, 6.0), 1).cpu_percent.status(), AttrStatus::not_available);
}

TEST(Rates, UnreadSlotsSayNotRead) {
    psi::ProcessInfo b = row(7, 99, 1.0, 0), a = row(7, 99, 2.0, 1);
    a.utime = {};
    psi::ProcessRates r = psi::rates(b, a, 1);
    EXPECT_EQ(r.cpu_percent.status(), AttrStatus::not_read);
    // The counters of issue 12 were not read in these rows: every slot is not_read.
    for (const psi::Attr<double>* slot : {&r.read_bytes, &r.write_bytes, &r.read_ops, &r.write_ops,
                                          &r.minor_faults, &r.major_faults, &r.voluntary_ctx_switches,
                                          &r.involuntary_ctx_switches})
        EXPECT_EQ(slot->status(), AttrStatus::not_read);
}

TEST(Rates, CpuTimeGoingBackwardsIsZero) {
    psi::ProcessRates r = psi::rates(row(7, 99, 5.0, 0), row(7, 99, 4.0, 1), 1);
    EXPECT_EQ(*r.cpu_percent.get(), 0.0);
}

TEST(Rates, OtherProcessIsInvalidArgument) {
    std::error_code ec;
    psi::rates(row(7, 99, 1, 0), row(8, 99, 1, 1), 1, ec);
    EXPECT_EQ(ec, psi::errc::invalid_argument);
    // The same pid with another start: a reused pid, another process.
    psi::rates(row(7, 99, 1, 0), row(7, 100, 1, 1), 1, ec);
    EXPECT_EQ(ec, psi::errc::invalid_argument);
    EXPECT_THROW(psi::rates(row(7, 99, 1, 0), row(7, 100, 1, 1)), psi::Error);
}

TEST(Rates, CounterRate) {
    psi::Attr<std::uint64_t> b, a;
    b.set(1000);
    a.set(4000);
    EXPECT_NEAR(*psi::counter_rate(b, a, 2.0).get(), 1500.0, 1e-9);
    EXPECT_EQ(*psi::counter_rate(a, b, 2.0).get(), 0.0);  // backwards: 0
    EXPECT_EQ(psi::counter_rate(b, a, 0.0).status(), AttrStatus::not_available);
    psi::Attr<std::uint64_t> unread, denied, absent;
    denied.fail(AttrStatus::insufficient_privs, 13);
    absent.fail(AttrStatus::not_implemented);
    EXPECT_EQ(psi::counter_rate(unread, a, 1).status(), AttrStatus::not_read);
    psi::Attr<double> d = psi::counter_rate(b, denied, 1);
    EXPECT_EQ(d.status(), AttrStatus::insufficient_privs);
    EXPECT_EQ(d.os_error(), 13);
    EXPECT_EQ(psi::counter_rate(denied, absent, 1).status(), AttrStatus::not_implemented);
}

std::set<std::pair<int, std::uint64_t>> ids(const std::vector<psi::Identity>& v) {
    std::set<std::pair<int, std::uint64_t>> s;
    for (const auto& i : v) s.insert({i.pid, i.start_ticks});
    return s;
}

// Two snapshots of a fixture tree in which, between them, pid 20 was reused
// (its stat's start time rewritten), pid 30 went and pid 40 came.
struct Churned {
    ProcFixture fx;
    StatFields busy;
    Churned() {
        busy.utime = 100;
        busy.stime = 50;
        fx.add_system_files();
        fx.add_process(10, "busy", busy);
        fx.add_process(20, "old");
        fx.add_process(30, "gone");
    }
    void churn() {
        busy.utime = 250;  // +1.5 s at 100 Hz
        busy.stime = 100;  // +0.5 s
        // Rewritten in place (the sampler's kept descriptor sees it).
        fx.write("10/stat", psi_test::make_stat(10, "busy", busy));
        StatFields reused;
        reused.starttime = 5000;
        reused.utime = 900;  // the new process's own time: never a rate
        fx.write("20/stat", psi_test::make_stat(20, "new", reused));
        std::filesystem::remove_all(fx.path("30"));
        fx.add_process(40, "came");
    }
};

void check_churned(const psi::TableRates& r, const psi::ProcessInfo& b10, const psi::ProcessInfo& a10) {
    ASSERT_EQ(r.processes.size(), 1u);
    EXPECT_EQ(r.processes[0].id.pid, 10);
    EXPECT_EQ(ids(r.appeared), (std::set<std::pair<int, std::uint64_t>>{{20, 5000}, {40, 1000}}));
    EXPECT_EQ(ids(r.disappeared), (std::set<std::pair<int, std::uint64_t>>{{20, 1000}, {30, 1000}}));
    EXPECT_EQ(r.find(20), nullptr);
    ASSERT_NE(r.find(10), nullptr);
    // 2 s of CPU (the fixture's ticks, CLK_TCK 100 on Linux) over the rows'
    // own interval.
    const double dt = psi::seconds_between(b10.read_at, a10.read_at);
    ASSERT_GT(dt, 0);
    EXPECT_NEAR(*r.find(10)->cpu_percent.get(), 2.0 / dt * 100.0, 1e-6 * (2.0 / dt * 100.0));
}

TEST(RatesFixture, PidReuseIsOneGoneOneCame) {
    Churned c;
    psi::System sys = psi_test::open_fixture(c.fx);
    psi::ProcessTable before = sys.table(psi::Group::stat);
    std::this_thread::sleep_for(2ms);
    c.churn();
    psi::ProcessTable after = sys.table(psi::Group::stat);
    check_churned(psi::rates(before, after, 1), *before.find(10), *after.find(10));
    // Table instants: listed before any row was read.
    EXPECT_TRUE(before.read_at().known());
    EXPECT_LE(before.read_at().monotonic, before.find(10)->read_at.monotonic);
    EXPECT_LT(before.read_at().monotonic, after.read_at().monotonic);
}

TEST(RatesFixture, SamplerPidReuseAndGone) {
    Churned c;
    psi::Sampler sampler(psi::Options{.proc_root = c.fx.root()});
    psi::ProcessTable before = sampler.sample();
    EXPECT_EQ(before.size(), 3u);
    EXPECT_EQ(sampler.open_handles(), 3u);
    std::this_thread::sleep_for(2ms);
    c.churn();
    psi::ProcessTable after = sampler.sample();
    EXPECT_EQ(sampler.open_handles(), 3u);  // 30's closed, 40's opened
    ASSERT_NE(after.find(20), nullptr);
    EXPECT_EQ(after.find(20)->start_ticks, 5000u);
    EXPECT_EQ(after.find(20)->name.value(), "new");
    EXPECT_EQ(after.find(30), nullptr);
    check_churned(psi::rates(before, after, 1), *before.find(10), *after.find(10));
}

TEST(RatesFixture, SamplerGivesWhatAFreshReadGives) {
    ProcFixture fx;
    fx.add_system_files();
    StatFields f;
    f.utime = 1234;
    f.stime = 567;
    f.nice = 5;
    f.ppid = 10;
    f.tty_nr = (136 << 8) | 3;
    fx.add_process(10, "parent");
    fx.add_process(11, "child (x) y", f);
    StatFields k;
    k.flags = 0x00200000;  // PF_KTHREAD
    k.ppid = 2;
    fx.add_process(12, "kworker/0:1", k);
    psi::Sampler sampler(psi::Options{.proc_root = fx.root()});
    psi::System sys = psi_test::open_fixture(fx);
    for (int round = 0; round < 2; ++round) {  // the first opens, the second preads
        psi::ProcessTable s = sampler.sample();
        psi::ProcessTable t = sys.table(psi::Group::stat);
        ASSERT_EQ(s.size(), t.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            const psi::ProcessInfo &a = s[i], &b = t[i];
            EXPECT_EQ(a.pid, b.pid);
            EXPECT_EQ(a.start_ticks, b.start_ticks);
            EXPECT_EQ(a.is_kernel_thread, b.is_kernel_thread);
            EXPECT_EQ(a.groups_read, b.groups_read);
            EXPECT_EQ(a.name.value(), b.name.value());
            EXPECT_EQ(a.ppid.value(), b.ppid.value());
            EXPECT_EQ(a.terminal.value(), b.terminal.value());
            EXPECT_EQ(a.nice.value(), b.nice.value());
            EXPECT_EQ(a.utime.value(), b.utime.value());
            EXPECT_EQ(a.stime.value(), b.stime.value());
            EXPECT_EQ(a.start_time.value(), b.start_time.value());
            EXPECT_EQ(a.vsz.value(), b.vsz.value());
            EXPECT_TRUE(a.read_at.known());
        }
        EXPECT_EQ(s.find(11)->utime.value(), psi::TimeSpec::from_ticks(1234, 100));
        EXPECT_TRUE(s.find(12)->is_kernel_thread);
    }
}

// The stat-group fields a sample writes, against a fresh table's row.
void expect_same_stat_row(const psi::ProcessInfo& a, const psi::ProcessInfo& b) {
    EXPECT_EQ(a.pid, b.pid);
    EXPECT_EQ(a.start_ticks, b.start_ticks);
    EXPECT_EQ(a.is_kernel_thread, b.is_kernel_thread);
    EXPECT_EQ(a.groups_read, b.groups_read);
    EXPECT_EQ(a.name.value(), b.name.value());
    EXPECT_EQ(a.ppid.value(), b.ppid.value());
    EXPECT_EQ(a.utime.value(), b.utime.value());
    EXPECT_EQ(a.stime.value(), b.stime.value());
    EXPECT_EQ(a.start_time.value(), b.start_time.value());
    EXPECT_EQ(a.exe.status(), AttrStatus::not_read);
    EXPECT_EQ(a.args.status(), AttrStatus::not_read);
}

// Every row of `got` against a fresh stat table of the same tree.
void expect_same_as_fresh(ProcFixture& fx, const psi::ProcessTable& got) {
    psi::System sys = psi_test::open_fixture(fx);
    psi::ProcessTable t = sys.table(psi::Group::stat);
    ASSERT_EQ(t.size(), got.size());
    for (std::size_t i = 0; i < t.size(); ++i) expect_same_stat_row(got[i], t[i]);
}

// A recycled table's rows are overwritten in place: after a pid reuse, a
// process gone and one come, each row holds its own process (the fixture's
// known values) and nothing of the row's earlier occupant.
TEST(RatesFixture, SamplerRecycledRowsHoldTheirOwnProcess) {
    Churned c;
    psi::Sampler sampler(psi::Options{.proc_root = c.fx.root()});
    psi::ProcessTable first = sampler.sample();
    ASSERT_EQ(first.size(), 3u);
    const psi::ProcessInfo* storage = first.processes().data();
    c.churn();
    psi::ProcessTable again = sampler.sample(std::move(first));
    EXPECT_EQ(again.processes().data(), storage);  // the same rows, reused
    ASSERT_EQ(again.size(), 3u);
    EXPECT_EQ(again[0].pid, 10);
    EXPECT_EQ(again[0].utime.value(), psi::TimeSpec::from_ticks(250, 100));
    EXPECT_EQ(again[1].pid, 20);
    EXPECT_EQ(again[1].name.value(), "new");
    EXPECT_EQ(again[1].start_ticks, 5000u);
    EXPECT_EQ(again[1].utime.value(), psi::TimeSpec::from_ticks(900, 100));
    EXPECT_EQ(again[2].pid, 40);  // in the row 30 had
    EXPECT_EQ(again[2].name.value(), "came");
    EXPECT_EQ(again.find(30), nullptr);
    EXPECT_TRUE(again[2].read_at.known());
    expect_same_as_fresh(c.fx, again);
}

// A process whose stat cannot be read any more is left out, and the row it
// had goes to the next process, whole.
TEST(RatesFixture, SamplerRecycledRowAfterAFailedRead) {
    Churned c;
    psi::Sampler sampler(psi::Options{.proc_root = c.fx.root()});
    psi::ProcessTable first = sampler.sample();
    ASSERT_EQ(first.size(), 3u);
    c.fx.write("20/stat", "garbage");
    psi::ProcessTable again = sampler.sample(std::move(first));
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[1].pid, 30);
    EXPECT_EQ(again[1].name.value(), "gone");
    EXPECT_EQ(again.find(20), nullptr);
}

// resample(): the processes of the last sample only, re-read without a
// listing. After the churn, 10 is re-read (its rate exact), 20 (another
// process under the same pid now) and 30 (gone) are left out and count as
// disappeared, 40 (new) is not seen; the next sample() finds 20 and 40, and
// a resample() after it re-reads all three.
void check_resample(psi::Sampler& sampler, Churned& c) {
    psi::ProcessTable before = sampler.sample();
    ASSERT_EQ(before.size(), 3u);
    std::this_thread::sleep_for(2ms);
    c.churn();
    psi::ProcessTable after = sampler.resample();
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].pid, 10);
    EXPECT_EQ(after[0].utime.value(), psi::TimeSpec::from_ticks(250, 100));
    EXPECT_TRUE(after[0].read_at.known());
    EXPECT_LT(before.read_at().monotonic, after.read_at().monotonic);
    const psi::TableRates r = psi::rates(before, after, 1);
    ASSERT_EQ(r.processes.size(), 1u);
    EXPECT_TRUE(r.appeared.empty());
    EXPECT_EQ(ids(r.disappeared), (std::set<std::pair<int, std::uint64_t>>{{20, 1000}, {30, 1000}}));
    const double dt = psi::seconds_between(before.find(10)->read_at, after.find(10)->read_at);
    EXPECT_NEAR(*r.find(10)->cpu_percent.get(), 2.0 / dt * 100.0, 1e-6 * (2.0 / dt * 100.0));
    // Still only 10: the left-out processes stay out of later resamples.
    EXPECT_EQ(sampler.resample().size(), 1u);
    psi::ProcessTable listed = sampler.sample();
    ASSERT_EQ(listed.size(), 3u);
    psi::ProcessTable again = sampler.resample(std::move(listed));
    ASSERT_EQ(again.size(), 3u);
    EXPECT_EQ(again[0].pid, 10);
    EXPECT_EQ(again[1].pid, 20);
    EXPECT_EQ(again[1].start_ticks, 5000u);
    EXPECT_EQ(again[1].name.value(), "new");
    EXPECT_EQ(again[2].pid, 40);
    expect_same_as_fresh(c.fx, again);
}

TEST(RatesFixture, ResampleReadsTheSameProcessesOnly) {
    Churned c;
    psi::Sampler sampler(psi::Options{.proc_root = c.fx.root()});
    check_resample(sampler, c);
    EXPECT_EQ(sampler.open_handles(), 3u);
}

// Without kept descriptors (a soft limit below the reserve, not raised),
// every row is opened by pid: the reused pid 20 is still left out, by its
// start time.
TEST(RatesFixture, ResampleWithoutDescriptorsChecksTheStart) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        struct rlimit lim{};
        ::getrlimit(RLIMIT_NOFILE, &lim);
        lim.rlim_cur = 34;  // keeps none: the reserve is 32, descriptors 0-2 are taken
        if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) ::_exit(10);
        {
            Churned c;
            psi::Sampler sampler(psi::Options{.proc_root = c.fx.root()}, false);
            check_resample(sampler, c);
            if (::testing::Test::HasFailure()) ::_exit(11);
            if (sampler.open_handles() != 0) ::_exit(12);
        }
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

// A row that stops parsing is left out of the resample and of the next.
TEST(RatesFixture, ResampleAfterAFailedRead) {
    Churned c;
    psi::Sampler sampler(psi::Options{.proc_root = c.fx.root()});
    EXPECT_EQ(sampler.resample().size(), 3u);  // before any sample(): a sample()
    c.fx.write("20/stat", "garbage");
    psi::ProcessTable again = sampler.resample();
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[0].pid, 10);
    EXPECT_EQ(again[1].pid, 30);
    c.fx.write("20/stat", psi_test::make_stat(20, "back", StatFields{}));
    EXPECT_EQ(sampler.resample().size(), 2u);
    EXPECT_EQ(sampler.open_handles(), 2u);
    EXPECT_EQ(sampler.sample().size(), 3u);
}

// A table not from this Sampler, or with more than the stat group, is
// reset before its rows are used: nothing of it shows through.
TEST(RatesFixture, SamplerResetsAForeignTable) {
    Churned c;
    psi::System sys = psi_test::open_fixture(c.fx);
    psi::Sampler sampler(psi::Options{.proc_root = c.fx.root()});
    psi::ProcessTable t = sys.table(psi::Group::stat);
    psi::ProcessTable full = sys.table(psi::groups::all);
    ASSERT_EQ(full.size(), 3u);
    ASSERT_NE(full[0].args.status(), AttrStatus::not_read);
    psi::ProcessTable s = sampler.sample(std::move(full));
    ASSERT_EQ(s.size(), 3u);
    for (std::size_t i = 0; i < s.size(); ++i) expect_same_stat_row(s[i], t[i]);
    // Stat-only rows built by hand, with an attribute a sample never writes.
    std::vector<psi::ProcessInfo> rows(3);
    for (auto& r : rows) {
        r.groups_read = psi::Group::stat;
        r.exe.set("/planted");
    }
    psi::ProcessTable s2 = sampler.sample(psi::ProcessTable(std::move(rows)));
    ASSERT_EQ(s2.size(), 3u);
    for (std::size_t i = 0; i < s2.size(); ++i) expect_same_stat_row(s2[i], t[i]);
}

TEST(RatesFixture, SamplerRefusesAFifo) {
    ProcFixture fx;
    fx.add_system_files();
    fx.add_process(10, "ok");
    fx.mkdir("11");
    ASSERT_EQ(::mkfifo(fx.path("11/stat").c_str(), 0600), 0);
    psi::Sampler sampler(psi::Options{.proc_root = fx.root()});
    psi::ProcessTable s = sampler.sample();  // must not block
    EXPECT_EQ(s.size(), 1u);
    EXPECT_NE(s.find(10), nullptr);
}

}  // namespace
