// Solaris /proc record decoders against records built byte by byte. The
// writer below does not use layout.hpp: every offset is written out here
// from the _LP64 structures of proc(5) / illumos <sys/procfs.h> (psinfo_t
// 416 bytes with pr_lwp at 288, pstatus_t's fixed part 384 bytes, prusage_t
// 504 bytes, prcred_t 28 + 4 per group), so a wrong entry in the decoder's
// table shows up as a wrong value here.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "platform/solaris/parse.hpp"

namespace sp = psi::solaris_proc;

namespace {

constexpr int kIlp32 = 1;  // PR_MODEL_ILP32, <sys/procfs_isa.h>
constexpr int kLp64 = 2;   // PR_MODEL_LP64

// A record of n zero bytes with typed stores at given offsets, in the
// host's byte order (the kernel writes records in its own order).
struct Rec {
    std::string bytes;
    explicit Rec(std::size_t n) : bytes(n, '\0') {}
    template <class T>
    void put(std::size_t off, T v) {
        ASSERT_LE(off + sizeof v, bytes.size());
        std::memcpy(bytes.data() + off, &v, sizeof v);
    }
    void i32(std::size_t off, std::int32_t v) { put(off, v); }
    void u64(std::size_t off, std::uint64_t v) { put(off, v); }
    void ts(std::size_t off, std::int64_t sec, std::int64_t nsec) {  // timestruc_t: time_t, long
        put(off, sec);
        put(off + 8, nsec);
    }
    void chars(std::size_t off, const std::string& s) {
        ASSERT_LE(off + s.size(), bytes.size());
        std::memcpy(bytes.data() + off, s.data(), s.size());
    }
};

Rec full_psinfo() {
    Rec r(416);
    r.i32(0, 0x42);          // pr_flag
    r.i32(4, 3);             // pr_nlwp
    r.i32(8, 1234);          // pr_pid
    r.i32(12, 1);            // pr_ppid
    r.i32(16, 1200);         // pr_pgid
    r.i32(20, 1100);         // pr_sid
    r.i32(24, 101);          // pr_uid
    r.i32(28, 102);          // pr_euid
    r.i32(32, 201);          // pr_gid
    r.i32(36, 202);          // pr_egid
    r.u64(40, 0xfffffe0001234000ULL);  // pr_addr
    r.u64(48, 10240);        // pr_size, KB
    r.u64(56, 2048);         // pr_rssize, KB
    r.u64(64, 0);            // pr_pad1
    r.u64(72, (std::uint64_t{24} << 32) | 3);  // pr_ttydev: major 24, minor 3 (dev_t, NBITSMINOR64 32)
    r.put<std::uint16_t>(80, 0x4000);  // pr_pctcpu: 0.5
    r.put<std::uint16_t>(82, 0x0800);  // pr_pctmem
    r.ts(88, 1700000000, 123456789);   // pr_start
    r.ts(104, 12, 500000000);          // pr_time
    r.ts(120, 3, 250000000);           // pr_ctime
    r.chars(136, "bash");              // pr_fname
    r.chars(152, "-bash --login");     // pr_psargs
    r.i32(232, 0);                     // pr_wstat
    r.i32(236, 2);                     // pr_argc
    r.u64(240, 0x7fffbffff100ULL);     // pr_argv
    r.u64(248, 0x7fffbffff118ULL);     // pr_envp
    r.put<char>(256, 2);               // pr_dmodel: PR_MODEL_LP64
    r.i32(260, 77);                    // pr_taskid
    r.i32(264, 3);                     // pr_projid
    r.i32(268, 1);                     // pr_nzomb
    r.i32(272, 0);                     // pr_poolid
    r.i32(276, 5);                     // pr_zoneid
    r.i32(280, 66);                    // pr_contract
    // pr_lwp (lwpsinfo_t) at 288:
    r.i32(288 + 4, 1);                 // pr_lwpid
    r.put<char>(288 + 25, 1);          // pr_state: SSLEEP
    r.put<char>(288 + 26, 'S');        // pr_sname
    r.put<char>(288 + 27, 24);         // pr_nice: nice 4 + NZERO
    r.i32(288 + 32, 59);               // pr_pri
    r.chars(288 + 72, "TS");           // pr_clname
    r.i32(288 + 96, 1);                // pr_onpro
    return r;
}

}  // namespace

