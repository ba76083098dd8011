// Issue 12's stat extras and the status group on fixture trees with known
// answers: every value below is written into the fixture by hand, in the
// kernel's format (fs/proc/array.c), and checked against that number.
#include <gtest/gtest.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using namespace std::string_literals;
using psi::AttrStatus;
using psi::Group;
using psi_test::ProcFiles;
using psi_test::ProcFixture;
using psi_test::StatFields;

// The tail of a 6.x kernel's status file after the lines make_status writes
// (task_mem, task_sig, task_cpus_allowed, context switches).
const std::string kStatusTail =
    "NStgid:\t100\t7\nNSpid:\t100\t7\nNSpgid:\t100\t7\nNSsid:\t100\t7\n"
    "VmPeak:\t   12000 kB\nVmSize:\t   11000 kB\nVmLck:\t       4 kB\nVmPin:\t       0 kB\n"
    "VmHWM:\t     900 kB\nVmRSS:\t     400 kB\nRssAnon:\t     100 kB\nRssFile:\t     250 kB\n"
    "RssShmem:\t      50 kB\nVmData:\t    3000 kB\nVmStk:\t     132 kB\nVmExe:\t      20 kB\n"
    "VmLib:\t    2000 kB\nVmPTE:\t      60 kB\nVmSwap:\t       8 kB\nHugetlbPages:\t       0 kB\n"
    "SigPnd:\t0000000000000100\nShdPnd:\t0000000000004000\nSigBlk:\t0000000000010000\n"
    "SigIgn:\t0000000000001000\nSigCgt:\t0000000180000002\n"
    "Cpus_allowed:\t0f\nCpus_allowed_list:\t0-2,5\nMems_allowed_list:\t0\n"
    "voluntary_ctxt_switches:\t77\nnonvoluntary_ctxt_switches:\t9\n";

class StatusFixture : public ::testing::Test {
protected:
    void SetUp() override {
        StatFields f;
        f.minflt = 11;
        f.cminflt = 12;
        f.majflt = 13;
        f.cmajflt = 14;
        f.cutime = 200;
        f.cstime = 300;
        ProcFiles files;
        // real, effective, saved, fs: all different, to catch a swapped index.
        files.uid[0] = 1000; files.uid[1] = 1001; files.uid[2] = 0; files.uid[3] = 1003;
        files.gid[0] = 100; files.gid[1] = 101; files.gid[2] = 0; files.gid[3] = 103;
        files.status = psi_test::make_status(100, "prog", files, f) + kStatusTail;
        fx_.add_process(100, "prog", f, files);

        // A kernel thread (no Vm lines: no user memory) and a zombie (its
        // mm is gone: sizes not available).
        ProcFiles no_mm;
        no_mm.statm = "0 0 0 0 0 0 0\n";
        no_mm.cmdline = ""s;
        no_mm.environ = ""s;
        no_mm.exe.reset();
        no_mm.cwd.reset();
        StatFields kt;
        kt.ppid = 2;
        kt.flags = 0x208040 | 0x00200000;
        kt.vsize = 0;
        fx_.add_process(50, "kworker/0:1", kt, no_mm);
        StatFields z;
        z.state = 'Z';
        z.vsize = 0;
        fx_.add_process(300, "defunct", z, no_mm);
        // An old kernel's 20-field stat line: the extras are not available.
        StatFields old;
        old.nfields = 20;
        fx_.add_process(400, "old", old);
        fx_.add_system_files();
    }
    ProcFixture fx_;
};

TEST_F(StatusFixture, StatExtrasComeWithStat) {
    psi::System sys = psi_test::open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(100, Group::stat);
    const auto hz = static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK));
    EXPECT_EQ(p.minor_faults.value(), 11u);
    EXPECT_EQ(p.children_minor_faults.value(), 12u);
    EXPECT_EQ(p.major_faults.value(), 13u);
    EXPECT_EQ(p.children_major_faults.value(), 14u);
    EXPECT_EQ(p.children_utime.value(), psi::TimeSpec::from_ticks(200, hz));
    EXPECT_EQ(p.children_stime.value(), psi::TimeSpec::from_ticks(300, hz));
    // make_stat's fixed startcode/endcode (fields 26, 27).
    EXPECT_EQ(p.start_code.value(), 94000000000000u);
    EXPECT_EQ(p.end_code.value(), 94000000100000u);
    // The status group was not asked for.
    EXPECT_EQ(p.depth().voluntary_ctxt_switches.status(), AttrStatus::not_read);
    EXPECT_EQ(p.depth().suid.status(), AttrStatus::not_read);

    const psi::ProcessInfo old = sys.process(400, Group::stat);
    EXPECT_EQ(old.nthreads.status(), AttrStatus::ok);
    EXPECT_EQ(old.minor_faults.status(), AttrStatus::ok);  // field 10 is within 20
    EXPECT_EQ(old.start_code.status(), AttrStatus::not_available);
    EXPECT_EQ(old.end_code.status(), AttrStatus::not_available);
}

