// Byte layout of the Solaris/illumos /proc records psi decodes, as a table of
// sizes and offsets of our own, so the decoders in parse.cpp compile and are
// tested on any OS (there is no Solaris machine here).
//
// Source of every number: the structure definitions documented in
// proc(5) (illumos; proc(4) on Solaris 10/11) and declared in illumos
// usr/src/uts/common/sys/procfs.h: psinfo_t, lwpsinfo_t, pstatus_t,
// prusage_t, prcred_t; PRFNSZ 16, PRARGSZ 80, PRCLSZ 8; PRNODEV (dev_t)-1;
// pr_dmodel values from <sys/procfs_isa.h> (PR_MODEL_ILP32 1, PR_MODEL_LP64 2);
// pr_flags bits (PR_ISSYS 0x1000) from procfs.h. The offsets follow from the
// _LP64 C types of those members: int, pid_t, uid_t, gid_t, id_t, taskid_t,
// projid_t, poolid_t, zoneid_t are 4 bytes; uintptr_t, size_t, long, ulong_t
// and dev_t (a ulong_t) are 8; timestruc_t is {time_t, long} = 16, aligned 8;
// sigset_t and fltset_t are 4 x uint32, sysset_t is 16 x uint32
// (<sys/signal.h>, <sys/fault.h>, <sys/syscall.h>). Totals agree with the
// commonly quoted sizeof(psinfo_t) == 416 and sizeof(prusage_t) == 504 on
// 64-bit Solaris.
//
// Only the _LP64 layout of the records is described: SPEC 6 builds psi
// 64-bit only, and a 64-bit reader of /proc/PID/{psinfo,status,usage,cred}
// always gets the 64-bit structures, whatever the target's data model (the
// kernel converts; the 32-bit forms psinfo32_t etc. only reach 32-bit
// readers). What does follow the target's model is its address space
// (/proc/PID/as): argv/envp arrays hold 4-byte pointers in an ILP32 process
// and 8-byte ones in an LP64 process; see pointer_size().
//
// When built for Solaris, the block at the end checks each number against
// the real <procfs.h> with static_assert. tests/cross/check_solaris.sh
// compiles it on Linux against illumos headers for x86_64 and sparcv9.
#pragma once

#include <cstddef>
#include <cstdint>