TEST(SolarisPsinfo, DecodesEveryField) {
    Rec r = full_psinfo();
    auto p = sp::parse_psinfo(r.bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->flag, 0x42);
    EXPECT_EQ(p->nlwp, 3);
    EXPECT_EQ(p->pid, 1234);
    EXPECT_EQ(p->ppid, 1);
    EXPECT_EQ(p->pgid, 1200);
    EXPECT_EQ(p->sid, 1100);
    EXPECT_EQ(p->uid, 101u);
    EXPECT_EQ(p->euid, 102u);
    EXPECT_EQ(p->gid, 201u);
    EXPECT_EQ(p->egid, 202u);
    EXPECT_EQ(p->size_kb, 10240u);
    EXPECT_EQ(p->rssize_kb, 2048u);
    EXPECT_EQ(p->ttydev, (std::uint64_t{24} << 32) | 3);
    EXPECT_TRUE(p->has_tty());
    EXPECT_EQ(p->pctcpu, 0x4000);
    EXPECT_EQ(p->pctmem, 0x0800);
    EXPECT_EQ(p->start.sec, 1700000000);
    EXPECT_EQ(p->start.nsec, 123456789);
    EXPECT_EQ(p->time.sec, 12);
    EXPECT_EQ(p->time.nsec, 500000000);
    EXPECT_EQ(p->ctime.sec, 3);
    EXPECT_EQ(p->ctime.nsec, 250000000);
    EXPECT_EQ(p->fname, "bash");
    EXPECT_EQ(p->psargs, "-bash --login");
    EXPECT_EQ(p->wstat, 0);
    EXPECT_EQ(p->argc, 2);
    EXPECT_EQ(p->argv, 0x7fffbffff100ULL);
    EXPECT_EQ(p->envp, 0x7fffbffff118ULL);
    EXPECT_EQ(p->dmodel, kLp64);
    EXPECT_EQ(p->taskid, 77);
    EXPECT_EQ(p->projid, 3);
    EXPECT_EQ(p->nzomb, 1);
    EXPECT_EQ(p->poolid, 0);
    EXPECT_EQ(p->zoneid, 5);
    EXPECT_EQ(p->contract, 66);
    EXPECT_EQ(p->lwp_state, 1);
    EXPECT_EQ(p->sname, 'S');
    EXPECT_EQ(p->nice, 24);
    EXPECT_EQ(p->pri, 59);
    EXPECT_EQ(p->clname, "TS");
    EXPECT_EQ(p->onpro, 1);
    EXPECT_FALSE(p->is_system());  // 0x42: SSYS (0x1) clear
    EXPECT_FALSE(p->is_zombie());
    EXPECT_EQ(sp::start_ticks_from(p->start), 1700000000123456789ULL);
    EXPECT_EQ(sp::to_timespec(p->start), psi::TimeSpec(1700000000, 123456789));
}

TEST(SolarisPsinfo, FullWidthNamesWithoutNul) {
    Rec r = full_psinfo();
    r.chars(136, "abcdefghijklmnop");  // 16 bytes: PRFNSZ, no room for a NUL
    r.chars(152, std::string(80, 'x'));
    auto p = sp::parse_psinfo(r.bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->fname, "abcdefghijklmnop");
    EXPECT_EQ(p->psargs, std::string(80, 'x'));  // stops at the field, not at pr_wstat
}

TEST(SolarisPsinfo, NoTtyAndNegativeNiceByte) {
    Rec r = full_psinfo();
    r.u64(72, ~std::uint64_t{0});  // PRNODEV
    r.put<std::int8_t>(288 + 27, -1);
    auto p = sp::parse_psinfo(r.bytes);
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->has_tty());
    EXPECT_EQ(p->nice, -1);
}

TEST(SolarisPsinfo, TruncatedAndLongerRecords) {
    Rec r = full_psinfo();
    EXPECT_FALSE(sp::parse_psinfo(std::string_view(r.bytes).substr(0, 415)));
    EXPECT_FALSE(sp::parse_psinfo(std::string_view()));
    EXPECT_FALSE(sp::parse_psinfo(std::string_view(r.bytes).substr(0, 288)));
    std::string longer = r.bytes + std::string(64, '\x7f');  // a future, larger psinfo_t
    auto p = sp::parse_psinfo(longer);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->pid, 1234);
}

TEST(SolarisPsinfo, GarbageNeverCrashes) {
    std::string junk(416, '\xff');
    auto p = sp::parse_psinfo(junk);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->pid, -1);
    EXPECT_TRUE(p->is_system());
    EXPECT_EQ(p->fname.size(), 16u);
    EXPECT_EQ(sp::start_ticks_from(p->start), 0u);  // sec -1: not a valid start
    EXPECT_EQ(sp::to_timespec(p->start).tv_nsec, 0);
    // Huge seconds must not overflow the conversions.
    EXPECT_EQ(sp::start_ticks_from(sp::Timestruc{INT64_MAX, 0}), 0u);
    EXPECT_GT(sp::to_timespec(sp::Timestruc{INT64_MAX, 999999999}).tv_sec, 0);
    EXPECT_EQ(sp::start_ticks_from(sp::Timestruc{5, 1000000000}), 0u);
}

