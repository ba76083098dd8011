// psi/system.hpp - reading processes, the process table and system facts.
//
// psi::System holds what repeated reads share: the proc root, an open handle
// on it, reusable buffers and the uid/gid name caches. One System must not be
// used by two threads at once; make one per thread (they are cheap). The free
// functions at the bottom make a temporary System for one call.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "psi/attr.hpp"
#include "psi/error.hpp"
#include "psi/open_files.hpp"  // -- x-openfiles
#include "psi/process.hpp"
#include "psi/sysinfo.hpp"
#include "psi/timespec.hpp"

namespace psi {

// How long statvfs(2) of a network, FUSE or autofs mount may take before
// that mount's sizes are reported not available (ETIMEDOUT). Such a call
// waits for a server or a daemon, for ever on a hard NFS mount.
inline constexpr std::chrono::milliseconds kDefaultMountTimeout{2000};

struct Options {
    // Where the process filesystem is mounted (Linux, Solaris). Tests point
    // it at fixture trees; containers at a host's proc. macOS has none: only
    // "/proc" or "" (this system) are accepted there, anything else is
    // errc::proc_root_unusable.
    std::string proc_root = "/proc";
    // Threads that read a table in parallel (taking chunks of pids in turn).
    // 1 reads in the calling thread only; 0 means two per online CPU (a
    // /proc read waits part of the time, so more threads than CPUs pay).
    // Each thread gets at least 128 processes: small tables use one.
    int threads = 1;
    // Where the cgroup v2 hierarchy is mounted (Linux), for cgroup_limits()
    // and effective_cpu_count(). Empty: the first cgroup2 mount listed in
    // <proc_root>/self/mounts (on a hybrid v1/v2 system that is
    // /sys/fs/cgroup/unified, not /sys/fs/cgroup). Tests point it at
    // fixture trees.
    std::string cgroup_root = {};

    // The defaults, with proc_root taken from $PSI_PROCFS when it is set and
    // not empty: the one place psi reads that variable (psi-ps and the
    // Python module both start from here).
    static Options from_environment();
};

// The process table: snapshots of the thread-group leaders, sorted by pid.
class ProcessTable {
public:
    ProcessTable() = default;
    explicit ProcessTable(std::vector<ProcessInfo> procs, Instant read_at = {})
        : procs_(std::move(procs)), read_at_(read_at) {}

    std::size_t size() const { return procs_.size(); }
    bool empty() const { return procs_.empty(); }
    auto begin() const { return procs_.begin(); }
    auto end() const { return procs_.end(); }
    const ProcessInfo& operator[](std::size_t i) const { return procs_[i]; }
    // The process with this pid, or nullptr. O(log n).
    const ProcessInfo* find(int pid) const;
    const std::vector<ProcessInfo>& processes() const { return procs_; }
    std::vector<ProcessInfo> release() && { return std::move(procs_); }
    // When the pids were listed (each row has its own ProcessInfo::read_at).
    const Instant& read_at() const { return read_at_; }

private:
    std::vector<ProcessInfo> procs_;
    Instant read_at_;
};

struct ArchInfo {
    std::string sysname, nodename, release, version, machine;  // uname(2)
    std::vector<int> release_info;  // release's leading numbers: "6.18.44-x" -> {6, 18, 44}
    int cpu_count = 0;                        // logical CPUs online
    std::optional<int> physical_cpu_count;    // cores; empty if unknown
    long page_size = 0;                       // bytes
    long clock_ticks = 0;                     // ticks per second (CLK_TCK)
    std::uint64_t total_memory = 0;           // bytes
    int bits = 0;                             // pointer width of this build
    // One more than the largest pid the system hands out (Linux's meaning of
    // pid_max): Linux /proc/sys/kernel/pid_max under the proc root, macOS
    // PID_MAX (99999), Solaris sysconf(_SC_MAXPID) + 1. 0 when unknown.
    // ps sizes its PID columns to its number of digits.
    int pid_max = 0;
};

struct LoadAvg {
    double one = 0, five = 0, fifteen = 0;
};

struct MountInfo {
    std::string device, mountpoint, fstype, options;
    bool remote = false;
    std::string host;  // the server of a remote mount ("" for local ones)
    // From statvfs block counts; not_available / insufficient_privs when the
    // mount cannot be queried (stale NFS, EACCES). Never fails the list.
    Attr<std::uint64_t> total, free, available;
    Attr<std::uint64_t> inodes, free_inodes, available_inodes;
};

// A kernel handle on one process (Linux: a pidfd, which keeps naming that
// process after it exits, so a signal through it can never reach a later
// process with the same pid). Move-only; the destructor closes it. Empty
// (pinned() false) where none could be had. Obtained from System::pin.
class ProcessHandle {
public:
    ProcessHandle() = default;
    ProcessHandle(const ProcessHandle&) = delete;
    ProcessHandle& operator=(const ProcessHandle&) = delete;
    ProcessHandle(ProcessHandle&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    ProcessHandle& operator=(ProcessHandle&& other) noexcept;
    ~ProcessHandle();
    bool pinned() const noexcept { return fd_ >= 0; }

private:
    friend class System;
    int fd_ = -1;
};

class System {
public:
    explicit System(Options options = {});
    // Non-throwing construction: ec is set when the proc root is unusable.
    // Such a System stays safe to use: every error_code form reports
    // proc_root_unusable, every throwing form throws it, arch() returns an
    // empty ArchInfo (cpu_count 0), exists() false, effective_cpu_count()
    // the online CPU count; options() and the name lookups work as usual.
    System(Options options, std::error_code& ec);
    ~System();
    System(System&&) noexcept;
    System& operator=(System&&) noexcept;
    System(const System&) = delete;
    System& operator=(const System&) = delete;