namespace psi::solaris_proc::layout {

// <sys/procfs_isa.h>: pr_dmodel.
inline constexpr int kModelUnknown = 0;
inline constexpr int kModelIlp32 = 1;
inline constexpr int kModelLp64 = 2;

// Size of a pointer in the target's address space, 0 when the model is
// unknown (then no pointer in its memory can be followed).
constexpr std::size_t pointer_size(int dmodel) {
    return dmodel == kModelIlp32 ? 4 : dmodel == kModelLp64 ? 8 : 0;
}

inline constexpr std::size_t kPrfnsz = 16;   // PRFNSZ: pr_fname bytes
inline constexpr std::size_t kPrargsz = 80;  // PRARGSZ: pr_psargs bytes
inline constexpr std::size_t kPrclsz = 8;    // PRCLSZ: pr_clname bytes
inline constexpr std::uint32_t kPrIssys = 0x00001000;  // pstatus pr_flags: system process
// psinfo pr_flag is documented as deprecated, but prgetpsinfo() still
// exports two p_flag bits there, SSYS and SMSACCT, and <sys/proc.h> says
// their positions are kept for the programs that rely on them. SSYS (0x1)
// marks a system process and needs only the world-readable psinfo.
inline constexpr std::uint32_t kSsys = 0x00000001;
inline constexpr std::uint64_t kPrNodev = ~std::uint64_t{0};  // PRNODEV, (dev_t)-1

// timestruc_t (struct timespec) in _LP64: tv_sec (time_t) then tv_nsec (long).
// Not named "timestruc": <sys/time_impl.h> has #define timestruc timespec.
namespace timestruc_fields {
inline constexpr std::size_t sec = 0, nsec = 8, size = 16;
}

// lwpsinfo_t, embedded in psinfo_t as pr_lwp (the representative lwp), and
// the whole of /proc/PID/lwp/LWPID/lwpsinfo.
namespace lwpsinfo {
inline constexpr std::size_t lwpid = 4;    // id_t pr_lwpid
inline constexpr std::size_t wchan = 16;   // uintptr_t pr_wchan: an address
inline constexpr std::size_t start = 40;   // timestruc_t pr_start (whole seconds: t_start)
inline constexpr std::size_t time = 56;    // timestruc_t pr_time, usr+sys(+trap)
inline constexpr std::size_t name = 80;    // char pr_name[PRFNSZ]
inline constexpr std::size_t state = 25;   // char pr_state
inline constexpr std::size_t sname = 26;   // char pr_sname
inline constexpr std::size_t nice = 27;    // char pr_nice
inline constexpr std::size_t pri = 32;     // int pr_pri
inline constexpr std::size_t clname = 72;  // char pr_clname[PRCLSZ]
inline constexpr std::size_t onpro = 96;   // processorid_t pr_onpro
inline constexpr std::size_t size = 128;
}  // namespace lwpsinfo

// psinfo_t: /proc/PID/psinfo.
namespace psinfo {
inline constexpr std::size_t flag = 0, nlwp = 4, pid = 8, ppid = 12, pgid = 16, sid = 20;
inline constexpr std::size_t uid = 24, euid = 28, gid = 32, egid = 36;
inline constexpr std::size_t addr = 40;        // uintptr_t
inline constexpr std::size_t size_kb = 48;     // size_t pr_size, Kbytes
inline constexpr std::size_t rssize_kb = 56;   // size_t pr_rssize, Kbytes
inline constexpr std::size_t ttydev = 72;      // dev_t, PRNODEV when none
inline constexpr std::size_t pctcpu = 80, pctmem = 82;  // ushort_t, 1.0 == 0x8000
inline constexpr std::size_t start = 88;       // timestruc_t, since the epoch
inline constexpr std::size_t time = 104;       // timestruc_t, usr+sys
inline constexpr std::size_t ctime = 120;      // timestruc_t, reaped children
inline constexpr std::size_t fname = 136;      // char[PRFNSZ]
inline constexpr std::size_t psargs = 152;     // char[PRARGSZ]
inline constexpr std::size_t wstat = 232, argc = 236;
inline constexpr std::size_t argv = 240, envp = 248;  // uintptr_t, target addresses
inline constexpr std::size_t dmodel = 256;     // char
inline constexpr std::size_t taskid = 260, projid = 264, nzomb = 268, poolid = 272;
inline constexpr std::size_t zoneid = 276, contract = 280;
inline constexpr std::size_t lwp = 288;        // lwpsinfo_t pr_lwp
inline constexpr std::size_t size = 416;
}  // namespace psinfo

// pstatus_t: /proc/PID/status. It ends with pr_lwp (lwpstatus_t), whose size
// depends on the ISA's register sets; nothing past `prefix` is decoded.
namespace pstatus {
inline constexpr std::size_t flags = 0, nlwp = 4, pid = 8, ppid = 12, pgid = 16, sid = 20;
inline constexpr std::size_t utime = 80, stime = 96, cutime = 112, cstime = 128;  // timestruc_t
inline constexpr std::size_t dmodel = 304;
inline constexpr std::size_t taskid = 308, projid = 312, nzomb = 316, zoneid = 320;
inline constexpr std::size_t lwp = 384;        // lwpstatus_t pr_lwp
inline constexpr std::size_t prefix = 384;
}  // namespace pstatus

// prusage_t: /proc/PID/usage.
namespace prusage {
inline constexpr std::size_t lwpid = 0, count = 4;
inline constexpr std::size_t tstamp = 8, create = 24, term = 40, rtime = 56;  // timestruc_t
inline constexpr std::size_t utime = 72, stime = 88, ttime = 104;
inline constexpr std::size_t tftime = 120, dftime = 136, kftime = 152, ltime = 168;
inline constexpr std::size_t slptime = 184, wtime = 200, stoptime = 216;
inline constexpr std::size_t minf = 328, majf = 336, nswap = 344, inblk = 352, oublk = 360;  // ulong_t
inline constexpr std::size_t msnd = 368, mrcv = 376, sigs = 384, vctx = 392, ictx = 400;
inline constexpr std::size_t sysc = 408, ioch = 416;
inline constexpr std::size_t size = 504;
}  // namespace prusage

// prcred_t: /proc/PID/cred. pr_groups[1] is declared with one element but
// the file holds pr_ngroups of them (the record is longer than sizeof).
namespace prcred {
inline constexpr std::size_t euid = 0, ruid = 4, suid = 8, egid = 12, rgid = 16, sgid = 20;
inline constexpr std::size_t ngroups = 24, groups = 28;  // int, then gid_t[]
inline constexpr std::size_t gid_size = 4;
inline constexpr std::size_t size = 32;  // sizeof(prcred_t), with one group slot
}  // namespace prcred

}  // namespace psi::solaris_proc::layout

#if defined(__sun)
// On the real system, every number above must equal the compiler's view of
// <procfs.h>; a mismatch is a build error, not a silent misread.
#if !defined(_LP64)
#error "psi's Solaris backend is built 64-bit only (SPEC 6); the layout table is the _LP64 one"
#endif
#include <procfs.h>

