// System::threads (-- w-threads) on the live system: this test's own named
// threads (pthread_setname_np writes /proc/self/task/TID/comm, and gettid is
// the TID there).
#include <gtest/gtest.h>

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "psi/psi.hpp"

namespace {

using psi::Group;

TEST(LiveThreads, OwnNamedThreads) {
    constexpr int kN = 3;
    std::atomic<int> started{0};
    std::atomic<bool> stop{false};
    std::vector<int> tids(kN);
    std::vector<std::thread> threads;
    for (int i = 0; i < kN; ++i)
        threads.emplace_back([&, i] {
            std::string name = "psi-live" + std::to_string(i);
            ::pthread_setname_np(::pthread_self(), name.c_str());
            tids[static_cast<std::size_t>(i)] = static_cast<int>(::syscall(SYS_gettid));
            started.fetch_add(1);
            while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        });
    while (started.load() < kN) std::this_thread::yield();

    psi::System sys;
    std::vector<psi::ProcessInfo> ts = sys.threads(::getpid(), psi::groups::ps);
    // thread_table: the same threads among every process's, each row a
    // thread's (tid set), processes in pid order.
    std::vector<psi::ProcessInfo> all = sys.thread_table(Group::stat);
    stop = true;
    for (auto& t : threads) t.join();

    ASSERT_GE(ts.size(), static_cast<std::size_t>(kN + 1));
    // The leader (its tid is the pid) first, then by start time: not by
    // tid, which is lower than the leader's once the pid counter wrapped.
    EXPECT_EQ(ts.front().tid, ::getpid());
    EXPECT_TRUE(std::is_sorted(ts.begin() + 1, ts.end(),
                               [](const auto& a, const auto& b) { return a.start_ticks < b.start_ticks; }));
    for (int i = 0; i < kN; ++i) {
        auto it = std::find_if(ts.begin(), ts.end(), [&](const auto& t) { return t.tid == tids[static_cast<std::size_t>(i)]; });
        ASSERT_NE(it, ts.end()) << "thread " << tids[static_cast<std::size_t>(i)];
        EXPECT_EQ(it->pid, ::getpid());
        EXPECT_EQ(it->name.value(), "psi-live" + std::to_string(i));
        EXPECT_EQ(it->euid.value(), ::geteuid());
    }
    std::vector<int> own;
    for (const auto& t : all) {
        ASSERT_NE(t.tid, 0) << "pid " << t.pid;
        if (t.pid == ::getpid()) own.push_back(t.tid);
    }
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.pid < b.pid; }));
    for (int tid : tids) EXPECT_NE(std::find(own.begin(), own.end(), tid), own.end()) << "thread " << tid;
    EXPECT_EQ(own.front(), ::getpid());
    EXPECT_GT(all.size(), own.size());  // pid 1's threads at least
    // Ended threads are gone. join() returns when the kernel clears the
    // thread's tid word (CLONE_CHILD_CLEARTID, in the exit path's
    // mm_release), which is before the task is unhashed from
    // /proc/self/task (release_task): for a moment a joined thread can
    // still be listed. So wait, bounded, until none of the three is.
    auto listed = [&] {
        std::vector<psi::ProcessInfo> after = sys.threads(::getpid(), Group::stat);
        return std::any_of(after.begin(), after.end(), [&](const auto& t) {
            return std::find(tids.begin(), tids.end(), t.tid) != tids.end();
        });
    };
    bool still = listed();
    for (int i = 0; i < 1000 && still; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        still = listed();
    }
    EXPECT_FALSE(still) << "a joined thread was still listed after 10 s";
}

}  // namespace