TEST_F(StatusFixture, StatusGroupValues) {
    psi::System sys = psi_test::open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(100, Group::status);
    EXPECT_EQ(p.depth().voluntary_ctxt_switches.value(), 77u);
    EXPECT_EQ(p.depth().involuntary_ctxt_switches.value(), 9u);
    EXPECT_EQ(p.depth().rss_peak.value(), 900u * 1024);
    EXPECT_EQ(p.depth().vsz_peak.value(), 12000u * 1024);
    EXPECT_EQ(p.depth().swap.value(), 8u * 1024);
    EXPECT_EQ(p.depth().rss_anon.value(), 100u * 1024);
    EXPECT_EQ(p.depth().rss_file.value(), 250u * 1024);
    EXPECT_EQ(p.depth().rss_shmem.value(), 50u * 1024);
    EXPECT_EQ(p.depth().data_size.value(), 3000u * 1024);
    EXPECT_EQ(p.depth().stack_size.value(), 132u * 1024);
    EXPECT_EQ(p.depth().text_size.value(), 20u * 1024);
    EXPECT_EQ(p.depth().lib_size.value(), 2000u * 1024);
    EXPECT_EQ(p.depth().page_tables.value(), 60u * 1024);
    EXPECT_EQ(p.depth().suid.value(), 0u);
    EXPECT_EQ(p.depth().fsuid.value(), 1003u);
    EXPECT_EQ(p.depth().sgid.value(), 0u);
    EXPECT_EQ(p.depth().fsgid.value(), 103u);
    EXPECT_EQ(p.depth().supplementary_groups.value(), (std::vector<std::uint32_t>{4, 24, 27}));
    EXPECT_EQ(p.depth().sigmask.value(), 0x10000u);
    EXPECT_EQ(p.depth().sigpending.value(), 0x4000u);  // ShdPnd, not this thread's SigPnd
    EXPECT_EQ(p.depth().sigignore.value(), 0x1000u);
    EXPECT_EQ(p.depth().sigcatch.value(), 0x180000002u);
    EXPECT_EQ(p.depth().ns_pid.value(), 7);
    EXPECT_EQ(p.depth().cpu_affinity.value(), (std::vector<int>{0, 1, 2, 5}));
    // creds was not asked for: status alone leaves its attributes unread.
    EXPECT_EQ(p.ruid.status(), AttrStatus::not_read);
    EXPECT_EQ(p.depth().suser.status(), AttrStatus::not_read);
}

TEST_F(StatusFixture, OneReadServesCredsAndStatusAndNames) {
    psi::System sys = psi_test::open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(100, Group::status | Group::creds | Group::names);
    EXPECT_EQ(p.ruid.value(), 1000u);
    EXPECT_EQ(p.euid.value(), 1001u);
    EXPECT_EQ(p.rgid.value(), 100u);
    EXPECT_EQ(p.locked.value(), 4u * 1024);
    EXPECT_EQ(p.rss.value(), 400u * 1024);
    EXPECT_EQ(p.depth().suid.value(), 0u);
    // Names come from this machine's databases, like euser's.
    const passwd* root = ::getpwuid(0);
    const group* g0 = ::getgrgid(0);
    ASSERT_NE(root, nullptr);
    ASSERT_NE(g0, nullptr);
    EXPECT_EQ(p.depth().suser.value(), root->pw_name);
    EXPECT_EQ(p.depth().sgroup.value(), g0->gr_name);
    const passwd* u1003 = ::getpwuid(1003);
    EXPECT_EQ(p.depth().fsuser.value(), u1003 ? std::string(u1003->pw_name) : "1003"s);
    const auto& names = p.depth().supplementary_group_names.value();
    ASSERT_EQ(names.size(), 3u);
    const group* g4 = ::getgrgid(4);
    EXPECT_EQ(names[0], g4 ? std::string(g4->gr_name) : "4"s);
}