#include <cstddef>

// PRNODEV and some offsetof expansions are C casts from the system headers.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
namespace psi::solaris_proc::layout::check {
#define PSI_SOL_AT(type, member, ours) static_assert(offsetof(type, member) == (ours), #type "." #member)
PSI_SOL_AT(psinfo_t, pr_flag, psinfo::flag);
PSI_SOL_AT(psinfo_t, pr_nlwp, psinfo::nlwp);
PSI_SOL_AT(psinfo_t, pr_pid, psinfo::pid);
PSI_SOL_AT(psinfo_t, pr_ppid, psinfo::ppid);
PSI_SOL_AT(psinfo_t, pr_pgid, psinfo::pgid);
PSI_SOL_AT(psinfo_t, pr_sid, psinfo::sid);
PSI_SOL_AT(psinfo_t, pr_uid, psinfo::uid);
PSI_SOL_AT(psinfo_t, pr_euid, psinfo::euid);
PSI_SOL_AT(psinfo_t, pr_gid, psinfo::gid);
PSI_SOL_AT(psinfo_t, pr_egid, psinfo::egid);
PSI_SOL_AT(psinfo_t, pr_addr, psinfo::addr);
PSI_SOL_AT(psinfo_t, pr_size, psinfo::size_kb);
PSI_SOL_AT(psinfo_t, pr_rssize, psinfo::rssize_kb);
PSI_SOL_AT(psinfo_t, pr_ttydev, psinfo::ttydev);
PSI_SOL_AT(psinfo_t, pr_pctcpu, psinfo::pctcpu);
PSI_SOL_AT(psinfo_t, pr_pctmem, psinfo::pctmem);
PSI_SOL_AT(psinfo_t, pr_start, psinfo::start);
PSI_SOL_AT(psinfo_t, pr_time, psinfo::time);
PSI_SOL_AT(psinfo_t, pr_ctime, psinfo::ctime);
PSI_SOL_AT(psinfo_t, pr_fname, psinfo::fname);
PSI_SOL_AT(psinfo_t, pr_psargs, psinfo::psargs);
PSI_SOL_AT(psinfo_t, pr_wstat, psinfo::wstat);
PSI_SOL_AT(psinfo_t, pr_argc, psinfo::argc);
PSI_SOL_AT(psinfo_t, pr_argv, psinfo::argv);
PSI_SOL_AT(psinfo_t, pr_envp, psinfo::envp);
PSI_SOL_AT(psinfo_t, pr_dmodel, psinfo::dmodel);
PSI_SOL_AT(psinfo_t, pr_taskid, psinfo::taskid);
PSI_SOL_AT(psinfo_t, pr_projid, psinfo::projid);
PSI_SOL_AT(psinfo_t, pr_nzomb, psinfo::nzomb);
PSI_SOL_AT(psinfo_t, pr_poolid, psinfo::poolid);
PSI_SOL_AT(psinfo_t, pr_zoneid, psinfo::zoneid);
PSI_SOL_AT(psinfo_t, pr_contract, psinfo::contract);
PSI_SOL_AT(psinfo_t, pr_lwp, psinfo::lwp);
PSI_SOL_AT(lwpsinfo_t, pr_lwpid, lwpsinfo::lwpid);
PSI_SOL_AT(lwpsinfo_t, pr_wchan, lwpsinfo::wchan);
PSI_SOL_AT(lwpsinfo_t, pr_start, lwpsinfo::start);
PSI_SOL_AT(lwpsinfo_t, pr_time, lwpsinfo::time);
PSI_SOL_AT(lwpsinfo_t, pr_name, lwpsinfo::name);
PSI_SOL_AT(lwpsinfo_t, pr_state, lwpsinfo::state);
PSI_SOL_AT(lwpsinfo_t, pr_sname, lwpsinfo::sname);
PSI_SOL_AT(lwpsinfo_t, pr_nice, lwpsinfo::nice);
PSI_SOL_AT(lwpsinfo_t, pr_pri, lwpsinfo::pri);
PSI_SOL_AT(lwpsinfo_t, pr_clname, lwpsinfo::clname);
PSI_SOL_AT(lwpsinfo_t, pr_onpro, lwpsinfo::onpro);
PSI_SOL_AT(pstatus_t, pr_flags, pstatus::flags);
PSI_SOL_AT(pstatus_t, pr_nlwp, pstatus::nlwp);
PSI_SOL_AT(pstatus_t, pr_pid, pstatus::pid);
PSI_SOL_AT(pstatus_t, pr_ppid, pstatus::ppid);
PSI_SOL_AT(pstatus_t, pr_pgid, pstatus::pgid);
PSI_SOL_AT(pstatus_t, pr_sid, pstatus::sid);
PSI_SOL_AT(pstatus_t, pr_utime, pstatus::utime);
PSI_SOL_AT(pstatus_t, pr_stime, pstatus::stime);
PSI_SOL_AT(pstatus_t, pr_cutime, pstatus::cutime);
PSI_SOL_AT(pstatus_t, pr_cstime, pstatus::cstime);
PSI_SOL_AT(pstatus_t, pr_dmodel, pstatus::dmodel);
PSI_SOL_AT(pstatus_t, pr_taskid, pstatus::taskid);
PSI_SOL_AT(pstatus_t, pr_projid, pstatus::projid);
PSI_SOL_AT(pstatus_t, pr_nzomb, pstatus::nzomb);
PSI_SOL_AT(pstatus_t, pr_zoneid, pstatus::zoneid);
PSI_SOL_AT(pstatus_t, pr_lwp, pstatus::lwp);
PSI_SOL_AT(prusage_t, pr_lwpid, prusage::lwpid);
PSI_SOL_AT(prusage_t, pr_count, prusage::count);
PSI_SOL_AT(prusage_t, pr_tstamp, prusage::tstamp);
PSI_SOL_AT(prusage_t, pr_create, prusage::create);
PSI_SOL_AT(prusage_t, pr_term, prusage::term);
PSI_SOL_AT(prusage_t, pr_rtime, prusage::rtime);
PSI_SOL_AT(prusage_t, pr_utime, prusage::utime);
PSI_SOL_AT(prusage_t, pr_stime, prusage::stime);
PSI_SOL_AT(prusage_t, pr_slptime, prusage::slptime);
PSI_SOL_AT(prusage_t, pr_wtime, prusage::wtime);
PSI_SOL_AT(prusage_t, pr_stoptime, prusage::stoptime);
PSI_SOL_AT(prusage_t, pr_minf, prusage::minf);
PSI_SOL_AT(prusage_t, pr_majf, prusage::majf);
PSI_SOL_AT(prusage_t, pr_inblk, prusage::inblk);
PSI_SOL_AT(prusage_t, pr_oublk, prusage::oublk);
PSI_SOL_AT(prusage_t, pr_vctx, prusage::vctx);
PSI_SOL_AT(prusage_t, pr_ictx, prusage::ictx);
PSI_SOL_AT(prusage_t, pr_sysc, prusage::sysc);
PSI_SOL_AT(prusage_t, pr_ioch, prusage::ioch);
PSI_SOL_AT(prcred_t, pr_euid, prcred::euid);
PSI_SOL_AT(prcred_t, pr_ruid, prcred::ruid);
PSI_SOL_AT(prcred_t, pr_suid, prcred::suid);
PSI_SOL_AT(prcred_t, pr_egid, prcred::egid);
PSI_SOL_AT(prcred_t, pr_rgid, prcred::rgid);
PSI_SOL_AT(prcred_t, pr_sgid, prcred::sgid);
PSI_SOL_AT(prcred_t, pr_ngroups, prcred::ngroups);
PSI_SOL_AT(prcred_t, pr_groups, prcred::groups);
#undef PSI_SOL_AT
static_assert(sizeof(psinfo_t) == psinfo::size);
static_assert(sizeof(lwpsinfo_t) == lwpsinfo::size);
static_assert(sizeof(prusage_t) == prusage::size);
static_assert(sizeof(prcred_t) == prcred::size);
static_assert(sizeof(timestruc_t) == timestruc_fields::size);
static_assert(offsetof(timestruc_t, tv_nsec) == timestruc_fields::nsec);
static_assert(sizeof(gid_t) == prcred::gid_size);
static_assert(sizeof(psinfo_t::pr_fname) == kPrfnsz);
static_assert(sizeof(psinfo_t::pr_psargs) == kPrargsz);
static_assert(sizeof(lwpsinfo_t::pr_clname) == kPrclsz);
static_assert(sizeof(lwpsinfo_t::pr_name) == kPrfnsz);
static_assert(PR_MODEL_ILP32 == kModelIlp32 && PR_MODEL_LP64 == kModelLp64);
static_assert(PR_ISSYS == kPrIssys);
static_assert(static_cast<std::uint64_t>(PRNODEV) == kPrNodev);
}  // namespace psi::solaris_proc::layout::check
#pragma GCC diagnostic pop
// Tells tests/cross/check_solaris.sh that the checks above were compiled.
#define PSI_SOLARIS_LAYOUT_CHECKED 1
#endif  // __sun