    const Options& options() const;

    // Pids of all thread-group leaders, ascending.
    std::vector<int> pids();
    std::vector<int> pids(std::error_code& ec);

    // One process. no_such_process when it does not exist; invalid_argument
    // for a pid outside 1..INT_MAX-ish (pid 0 is accepted where the OS has it).
    ProcessInfo process(std::int64_t pid, Groups groups = groups::all);
    ProcessInfo process(std::int64_t pid, Groups groups, std::error_code& ec);

    // Reads `groups` (those not yet read) into an existing snapshot, after
    // checking it is still the same process: no_such_process when it is gone
    // or its pid was reused. Used for lazy loading. When every group asked
    // for is already read, nothing is read and nothing is checked (use
    // exists() or refresh() to ask whether it still lives).
    void read_more(ProcessInfo& proc, Groups groups);
    void read_more(ProcessInfo& proc, Groups groups, std::error_code& ec);

    // Re-reads everything proc has read so far; no_such_process as above.
    void refresh(ProcessInfo& proc);
    void refresh(ProcessInfo& proc, std::error_code& ec);

    // All thread-group leaders. A process that exits meanwhile is left out;
    // no single process fails the table.
    ProcessTable table(Groups groups = groups::ps);
    ProcessTable table(Groups groups, std::error_code& ec);

    // -- w-threads: the threads of one process --
    // Snapshots of every thread of process `pid`, the leader first, then by
    // start time, ties by thread id (the kernel's creation order, which ps
    // -L shows; not ascending ids, which wrap with the pid counter):
    // rows with `tid` set (the thread id) and `pid` the process's, read
    // from the thread's own records (Linux /proc/PID/task/TID/: name is the
    // thread's comm, status, times, processor, nice, policy, wchan are the
    // thread's) with the same groups and per-attribute statuses as process
    // rows. A thread that ends meanwhile is left out. read_more, refresh and
    // exists work on these rows (they read the thread again); kill of a
    // thread row signals its whole process. no_such_process when the process
    // is gone; attr_not_implemented where the backend lists no threads
    // (macOS before 10.14, which lacks PROC_PIDTHREADID64INFO).
    std::vector<ProcessInfo> threads(std::int64_t pid, Groups groups = groups::ps);
    std::vector<ProcessInfo> threads(std::int64_t pid, Groups groups, std::error_code& ec);
    // Every thread of every process: processes in pid order, each one's
    // threads as threads(pid) orders them. A process that exits meanwhile,
    // or whose threads cannot be listed (insufficient_privs; a macOS zombie,
    // which has no task left), is left out: no single process fails the
    // table. Fails only when the pid listing fails, or with
    // attr_not_implemented where the backend lists no threads.
    std::vector<ProcessInfo> thread_table(Groups groups = groups::ps);
    std::vector<ProcessInfo> thread_table(Groups groups, std::error_code& ec);

