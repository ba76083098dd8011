// This process's own /proc files, read now, against the system calls that
// report the same facts: getresuid/getresgid/getgroups, sigprocmask and
// sigaction, getrlimit, sched_getaffinity, getrusage. Only values this
// process controls or that move one way are compared, so other processes
// cannot make it flaky.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "depth_fixture.hpp"
#include "platform/linux/parse_cgroup.hpp"
#include "platform/linux/parse_io.hpp"
#include "platform/linux/parse_limits.hpp"
#include "platform/linux/parse_smaps.hpp"
#include "platform/linux/parse_status_ext.hpp"

namespace {

using namespace psi::linux_proc;
using depth_test::slurp;

std::uint64_t bit(int sig) { return std::uint64_t{1} << (sig - 1); }

TEST(DepthLive, StatusIdsGroupsAndAffinity) {
    const std::string text = slurp("/proc/self/status");  // cpus_allowed_list points into it
    auto st = parse_status_ext(text);
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    ASSERT_EQ(getresuid(&ru, &eu, &su), 0);
    ASSERT_EQ(getresgid(&rg, &eg, &sg), 0);
    ASSERT_TRUE(st.uid && st.gid);
    EXPECT_EQ(*st.uid, (std::array<std::uint32_t, 4>{ru, eu, su, eu}));  // fsuid = euid unless setfsuid
    EXPECT_EQ(*st.gid, (std::array<std::uint32_t, 4>{rg, eg, sg, eg}));
    std::vector<gid_t> groups(static_cast<std::size_t>(getgroups(0, nullptr)));
    ASSERT_EQ(getgroups(static_cast<int>(groups.size()), groups.data()), static_cast<int>(groups.size()));
    std::vector<std::uint32_t> want(groups.begin(), groups.end());
    ASSERT_TRUE(st.groups);
    std::vector<std::uint32_t> got = *st.groups;
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want);
    cpu_set_t set;
    CPU_ZERO(&set);
    ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
    ASSERT_TRUE(st.cpus_allowed_list);
    auto cpus = parse_cpu_list(*st.cpus_allowed_list);
    ASSERT_TRUE(cpus);
    std::vector<int> affinity;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) affinity.push_back(c);
    EXPECT_EQ(*cpus, affinity);
    EXPECT_EQ(st.ns_pid, getpid());  // the test runs in the reader's pid namespace
}

TEST(DepthLive, SignalMasksFollowThisThread) {
    // A handler, an ignored signal, a blocked one and a pending one, set
    // here and restored after.
    struct sigaction act {}, old_usr1 {}, old_urg {};
    act.sa_handler = [](int) {};
    sigemptyset(&act.sa_mask);
    ASSERT_EQ(sigaction(SIGUSR1, &act, &old_usr1), 0);
    act.sa_handler = SIG_IGN;
    ASSERT_EQ(sigaction(SIGURG, &act, &old_urg), 0);
    sigset_t block, old_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &block, &old_mask), 0);
    // Process-directed, so ShdPnd. This binary runs no other thread that
    // could take the signal instead (gtest runs the tests on this one).
    ASSERT_EQ(kill(getpid(), SIGUSR2), 0);
    auto st = parse_status_ext(slurp("/proc/thread-self/status"));
    // Drain the pending SIGUSR2 before restoring the mask.
    int got = 0;
    sigwait(&block, &got);
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    sigaction(SIGUSR1, &old_usr1, nullptr);
    sigaction(SIGURG, &old_urg, nullptr);
    ASSERT_TRUE(st.sig_cgt && st.sig_ign && st.sig_blk && st.shd_pnd && st.sig_pnd);
    EXPECT_TRUE(*st.sig_cgt & bit(SIGUSR1));
    EXPECT_TRUE(*st.sig_ign & bit(SIGURG));
    EXPECT_TRUE(*st.sig_blk & bit(SIGUSR2));
    EXPECT_TRUE(*st.shd_pnd & bit(SIGUSR2));
    EXPECT_FALSE(*st.sig_pnd & bit(SIGUSR2));  // not thread-directed
    EXPECT_EQ(got, SIGUSR2);
}

TEST(DepthLive, LimitsMatchGetrlimit) {
    auto l = parse_limits(slurp("/proc/self/limits"));
    // RLIMIT_* numbers are the generic ones on the architectures psi tests on.
    static_assert(RLIMIT_NOFILE == 7 && RLIMIT_AS == 9 && RLIMIT_RTTIME == 15);
    for (int r = 0; r < static_cast<int>(kNumRlimits); ++r) {
        rlimit want{};
        ASSERT_EQ(getrlimit(static_cast<__rlimit_resource>(r), &want), 0);
        ASSERT_TRUE(l[static_cast<std::size_t>(r)]) << kRlimitNames[static_cast<std::size_t>(r)];
        EXPECT_EQ(l[static_cast<std::size_t>(r)]->soft, static_cast<std::uint64_t>(want.rlim_cur)) << r;
        EXPECT_EQ(l[static_cast<std::size_t>(r)]->hard, static_cast<std::uint64_t>(want.rlim_max)) << r;
    }
    EXPECT_EQ(kRlimInfinity, static_cast<std::uint64_t>(RLIM_INFINITY));
}

TEST(DepthLive, CountersOnlyGrowAndAgreeWithGetrusage) {
    rusage before{};
    ASSERT_EQ(getrusage(RUSAGE_SELF, &before), 0);
    auto stat = parse_stat_extra(slurp("/proc/self/stat"));
    auto io = parse_io(slurp("/proc/self/io"));
    rusage after{};
    ASSERT_EQ(getrusage(RUSAGE_SELF, &after), 0);
    ASSERT_TRUE(stat && stat->minflt && stat->majflt);
    EXPECT_GE(*stat->minflt, static_cast<std::uint64_t>(before.ru_minflt));
    EXPECT_LE(*stat->minflt, static_cast<std::uint64_t>(after.ru_minflt));
    EXPECT_GE(*stat->majflt, static_cast<std::uint64_t>(before.ru_majflt));
    EXPECT_LE(*stat->majflt, static_cast<std::uint64_t>(after.ru_majflt));
    ASSERT_TRUE(io.complete());
    EXPECT_GT(*io.rchar, 0u);  // reading the files above counted
    EXPECT_GT(*io.syscr, 0u);
}

TEST(DepthLive, SmapsCgroupAndFdinfo) {
    auto s = parse_smaps_rollup(slurp("/proc/self/smaps_rollup"));
    ASSERT_TRUE(s.any && s.rss && s.pss && s.uss());
    EXPECT_LE(*s.uss(), *s.rss);
    EXPECT_LE(*s.pss, *s.rss);
    const std::string cg_text = slurp("/proc/self/cgroup");
    auto cg = parse_cgroup(cg_text);
    EXPECT_TRUE(cg.unified || !cg.v1.empty());
    // An fd opened here, moved to a known offset (lseek, not stdio, whose
    // buffer would move the file offset on its own).
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(lseek(fd, 5, SEEK_SET), 5);
    auto fi = parse_fdinfo(slurp("/proc/self/fdinfo/" + std::to_string(fd)));
    close(fd);
    EXPECT_EQ(fi.pos, 5);
    ASSERT_TRUE(fi.flags);
    EXPECT_STREQ(fd_mode_from_flags(*fi.flags), "r");
    EXPECT_TRUE(*fi.flags & 02000000);  // O_CLOEXEC, from the fd table
    EXPECT_TRUE(fi.mnt_id);
}

}  // namespace
