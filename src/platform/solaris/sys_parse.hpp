// Pure decoders of the Solaris/illumos system figures (psi/sysinfo.hpp): the
// values libkstat hands over (a kstat's named values, by name) and the
// counts sysconf(3C) and swapctl(2) give, turned into psi's structures. No
// OS headers: unit tested on Linux (tests/solaris/test_solaris_sys.cpp);
// sys_figures.cpp makes the calls, on Solaris only. Never run on Solaris.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "psi/sysinfo.hpp"

namespace psi::solaris_sys {

// A named kstat's numeric values (KSTAT_DATA_INT32 ... UINT64), by name.
using KstatValues = std::map<std::string, std::uint64_t, std::less<>>;

// One CPU's "cpu:N:sys" kstat (illumos cpu_kstat_intr / cpu_sys_stats_ks):
// cpu_ticks_user, cpu_ticks_kernel, cpu_ticks_idle, cpu_ticks_wait are clock
// ticks (hz a second, sysconf _SC_CLK_TCK), the counters mpstat(1), vmstat(1)
// and cpu_stat's cpu_sysinfo.cpu[] show. user → user, kernel → system,
// idle → idle, wait → iowait (0 since Solaris 10, which stopped counting
// it). Solaris keeps no nice, irq, softirq, steal or guest time apart: those
// stay 0 (niced time is in user, interrupt time in kernel). nullopt when one
// of the four counters is missing, or hz is not positive.
std::optional<CpuTimes> cpu_times_from_sys(const KstatValues& sys, int cpu, long hz);

// The sum of per-CPU entries (cpu -1), field by field, saturating.
CpuTimes sum_cpu_times(const std::vector<CpuTimes>& cpus);

// Physical memory from sysconf(3C): _SC_PHYS_PAGES (total) and
// _SC_AVPHYS_PAGES (the kernel's freemem, what vmstat's "free" shows), in
// pages of `page_size` bytes. total, free, available (= free: Solaris has no
// estimate of reclaimable memory; the ZFS ARC gives memory back under
// pressure but is not free) and used (total - free). buffers, cached,
// shared, slab, active, inactive: 0, Solaris keeps no such page lists.
MemoryInfo memory_from_pages(std::uint64_t phys_pages, std::uint64_t free_pages, std::uint64_t page_size);

// One swap device or file of swapctl(2) SC_LIST (swap -l): ste_pages and
// ste_free, in pages of `page_size` bytes.
struct SwapDevice {
    std::uint64_t pages = 0, free_pages = 0;
};
// total and free: sums over the devices (swap -l; not swap -s, whose
// "available" counts memory that can back anonymous pages too); used =
// total - free. sin/sout: pages swapped in / out (cpu:N:vm pgswapin,
// pgswapout summed over CPUs) times page_size.
SwapInfo swap_from(const std::vector<SwapDevice>& devices, std::uint64_t page_size, std::uint64_t pgswapin,
                   std::uint64_t pgswapout);

}  // namespace psi::solaris_sys
