// The running test process read through psi, checked against what the
// process knows about itself from system calls and main()'s arguments.
#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "psi/psi.hpp"
#include "support.hpp"

namespace {

using psi::Group;

std::string uid_name(uid_t uid) {
    const passwd* pw = ::getpwuid(uid);
    return pw != nullptr ? pw->pw_name : std::to_string(uid);
}
std::string gid_name(gid_t gid) {
    const group* gr = ::getgrgid(gid);
    return gr != nullptr ? gr->gr_name : std::to_string(gid);
}

std::size_t count_tasks() {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
        (void)e;
        ++n;
    }
    return n;
}

// A "Key:   N kB" line of /proc/self/status, in KiB.
std::uint64_t status_kib(const std::string& key) {
    const std::string text = psi_test::read_file("/proc/self/status");
    const auto at = text.find("\n" + key);
    if (at == std::string::npos) return 0;
    return std::strtoull(text.c_str() + at + 1 + key.size(), nullptr, 10);
}

// The executable as the kernel resolved it at execve(2): argv[0] made
// absolute and free of symlinks (ctest runs us by absolute path).
std::string expected_exe() {
    const std::string& a0 = psi_test::g_argv.at(0);
    if (a0.find('/') != std::string::npos) return std::filesystem::canonical(a0).string();
    return std::filesystem::read_symlink("/proc/self/exe").string();
}

TEST(LiveSelf, EveryGroupMatchesTheSystem) {
    psi::System sys;
    const psi::ProcessInfo p = sys.process(::getpid(), psi::groups::all);
    EXPECT_EQ(p.pid, ::getpid());
    EXPECT_TRUE(p.groups_read.contains(psi::groups::all));
    EXPECT_FALSE(p.is_kernel_thread);
    EXPECT_EQ(p.ppid.value("ppid"), ::getppid());
    EXPECT_EQ(p.pgrp.value("pgrp"), ::getpgrp());
    EXPECT_EQ(p.sid.value("sid"), ::getsid(0));
    EXPECT_EQ(p.ruid.value("ruid"), ::getuid());
    EXPECT_EQ(p.euid.value("euid"), ::geteuid());
    EXPECT_EQ(p.rgid.value("rgid"), ::getgid());
    EXPECT_EQ(p.egid.value("egid"), ::getegid());
    EXPECT_EQ(p.euser.value("euser"), uid_name(::geteuid()));
    EXPECT_EQ(p.ruser.value("ruser"), uid_name(::getuid()));
    EXPECT_EQ(p.egroup.value("egroup"), gid_name(::getegid()));
    EXPECT_EQ(p.rgroup.value("rgroup"), gid_name(::getgid()));

    char comm[17] = {};
    ASSERT_EQ(::prctl(PR_GET_NAME, comm), 0);
    EXPECT_EQ(p.name.value("name"), comm);

    // Reading our own stat, we are necessarily the running task.
    EXPECT_EQ(p.status.value("status"), psi::ProcStatus::running);
    EXPECT_EQ(p.status_letter.value("status_letter"), 'R');

    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, 0);
    ASSERT_EQ(errno, 0);
    EXPECT_EQ(p.nice.value("nice"), nice);
    if (::sched_getscheduler(0) == SCHED_OTHER) {
        EXPECT_EQ(p.priority.value("priority"), 0);
    }
    EXPECT_EQ(p.nthreads.value("nthreads"), static_cast<int>(count_tasks()));
    EXPECT_EQ(p.flags.value("flags") & 0x00200000u, 0u) << "PF_KTHREAD on a user process";

    // No controlling terminal <=> opening /dev/tty fails with ENXIO (tty(4)).
    const int fd = ::open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 && errno == ENXIO) {
        EXPECT_EQ(p.tty_dev.value("tty_dev"), 0u);
        EXPECT_EQ(p.terminal.value("terminal"), "");
    } else if (fd >= 0) {
        EXPECT_NE(p.tty_dev.value("tty_dev"), 0u);
        EXPECT_FALSE(p.terminal.value("terminal").empty());
        ::close(fd);
    }

    char cwd[PATH_MAX];
    ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
    EXPECT_EQ(p.cwd.value("cwd"), cwd);
    EXPECT_EQ(p.exe.value("exe"), expected_exe());
    EXPECT_EQ(p.args.value("args"), psi_test::g_argv);

    psi::Environment env;
    for (const std::string& kv : psi_test::g_environ) {
        const auto eq = kv.find('=');
        ASSERT_NE(eq, std::string::npos) << kv;
        env.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    EXPECT_EQ(p.env.value("env"), env);

    // Zones are Solaris's (SPEC 6): on Linux both say so, with the groups
    // that carry them read.
    EXPECT_EQ(p.zoneid.status(), psi::AttrStatus::not_implemented);
    EXPECT_EQ(p.zonename.status(), psi::AttrStatus::not_implemented);
}