TEST_F(StatusFixture, NamesReadBeforeStatusStillNameItsIds) {
    // The Python Process reads names with the default groups, status later.
    psi::System sys = psi_test::open_fixture(fx_);
    psi::ProcessInfo p = sys.process(100, psi::groups::all);
    EXPECT_EQ(p.depth().suser.status(), AttrStatus::not_read);
    sys.read_more(p, Group::status);
    ASSERT_EQ(p.depth().suser.status(), AttrStatus::ok);
    EXPECT_EQ(p.depth().suser.value(), ::getpwuid(0)->pw_name);
}

TEST_F(StatusFixture, FootprintCountsTheLists) {
    psi::System sys = psi_test::open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(100, Group::status | Group::names);
    psi::ProcessInfo q = p;
    q.depth().supplementary_groups.fail(AttrStatus::not_read);
    q.depth().supplementary_group_names.fail(AttrStatus::not_read);
    q.depth().cpu_affinity.fail(AttrStatus::not_read);
    EXPECT_GE(p.memory_footprint(),
              q.memory_footprint() + 3 * sizeof(std::uint32_t) + 3 * sizeof(std::string) + 4 * sizeof(int));
}

TEST_F(StatusFixture, KernelThreadAndZombie) {
    psi::System sys = psi_test::open_fixture(fx_);
    const psi::ProcessInfo kt = sys.process(50, Group::status);
    EXPECT_TRUE(kt.is_kernel_thread);
    EXPECT_EQ(kt.depth().rss_peak.value(), 0u);  // no mm: nothing used
    EXPECT_EQ(kt.depth().data_size.value(), 0u);
    EXPECT_EQ(kt.depth().suid.value(), 0u);
    const psi::ProcessInfo z = sys.process(300, Group::status);
    EXPECT_EQ(z.depth().rss_peak.status(), AttrStatus::not_available);  // its mm is gone
    EXPECT_EQ(z.depth().data_size.status(), AttrStatus::not_available);
    EXPECT_EQ(z.depth().suid.value(), 0u);  // ids outlive the mm
    // make_status writes no NSpid, signal or switch lines: not available.
    EXPECT_EQ(z.depth().ns_pid.status(), AttrStatus::not_available);
    EXPECT_EQ(z.depth().voluntary_ctxt_switches.status(), AttrStatus::not_available);
    EXPECT_EQ(z.depth().cpu_affinity.status(), AttrStatus::not_available);
}

TEST(StatusFixtureBad, UnreadableStatusFailsTheGroupNotTheProcess) {
    ProcFixture fx;
    StatFields f;
    ProcFiles files;
    files.write_status = false;  // stat exists, status does not
    fx.add_process(100, "prog", f, files);
    fx.add_system_files();
    psi::System sys = psi_test::open_fixture(fx);
    std::error_code ec;
    const psi::ProcessInfo p = sys.process(100, Group::status, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_NE(p.depth().voluntary_ctxt_switches.status(), AttrStatus::ok);
    EXPECT_NE(p.depth().voluntary_ctxt_switches.status(), AttrStatus::not_read);
    EXPECT_EQ(p.depth().cpu_affinity.status(), p.depth().voluntary_ctxt_switches.status());
    EXPECT_EQ(p.minor_faults.value(), 100u);  // stat is fine
}

TEST_F(StatusFixture, FaultAndSwitchRates) {
    psi::System sys = psi_test::open_fixture(fx_);
    psi::ProcessInfo a = sys.process(100, Group::stat | Group::status);
    psi::ProcessInfo b = a;
    // Two readings one second apart with known counters.
    b.read_at.monotonic = a.read_at.monotonic + std::chrono::seconds(1);
    b.minor_faults.set(11 + 50);
    b.major_faults.set(13 + 2);
    b.depth().voluntary_ctxt_switches.set(77 + 10);
    b.depth().involuntary_ctxt_switches.set(9 + 1);
    const psi::ProcessRates r = psi::rates(a, b);
    EXPECT_DOUBLE_EQ(r.minor_faults.value(), 50.0);
    EXPECT_DOUBLE_EQ(r.major_faults.value(), 2.0);
    EXPECT_DOUBLE_EQ(r.voluntary_ctx_switches.value(), 10.0);
    EXPECT_DOUBLE_EQ(r.involuntary_ctx_switches.value(), 1.0);
    // Without the status group the switch rates are not read.
    const psi::ProcessInfo c = sys.process(100, Group::stat);
    EXPECT_EQ(psi::rates(c, b).voluntary_ctx_switches.status(), AttrStatus::not_read);
}

}  // namespace