    // True while the same process (pid and start) lives; zombies included.
    bool exists(const ProcessInfo& proc);
    // Sends sig. no_such_process if gone or reused, insufficient_privs on
    // EPERM, invalid_argument for a bad signal number. On Linux (5.3+, own
    // /proc) it pins the process first (pin()) and signals through the
    // pidfd, so nothing can take the pid between the check and the signal;
    // a process that exited and whose pid was reused within the clock tick
    // it started in is still taken for the original (the identity is pid +
    // start tick): pin() at read time closes that too. See docs/limits.md.
    void kill(const ProcessInfo& proc, int sig);
    void kill(const ProcessInfo& proc, int sig, std::error_code& ec);
    // A handle on exactly the process `proc` describes, for later kills
    // (Linux: a pidfd; an empty handle elsewhere, for a foreign proc root or
    // when no fd is left). no_such_process when proc is gone or its pid
    // reused. Take it right after reading proc: from then on no pid reuse
    // can redirect a kill.
    ProcessHandle pin(const ProcessInfo& proc);
    ProcessHandle pin(const ProcessInfo& proc, std::error_code& ec);
    // Sends sig through `handle` when it holds one (the kernel then makes
    // sure it reaches that process or none: no_such_process once it has
    // been reaped), else as kill(proc, sig).
    void kill(const ProcessInfo& proc, const ProcessHandle& handle, int sig);
    void kill(const ProcessInfo& proc, const ProcessHandle& handle, int sig, std::error_code& ec);

    ArchInfo arch();
    // ArchInfo::pid_max alone (arch() also counts CPUs and cores). 0 and
    // ec (attr_not_available) when it cannot be told.
    int pid_max(std::error_code& ec);
    LoadAvg loadavg();
    LoadAvg loadavg(std::error_code& ec);
    TimeSpec boot_time();                 // absolute UTC, sub-second
    TimeSpec boot_time(std::error_code& ec);
    TimeSpec uptime();                    // duration since boot
    TimeSpec uptime(std::error_code& ec);
    // Mounted filesystems with their sizes. `timeout` bounds the statvfs of
    // each mount that may block (network, FUSE, autofs; Linux and Solaris:
    // macOS reads cached sizes and never waits); zero does not ask them at
    // all (a negative value is zero). A call still stuck after its timeout is left running, and that
    // mount point is not asked again until it returns.
    std::vector<MountInfo> mounts(bool include_remote = false,
                                  std::chrono::milliseconds timeout = kDefaultMountTimeout);
    std::vector<MountInfo> mounts(bool include_remote, std::error_code& ec);
    std::vector<MountInfo> mounts(bool include_remote, std::chrono::milliseconds timeout, std::error_code& ec);

    // System-wide figures (psi/sysinfo.hpp). attr_not_implemented where the
    // platform's backend does not provide one, attr_not_available where
    // this system does not have it (no /proc/pressure, no cgroup v2).
    // cpu_times: the sum over all CPUs, or with `percpu` one entry per
    // online CPU (ascending CPU number).
    std::vector<CpuTimes> cpu_times(bool percpu = false);
    std::vector<CpuTimes> cpu_times(bool percpu, std::error_code& ec);
    MemoryInfo memory();
    MemoryInfo memory(std::error_code& ec);
    SwapInfo swap();
    SwapInfo swap(std::error_code& ec);
    Pressure pressure();
    Pressure pressure(std::error_code& ec);
    CgroupLimits cgroup_limits();
    CgroupLimits cgroup_limits(std::error_code& ec);
    // CPUs this process can use: the CPUs of its affinity mask
    // (sched_getaffinity, which the kernel already intersects with the
    // active CPUs), lowered to the cgroup's cpu.max quota rounded up;
    // at least 1. What a thread pool should size itself to. Never fails:
    // what cannot be read does not lower it (no affinity call: the online
    // CPU count).
    int effective_cpu_count();

    // Name of a uid/gid, cached for this System; decimal id when unnamed.
    const std::string& user_name(std::uint32_t uid);
    const std::string& group_name(std::uint32_t gid);

