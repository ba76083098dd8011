// Pure parser for /proc/PID/smaps_rollup (issue 12: uss, pss, swap_pss).
// No OS headers; unit tested and fuzzed on bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace psi::linux_proc {

// /proc/PID/smaps_rollup (Linux 4.14; Documentation/filesystems/proc.rst,
// "smaps_rollup"): one header line (the span of all mappings and
// "[rollup]"), then the sums of the smaps fields over every mapping, "Key:
// N kB". Values are in bytes here (saturating at UINT64_MAX). A member is
// nullopt when its line is absent or malformed: Pss_Anon/Pss_File/
// Pss_Shmem appeared in 5.7, Pss_Dirty in 6.0; a process without an mm
// (kernel thread, zombie) gives an empty file. The file is read under a
// ptrace-read check.
struct SmapsRollup {
    std::optional<std::uint64_t> rss, pss, pss_dirty, pss_anon, pss_file, pss_shmem, shared_clean, shared_dirty,
        private_clean, private_dirty, referenced, anonymous, lazy_free, anon_huge_pages, shared_hugetlb,
        private_hugetlb, swap, swap_pss, locked;
    bool any = false;  // at least one field decoded

    // USS, the memory unique to the process: Private_Clean + Private_Dirty
    // + Private_Hugetlb, as psutil's memory_full_info() computes it. procps
    // ps's USS column is Private_Clean + Private_Dirty only, in KiB
    // (library/pids.c SMAP_PRV_TOTAL). nullopt when either private line is
    // missing; a missing Private_Hugetlb counts 0.
    std::optional<std::uint64_t> uss() const;
    std::optional<std::uint64_t> uss_procps() const;
};
SmapsRollup parse_smaps_rollup(std::string_view text);

}  // namespace psi::linux_proc
