// psi/sysinfo.hpp - system-wide figures: CPU times, memory, swap, pressure
// stall information, and the limits of the calling process's cgroup.
//
// Plain values read by psi::System (system.hpp). Each is a snapshot: rates
// (CPU busy %) come from two snapshots the caller keeps, through the pure
// function cpu_percent(); nothing here keeps hidden state between calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "psi/timespec.hpp"

namespace psi {

// Time the CPU(s) spent in each state since boot. Linux: /proc/stat, in
// USER_HZ ticks (proc(5)). Linux counts guest time twice: `user` includes
// `guest` and `nice` includes `guest_nice` (kernel/sched/cputime.c adds a
// guest tick to both), so never add guest to user. Fields a platform does
// not have are zero (macOS: only user, nice, system, idle).
struct CpuTimes {
    int cpu = -1;  // CPU number for a per-CPU entry; -1 for the sum over all CPUs
    TimeSpec user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice;
};

// Shares of the time between two CpuTimes samples, in percent (0..100).
// `busy` is everything but idle and iowait (an iowaiting CPU is idle and
// could run work). Each field is its share of the total; guest and
// guest_nice are shares too, but already inside user and nice.
struct CpuPercent {
    double busy = 0;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0, guest = 0,
           guest_nice = 0;
};

// Pure: no clock, no state. The total is user+nice+system+idle+iowait+irq+
// softirq+steal (guest is inside user). A field that went backwards (Linux
// iowait may: it is sampled per runqueue, and a per-CPU entry restarts when
// its CPU comes back online) counts as 0. When no tick passed between the
// samples every share is 0: there is nothing to divide.
CpuPercent cpu_percent(const CpuTimes& before, const CpuTimes& after);

// Physical memory in bytes, as procps-ng 4.0 `free -b` prints it. Linux:
// /proc/meminfo (proc(5)); `used` = total - available (procps 4.0 changed
// it from total - free - buffers - cache), `cached` = Cached + SReclaimable.
struct MemoryInfo {
    std::uint64_t total = 0;      // MemTotal
    std::uint64_t available = 0;  // MemAvailable (MemFree on kernels < 3.14, or when > total)
    std::uint64_t used = 0;       // total - available
    std::uint64_t free = 0;       // MemFree
    std::uint64_t buffers = 0;    // Buffers
    std::uint64_t cached = 0;     // Cached + SReclaimable
    std::uint64_t shared = 0;     // Shmem
    std::uint64_t slab = 0;       // Slab
    std::uint64_t active = 0;     // Active
    std::uint64_t inactive = 0;   // Inactive
};

// Swap space in bytes; sin/sout: bytes swapped in/out since boot (Linux:
// /proc/vmstat pswpin/pswpout pages times the page size, as psutil does).
struct SwapInfo {
    std::uint64_t total = 0, used = 0, free = 0;
    std::uint64_t sin = 0, sout = 0;
};

// One line of a pressure file (Documentation/accounting/psi.rst): the share
// of wall time (percent) in which some / all non-idle tasks were stalled on
// the resource, averaged over 10, 60 and 300 s, and the total stall time.
struct PressureLine {
    double avg10 = 0, avg60 = 0, avg300 = 0;
    TimeSpec total;  // the file's microseconds
};
struct PressureResource {
    PressureLine some;
    // cpu has a "full" line since Linux 5.13 (always zero system-wide).
    std::optional<PressureLine> full;
};
// Linux /proc/pressure/{cpu,memory,io}. A resource is empty when its file
// cannot be read; System::pressure fails (attr_not_available) when none can
// (a kernel without CONFIG_PSI or booted with psi=0 has no /proc/pressure).
struct Pressure {
    std::optional<PressureResource> cpu, memory, io;
};

// cpu.max of a cgroup v2: `quota` microseconds of CPU time per `period`.
struct CpuMax {
    std::uint64_t quota = 0, period = 100000;
    std::string cgroup;  // the cgroup whose file set it ("/a/b")
    // CPUs' worth of time, rounded up: what a thread pool may keep busy.
    int cpus() const;
};

// The cgroup v2 limits in force on the calling process (Linux). The kernel
// enforces every ancestor's limit too, so each limit is the tightest along
// the path from the process's cgroup up to the root.
struct CgroupLimits {
    std::string path;             // from /proc/self/cgroup "0::<path>"
    std::string mount;            // the cgroup2 hierarchy's directory read
    bool cpu_controller = false;  // "cpu" enabled in the hierarchy (cgroup.controllers)
    bool memory_controller = false;
    std::optional<CpuMax> cpu_max;              // empty: no CPU limit ("max" everywhere)
    std::optional<std::uint64_t> memory_max;    // bytes; empty: no limit
    std::optional<std::uint64_t> memory_current;  // bytes charged to our own cgroup
};

}  // namespace psi
