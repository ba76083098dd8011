// psi/process.hpp - the snapshot of one process and the groups it is read in.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "psi/attr.hpp"
#include "psi/timespec.hpp"

namespace psi {

// Attributes are read in groups; each group maps to one cheap OS read, so a
// listing that asks only for the groups its columns need reads only those
// files (on Linux: one file or one syscall per group).
enum class Group : std::uint32_t {
    stat = 1u << 0,     // ppid pgrp sid tpgid name status terminal nice priority
                        // nthreads flags start_time utime stime vsz (Linux: stat)
    memory = 1u << 1,   // rss (Linux: statm)
    owner = 1u << 2,    // euid egid (Linux: fstatat of /proc/PID)
    creds = 1u << 3,    // euid ruid egid rgid locked (Linux: status; with
                        // memory it also gives rss, and owner is not needed)
    args = 1u << 4,     // args (Linux: cmdline)
    env = 1u << 5,      // env (Linux: environ)
    exe = 1u << 6,      // exe exe_deleted (Linux: readlink exe)
    cwd = 1u << 7,      // cwd (Linux: readlink cwd)
    names = 1u << 8,    // euser egroup (zonename), plus ruser rgroup when creds is read
    wchan = 1u << 9,    // wchan (Linux: wchan)
    // Process depth: read only when asked for, never by default (groups::all
    // leaves them out); each is one more file or syscall per process.
    status = 1u << 10,  // the whole status file: context switches, memory
                        // detail, saved/fs ids, groups, signal masks, NSpid,
                        // CPU affinity (Linux: status, parsed to the end)
    io = 1u << 11,      // I/O counters (Linux: io; needs ptrace access)
    fds = 1u << 12,     // open descriptors (Linux: fd/ listing)
    smaps = 1u << 13,   // uss pss swap_pss (Linux: smaps_rollup; costly)
    oom = 1u << 14,     // oom_score oom_score_adj
    limits = 1u << 15,  // resource limits (Linux: limits or prlimit)
    cgroup = 1u << 16,  // cgroup path, container id and runtime (Linux: cgroup)
    ns = 1u << 17,      // namespace inodes (Linux: readlink ns/*)
    label = 1u << 18,   // security label (Linux: attr/current)
    usage = 1u << 19,   // minor_faults major_faults. Linux and macOS read them
                        // with stat (stat 10/12; proc_pidinfo task info), so
                        // a stat read includes usage there at no cost; Solaris
                        // reads /proc/PID/usage (prusage_t), a record of its
                        // own that only a request for usage pays for.
};

// Every group bit.
inline constexpr std::uint32_t kGroupMask = (1u << 20) - 1;

// A set of groups. Constexpr bit operations so presets can be constants.
class Groups {
public:
    constexpr Groups() = default;
    constexpr Groups(Group g) : bits_(static_cast<std::uint32_t>(g)) {}  // NOLINT: implicit by design
    static constexpr Groups from_bits(std::uint32_t bits) { Groups g; g.bits_ = bits & kGroupMask; return g; }
    constexpr std::uint32_t bits() const { return bits_; }
    constexpr bool has(Group g) const { return (bits_ & static_cast<std::uint32_t>(g)) != 0; }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr bool contains(Groups other) const { return (bits_ & other.bits_) == other.bits_; }
    friend constexpr Groups operator|(Groups a, Groups b) { return from_bits(a.bits_ | b.bits_); }
    friend constexpr Groups operator&(Groups a, Groups b) { return from_bits(a.bits_ & b.bits_); }
    friend constexpr Groups operator-(Groups a, Groups b) { return from_bits(a.bits_ & ~b.bits_); }
    constexpr Groups& operator|=(Groups o) { bits_ |= o.bits_; return *this; }
    friend constexpr bool operator==(Groups, Groups) = default;

private:
    std::uint32_t bits_ = 0;
};
constexpr Groups operator|(Group a, Group b) { return Groups(a) | Groups(b); }

namespace groups {
inline constexpr Groups none{};
// What `ps -e -o pid,ppid,user,rss,vsz,stat,etime,comm` needs.
inline constexpr Groups ps = Group::stat | Group::memory | Group::owner | Group::names;
// ps plus the command line: `ps -ef`.
inline constexpr Groups ps_args = ps | Group::args;
// PSI's attribute set: what System::process reads by default.
inline constexpr Groups all = Groups::from_bits(0x3ffu);
// Every group, process depth included (io, fds, smaps, ...).
inline constexpr Groups every = Groups::from_bits(kGroupMask);
}  // namespace groups

// Process states. The numeric values are PSI's where PSI had the state.
enum class ProcStatus : int {
    running = 0,      // R
    sleeping = 1,     // S
    disk_sleep = 2,   // D
    stopped = 3,      // T
    tracing_stop = 4, // t
    zombie = 5,       // Z
    dead = 6,         // X, x
    waking = 7,       // W (2.6.33-4.13; PSI called it PAGING after 2.4's W)
    idle = 8,         // I
    parked = 9,       // P
    wakekill = 10,    // K
    unknown = 11,     // a letter this version does not know; never an error
};

// ps's state letter <-> ProcStatus. status_from_letter reads proc(5)'s
// letters (unknown for any other); status_to_letter gives ps's letter for a
// status ('X' for dead, '?' for unknown), so that
// status_from_letter(status_to_letter(s)) == s for every status.
ProcStatus status_from_letter(char letter) noexcept;
char status_to_letter(ProcStatus s) noexcept;
// psutil's spelling: "running", "sleeping", "disk-sleep", "zombie", ...
const char* status_name(ProcStatus s) noexcept;

// Scheduling policy, decoded by each backend from its OS's numbering. The
// numbers of the Linux policies are Linux's SCHED_* numbers (sched(7)), so
// `static_cast<int>` of a Linux value is what the kernel said; a number this
// version does not name (a future Linux policy) is kept as it is. macOS
// reports other, rr and fifo (Mach POLICY_TIMESHARE, POLICY_RR,
// POLICY_FIFO); Solaris reports its scheduling classes: TS as other, and
// sys, interactive, fair_share and fixed (SYS, IA, FSS, FX), which have no
// Linux counterpart and get numbers of their own.
enum class SchedPolicy : int {
    other = 0,      // SCHED_OTHER (SCHED_NORMAL): time sharing
    fifo = 1,       // SCHED_FIFO
    rr = 2,         // SCHED_RR
    batch = 3,      // SCHED_BATCH (Linux)
    iso = 4,        // SCHED_ISO: reserved by Linux, never reported by it
    idle = 5,       // SCHED_IDLE (Linux)
    deadline = 6,   // SCHED_DEADLINE (Linux)
    sys = 16,       // Solaris SYS class (kernel threads)
    interactive = 17,  // Solaris IA class
    fair_share = 18,   // Solaris FSS class
    fixed = 19,     // Solaris FX class
    unknown = -1,   // a policy the OS reported that this version cannot name
};

// ps's class name (ps -o cls): "TS" "FF" "RR" "B" "ISO" "IDL" "DLN", the
// Solaris class names "SYS" "IA" "FSS" "FX", and "?" for any other value.
const char* sched_policy_class(SchedPolicy p) noexcept;

using Environment = std::vector<std::pair<std::string, std::string>>;

// -- w-io: I/O counters and resource limits (issue 12) --
// A process's I/O counters (Linux: /proc/PID/io, proc(5)). The *_chars
// count every byte of read(2)/write(2)-like calls, the *_bytes what reached
// or came from storage (page-cache write-back charged to the process);
// cancelled_write_bytes: dirty page-cache bytes truncated before write-back.
struct IoCounters {
    std::uint64_t read_count = 0, write_count = 0;  // read/write system calls (syscr, syscw)
    std::uint64_t read_bytes = 0, write_bytes = 0;  // storage bytes
    std::uint64_t read_chars = 0, write_chars = 0;  // bytes through read/write calls (rchar, wchar)
    std::uint64_t cancelled_write_bytes = 0;
    friend bool operator==(const IoCounters&, const IoCounters&) = default;
};

// One resource limit; kRlimInfinity (all bits set, RLIM_INFINITY of the
// Linux ABI) is "unlimited".
struct ResourceLimit {
    std::string name;  // "nofile", "as", ...: setrlimit(2)'s RLIMIT_* in lower case
    std::uint64_t soft = 0, hard = 0;
    static constexpr std::uint64_t kInfinity = ~std::uint64_t{0};
    friend bool operator==(const ResourceLimit&, const ResourceLimit&) = default;
};
using ResourceLimits = std::vector<ResourceLimit>;

// When a snapshot was read, on two clocks taken together: `monotonic`
// (std::chrono::steady_clock: CLOCK_MONOTONIC on Linux, never stepped) for
// intervals between snapshots (psi/rates.hpp), `wall` (UTC) for showing.
// Default-constructed: never stamped (known() false).
struct Instant {
    std::chrono::steady_clock::time_point monotonic{};
    TimeSpec wall;
    bool known() const noexcept { return monotonic != std::chrono::steady_clock::time_point{}; }
    static Instant now() noexcept;  // both clocks, now (src/core/rates.cpp)
};

// -- w-ns: cgroup and namespace value types --
// One v1 hierarchy of /proc/PID/cgroup (cgroups(7): "ID:controllers:path").
struct CgroupEntry {
    unsigned id = 0;           // hierarchy id (> 0; the v2 line "0::" is ProcessInfo::cgroup)
    std::string controllers;   // "cpu,cpuacct", or a named hierarchy "name=systemd"
    std::string path;          // relative to the reader's cgroup namespace root
    friend bool operator==(const CgroupEntry&, const CgroupEntry&) = default;
};

// The namespace types of /proc/PID/ns (namespaces(7)), in the order of
// ns_type_names. pid_for_children and time_for_children are the namespaces
// the process's next children will be created in (setns/unshare change them
// before they change the process's own).
enum class NsType : std::uint8_t { ipc, mnt, net, pid, pid_for_children, time, time_for_children, user, uts, cgroup };
inline constexpr std::size_t kNsTypeCount = 10;
// The entry names under /proc/PID/ns, which are also the Python dict keys.
inline constexpr std::string_view ns_type_names[kNsTypeCount] = {
    "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts", "cgroup"};

// A process's namespaces, as the inode numbers of their nsfs files: two
// processes share a namespace when the numbers (on the same nsfs device)
// are equal. 0 marks a type this kernel does not have (time: before Linux
// 5.6, cgroup: before 4.6).
struct Namespaces {
    std::array<std::uint64_t, kNsTypeCount> inode{};
    std::uint64_t operator[](NsType t) const { return inode[static_cast<std::size_t>(t)]; }
    friend bool operator==(const Namespaces&, const Namespaces&) = default;
};
// -- end w-ns --

// The attributes of the process-depth groups (status, io, fds, smaps, oom,
// limits, cgroup, ns, label): kept out of ProcessInfo's own storage, which
// every row of every table pays for, and allocated only for a snapshot that
// reads one of those groups (ProcessInfo::depth()). A listing of PSI's
// attribute set then costs what it did before the depth groups existed
// (under 1 KiB per process plus its strings).
struct ProcessDepth {
    // -- w-ns: cgroups, containers, namespaces (groups cgroup and ns) --
    // The unified (v2) hierarchy's path, the "0::" line of /proc/PID/cgroup;
    // not_available on a host without one (v1 only).
    Attr<std::string> cgroup;
    Attr<std::vector<CgroupEntry>> cgroups;    // the v1 hierarchies, in file order
    // The container the cgroup paths name (innermost wins): its id (64 hex
    // digits; LXC: the container's name), its runtime ("docker",
    // "containerd", "cri-o", "podman", "kubepods", "lxc") and the Kubernetes
    // pod UID. Empty strings when not in a container (or not in a pod).
    Attr<std::string> container_id, container_runtime, pod_uid;
    // The LXC container name as procps ps reads it (its lxc column);
    // not_available when no cgroup line has an LXC marker.
    Attr<std::string> lxc_name;
    Attr<Namespaces> namespaces;               // inodes of /proc/PID/ns/*
    // -- end w-ns --

