// Pure decoders for Solaris/illumos /proc binary records and for the argv /
// envp vectors in a process's address space. No OS headers: the layout
// comes from layout.hpp, so this compiles, is unit tested and can be fuzzed
// on any OS. Every read is bounds-checked; a short or garbage record gives
// nullopt (or a partial result that says so), never a crash.
//
// Byte order: records are produced by the kernel of the machine that reads
// them, so multi-byte fields are decoded in the host's native order (SPARC is
// big-endian, x86 little-endian: the same code is right on both).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psi/process.hpp"
#include "psi/timespec.hpp"

namespace psi::solaris_proc {

// timestruc_t as stored: seconds and nanoseconds, not normalised.
struct Timestruc {
    std::int64_t sec = 0;
    std::int64_t nsec = 0;
};
TimeSpec to_timespec(const Timestruc& t);
// Identity ticks of a process: pr_start in nanoseconds since the epoch
// (0 for a value before the epoch or out of range: never UB on garbage).
std::uint64_t start_ticks_from(const Timestruc& start);

// psinfo_t (/proc/PID/psinfo), the fields psi uses.
struct Psinfo {
    int flag = 0, nlwp = 0;
    int pid = 0, ppid = 0, pgid = 0, sid = 0;
    std::uint32_t uid = 0, euid = 0, gid = 0, egid = 0;
    std::uint64_t size_kb = 0, rssize_kb = 0;
    std::uint64_t ttydev = 0;  // layout::kPrNodev when there is no tty
    std::uint16_t pctcpu = 0, pctmem = 0;
    Timestruc start, time, ctime;
    std::string fname;         // up to the first NUL, at most PRFNSZ bytes
    std::string psargs;        // up to the first NUL, at most PRARGSZ bytes
    int wstat = 0, argc = 0;
    std::uint64_t argv = 0, envp = 0;  // addresses in the target
    int dmodel = 0;            // layout::kModel*
    int taskid = 0, projid = 0, nzomb = 0, poolid = 0, zoneid = 0, contract = 0;
    // pr_lwp, the representative lwp:
    int lwp_state = 0;
    char sname = '?';
    int nice = 0;              // raw pr_nice: nice + NZERO (20) for classes with nice
    int pri = 0;               // global priority, higher is better
    std::string clname;        // scheduling class: "TS", "IA", "FSS", "FX", "RT", "SYS"...
    int onpro = 0;
    bool has_tty() const;
    bool is_system() const;    // pr_flag & SSYS: sched, pageout, fsflush, zpool-*...
    // A zombie (no lwps left): prgetpsinfo then zeroes pr_start, pr_fname,
    // pr_psargs and pr_argv/pr_envp, and reports pr_sname 'Z'.
    bool is_zombie() const;
};
// nullopt when the record is shorter than psinfo_t.
std::optional<Psinfo> parse_psinfo(std::string_view rec);

// -- x-solaris: lwpsinfo_t (/proc/PID/lwp/LWPID/lwpsinfo), one thread --
struct Lwpsinfo {
    int lwpid = 0;
    std::uint64_t wchan = 0;   // kernel address it sleeps on, 0 when none
    int state = 0;
    char sname = '?';          // as psinfo's pr_lwp.pr_sname
    int nice = 0, pri = 0;     // raw, as in Psinfo
    Timestruc start;           // whole seconds: the kernel fills tv_sec only
    Timestruc time;            // user + system + trap time of this lwp
    std::string clname;        // scheduling class
    std::string name;          // pr_name: zeroed by illumos, "" then
    int onpro = 0;
    bool is_zombie() const { return sname == 'Z'; }
};
// nullopt when the record is shorter than lwpsinfo_t.
std::optional<Lwpsinfo> parse_lwpsinfo(std::string_view rec);

// pstatus_t (/proc/PID/status): the fixed part before pr_lwp.
struct Pstatus {
    std::uint32_t flags = 0;
    int nlwp = 0, pid = 0, ppid = 0, pgid = 0, sid = 0;
    Timestruc utime, stime, cutime, cstime;
    int dmodel = 0;
    int taskid = 0, projid = 0, nzomb = 0, zoneid = 0;
    bool is_system() const;    // PR_ISSYS: sched, pageout, fsflush, zpool-*...
};
std::optional<Pstatus> parse_pstatus(std::string_view rec);

// prusage_t (/proc/PID/usage).
struct Prusage {
    int lwpid = 0, count = 0;
    Timestruc tstamp, create, term, rtime, utime, stime, ttime;
    Timestruc tftime, dftime, kftime, ltime, slptime, wtime, stoptime;
    std::uint64_t minf = 0, majf = 0, nswap = 0, inblk = 0, oublk = 0;
    std::uint64_t msnd = 0, mrcv = 0, sigs = 0, vctx = 0, ictx = 0, sysc = 0, ioch = 0;
};
std::optional<Prusage> parse_prusage(std::string_view rec);

// prcred_t (/proc/PID/cred) with its pr_ngroups supplementary groups.
struct Prcred {
    std::uint32_t euid = 0, ruid = 0, suid = 0, egid = 0, rgid = 0, sgid = 0;
    std::vector<std::uint32_t> groups;
    bool groups_complete = true;  // false: pr_ngroups claimed more than the record holds
};
std::optional<Prcred> parse_prcred(std::string_view rec);

// Process state from pr_lwp.pr_sname (proc(5): O on a CPU, R runnable,
// S sleeping, T stopped, Z zombie, I being created, W waiting on a CPU cap).
ProcStatus status_from_sname(char sname);
// nice in the -20..19 sense of the other platforms: pr_nice - NZERO, for the
// classes that have a nice value (TS, IA, FSS, FX); nullopt otherwise.
std::optional<int> nice_from(int pr_nice, std::string_view clname);
// Real-time priority as psi defines it (0 for normal tasks): RT class
// processes run at global priorities 100 + rtpri in the default rt_dptbl(5).
int rt_priority_from(int pri, std::string_view clname);
// The portable policy of a scheduling class name (pr_clname): TS is
// SchedPolicy::other; SYS, IA, FSS and FX have members of their own.
// nullopt for RT (SCHED_FIFO and SCHED_RR are both the RT class: not told
// apart here) and for unknown classes (SDC, third-party classes).
std::optional<SchedPolicy> policy_from_class(std::string_view clname);

// pr_psargs split on spaces: the first PRARGSZ bytes of the command line,
// what ps -f shows when the address space cannot be read.
std::vector<std::string> split_psargs(std::string_view psargs);

// Reading a target's memory (/proc/PID/as). read() copies up to len bytes
// at address addr into buf and returns how many it copied (0: unmapped or
// error). The backend implements it with pread(2); tests with an image.
class AddressSpace {
public:
    virtual ~AddressSpace() = default;
    virtual std::size_t read(std::uint64_t addr, char* buf, std::size_t len) = 0;
};

// The pread(2) offset that reads target address `addr` from /proc/PID/as:
// the same 64 bits, as a signed offset. The kernel uses the offset it gets
// as the address (prusrio takes uio_offset as it is), and pread puts no
// upper bound on a /proc file (its vnode is VPROC; only VREG offsets are
// checked), so an address at or above 2^63 is passed as a negative offset,
// exactly as libproc's Pread does with (off_t)addr. 64-bit stacks, and with
// them argv and envp, live up there: near 0xFFFFFD7FFFE00000 on x86_64 and
// below 0xFFFFFFFF80000000 on SPARC v9.
constexpr std::int64_t as_file_offset(std::uint64_t addr) {
    return static_cast<std::int64_t>(addr);  // modulo 2^64 (C++20): the same bits
}

// An address space made of one byte image mapped at `base`.
class ImageAddressSpace final : public AddressSpace {
public:
    ImageAddressSpace(std::uint64_t base, std::string_view image) : base_(base), image_(image) {}
    std::size_t read(std::uint64_t addr, char* buf, std::size_t len) override;

private:
    std::uint64_t base_;
    std::string_view image_;
};

struct VectorLimits {
    std::size_t max_items = 1u << 16;      // pointers followed
    std::size_t max_bytes = 8u << 20;      // string bytes copied in total
};

struct StringVector {
    std::vector<std::string> items;
    // false: stopped early at an unreadable pointer or string, a string
    // without its NUL, or a limit; the items read so far are kept.
    bool complete = true;
};

// Follows an array of `dmodel`-sized pointers at `array` and reads each
// NUL-terminated string: `count` entries for argv (pr_argc; a NULL entry
// still ends it), or up to the NULL terminator for envp (count = nullopt).
// nullopt when the model is unknown, `array` is 0, or not even the first
// pointer can be read.
std::optional<StringVector> read_string_vector(AddressSpace& as, std::uint64_t array, int dmodel,
                                               std::optional<std::size_t> count,
                                               const VectorLimits& limits = {});

// KEY=VALUE strings to pairs; a string with no '=' is a key with an empty value.
Environment split_environ(const std::vector<std::string>& strings);

// Mount table (/etc/mnttab): network file system types. (The server of a
// mount: posix::mount_host of its special.)
bool is_remote_mount(std::string_view fstype);

}  // namespace psi::solaris_proc
