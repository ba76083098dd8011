// /proc/PID/smaps_rollup; see parse_smaps.hpp.
#include "platform/linux/parse_smaps.hpp"

#include "platform/linux/parse_depth_util.hpp"

namespace psi::linux_proc {

// Qualified, not a using-directive: the unity build (cmake/PsiFastBuild.cmake)
// puts parse.cpp, whose helpers share these names, in the same TU.
namespace dd = depth_detail;

namespace {

std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) {
    std::uint64_t r = 0;
    return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<std::uint64_t>::max() : r;
}

}  // namespace

SmapsRollup parse_smaps_rollup(std::string_view text) {
    SmapsRollup s;
    struct Key {
        std::string_view name;
        std::optional<std::uint64_t> SmapsRollup::*field;
    };
    // show_smap_vma_flags-less rollup, __show_smap (fs/proc/task_mmu.c) order.
    static constexpr Key keys[] = {
        {"Rss", &SmapsRollup::rss},
        {"Pss", &SmapsRollup::pss},
        {"Pss_Dirty", &SmapsRollup::pss_dirty},
        {"Pss_Anon", &SmapsRollup::pss_anon},
        {"Pss_File", &SmapsRollup::pss_file},
        {"Pss_Shmem", &SmapsRollup::pss_shmem},
        {"Shared_Clean", &SmapsRollup::shared_clean},
        {"Shared_Dirty", &SmapsRollup::shared_dirty},
        {"Private_Clean", &SmapsRollup::private_clean},
        {"Private_Dirty", &SmapsRollup::private_dirty},
        {"Referenced", &SmapsRollup::referenced},
        {"Anonymous", &SmapsRollup::anonymous},
        {"LazyFree", &SmapsRollup::lazy_free},
        {"AnonHugePages", &SmapsRollup::anon_huge_pages},
        {"Shared_Hugetlb", &SmapsRollup::shared_hugetlb},
        {"Private_Hugetlb", &SmapsRollup::private_hugetlb},
        {"Swap", &SmapsRollup::swap},
        {"SwapPss", &SmapsRollup::swap_pss},
        {"Locked", &SmapsRollup::locked},
    };
    std::string_view line, key, rest;
    while (dd::next_line(text, line)) {
        // The header line ("55d2bb884000-7ffc97e51000 ---p 00000000 00:00 0
        // [rollup]") has no ':' before its first blank; a key has no blank.
        if (!dd::split_key(line, key, rest) || key.empty() || key.find(' ') != std::string_view::npos) continue;
        for (const auto& k : keys) {
            if (key != k.name) continue;
            if (!(s.*k.field)) {
                s.*k.field = dd::kb_value(rest);
                s.any = s.any || (s.*k.field).has_value();
            }
            break;
        }
    }
    return s;
}

std::optional<std::uint64_t> SmapsRollup::uss_procps() const {
    if (!private_clean || !private_dirty) return std::nullopt;
    return add_sat(*private_clean, *private_dirty);
}

std::optional<std::uint64_t> SmapsRollup::uss() const {
    auto u = uss_procps();
    if (!u) return std::nullopt;
    return add_sat(*u, private_hugetlb.value_or(0));
}

}  // namespace psi::linux_proc