    // -- w-threads: the security label (Group::label) --
    // The LSM context (SELinux "system_u:system_r:init_t:s0", AppArmor
    // "/usr/bin/foo (enforce)"): Linux /proc/PID/attr/current without its
    // trailing newline and NUL. Not available when no security module
    // gives one (the read fails with EINVAL). Linux only.
    Attr<std::string> label;
    // -- w-io: process depth (issue 12): io, fds, smaps, oom, limits groups --
    Attr<IoCounters> io_counters;              // io group (Linux: /proc/PID/io)
    Attr<std::uint64_t> num_fds;               // fds group: open descriptors
    Attr<std::uint64_t> uss, pss, swap_pss;    // smaps group, bytes (smaps_rollup)
    Attr<int> oom_score, oom_score_adj;        // oom group
    Attr<ResourceLimits> rlimits;              // limits group: RLIMIT_* in kernel order

    // Group::status (the whole /proc/PID/status, proc_pid_status(5)).
    Attr<std::uint64_t> voluntary_ctxt_switches, involuntary_ctxt_switches;
    // Bytes: VmHWM VmPeak VmSwap RssAnon RssFile RssShmem VmData VmStk VmExe VmLib VmPTE.
    Attr<std::uint64_t> rss_peak, vsz_peak, swap, rss_anon, rss_file, rss_shmem, data_size, stack_size,
        text_size, lib_size, page_tables;
    Attr<std::uint32_t> suid, sgid, fsuid, fsgid;      // saved set and file-system ids
    Attr<std::vector<std::uint32_t>> supplementary_groups;
    Attr<std::string> suser, sgroup, fsuser, fsgroup;  // with Group::names; decimal id when no name
    Attr<std::vector<std::string>> supplementary_group_names;  // with Group::names, as the ids
    // Signal sets, bit n-1 = signal n: SigBlk, ShdPnd (process-wide
    // pending), SigIgn, SigCgt.
    Attr<std::uint64_t> sigmask, sigpending, sigignore, sigcatch;
    Attr<int> ns_pid;                                  // NSpid, innermost namespace
    Attr<std::vector<int>> cpu_affinity;               // Cpus_allowed_list, ascending
};

namespace detail {
// Owns a T on the heap, copied with the snapshot (a value, like the rest of
// ProcessInfo); empty until first written.
template <class T>
class DeepBox {
public:
    DeepBox() = default;
    DeepBox(const DeepBox& o) : p_(o.p_ ? new T(*o.p_) : nullptr) {}
    DeepBox(DeepBox&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
    DeepBox& operator=(const DeepBox& o) {
        if (this != &o) {
            T* n = o.p_ ? new T(*o.p_) : nullptr;
            delete p_;
            p_ = n;
        }
        return *this;
    }
    DeepBox& operator=(DeepBox&& o) noexcept {
        if (this != &o) {
            delete p_;
            p_ = o.p_;
            o.p_ = nullptr;
        }
        return *this;
    }
    ~DeepBox() { delete p_; }
    const T* get() const noexcept { return p_; }
    T& ensure() {
        if (!p_) p_ = new T();
        return *p_;
    }

private:
    T* p_ = nullptr;
};
}  // namespace detail

// A snapshot of one process: a plain value. Attributes of groups that were
// not read have status not_read; read but unavailable ones say why.
struct ProcessInfo {
    int pid = 0;
    // Identity: (pid, start_ticks). A reused pid has different start ticks.
    // Units are the platform's (Linux: clock ticks since boot).
    std::uint64_t start_ticks = 0;
    Groups groups_read;
    bool is_kernel_thread = false;
    // When the stat group (utime, stime: what rates divide) was last read:
    // stamped by System right before the backend reads the row.
    Instant read_at;