TEST(LiveSelf, MemoryAndTimes) {
    psi::System sys;
    const psi::TimeSpec before = psi_test::clock_now(CLOCK_REALTIME);
    const psi::ProcessInfo p = sys.process(::getpid(), Group::stat | Group::memory);
    const psi::TimeSpec cpu_after = psi_test::clock_now(CLOCK_PROCESS_CPUTIME_ID);

    const std::uint64_t rss = p.rss.value("rss");
    EXPECT_GT(rss, 0u);
    EXPECT_EQ(rss % static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)), 0u) << "statm pages x page size";
    EXPECT_GE(p.vsz.value("vsz"), rss);
    // getrusage's ru_maxrss is no bound here: on 6.x kernels it comes from
    // unsummed per-CPU counters and can sit below the true rss (SPEC 4).
    // status's VmRSS sums them, as statm does, and is what ps shows. Our own
    // rss moves as we allocate, so retry until two reads bracket one value.
    bool matched = false;
    std::uint64_t vmrss = 0, mine = 0;
    for (int attempt = 0; attempt < 20 && !matched; ++attempt) {
        mine = sys.process(::getpid(), Group::memory).rss.value("rss");
        vmrss = status_kib("VmRSS:") * 1024;
        matched = mine == vmrss && sys.process(::getpid(), Group::memory).rss.value("rss") == mine;
    }
    EXPECT_TRUE(matched) << "psi rss " << mine << " vs VmRSS " << vmrss;

    // utime+stime are whole ticks of the scheduler's runtime (truncated), so
    // they cannot exceed the CPU clock read afterwards by a tick or more.
    const auto hz = static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK));
    EXPECT_LE(p.cputime().value(), cpu_after + psi::TimeSpec::from_ticks(1, hz));

    EXPECT_EQ(p.jiffies.value("jiffies"), p.start_ticks);
    const psi::TimeSpec start = p.start_time.value("start_time");
    // We started before main() ran and after the machine booted. starttime
    // is truncated to ticks, so only the upper bound needs no slack beyond
    // psi's boot-instant arithmetic.
    EXPECT_LE(start, psi_test::g_main_realtime + psi::TimeSpec(0, 10'000'000));
    EXPECT_GE(start, sys.boot_time());
    EXPECT_LE(start, before);
}

TEST(LiveSelf, StartTimeIdenticalAcrossRefreshes) {
    psi::System sys;
    psi::ProcessInfo p = sys.process(::getpid(), Group::stat);
    const psi::TimeSpec first = p.start_time.value("start_time");
    // psi re-derives the boot instant from two clocks; SPEC 4 requires that
    // a process's start time never wobbles. Space the reads beyond psi's
    // caching interval so each one recomputes.
    for (int i = 0; i < 4; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(120));
        sys.refresh(p);
        EXPECT_EQ(p.start_time.value("start_time"), first) << "refresh " << i;
        const psi::ProcessInfo again = sys.process(::getpid(), Group::stat);
        EXPECT_EQ(again.start_time.value("start_time"), first) << "new read " << i;
    }
    // Another System (Python makes one per object) must agree too.
    psi::System other;
    EXPECT_EQ(other.process(::getpid(), Group::stat).start_time.value("start_time"), first);
    const psi::ProcessTable t = other.table(Group::stat);
    ASSERT_NE(t.find(::getpid()), nullptr);
    EXPECT_EQ(t.find(::getpid())->start_time.value("start_time"), first);
    EXPECT_EQ(psi::process(::getpid(), Group::stat).start_time.value("start_time"), first);
}

