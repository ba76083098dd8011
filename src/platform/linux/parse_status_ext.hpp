// Pure parsers for the issue-12 extras of /proc/PID/status and /proc/PID/stat.
// No OS headers; unit tested and fuzzed on bytes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace psi::linux_proc {

// /proc/PID/status (proc(5); fs/proc/array.c task_state, task_mem,
// task_sig, task_cpus_allowed, task_context_switch_counts), a superset of
// StatusFields (parse.hpp): parse_status_ext reads everything
// parse_status reads and the rest in the same single pass, so the lead may
// switch the status group to it. Every member is nullopt when its line is
// absent (kernel threads have no Vm* or Rss* lines; older kernels lack
// RssAnon (4.5), NSpid (4.1), ShdPnd is old) or malformed.
struct StatusExt {
    // Uid:/Gid: real, effective, saved set, file system ids (in that order).
    std::optional<std::array<std::uint32_t, 4>> uid, gid;
    // Groups: the supplementary group ids; present and empty for none.
    // At most kMaxGroups (NGROUPS_MAX, 65536) are kept; more fails the line.
    std::optional<std::vector<std::uint32_t>> groups;
    // Memory sizes, bytes (the file says kB = 1024 bytes; the product
    // saturates at UINT64_MAX rather than wrap).
    std::optional<std::uint64_t> vm_peak, vm_size, vm_lck, vm_hwm, vm_rss, rss_anon, rss_file, rss_shmem, vm_data,
        vm_stk, vm_exe, vm_lib, vm_pte, vm_swap;
    // Signal sets, bit n-1 = signal n. SigPnd is pending for this thread,
    // ShdPnd for the whole thread group (what ps shows as PENDING),
    // SigBlk blocked (this thread), SigIgn ignored, SigCgt caught (with a
    // handler). The kernel prints _NSIG/4 hex digits: 16 on every
    // architecture but MIPS (128 signals, 32 digits); there, a set with a
    // signal above 64 fails its field (psi's ints hold 64 signals).
    std::optional<std::uint64_t> sig_pnd, shd_pnd, sig_blk, sig_ign, sig_cgt;
    // NSpid: the pid in each pid namespace from that of the proc mount
    // down to the process's own; ns_pid is the last (innermost: what
    // getpid() returns inside), ns_depth the count.
    std::optional<int> ns_pid;
    int ns_depth = 0;
    // Cpus_allowed_list as written ("0-3,8"), a view into the parsed text
    // (keep the text alive while using it); parse_cpu_list decodes it.
    std::optional<std::string_view> cpus_allowed_list;
    std::optional<std::uint64_t> voluntary_ctxt_switches, nonvoluntary_ctxt_switches;
};
inline constexpr std::size_t kMaxGroups = 65536;
StatusExt parse_status_ext(std::string_view text);

// A kernel cpulist ("0-3,8,10-11", bitmap_print_to_pagebuf with list=true;
// also the "a-b:s/g" stride form of cpuset(7) input is not produced by
// the kernel and is rejected) into ascending CPU numbers. An empty list is
// an empty vector. nullopt on anything malformed, on a range going down, or
// when more than kMaxCpuListEntries numbers would result (bounded work).
inline constexpr std::size_t kMaxCpuListEntries = 65536;
std::optional<std::vector<int>> parse_cpu_list(std::string_view text);

// /proc/PID/stat fields parse_stat (parse.hpp) skips, for issue 12: the
// page fault counts 10-13, the waited-for children's times 16-17 (clock
// ticks) and startcode/endcode 26-27 (ps's trs and drs columns; the kernel
// prints 1 for both when the reader may not ptrace the process, 0 for a
// kernel thread). `fields` counts the fields read, as in StatFields; a
// member past it, or malformed (not a decimal fitting 64 bits), is nullopt.
struct StatExtra {
    int fields = 0;
    std::optional<std::uint64_t> minflt, cminflt, majflt, cmajflt, cutime, cstime, startcode, endcode;
};
// nullopt when the line has no "pid (comm) state" head.
std::optional<StatExtra> parse_stat_extra(std::string_view text);

}  // namespace psi::linux_proc