    Attr<int> ppid, pgrp, sid;
    Attr<int> tpgid;                           // foreground pgrp of the tty (-1: none)
    Attr<std::string> name;                    // accounting name (Linux: comm)
    Attr<std::string> exe;                     // absolute path of the executable
    // The executable was deleted (or replaced) since exec: exe is the path
    // it had, without the kernel's " (deleted)" suffix. Read with exe.
    // Linux only (not_implemented elsewhere).
    Attr<bool> exe_deleted;
    Attr<std::vector<std::string>> args;       // argv
    Attr<Environment> env;                     // environment, in the order given
    Attr<std::string> cwd;
    Attr<std::uint32_t> euid, ruid, egid, rgid;
    Attr<std::string> euser, ruser, egroup, rgroup;  // decimal id when no name
    Attr<std::string> terminal;                // "/dev/pts/3"; empty: none
    Attr<std::uint64_t> tty_dev;               // device number; 0: none
    Attr<ProcStatus> status;
    Attr<char> status_letter;                  // as ps's first stat letter
    Attr<int> nice;
    Attr<int> priority;                        // real-time priority, 0 normal
    Attr<SchedPolicy> policy;                  // scheduling policy
    // Linux: stat field 18 (ps "pri" base); macOS: the Mach task's base
    // priority; Solaris: pr_pri. Comparable within one OS only.
    Attr<int> kernel_priority;
    Attr<int> nthreads;
    Attr<int> processor;                       // CPU it last ran on (Linux stat 39)
    // Kernel function the process sleeps in ("do_epoll_wait"); empty when it
    // runs, or when the kernel will not say (no ptrace access to it).
    Attr<std::string> wchan;
    // The kernel's process flags word, whose bits mean something different
    // on each OS: Linux PF_* (stat 9), macOS p_flag P_*, Solaris pr_flag.
    Attr<std::uint64_t> flags;
    Attr<TimeSpec> start_time;                 // absolute, UTC
    Attr<std::uint64_t> jiffies;               // Linux only: starttime ticks since boot
    Attr<TimeSpec> utime, stime;
    Attr<std::uint64_t> rss, vsz;              // bytes
    Attr<std::uint64_t> locked;                // bytes locked in memory (mlock)
    // Solaris zones (PSI had both there): the zone id comes with the stat
    // group, its name with the names group. Elsewhere not_implemented.
    Attr<int> zoneid;
    Attr<std::string> zonename;
    // -- w-threads: thread rows --
    // 0 in a process's row; in a thread's row (System::threads) the thread
    // id (Linux: the TID under /proc/PID/task), with pid the process's (the
    // thread group id). start_ticks is then the thread's own start.
    int tid = 0;
    // -- w-status: stat extras (free with stat) and the status group --
    // Linux stat 10-13 (proc_pid_stat(5) minflt cminflt majflt cmajflt):
    // faults without / with a disk read, own and of waited-for children.
    Attr<std::uint64_t> minor_faults, major_faults, children_minor_faults, children_major_faults;
    Attr<TimeSpec> children_utime, children_stime;   // stat 16-17 (waited-for children)
    // stat 26-27 startcode/endcode (the kernel shows 1 for both without
    // ptrace access, 0 for kernel threads): ps's trs and drs start from them.
    Attr<std::uint64_t> start_code, end_code;
    // The depth groups' attributes (see ProcessDepth). The const overload
    // never allocates: before any depth group was read it is a shared
    // ProcessDepth whose attributes are all not_read. The other allocates
    // on first use; readers write through it.
    const ProcessDepth& depth() const noexcept;
    ProcessDepth& depth() { return depth_.ensure(); }
    // Whether this snapshot holds depth storage (a depth group was read).
    bool has_depth() const noexcept { return depth_.get() != nullptr; }

    // Derived values. Each carries the status of what it is derived from.
    Attr<TimeSpec> cputime() const;            // utime + stime
    Attr<std::size_t> argc() const;
    // ' '.join(args), or name when args is empty (kernel threads).
    Attr<std::string> command() const;
    // Lifetime %CPU as ps computes it: cputime / (now - start_time) * 100.
    Attr<double> pcpu(TimeSpec now) const;

    // Approximate bytes used by this snapshot, including its strings.
    std::size_t memory_footprint() const;

private:
    detail::DeepBox<ProcessDepth> depth_;
};

}  // namespace psi
