// Pure decoders for the macOS backend. No OS headers: these compile on any
// OS, so the unit tests (tests/macos) and fuzzing run on Linux against byte
// buffers built from the documented layouts. Constants that come from
// Apple headers are restated here with the header they come from; the
// backend (which does include the headers) static_asserts that they agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psi/process.hpp"
#include "psi/sysinfo.hpp"
#include "psi/timespec.hpp"

namespace psi::macos {

// <sys/proc.h> extern_proc.p_stat values.
inline constexpr int kSIdl = 1;    // being created by fork
inline constexpr int kSRun = 2;    // runnable
inline constexpr int kSSleep = 3;  // sleeping on an address
inline constexpr int kSStop = 4;   // stopped (signal or debugger)
inline constexpr int kSZomb = 5;   // exited, awaiting collection by parent

// <mach/thread_info.h> thread run states (proc_threadinfo.pth_run_state).
inline constexpr int kThRunning = 1;          // TH_STATE_RUNNING: on a CPU or runnable
inline constexpr int kThStopped = 2;          // TH_STATE_STOPPED: suspended
inline constexpr int kThWaiting = 3;          // TH_STATE_WAITING: interruptible wait
inline constexpr int kThUninterruptible = 4;  // TH_STATE_UNINTERRUPTIBLE
inline constexpr int kThHalted = 5;           // TH_STATE_HALTED: terminating

// <mach/policy.h> task policies (proc_taskinfo.pti_policy).
inline constexpr int kPolicyTimeshare = 1;  // POLICY_TIMESHARE
inline constexpr int kPolicyRr = 2;         // POLICY_RR
inline constexpr int kPolicyFifo = 4;       // POLICY_FIFO

// A process state: psi's status and the letter shown for it.
struct State {
    ProcStatus status;
    char letter;
    bool operator==(const State&) const = default;
};

// The state of a process from its kinfo_proc p_stat and its threads' run
// states. XNU keeps p_stat at SRUN for the whole life of a process (it
// never sets SSLEEP: sleeping is a Mach thread state), so p_stat alone
// decides only SIDL (`idle` 'I', a fork not finished), SZOMB (`zombie`
// 'Z') and SSTOP (`stopped` 'T'); SSLEEP, never produced, is `sleeping`.
// For SRUN the most active thread decides, in the order macOS ps(1) ranks
// them: running (`running` 'R'), uninterruptible (`disk_sleep` 'U', ps's
// letter), waiting (`sleeping` 'S'), stopped (`stopped` 'T'), halted
// (`dead` 'X': every thread is terminating). Unknown run states are
// ignored. nullopt when that cannot be told: SRUN with the threads not
// readable (`run_states` nullopt: proc_pidinfo refuses another user's
// process without root) or none with a known state. An SRUN process is
// never reported running without a running thread. Any other p_stat gives
// `unknown` '?', never an error.
std::optional<State> process_state(int p_stat, const std::optional<std::vector<int>>& run_states);

// p_starttime (a struct timeval) -> absolute start time.
TimeSpec start_time_from_timeval(std::int64_t sec, std::int64_t usec) noexcept;
// The identity of a process (ProcessInfo::start_ticks): its start time in
// microseconds since the epoch. A reused pid has a later start time.
// Negative inputs (never produced by the kernel) clamp to 0.
std::uint64_t start_ticks_from_timeval(std::int64_t sec, std::int64_t usec) noexcept;

// proc_taskinfo.pti_total_user/_system are in Mach absolute time units:
// nanoseconds * numer / denom per mach_timebase_info(3) (1/1 on Intel,
// 125/3 on Apple silicon). Exact (no 128-bit product needed) whenever the
// result fits; a zero numer/denom (a failed mach_timebase_info) means 1/1.
TimeSpec mach_ticks_to_timespec(std::uint64_t ticks, std::uint32_t numer, std::uint32_t denom) noexcept;

// Nanoseconds per tick as a ratio: ns = ticks * numer / denom.
struct Timebase {
    std::uint32_t numer = 1, denom = 1;
    bool operator==(const Timebase&) const = default;
};
// The timebase of the kernel's task times. The kernel counts them in the
// hardware's ticks; sysctl hw.tbfrequency gives their rate in ticks per
// second (24 MHz on Apple silicon, 10^9 on Intel), so ns = ticks * 10^9 /
// tbfrequency, used as 10^9 / tbfrequency reduced (24 MHz: 125/3). It is
// preferred to mach_timebase_info because an x86_64 process under Rosetta 2
// gets a translated mach_timebase_info of 1/1 while the task times stay in
// native 24 MHz ticks (times 41.67 times too small). tbfrequency 0 (sysctl
// absent) or a ratio that does not fit 32 bits falls back to the mach
// numer/denom, and a zero one of those to 1/1.
Timebase cpu_time_timebase(std::uint64_t tbfrequency, std::uint32_t mach_numer, std::uint32_t mach_denom) noexcept;

// sysctl {CTL_KERN, KERN_PROCARGS2, pid} buffer, as the XNU kernel lays it
// out (sysctl(3), kern_sysctl.c behaviour):
//   int argc (native byte order, 4 bytes)
//   exec path, NUL-terminated
//   NUL padding (any number of NULs, aligning argv[0])
//   argc strings, each NUL-terminated           -> args
//   environment strings, each NUL-terminated,   -> env
//   ended by an empty string (then the "apple" strings, ignored) or by
//   the end of the buffer.
// Never reads past buf. A string cut by the end of the buffer is kept as
// far as it goes and `complete` is cleared; fewer than argc strings also
// clears it. Limitation of the format: an empty argv[0] is
// indistinguishable from padding and is skipped.
//
// The environment is withheld when nothing but NULs (or nothing) follows
// argv: XNU cuts the buffer after argv[argc-1] for targets it protects from
// the caller (SIP-restricted processes; the rest is not copied out). An
// uncut buffer always has the empty string ending environ followed by the
// "apple" strings exec adds (executable_path=..., ptr_munge=...), so an
// empty but present environment still has bytes after it.
struct ProcArgs {
    std::string exec_path;
    std::vector<std::string> args;
    Environment env;
    bool complete = true;
    bool env_withheld = false;  // env is not an empty environment: it was not given
};
// nullopt when the buffer cannot even hold argc, or argc is negative.
std::optional<ProcArgs> parse_procargs2(std::string_view buf);

// KEY=VALUE -> (KEY, VALUE); no '=' gives (string, "").
std::pair<std::string, std::string> split_env_entry(std::string_view entry);

// A fixed-size char array from a kernel struct (p_comm, f_mntonname...):
// the text up to the first NUL, or the whole array when it has none.
std::string_view c_field(const char* data, std::size_t size) noexcept;

// The process name: proc_bsdinfo.pbi_name (2 * MAXCOMLEN = 32 bytes, the
// executable's name as exec recorded it, no NUL when full) when it is set,
// else kinfo_proc p_comm (MAXCOMLEN = 16 bytes, the same name cut at 16).
// `long_name` is empty when proc_pidinfo(PROC_PIDTBSDINFO or
// PROC_PIDTASKALLINFO) was refused (another user's process without root).
std::string process_name(std::string_view long_name, std::string_view comm);

// statfs.f_flags -> a mount(8)-style option list ("ro,nosuid,local,...").
// Bits from <sys/mount.h>.
inline constexpr std::uint32_t kMntRdonly = 0x00000001;
inline constexpr std::uint32_t kMntSynchronous = 0x00000002;
inline constexpr std::uint32_t kMntNoexec = 0x00000004;
inline constexpr std::uint32_t kMntNosuid = 0x00000008;
inline constexpr std::uint32_t kMntNodev = 0x00000010;
inline constexpr std::uint32_t kMntUnion = 0x00000020;
inline constexpr std::uint32_t kMntAsync = 0x00000040;
inline constexpr std::uint32_t kMntExported = 0x00000100;
inline constexpr std::uint32_t kMntLocal = 0x00001000;
inline constexpr std::uint32_t kMntQuota = 0x00002000;
inline constexpr std::uint32_t kMntRootfs = 0x00004000;
inline constexpr std::uint32_t kMntDontbrowse = 0x00100000;
inline constexpr std::uint32_t kMntAutomounted = 0x00400000;
inline constexpr std::uint32_t kMntJournaled = 0x00800000;
inline constexpr std::uint32_t kMntNoatime = 0x10000000;
inline constexpr std::uint32_t kMntSnapshot = 0x40000000;
std::string mount_options(std::uint32_t flags);
// Remote = not MNT_LOCAL (statfs(2)).
inline bool is_remote(std::uint32_t flags) noexcept { return (flags & kMntLocal) == 0; }

// The portable policy of a Mach task policy (pti_policy, <mach/policy.h>):
// POLICY_TIMESHARE 1 is other, POLICY_RR 2 rr, POLICY_FIFO 4 fifo; any
// other value unknown.
SchedPolicy policy_from_mach(int policy) noexcept;

// -- x-macos: process depth (issue 12) --

// Page faults from proc_taskinfo (PROC_PIDTASKINFO / PROC_PIDTASKALLINFO).
// pti_faults counts every call of the VM fault handler (vm_fault_internal);
// pti_pageins the pages paged in from a pager (a file, or the default
// pager), each counted once, at the fault that first used it, also when a
// cluster read brought it in for an earlier fault. Decompressions from the
// compressor are not page-ins. XNU's own getrusage(2) splits them this way
// (bsd/kern/kern_resource.c calcru: ru_minflt = faults - pageins, ru_majflt
// = pageins), and so does psi: major = pageins, minor = faults - pageins
// (0 when page-ins counted outside a fault, e.g. while wiring memory, make
// pageins the larger). proc_pidinfo clamps pti_faults to INT32_MAX (an
// int32_t field): a clamped or negative count (older kernels truncated it)
// gives nullopt, as the split would then be wrong.
struct Faults {
    std::uint64_t minor = 0, major = 0;
    bool operator==(const Faults&) const = default;
};
std::optional<Faults> split_faults(std::int32_t pti_faults, std::int32_t pti_pageins) noexcept;

// struct rusage_info_v2 (<sys/resource.h>, proc_pid_rusage(pid,
// RUSAGE_INFO_V2, ...)): 16 bytes of uuid, then 18 uint64_t, the last two
// ri_diskio_bytesread and ri_diskio_byteswritten. Restated so the decoder
// reads raw bytes; the backend static_asserts the offsets.
inline constexpr std::size_t kRusageV2Size = 160;
inline constexpr std::size_t kRusageV2DiskioRead = 144;
inline constexpr std::size_t kRusageV2DiskioWritten = 152;
// IoCounters from a rusage_info_v2 as raw bytes (native byte order):
// read_bytes / write_bytes are ri_diskio_bytesread / _byteswritten, the
// bytes this task's threads read from and wrote to block devices
// (XNU counts them where the I/O is issued, spec_strategy). macOS has no
// per-process count of read/write calls, of bytes through them, or of
// cancelled write-back: those members stay 0 (see docs/macos.md).
// nullopt when fewer than kRusageV2Size bytes were given.
std::optional<IoCounters> io_from_rusage_v2(std::string_view raw) noexcept;

// proc_pidinfo(PROC_PIDLISTFDS) answer -> number of descriptors: one
// struct proc_fdinfo (int32 fd, uint32 type: kFdInfoSize bytes) per open
// descriptor. `bytes` is what the call returned for a buffer of `capacity`
// bytes. nullopt when the answer may be cut (it filled the buffer: the
// table grew since the size query, so ask again with more room) or makes no
// sense (negative, not whole records, more than the buffer).
inline constexpr std::size_t kFdInfoSize = 8;
std::optional<std::uint64_t> fd_count(int bytes, std::size_t capacity) noexcept;

// -- x-macos: threads (issue 14) --

// proc_pidinfo flavors for threads (<sys/proc_info.h>). PROC_PIDLISTTHREADS
// (6) lists each thread's pthread self pointer, a 64-bit user address that
// can be 0 or repeat; PROC_PIDLISTTHREADIDS (28) lists the unique 64-bit
// thread ids (what pthread_threadid_np(3) returns, never reused while the
// system runs). XNU has had flavor 28 since xnu-4903 (macOS 10.14) but the
// SDK keeps it in the header's PRIVATE part, so it is restated here.
// PROC_PIDTHREADID64INFO (15, public) reads one thread by that id.
inline constexpr int kProcPidListThreadIds = 28;

// One struct proc_threadinfo as plain values. XNU fills pth_user_time and
// pth_system_time in nanoseconds (thread_basic_info's seconds and
// microseconds, osfmk/kern/bsd_kern.c fill_taskthreadinfo), not in the
// Mach ticks of the task times. pth_curpri is the thread's current
// scheduling priority, pth_priority its base priority.
struct ThreadRecord {
    std::uint64_t user_ns = 0, system_ns = 0;
    std::int32_t policy = 0, run_state = 0, flags = 0, curpri = 0, priority = 0;
    std::string_view name;  // the pth_name array (MAXTHREADNAMESIZE = 64 bytes)
};
// The thread's own attributes of a thread row (stat group): name (pth_name
// up to its NUL; empty for a thread that never named itself, since macOS
// gives threads no default name), status and status_letter from
// pth_run_state alone (as process_state ranks one thread; an unknown state
// is `unknown` '?'), utime and stime, kernel_priority = pth_curpri, and
// policy from pth_policy.
void fill_thread(const ThreadRecord& th, ProcessInfo& out);

// The answer of PROC_PIDLISTTHREADIDS: `bytes` bytes of native uint64_t
// thread ids read from `raw` (raw.size() is the buffer's capacity), as
// tids. Appends to out and returns true; false when the answer may be cut
// (it filled the buffer: ask again with more room) or is not whole ids.
// An id of 0 or above INT_MAX (psi's tids are ints) makes `too_large`
// true and is left out; the caller decides what that means.
bool thread_ids(std::string_view raw, int bytes, std::vector<int>& out, bool& too_large);

// -- x-macos: system memory (issue 13) --

// The page counts of host_statistics64(HOST_VM_INFO64) that memory() uses
// (<mach/vm_statistics.h> struct vm_statistics64). XNU's free_count
// includes the speculative pages (osfmk/kern/host.c: free_count =
// vm_page_free_count + vm_page_speculative_count); external_page_count
// (file-backed pages) exists from revision 1 on (macOS 10.9): `rev1` says
// the kernel filled it (the count it returned was at least
// HOST_VM_INFO64_REV1_COUNT).
struct VmPages {
    std::uint32_t free = 0, active = 0, inactive = 0, wire = 0, speculative = 0, external = 0;
    bool rev1 = false;
};
// MemoryInfo as psutil (5.6 and later) defines it on macOS, in bytes:
// total = hw.memsize; available = (inactive + free_count) pages; used =
// (active + wired) pages; free = (free_count - speculative) pages, what
// vm_stat(1) prints as "Pages free"; active, inactive; cached = file-backed
// pages (vm_stat "File-backed pages": the unified buffer cache). buffers,
// shared and slab stay 0: macOS has no separate buffer cache, and the Mach
// statistics count no shared-memory or slab total. nullopt without
// revision 1 (no file-backed count), a page size of 0 or above 1 MiB, or a
// zero memsize.
std::optional<MemoryInfo> memory_from_vm(const VmPages& vm, std::uint64_t memsize, std::uint64_t page_size) noexcept;

}  // namespace psi::macos
