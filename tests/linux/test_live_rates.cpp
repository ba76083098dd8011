// Rates and the Sampler on the live system. Every CPU figure is checked
// against an oracle over the same interval: the child's utime + stime read
// from /proc/PID/stat by the test itself right next to each snapshot. No
// expectation of "100 +- 5": on a loaded machine a burner gets what the
// scheduler gives it, and psi must report exactly that.
#include <gtest/gtest.h>

#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

using namespace std::chrono_literals;

long hz() { return ::sysconf(_SC_CLK_TCK); }

// utime + stime ticks of pid from its stat line (fields 14 and 15).
long long oracle_ticks(pid_t pid) {
    std::string s = psi_test::read_file("/proc/" + std::to_string(pid) + "/stat");
    std::istringstream in(s.substr(s.rfind(')') + 2));
    std::string f;
    long long ut = 0, st = 0;
    for (int field = 3; field <= 15 && in >> f; ++field) {
        if (field == 14) ut = std::stoll(f);
        if (field == 15) st = std::stoll(f);
    }
    return ut + st;
}

void* spin(void*) {
    // The empty asm keeps the loop from being optimised away.
    for (unsigned long i = 0;; ++i) asm volatile("" : "+r"(i));
    return nullptr;
}

// A child that burns `threads` CPUs until killed (and dies with us).
class Burner {
public:
    explicit Burner(int threads) {
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            for (int i = 1; i < threads; ++i) {
                pthread_t t;
                ::pthread_create(&t, nullptr, spin, nullptr);
            }
            spin(nullptr);
        }
    }
    ~Burner() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_;
};

struct Measured {
    double psi_seconds;     // CPU seconds psi saw over the interval
    double oracle_seconds;  // CPU seconds the oracle saw
    double pct;
    double dt;
};

// Two snapshots `gap` apart, each with the oracle read right after it.
Measured measure(pid_t pid, std::chrono::milliseconds gap) {
    psi::System sys;
    psi::ProcessInfo b = sys.process(pid, psi::Group::stat);
    const long long ob = oracle_ticks(pid);
    std::this_thread::sleep_for(gap);
    psi::ProcessInfo a = sys.process(pid, psi::Group::stat);
    const long long oa = oracle_ticks(pid);
    psi::ProcessRates r = psi::rates(b, a);
    EXPECT_TRUE(r.cpu_percent.ok());
    Measured m{};
    m.dt = r.interval;
    m.pct = r.cpu_percent.value_or(-1);
    m.psi_seconds = m.pct * m.dt / 100.0;
    m.oracle_seconds = static_cast<double>(oa - ob) / static_cast<double>(hz());
    return m;
}

// A few ticks: the oracle reads a few microseconds after psi, and a
// preempted test thread may let the burner run a little longer in between.
double tolerance() { return 4.0 / static_cast<double>(hz()); }

TEST(LiveRates, BurnerMatchesItsOracle) {
    Burner burner(1);
    std::this_thread::sleep_for(50ms);
    Measured m = measure(burner.pid(), 500ms);
    EXPECT_NEAR(m.psi_seconds, m.oracle_seconds, tolerance()) << "pct " << m.pct << " dt " << m.dt;
    // One thread can never use more than one CPU over the interval.
    EXPECT_LE(m.psi_seconds, m.dt + tolerance());
}

TEST(LiveRates, TwoThreadBurnerCanExceedOneCpu) {
    Burner burner(2);
    std::this_thread::sleep_for(50ms);
    Measured m = measure(burner.pid(), 700ms);
    EXPECT_NEAR(m.psi_seconds, m.oracle_seconds, tolerance()) << "pct " << m.pct << " dt " << m.dt;
    // Whenever the scheduler gave it more than one CPU's worth (not
    // guaranteed on a loaded 2-CPU machine), psi shows more than 100.
    if (m.oracle_seconds > m.dt + tolerance()) {
        EXPECT_GT(m.pct, 100.0);
    }
    EXPECT_LE(m.pct, 100.0 * std::thread::hardware_concurrency() + 100.0 * tolerance() / m.dt);
    psi::ProcessRates r = psi::rates(psi::process(burner.pid(), psi::Group::stat),
                                     psi::process(burner.pid(), psi::Group::stat), 2);
    if (const double* p = r.cpu_percent.get()) {
        EXPECT_NEAR(*r.cpu_percent_normalized.get(), *p / 2, 1e-9);
    }
}

TEST(LiveRates, SleeperShowsZero) {
    psi_test::Sleepers sleepers;
    pid_t pid = sleepers.spawn();
    Measured m = measure(pid, 300ms);
    EXPECT_LE(m.psi_seconds, 2.0 / static_cast<double>(hz()));
    EXPECT_NEAR(m.psi_seconds, m.oracle_seconds, tolerance());
}

TEST(LiveRates, InstantsAreTheClocks) {
    const auto before = std::chrono::steady_clock::now();
    const psi::TimeSpec wall_before = psi::now();
    psi::ProcessTable t = psi::process_table(psi::Group::stat);
    const auto after = std::chrono::steady_clock::now();
    const psi::TimeSpec wall_after = psi::now();
    ASSERT_FALSE(t.empty());
    EXPECT_GE(t.read_at().monotonic, before);
    EXPECT_LE(t.read_at().monotonic, after);
    for (const psi::ProcessInfo& p : t) {
        EXPECT_GE(p.read_at.monotonic, t.read_at().monotonic);
        EXPECT_LE(p.read_at.monotonic, after);
        EXPECT_GE(p.read_at.wall, wall_before - psi::TimeSpec::from_seconds(0.001));
        EXPECT_LE(p.read_at.wall, wall_after + psi::TimeSpec::from_seconds(0.001));
    }
    // A read that does not include stat leaves the instant alone.
    psi::System sys;
    psi::ProcessInfo self = sys.process(::getpid(), psi::Group::stat);
    const psi::Instant first = self.read_at;
    sys.read_more(self, psi::Group::args);
    EXPECT_EQ(self.read_at.monotonic, first.monotonic);
    sys.refresh(self);
    EXPECT_GT(self.read_at.monotonic, first.monotonic);
}