TEST(SolarisPstatus, DecodesFixedPart) {
    Rec r(1536);  // fixed part 384 bytes + an lwpstatus_t (ISA-dependent size)
    r.i32(0, 0x00001000 | 0x00000010);  // pr_flags: PR_ISSYS | PR_ASLEEP
    r.i32(4, 2);
    r.i32(8, 0);
    r.i32(12, 0);
    r.i32(16, 0);
    r.i32(20, 0);
    r.ts(80, 7, 1);           // pr_utime
    r.ts(96, 8, 999999999);   // pr_stime
    r.ts(112, 9, 3);          // pr_cutime
    r.ts(128, 10, 4);         // pr_cstime
    r.put<char>(304, 1);      // pr_dmodel ILP32
    r.i32(308, 11);           // pr_taskid
    r.i32(312, 12);           // pr_projid
    r.i32(316, 13);           // pr_nzomb
    r.i32(320, 14);           // pr_zoneid
    auto s = sp::parse_pstatus(r.bytes);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->is_system());
    EXPECT_EQ(s->flags, 0x1010u);
    EXPECT_EQ(s->nlwp, 2);
    EXPECT_EQ(s->utime.sec, 7);
    EXPECT_EQ(s->utime.nsec, 1);
    EXPECT_EQ(s->stime.sec, 8);
    EXPECT_EQ(s->stime.nsec, 999999999);
    EXPECT_EQ(s->cutime.sec, 9);
    EXPECT_EQ(s->cstime.nsec, 4);
    EXPECT_EQ(s->dmodel, kIlp32);
    EXPECT_EQ(s->taskid, 11);
    EXPECT_EQ(s->projid, 12);
    EXPECT_EQ(s->nzomb, 13);
    EXPECT_EQ(s->zoneid, 14);
    r.i32(0, 0x10);
    EXPECT_FALSE(sp::parse_pstatus(r.bytes)->is_system());
    EXPECT_TRUE(sp::parse_pstatus(std::string_view(r.bytes).substr(0, 384)));
    EXPECT_FALSE(sp::parse_pstatus(std::string_view(r.bytes).substr(0, 383)));
}

TEST(SolarisPrusage, DecodesEveryField) {
    Rec r(504);
    r.i32(0, 0);
    r.i32(4, 5);
    const std::size_t ts_offsets[] = {8, 24, 40, 56, 72, 88, 104, 120, 136, 152, 168, 184, 200, 216};
    for (std::size_t i = 0; i < std::size(ts_offsets); ++i)
        r.ts(ts_offsets[i], static_cast<std::int64_t>(100 + i), static_cast<std::int64_t>(i));
    for (std::size_t i = 0; i < 12; ++i) r.u64(328 + 8 * i, 1000 + i);  // pr_minf .. pr_ioch
    auto u = sp::parse_prusage(r.bytes);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->count, 5);
    const sp::Timestruc* got[] = {&u->tstamp, &u->create, &u->term, &u->rtime, &u->utime, &u->stime, &u->ttime,
                                  &u->tftime, &u->dftime, &u->kftime, &u->ltime, &u->slptime, &u->wtime, &u->stoptime};
    for (std::size_t i = 0; i < std::size(got); ++i) {
        EXPECT_EQ(got[i]->sec, static_cast<std::int64_t>(100 + i)) << i;
        EXPECT_EQ(got[i]->nsec, static_cast<std::int64_t>(i)) << i;
    }
    const std::uint64_t counters[] = {u->minf, u->majf, u->nswap, u->inblk, u->oublk, u->msnd,
                                      u->mrcv, u->sigs, u->vctx,  u->ictx,  u->sysc,  u->ioch};
    for (std::size_t i = 0; i < std::size(counters); ++i) EXPECT_EQ(counters[i], 1000 + i) << i;
    EXPECT_FALSE(sp::parse_prusage(std::string_view(r.bytes).substr(0, 503)));
}

