// SPEC 9 on the live system: kernel threads, churn, threads, descriptor
// leaks, and the small System services (name caches, move).
#include <gtest/gtest.h>

#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

using psi::Group;

// Open descriptors as "fd -> target" lines, so a leak shows what leaked.
std::vector<std::string> open_fds() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        out.push_back(e.path().filename().string() + " -> " + std::filesystem::read_symlink(e.path(), ec).string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x + "\n";
    return s;
}

TEST(LiveKernelThread, Kthreadd) {
    int st = 0;
    std::string comm = psi_test::run_capture("ps -o comm= -p 2", &st);
    if (st != 0 || comm.rfind("kthreadd", 0) != 0) GTEST_SKIP() << "pid 2 is not kthreadd here";
    psi::System sys;
    std::error_code ec;
    const psi::ProcessInfo p = sys.process(2, psi::groups::all, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_TRUE(p.is_kernel_thread);
    EXPECT_EQ(p.name.value("name"), "kthreadd");
    EXPECT_EQ(p.ppid.value("ppid"), 0);
    // On 6.x, reading a kernel thread's environ fails with ESRCH and
    // readlink of exe with ENOENT: not available, not "gone" (SPEC 4).
    EXPECT_EQ(p.env.status(), psi::AttrStatus::not_available) << psi::to_string(p.env.status());
    EXPECT_EQ(p.exe.status(), psi::AttrStatus::not_available) << psi::to_string(p.exe.status());
    EXPECT_EQ(p.args.status(), psi::AttrStatus::not_available) << psi::to_string(p.args.status());
    EXPECT_EQ(p.command().value_or("<none>"), "kthreadd");
    EXPECT_EQ(p.rss.value("rss"), 0u);
    EXPECT_TRUE(sys.exists(p));

    // Every kernel thread in a full table: no error, and each one flagged.
    const psi::ProcessTable t = sys.table(psi::groups::all, ec);
    ASSERT_FALSE(ec) << ec.message();
    std::size_t kthreads = 0;
    for (const auto& q : t) {
        if (q.ppid.value_or(-1) == 2) {
            ++kthreads;
            EXPECT_TRUE(q.is_kernel_thread) << q.pid;
            EXPECT_NE(q.env.status(), psi::AttrStatus::ok) << q.pid;
        }
    }
    EXPECT_GT(kthreads, 0u);
}

// Children are forked and reaped as fast as possible while tables with every
// group are taken: processes vanish between listing and reading, and between
// one file and the next. No table may fail, and nothing of a dead child may
// be reported with values from another process.
TEST(LiveChurn, TablesWhileProcessesComeAndGo) {
    std::atomic<bool> stop{false};
    std::atomic<long> forked{0};
    const pid_t self = ::getpid();
    std::thread churner([&] {
        while (!stop) {
            const pid_t pid = ::fork();
            if (pid == 0) {
                // exec so that the child's environ differs from ours and
                // names its own pid; a snapshot mixing two processes would
                // show an id that is not its pid.
                // Async-signal-safe formatting only: the parent has threads.
                char env0[64] = "PSI_CHURN_PID=";
                char digits[16];
                int nd = 0;
                for (int v = static_cast<int>(::getpid()); v > 0; v /= 10) digits[nd++] = static_cast<char>('0' + v % 10);
                char* w = env0 + 14;
                while (nd > 0) *w++ = digits[--nd];
                *w = '\0';
                char* const argv[] = {const_cast<char*>("true"), nullptr};
                char* const envp[] = {env0, nullptr};
                ::execve("/bin/true", argv, envp);
                ::_exit(127);
            }
            if (pid > 0) {
                ++forked;
                ::waitpid(pid, nullptr, 0);
            }
        }
    });
    psi::System sys;
    std::size_t tables = 0, churn_seen = 0;
    // At least 1.5 s, 5 tables and 50 children, whichever comes last (a
    // loaded or sanitized build is slower); 60 s is only a guard.
    const auto start = std::chrono::steady_clock::now();
    auto more = [&] {
        const auto t = std::chrono::steady_clock::now();
        if (t - start > std::chrono::seconds(60)) return false;
        return t - start < std::chrono::milliseconds(1500) || tables < 5 || forked < 50;
    };
    while (more()) {
        std::error_code ec;
        psi::ProcessTable t;
        EXPECT_NO_THROW(t = sys.table(psi::groups::all, ec));
        EXPECT_FALSE(ec) << ec.message();
        ++tables;
        for (const auto& p : t) {
            if (p.ppid.value_or(-1) != self || !p.env.ok()) continue;
            for (const auto& [k, v] : p.env.value()) {
                if (k != "PSI_CHURN_PID") continue;
                ++churn_seen;
                EXPECT_EQ(v, std::to_string(p.pid)) << "environ of another process";
            }
        }
    }
    stop = true;
    churner.join();
    EXPECT_GE(tables, 5u);
    EXPECT_GE(forked.load(), 50);
    std::printf("%zu tables, %ld children forked, %zu churn children caught with env\n", tables, forked.load(),
                churn_seen);
}

// One System per thread (system.hpp): concurrent tables must agree on what
// does not change, e.g. our own start time.
TEST(LiveThreads, SystemPerThread) {
    const psi::TimeSpec want = psi::System().process(::getpid(), Group::stat).start_time.value();
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            psi::System sys;
            for (int j = 0; j < 10; ++j) {
                std::error_code ec;
                const psi::ProcessTable t = sys.table(psi::groups::all, ec);
                const psi::ProcessInfo* me = t.find(::getpid());
                if (ec || me == nullptr || me->start_time.value_or({}) != want ||
                    me->euser.value_or("") != sys.user_name(::geteuid()))
                    ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
}

// Linux shows a process's state as its main thread's. A parallel table whose
// calling thread waited for its readers while one of them read the caller's
// row listed the caller sleeping, with the readers counted as its threads;
// the caller reads its own row first, so it sees itself as ps and psutil
// (one thread) see themselves: running, one thread.
TEST(LiveThreads, ParallelTableShowsTheCallerRunning) {
    psi_test::Sleepers sleepers;
    sleepers.fill_to(700, 800);
    psi::Options opts;
    opts.threads = 4;
    psi::System sys(opts);
    for (int i = 0; i < 20; ++i) {
        const psi::ProcessTable t = sys.table(psi::groups::ps);
        // 4 readers need 4 x 128 processes (other tests' children may end
        // meanwhile, so not the exact count filled to).
        ASSERT_GE(t.size(), 512u);
        const psi::ProcessInfo* me = t.find(::getpid());
        ASSERT_NE(me, nullptr);
        EXPECT_EQ(me->status.value("status"), psi::ProcStatus::running) << i;
        EXPECT_EQ(me->nthreads.value("nthreads"), 1) << i;
    }
}

TEST(LiveLeaks, DescriptorsStayFlat) {
    psi::System sys;
    (void)sys.table(psi::groups::all);  // let psi open whatever it keeps open
    (void)sys.mounts(true);
    (void)sys.arch();
    const std::vector<std::string> before = open_fds();
    std::error_code ec;
    for (int i = 0; i < 20; ++i) {
        (void)sys.table(psi::groups::all, ec);
        (void)sys.process(::getpid(), psi::groups::all, ec);
        (void)sys.process(4194305, psi::groups::all, ec);  // error path
        (void)sys.process(-1, psi::groups::all, ec);
        (void)sys.mounts(true, ec);
        (void)sys.loadavg(ec);
        (void)sys.uptime(ec);
        (void)sys.arch();
    }
    EXPECT_EQ(open_fds().size(), before.size()) << "before:\n" << join(before) << "after:\n" << join(open_fds());
    {
        psi::System more;  // a System releases what it holds
        (void)more.table(psi::groups::all);
    }
    EXPECT_EQ(open_fds().size(), before.size()) << "before:\n" << join(before) << "after:\n" << join(open_fds());
}

TEST(LiveSystemObject, NameCachesAndMove) {
    psi::System sys;
    const passwd* pw = ::getpwuid(0);
    ASSERT_NE(pw, nullptr);
    EXPECT_EQ(sys.user_name(0), pw->pw_name);
    const std::string& first = sys.user_name(0);
    EXPECT_EQ(&sys.user_name(0), &first) << "cached: the same string each time";
    // An id with no name comes back in decimal.
    std::uint32_t unnamed = 54321;
    while (::getpwuid(unnamed) != nullptr) ++unnamed;
    EXPECT_EQ(sys.user_name(unnamed), std::to_string(unnamed));
    EXPECT_FALSE(sys.group_name(0).empty());

    psi::System moved(std::move(sys));
    EXPECT_EQ(moved.options().proc_root, "/proc");
    EXPECT_NE(moved.table(psi::groups::ps).find(::getpid()), nullptr);
    psi::System assigned(psi::Options{.proc_root = "/proc"});
    assigned = std::move(moved);
    EXPECT_NE(assigned.process(::getpid(), Group::stat).pid, 0);
}

TEST(LiveSystemObject, NowIsRealtime) {
    const psi::TimeSpec a = psi_test::clock_now(CLOCK_REALTIME);
    const psi::TimeSpec n = psi::now();
    const psi::TimeSpec b = psi_test::clock_now(CLOCK_REALTIME);
    EXPECT_LE(a, n);
    EXPECT_LE(n, b);
}

}  // namespace
