// Oracle: the whole process table against procps ps(1), on a system with at
// least 1000 processes (the test forks sleepers until /proc lists that many
// and kills exactly those at the end, whatever happens).
//
// psi and ps cannot read at the same instant, so the comparison is taken as
// psi (A), ps, psi (B) and limited to processes that were the same process
// and asleep in all three reads: same start ticks in A and B (so no pid
// reuse in between) and state S or I each time. A sleeping process can
// still change between reads (woken and put back to sleep, reparented when
// its parent exits, reclaim shrinking its rss), so 95% of the compared rows
// must match on every field, every mismatch is printed, and our own
// sleepers, whose state nothing else touches, must match on all fields.
#include <gtest/gtest.h>

#include <grp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

struct PsRow {
    int pid = 0, ppid = 0, pgid = 0, sid = 0, nlwp = 0;
    std::string ni, rtprio;           // "-" when ps does not apply them
    int pri = 0;                      // 39 - stat field 18 (procps pr_pri)
    std::uint64_t rss_kib = 0, vsz_kib = 0;
    std::int64_t cputimes = 0;        // utime+stime, whole seconds (truncated)
    std::string tty, stat, user, comm;
};

// Explicit widths and no headers: user and tty get room so ps never
// abbreviates them, and comm is last because it may hold spaces.
const char* const kPsCommand =
    "LC_ALL=C ps -e -o pid=,ppid=,pgid=,sid=,nlwp=,ni=,rtprio=,pri=,rss=,vsz=,cputimes=,tty:40=,stat=,user:64=,comm=";

std::map<int, PsRow> run_ps() {
    int st = 0;
    const std::string out = psi_test::run_capture(kPsCommand, &st);
    EXPECT_EQ(st, 0) << kPsCommand;
    std::map<int, PsRow> rows;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream in(line);
        PsRow r;
        if (!(in >> r.pid >> r.ppid >> r.pgid >> r.sid >> r.nlwp >> r.ni >> r.rtprio >> r.pri >> r.rss_kib >>
              r.vsz_kib >> r.cputimes >> r.tty >> r.stat >> r.user)) {
            ADD_FAILURE() << "unparsable ps line: " << line;
            continue;
        }
        std::getline(in >> std::ws, r.comm);
        rows[r.pid] = r;
    }
    return rows;
}

// ps does not print raw control bytes: in the C locale procps writes '.'
// for control characters and '?' for bytes >= 0x80 (other locales use '?'
// throughout), one output byte per input byte. psi returns the raw name.
bool same_comm(const std::string& psi_name, const std::string& ps_comm) {
    if (psi_name.size() != ps_comm.size()) return false;
    for (std::size_t i = 0; i < psi_name.size(); ++i) {
        const auto c = static_cast<unsigned char>(psi_name[i]);
        if ((ps_comm[i] == '?' || ps_comm[i] == '.') && (c < 0x20 || c >= 0x7f)) continue;
        if (psi_name[i] != ps_comm[i]) return false;
    }
    return true;
}

bool asleep(char letter) { return letter == 'S' || letter == 'I'; }