TEST(SolarisPrcred, GroupsFollowTheHeader) {
    Rec r(28 + 3 * 4);
    r.i32(0, 100);  // pr_euid
    r.i32(4, 101);  // pr_ruid
    r.i32(8, 102);  // pr_suid
    r.i32(12, 10);  // pr_egid
    r.i32(16, 11);  // pr_rgid
    r.i32(20, 12);  // pr_sgid
    r.i32(24, 3);   // pr_ngroups
    r.i32(28, 10);
    r.i32(32, 14);
    r.put<std::uint32_t>(36, 60001);
    auto c = sp::parse_prcred(r.bytes);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->euid, 100u);
    EXPECT_EQ(c->ruid, 101u);
    EXPECT_EQ(c->suid, 102u);
    EXPECT_EQ(c->egid, 10u);
    EXPECT_EQ(c->rgid, 11u);
    EXPECT_EQ(c->sgid, 12u);
    EXPECT_EQ(c->groups, (std::vector<std::uint32_t>{10, 14, 60001}));
    EXPECT_TRUE(c->groups_complete);
}

TEST(SolarisPrcred, ShortOrLyingRecords) {
    Rec r(32);  // sizeof(prcred_t) with pr_ngroups 0
    EXPECT_TRUE(sp::parse_prcred(r.bytes)->groups.empty());
    r.i32(24, 5);  // claims five groups, holds one slot
    auto c = sp::parse_prcred(r.bytes);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->groups.size(), 1u);
    EXPECT_FALSE(c->groups_complete);
    r.i32(24, -1);
    EXPECT_FALSE(sp::parse_prcred(r.bytes));
    EXPECT_FALSE(sp::parse_prcred(std::string_view(r.bytes).substr(0, 27)));
}

TEST(SolarisDecode, EveryLengthIsSafe) {
    // Every prefix of a record of 0xA5 bytes: decoded exactly from the
    // documented minimum length on, refused below it, never out of bounds.
    std::string junk(600, '\xa5');
    for (std::size_t n = 0; n <= junk.size(); ++n) {
        std::string_view v(junk.data(), n);
        EXPECT_EQ(sp::parse_psinfo(v).has_value(), n >= 416) << n;
        EXPECT_EQ(sp::parse_pstatus(v).has_value(), n >= 384) << n;
        EXPECT_EQ(sp::parse_prusage(v).has_value(), n >= 504) << n;
        EXPECT_EQ(sp::parse_lwpsinfo(v).has_value(), n >= 128) << n;
        EXPECT_FALSE(sp::parse_prcred(v).has_value()) << n;  // pr_ngroups 0xa5a5a5a5 < 0
    }
}

TEST(SolarisMapping, States) {
    EXPECT_EQ(sp::status_from_sname('O'), psi::ProcStatus::running);
    EXPECT_EQ(sp::status_from_sname('R'), psi::ProcStatus::running);
    EXPECT_EQ(sp::status_from_sname('W'), psi::ProcStatus::running);
    EXPECT_EQ(sp::status_from_sname('S'), psi::ProcStatus::sleeping);
    EXPECT_EQ(sp::status_from_sname('T'), psi::ProcStatus::stopped);
    EXPECT_EQ(sp::status_from_sname('Z'), psi::ProcStatus::zombie);
    EXPECT_EQ(sp::status_from_sname('I'), psi::ProcStatus::idle);
    EXPECT_EQ(sp::status_from_sname('\0'), psi::ProcStatus::unknown);
    EXPECT_EQ(sp::status_from_sname('D'), psi::ProcStatus::unknown);
}

TEST(SolarisMapping, NicePriorityPolicy) {
    EXPECT_EQ(sp::nice_from(20, "TS"), 0);
    EXPECT_EQ(sp::nice_from(39, "IA"), 19);
    EXPECT_EQ(sp::nice_from(0, "FSS"), -20);
    EXPECT_EQ(sp::nice_from(20, "FX"), 0);
    EXPECT_FALSE(sp::nice_from(20, "SYS"));
    EXPECT_FALSE(sp::nice_from(20, "RT"));
    EXPECT_FALSE(sp::nice_from(20, ""));
    EXPECT_EQ(sp::rt_priority_from(59, "TS"), 0);
    EXPECT_EQ(sp::rt_priority_from(100, "RT"), 0);
    EXPECT_EQ(sp::rt_priority_from(159, "RT"), 59);
    EXPECT_EQ(sp::rt_priority_from(5, "RT"), 0);
    // Damaged records: the fuzzer found INT_MIN - 100 overflowing.
    constexpr int kMin = std::numeric_limits<int>::min(), kMax = std::numeric_limits<int>::max();
    EXPECT_EQ(sp::rt_priority_from(kMin, "RT"), 0);
    EXPECT_EQ(sp::rt_priority_from(kMax, "RT"), kMax - 100);
    EXPECT_EQ(sp::nice_from(kMin, "TS"), kMin);
    EXPECT_EQ(sp::nice_from(kMax, "TS"), kMax - 20);
    EXPECT_EQ(sp::policy_from_class("TS"), psi::SchedPolicy::other);
    EXPECT_EQ(sp::policy_from_class("SYS"), psi::SchedPolicy::sys);
    EXPECT_EQ(sp::policy_from_class("IA"), psi::SchedPolicy::interactive);
    EXPECT_EQ(sp::policy_from_class("FSS"), psi::SchedPolicy::fair_share);
    EXPECT_EQ(sp::policy_from_class("FX"), psi::SchedPolicy::fixed);
    EXPECT_FALSE(sp::policy_from_class("RT"));
    EXPECT_FALSE(sp::policy_from_class("SDC"));
}