TEST(LiveSelf, GroupsReadLazily) {
    psi::System sys;
    psi::ProcessInfo p = sys.process(::getpid(), Group::stat);
    EXPECT_TRUE(p.ppid.ok());
    // The faults (Group::usage) are fields of the stat line on Linux.
    EXPECT_EQ(p.groups_read, Group::stat | Group::usage);
    EXPECT_EQ(p.args.status(), psi::AttrStatus::not_read);
    EXPECT_EQ(p.env.status(), psi::AttrStatus::not_read);
    EXPECT_EQ(p.rss.status(), psi::AttrStatus::not_read);
    EXPECT_EQ(p.cwd.status(), psi::AttrStatus::not_read);
    try {
        (void)p.args.value("args", p.pid);
        FAIL() << "unread args must throw";
    } catch (const psi::Error& e) {
        EXPECT_EQ(e.code(), psi::errc::attr_not_read);
    }
    sys.read_more(p, Group::args | Group::cwd);
    EXPECT_EQ(p.args.value("args"), psi_test::g_argv);
    EXPECT_TRUE(p.cwd.ok());
    EXPECT_TRUE(p.groups_read.contains(Group::stat | Group::args | Group::cwd));
    EXPECT_EQ(p.env.status(), psi::AttrStatus::not_read);
    // refresh re-reads what was read, and nothing more.
    sys.refresh(p);
    EXPECT_TRUE(p.args.ok());
    EXPECT_EQ(p.env.status(), psi::AttrStatus::not_read);
}

TEST(LiveSelf, TableListsLeadersNotThreads) {
    std::atomic<pid_t> tid{0};
    std::atomic<bool> stop{false};
    std::thread worker([&] {
        tid = static_cast<pid_t>(::syscall(SYS_gettid));
        while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
    while (tid == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));

    psi::System sys;
    const std::vector<int> pids = sys.pids();
    const psi::ProcessTable t = sys.table(psi::groups::ps);
    const psi::ProcessInfo self = sys.process(::getpid(), Group::stat);
    stop = true;
    worker.join();

    EXPECT_TRUE(std::is_sorted(pids.begin(), pids.end()));
    EXPECT_EQ(std::adjacent_find(pids.begin(), pids.end()), pids.end()) << "duplicate pid";
    for (int want : {1, static_cast<int>(::getpid()), static_cast<int>(::getppid())})
        EXPECT_TRUE(std::binary_search(pids.begin(), pids.end(), want)) << want;
    EXPECT_FALSE(std::binary_search(pids.begin(), pids.end(), static_cast<int>(tid.load())));
    EXPECT_EQ(t.find(tid), nullptr);
    EXPECT_EQ(self.nthreads.value("nthreads"), 2);

    for (std::size_t i = 1; i < t.size(); ++i) EXPECT_LT(t[i - 1].pid, t[i].pid);
    const psi::ProcessInfo* me = t.find(::getpid());
    ASSERT_NE(me, nullptr);
    EXPECT_EQ(me->ppid.value("ppid"), ::getppid());
    EXPECT_EQ(me->euser.value("euser"), uid_name(::geteuid()));
    EXPECT_TRUE(me->rss.ok());
    EXPECT_EQ(me->args.status(), psi::AttrStatus::not_read) << "groups::ps has no args";
}

}  // namespace