    // -- x-openfiles: the regular files a process has open (psi/open_files.hpp) --
    // By ascending descriptor. The process's identity is checked before and
    // after the read: no_such_process when it is gone or its pid was reused
    // (then nothing is returned: a list read across an exit or a reuse could
    // hold another process's files). A descriptor closed while the list is
    // read is left out. insufficient_privs without ptrace read access to the
    // process (proc(5): /proc/PID/fd is then unreadable); parse_error when
    // an fdinfo file cannot be read as proc(5) describes it;
    // attr_not_implemented where the backend cannot list descriptors
    // (macOS, Solaris for now). A thread row (tid set) reads that thread's
    // descriptor table (the process's, unless the thread was made without
    // CLONE_FILES).
    std::vector<OpenFile> open_files(const ProcessInfo& proc);
    std::vector<OpenFile> open_files(const ProcessInfo& proc, std::error_code& ec);
    // The same for whatever process holds `pid` now.
    std::vector<OpenFile> open_files(std::int64_t pid);
    std::vector<OpenFile> open_files(std::int64_t pid, std::error_code& ec);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// Takes stat-group tables (Group::stat only) of every process over and over,
// cheaply: for monitors that compute rates (psi/rates.hpp) from successive
// samples. On Linux it keeps each process's /proc/PID/stat open and re-reads
// it with pread(2) at offset 0 (procfs regenerates the file on every read),
// which saves the path lookup, open and close a fresh table pays per
// process; the pids are listed anew each time, so new processes are found
// and the descriptors of gone ones closed. A kept descriptor names one
// process for good: once that process is reaped it reads ESRCH, and a pid
// reused meanwhile is opened afresh (its start ticks differ), so a sample
// never mixes two processes. Elsewhere each sample is a fresh stat table.
//
// Descriptors: at most the soft RLIMIT_NOFILE less a reserve (an eighth,
// at least 32) is kept; processes beyond are read with open/read/close.
// With `raise_fd_limit` the sampler first raises the soft limit, within the
// hard one, to what the process count needs: note that select(2) cannot
// watch descriptors >= FD_SETSIZE (1024), so a program using select should
// pass false. One thread; not for use by two threads at once.
class Sampler {
public:
    explicit Sampler(Options options = {}, bool raise_fd_limit = true);
    Sampler(Options options, bool raise_fd_limit, std::error_code& ec);
    ~Sampler();
    Sampler(Sampler&&) noexcept;
    Sampler& operator=(Sampler&&) noexcept;
    Sampler(const Sampler&) = delete;
    Sampler& operator=(const Sampler&) = delete;

    // Every process with its stat group read (as System::table(Group::stat)),
    // each row and the table stamped (read_at).
    ProcessTable sample();
    ProcessTable sample(std::error_code& ec);
    // The same, reusing the memory of `recycle` (a table an earlier sample()
    // of this Sampler returned, no longer needed: a monitor passes the
    // older of its two tables back): its rows are overwritten in place
    // instead of a new row being built, and the old one destroyed, per
    // process. A row that holds anything a sample does not write (another
    // group read, or a table not from a Sampler) is reset first, so the
    // result equals sample()'s.
    ProcessTable sample(ProcessTable&& recycle);
    ProcessTable sample(ProcessTable&& recycle, std::error_code& ec);
    // The next snapshot of the same processes: the processes of the last
    // sample() or resample() re-read, without listing /proc again (a
    // monitor's loop between two listings; the listing is about a tenth of
    // a re-read on Linux). A process that has exited is left out (rates()
    // counts it as disappeared); a new process is not seen until the next
    // sample(); a pid reused meanwhile is left out too (its start time
    // differs), so the table holds only processes of the previous one.
    // Before the first sample() it is sample(). `recycle` as above.
    ProcessTable resample(ProcessTable&& recycle = {});
    ProcessTable resample(ProcessTable&& recycle, std::error_code& ec);
    // Descriptors kept open now (0 where the platform keeps none).
    std::size_t open_handles() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// Current wall-clock time as a TimeSpec (CLOCK_REALTIME).
TimeSpec now();

// One-call conveniences, each on a temporary System with default Options.
inline ProcessInfo process(std::int64_t pid, Groups groups = groups::all) {
    return System().process(pid, groups);
}
inline ProcessTable process_table(Groups groups = groups::ps) { return System().table(groups); }
inline ArchInfo arch() { return System().arch(); }
inline LoadAvg loadavg() { return System().loadavg(); }
inline TimeSpec boot_time() { return System().boot_time(); }
inline TimeSpec uptime() { return System().uptime(); }
inline std::vector<CpuTimes> cpu_times(bool percpu = false) { return System().cpu_times(percpu); }
inline MemoryInfo memory() { return System().memory(); }
inline SwapInfo swap() { return System().swap(); }
inline Pressure pressure() { return System().pressure(); }
inline CgroupLimits cgroup_limits() { return System().cgroup_limits(); }
inline int effective_cpu_count() { return System().effective_cpu_count(); }
inline std::vector<MountInfo> mounts(bool include_remote = false,
                                     std::chrono::milliseconds timeout = kDefaultMountTimeout) {
    return System().mounts(include_remote, timeout);
}

}  // namespace psi
