// Pure decoders of the Linux files behind the system figures
// (psi/sysinfo.hpp): /proc/stat, /proc/meminfo, /proc/vmstat,
// /proc/pressure/*, /proc/self/cgroup and the cgroup v2 interface files.
// No OS headers, no I/O: text in, values out, so they are unit-tested on
// fixed strings and fuzzed (tests/fuzz/fuzz_linux_sys.cpp). Malformed
// input gives nullopt (or skips the line), never undefined behaviour.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psi/sysinfo.hpp"

namespace psi::linux_sys {

// One "cpu" or "cpuN" line of /proc/stat: the ten tick counters in
// proc(5)'s order (user nice system idle iowait irq softirq steal guest
// guest_nice). Older kernels print fewer (steal since 2.6.11, guest since
// 2.6.24, guest_nice since 2.6.33): the missing ones are 0.
struct CpuTicks {
    int cpu = -1;  // -1: the "cpu" summary line
    std::array<std::uint64_t, 10> ticks{};
};
// The summary line (percpu false) or every cpuN line (percpu true), in file
// order. Empty when there is none to decode.
std::vector<CpuTicks> parse_stat_cpus(std::string_view text, bool percpu);
// Ticks of USER_HZ (sysconf(_SC_CLK_TCK)) to TimeSpecs.
CpuTimes cpu_times_from_ticks(const CpuTicks& t, std::uint64_t hz);

// The /proc/meminfo lines psi uses, in bytes (the file's "kB" is KiB).
struct Meminfo {
    std::optional<std::uint64_t> mem_total, mem_free, mem_available, buffers, cached, shmem, sreclaimable, slab,
        active, inactive, swap_total, swap_free;
};
Meminfo parse_meminfo(std::string_view text);
// procps-ng 4.0's derivation (library/meminfo.c); nullopt without MemTotal
// or MemFree.
std::optional<MemoryInfo> memory_from_meminfo(const Meminfo& m);
// SwapTotal/SwapFree; sin/sout left 0. nullopt without both lines.
std::optional<SwapInfo> swap_from_meminfo(const Meminfo& m);

// pswpin and pswpout of /proc/vmstat (pages since boot).
struct SwapPages {
    std::optional<std::uint64_t> in, out;
};
SwapPages parse_vmstat_swap(std::string_view text);

// A /proc/pressure/<resource> file (or a cgroup's <resource>.pressure):
// "some avg10=.. avg60=.. avg300=.. total=<us>" and optionally "full ...".
// nullopt without a valid "some" line.
std::optional<PressureResource> parse_pressure(std::string_view text);

// The cgroup v2 path in /proc/PID/cgroup: the "0::<path>" line (cgroups(7)).
// nullopt when the process has none (a cgroup v1-only system).
std::optional<std::string> parse_cgroup_v2_path(std::string_view text);

// cpu.max: "max PERIOD" (no limit: nullopt quota) or "QUOTA PERIOD".
struct CpuMaxLine {
    std::optional<std::uint64_t> quota;
    std::uint64_t period = 0;
};
std::optional<CpuMaxLine> parse_cpu_max(std::string_view text);
// memory.max, memory.current: a number of bytes or "max". nullopt when
// malformed; *no_limit set for "max".
std::optional<std::uint64_t> parse_cgroup_bytes(std::string_view text, bool* no_limit);
// Whether the space-separated word list (cgroup.controllers) holds `word`.
bool has_word(std::string_view list, std::string_view word);
// The directory of the first cgroup2 mount in a mounts file (proc(5)
// /proc/PID/mounts: "dev dir fstype opts 0 0", octal escapes in dir).
std::optional<std::string> find_cgroup2_mount(std::string_view mounts);
// Ancestors of a cgroup path, itself first: "/a/b" -> {"/a/b", "/a", "/"}.
// nullopt for a path that is not absolute or climbs with "..": a process in
// a cgroup outside our cgroup namespace shows "/../x", which names no
// directory under the mount.
std::optional<std::vector<std::string>> cgroup_ancestors(std::string_view path);

}  // namespace psi::linux_sys