// Differences between one psi snapshot and one ps row, as "field a!=b".
std::vector<std::string> differences(const psi::ProcessInfo& p, const PsRow& r) {
    std::vector<std::string> d;
    auto cmp = [&](const char* field, const auto& mine, const auto& theirs) {
        if (!(mine == theirs)) {
            std::ostringstream s;
            s << field << " psi=" << mine << " ps=" << theirs;
            d.push_back(s.str());
        }
    };
    cmp("ppid", p.ppid.value_or(-1), r.ppid);
    cmp("pgid", p.pgrp.value_or(-1), r.pgid);
    cmp("sid", p.sid.value_or(-1), r.sid);
    cmp("nlwp", p.nthreads.value_or(-1), r.nlwp);
    // ps shows no nice value for real-time policies, and rtprio only for them.
    if (r.ni != "-") cmp("ni", std::to_string(p.nice.value_or(-100)), r.ni);
    cmp("rtprio", std::to_string(p.priority.value_or(-1)), r.rtprio == "-" ? std::string("0") : r.rtprio);
    cmp("pri", 39 - p.kernel_priority.value_or(-1000), r.pri);
    cmp("cputimes", p.cputime().value_or(psi::TimeSpec(-1, 0)).tv_sec, r.cputimes);
    cmp("rss", p.rss.value_or(~0ull), r.rss_kib * 1024);
    cmp("vsz", p.vsz.value_or(~0ull), r.vsz_kib * 1024);
    cmp("tty", p.terminal.value_or("<n/a>"), r.tty == "?" ? std::string() : "/dev/" + r.tty);
    cmp("stat", std::string(1, p.status_letter.value_or('?')), r.stat.substr(0, 1));
    cmp("user", p.euser.value_or("<n/a>"), r.user);
    if (!same_comm(p.name.value_or("<n/a>"), r.comm)) cmp("comm", p.name.value_or("<n/a>"), r.comm);
    return d;
}

TEST(OraclePs, WholeTableAgainstPs) {
    psi_test::Sleepers kids;
    // A margin over 1000: processes of others may exit before the tables.
    kids.fill_to(1100, 3000);
    ASSERT_GE(psi_test::count_proc_pids(), 1000u) << "could not reach 1000 processes";
    const std::set<int> ours(kids.pids().begin(), kids.pids().end());

    psi::System sys;
    const psi::Groups groups = psi::groups::ps;
    const psi::ProcessTable a = sys.table(groups);
    const std::map<int, PsRow> ps = run_ps();
    const psi::ProcessTable b = sys.table(groups);
    ASSERT_GE(a.size(), 1000u);
    ASSERT_GE(ps.size(), 1000u);

    std::size_t compared = 0, matching = 0, ours_compared = 0, missing_from_ps = 0;
    std::vector<std::string> report;
    for (const psi::ProcessInfo& pa : a) {
        const psi::ProcessInfo* pb = b.find(pa.pid);
        if (pb == nullptr || pb->start_ticks != pa.start_ticks) continue;
        const auto it = ps.find(pa.pid);
        if (it == ps.end()) {
            // Alive, as the same process, both before and after ps ran.
            ++missing_from_ps;
            report.push_back("pid " + std::to_string(pa.pid) + ": in both psi tables, not in ps");
            continue;
        }
        if (!asleep(pa.status_letter.value_or('?')) || !asleep(pb->status_letter.value_or('?')) ||
            !asleep(it->second.stat[0]))
            continue;
        ++compared;
        const bool is_ours = ours.count(pa.pid) != 0;
        ours_compared += is_ours ? 1 : 0;
        const std::vector<std::string> d = differences(pa, it->second);
        if (d.empty()) {
            ++matching;
            continue;
        }
        std::string msg = "pid " + std::to_string(pa.pid) + (is_ours ? " (our sleeper)" : "") + ":";
        for (const auto& x : d) msg += " " + x;
        report.push_back(msg);
        if (is_ours) ADD_FAILURE() << msg;
    }
    for (const auto& line : report) std::printf("%s\n", line.c_str());
    std::printf("compared %zu processes (%zu our sleepers), %zu match on every field\n", compared, ours_compared,
                matching);

    EXPECT_EQ(missing_from_ps, 0u);
    EXPECT_EQ(ours_compared, ours.size()) << "every sleeper is asleep and must be compared";
    EXPECT_GE(compared, 900u);
    EXPECT_GE(matching * 100, compared * 95) << matching << " of " << compared << " match";
}

std::set<int> proc_pids_now() {
    std::set<int> out;
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        const std::string n = e.path().filename().string();
        if (!n.empty() && n.find_first_not_of("0123456789") == std::string::npos) out.insert(std::stoi(n));
    }
    return out;
}