TEST(LiveRates, ChurnNeverRaises) {
    std::atomic<bool> stop{false};
    std::thread churner([&] {
        while (!stop) {
            psi_test::Sleepers s;
            for (int i = 0; i < 8; ++i) s.spawn();
            std::this_thread::sleep_for(1ms);
        }  // all killed and reaped here: they vanish between samples
    });
    psi::System sys;
    psi::Sampler sampler;
    psi::ProcessTable prev = sys.table(psi::Group::stat);
    psi::ProcessTable sprev = sampler.sample();
    for (int i = 0; i < 12; ++i) {
        psi::ProcessTable next = sys.table(i % 2 ? psi::groups::ps : psi::Groups(psi::Group::stat));
        psi::ProcessTable snext = sampler.sample();
        EXPECT_NO_THROW({
            psi::TableRates r = psi::rates(prev, next);
            for (const psi::ProcessRates& pr : r.processes)
                if (const double* p = pr.cpu_percent.get()) {
                    EXPECT_GE(*p, 0.0);
                }
            psi::rates(sprev, snext);
            psi::rates(prev, snext);
        });
        prev = std::move(next);
        sprev = std::move(snext);
    }
    stop = true;
    churner.join();
}

TEST(LiveSampler, SameValuesAsAFreshRead) {
    psi_test::Sleepers sleepers;
    std::vector<pid_t> kids;
    for (int i = 0; i < 5; ++i) kids.push_back(sleepers.spawn("psi-sampled"));
    psi::Sampler sampler;
    psi::System sys;
    for (int round = 0; round < 2; ++round) {
        psi::ProcessTable s = sampler.sample();
        for (pid_t pid : kids) {
            const psi::ProcessInfo* a = s.find(pid);
            ASSERT_NE(a, nullptr);
            psi::ProcessInfo b = sys.process(pid, psi::Group::stat);
            EXPECT_EQ(a->start_ticks, b.start_ticks);
            EXPECT_EQ(a->name.value(), "psi-sampled");
            EXPECT_EQ(a->ppid.value(), ::getpid());
            EXPECT_EQ(a->status_letter.value(), b.status_letter.value());
            EXPECT_EQ(a->utime.value(), b.utime.value());  // a sleeper's times stand still
            EXPECT_EQ(a->start_time.value(), b.start_time.value());
        }
    }
    EXPECT_GE(sampler.open_handles(), kids.size());
    // A gone process: left out, its descriptor closed.
    const std::size_t held = sampler.open_handles();
    sleepers.kill_and_reap(kids.back());
    psi::ProcessTable s = sampler.sample();
    EXPECT_EQ(s.find(kids.back()), nullptr);
    EXPECT_LE(sampler.open_handles(), held + 64);  // others may have come meanwhile
}

TEST(LiveSampler, LowFdLimit) {
    // In a child with a 64-descriptor hard limit: the sampler may keep at
    // most 64 - 32 open, reads the rest afresh, and still lists everything.
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        struct rlimit lim{64, 64};
        if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) ::_exit(10);
        try {
            psi::Sampler sampler;
            for (int i = 0; i < 3; ++i) {
                psi::ProcessTable t = sampler.sample();
                const std::size_t listed = psi_test::count_proc_pids();
                if (sampler.open_handles() > 32) ::_exit(11);
                // Churn may differ by a few; the table is never cut to the budget.
                if (t.size() + 50 < listed || t.size() < 40) ::_exit(12);
                if (t.find(::getpid()) == nullptr) ::_exit(13);
            }
            // The soft limit was not (could not be) raised past the hard one.
            if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur != 64) ::_exit(14);
        } catch (...) {
            ::_exit(15);
        }
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(LiveSampler, RaisesTheSoftLimitWithinTheHard) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        struct rlimit lim{};
        ::getrlimit(RLIMIT_NOFILE, &lim);
        const rlim_t hard = lim.rlim_max;
        lim.rlim_cur = 64;
        if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) ::_exit(10);
        try {
            psi::Sampler sampler;
            psi::ProcessTable t = sampler.sample();
            ::getrlimit(RLIMIT_NOFILE, &lim);
            if (lim.rlim_max != hard) ::_exit(11);
            // Raised when the hard limit allows more than 64.
            if (hard > 64 && lim.rlim_cur <= 64) ::_exit(12);
            if (hard > 64 + t.size() + t.size() / 4 + 256 && sampler.open_handles() + 60 < t.size()) ::_exit(13);
        } catch (...) {
            ::_exit(16);
        }  // its descriptors closed here, before the limit goes back to 64
        psi::Sampler polite(psi::Options{}, false);
        lim.rlim_cur = 64;
        ::setrlimit(RLIMIT_NOFILE, &lim);
        polite.sample();
        ::getrlimit(RLIMIT_NOFILE, &lim);
        if (lim.rlim_cur != 64) ::_exit(14);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