TEST(SolarisMapping, PsargsAndEnviron) {
    EXPECT_EQ(sp::split_psargs("/usr/bin/ssh -l  me host"),
              (std::vector<std::string>{"/usr/bin/ssh", "-l", "me", "host"}));
    EXPECT_TRUE(sp::split_psargs("").empty());
    EXPECT_TRUE(sp::split_psargs("   ").empty());
    psi::Environment want{{"A", "1"}, {"EMPTY", ""}, {"NOEQ", ""}, {"X", "a=b"}};
    EXPECT_EQ(sp::split_environ({"A=1", "EMPTY=", "NOEQ", "X=a=b"}), want);
}

// The hosts of these devices and the release numbers: tests/cpp/test_posix_parse.cpp.
TEST(SolarisMapping, RemoteMountTypes) {
    for (const char* fs : {"nfs", "autofs", "smbfs", "cachefs"}) EXPECT_TRUE(sp::is_remote_mount(fs)) << fs;
    for (const char* fs : {"zfs", "lofs", "tmpfs", "ufs", "proc", ""}) EXPECT_FALSE(sp::is_remote_mount(fs)) << fs;
}

// -- x-solaris: lwpsinfo_t, /proc/PID/lwp/LWPID/lwpsinfo (128 bytes, _LP64):
// pr_lwpid 4, pr_wchan 16, pr_state 25, pr_sname 26, pr_nice 27, pr_pri 32,
// pr_start 40, pr_time 56, pr_clname 72, pr_name 80, pr_onpro 96.
TEST(SolarisLwpsinfo, DecodesEveryField) {
    Rec r(128);
    r.i32(4, 17);
    r.u64(16, 0xfffffe0012345678ULL);
    r.put<char>(25, 1);
    r.put<char>(26, 'S');
    r.put<char>(27, 20);
    r.i32(32, 59);
    r.ts(40, 1700000123, 0);
    r.ts(56, 3, 250000000);
    r.chars(72, "FSS");
    r.chars(80, "0123456789abcdef");  // all 16 bytes: no NUL
    r.i32(96, 3);
    auto w = sp::parse_lwpsinfo(r.bytes);
    ASSERT_TRUE(w);
    EXPECT_EQ(w->lwpid, 17);
    EXPECT_EQ(w->wchan, 0xfffffe0012345678ULL);
    EXPECT_EQ(w->state, 1);
    EXPECT_EQ(w->sname, 'S');
    EXPECT_EQ(w->nice, 20);
    EXPECT_EQ(w->pri, 59);
    EXPECT_EQ(w->start.sec, 1700000123);
    EXPECT_EQ(w->time.sec, 3);
    EXPECT_EQ(w->time.nsec, 250000000);
    EXPECT_EQ(w->clname, "FSS");
    EXPECT_EQ(w->name, "0123456789abcdef");
    EXPECT_EQ(w->onpro, 3);
    EXPECT_FALSE(w->is_zombie());
    // The same bytes as psinfo's pr_lwp decode the same way there.
    Rec ps(416);
    ps.chars(288, r.bytes);
    auto p = sp::parse_psinfo(ps.bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->sname, 'S');
    EXPECT_EQ(p->pri, 59);
    EXPECT_EQ(p->clname, "FSS");
    EXPECT_EQ(p->onpro, 3);
    EXPECT_FALSE(sp::parse_lwpsinfo(std::string_view(r.bytes).substr(0, 127)));
    r.put<char>(26, 'Z');
    r.chars(80, std::string(16, '\0'));  // illumos zeroes pr_name
    w = sp::parse_lwpsinfo(r.bytes);
    ASSERT_TRUE(w);
    EXPECT_TRUE(w->is_zombie());
    EXPECT_EQ(w->name, "");
}