// The table must list every process. A process ps listed (so alive before
// table B) that /proc still lists after B was alive during B, so B must
// have it. (A pid reused within those milliseconds would be a false alarm;
// with pid_max in the tens of thousands that does not happen.)
TEST(OraclePs, NoProcessMissing) {
    psi_test::Sleepers kids;
    kids.fill_to(1100, 3000);
    psi::System sys;
    const std::map<int, PsRow> ps = run_ps();
    const psi::ProcessTable b = sys.table(psi::groups::none);
    const std::set<int> after = proc_pids_now();
    ASSERT_GE(b.size(), 1000u);
    std::size_t missing = 0;
    for (const auto& [pid, row] : ps) {
        if (b.find(pid) == nullptr && after.count(pid) != 0) {
            ++missing;
            std::printf("pid %d (%s) listed by ps and alive after the table, not in it\n", pid, row.comm.c_str());
        }
    }
    EXPECT_EQ(missing, 0u);
    for (pid_t k : kids.pids()) EXPECT_NE(b.find(k), nullptr) << k;
}

// Options::threads has parallel threads claim chunks of the pid list, each
// with its own backend context. The result must be what a
// one-thread read gives: every pid in order, and for our own sleepers (whose
// values cannot move) the same values, field by field.
TEST(OraclePs, ParallelReadEqualsSequential) {
    psi_test::Sleepers kids;
    kids.fill_to(1100, 3000);
    const psi::Groups groups = psi::groups::ps_args | psi::Group::creds;
    psi::System one;
    const psi::ProcessTable a = one.table(groups);
    for (int threads : {0, 2, 7}) {
        psi::Options opts;
        opts.threads = threads;
        psi::System many(opts);
        const psi::ProcessTable b = many.table(groups);
        ASSERT_GE(b.size(), 1000u);
        for (std::size_t i = 1; i < b.size(); ++i) ASSERT_LT(b[i - 1].pid, b[i].pid) << "threads " << threads;
        for (pid_t k : kids.pids()) {
            const psi::ProcessInfo* x = a.find(k);
            const psi::ProcessInfo* y = b.find(k);
            ASSERT_NE(x, nullptr) << k;
            ASSERT_NE(y, nullptr) << "threads " << threads << " lost pid " << k;
            EXPECT_EQ(x->start_ticks, y->start_ticks);
            EXPECT_EQ(x->ppid.value_or(-1), y->ppid.value_or(-2));
            EXPECT_EQ(x->name.value_or("a"), y->name.value_or("b"));
            EXPECT_EQ(x->rss.value_or(1), y->rss.value_or(2));
            EXPECT_EQ(x->vsz.value_or(1), y->vsz.value_or(2));
            EXPECT_EQ(x->euser.value_or("a"), y->euser.value_or("b"));
            EXPECT_EQ(x->ruid.value_or(1), y->ruid.value_or(2));
            EXPECT_EQ(x->args.value_or({"a"}), y->args.value_or({"b"}));
            EXPECT_EQ(x->start_time.value_or({}), y->start_time.value_or({1, 0}));
        }
    }
}

// When no thread can be created (threads-max, RLIMIT_NPROC), a parallel
// read must still list every process, from the calling thread alone. A
// child turned into "nobody" with RLIMIT_NPROC 0 cannot clone(2).
TEST(OraclePs, ParallelReadWithoutThreadsStillComplete) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to become nobody";
    psi_test::Sleepers kids;
    kids.fill_to(1100, 3000);
    const std::size_t expected = psi::System().table(psi::groups::ps).size();
    ASSERT_GE(expected, 1000u);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        rlimit none{0, 0};
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(10);
        if (::setrlimit(RLIMIT_NPROC, &none) != 0) ::_exit(11);
        try {
            std::thread([] {}).join();
            ::_exit(12);  // the limit did not bite: the test would prove nothing
        } catch (const std::system_error&) {
        }
        psi::Options opts;
        opts.threads = 4;
        const std::size_t got = psi::System(opts).table(psi::groups::ps).size();
        // Processes may come and go meanwhile, but not hundreds.
        ::_exit(got + 50 >= expected && got <= expected + 50 ? 0 : 13);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10/11: could not drop privileges, 12: thread creation still worked, "
                                         "13: the table lost processes";
}

}  // namespace
