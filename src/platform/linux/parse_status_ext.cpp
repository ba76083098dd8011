// /proc/PID/status extras and /proc/PID/stat fields 10-13, 16-17, 26-27;
// see parse_status_ext.hpp.
#include "platform/linux/parse_status_ext.hpp"

#include "platform/linux/parse_depth_util.hpp"

namespace psi::linux_proc {

// Qualified, not a using-directive: the unity build (cmake/PsiFastBuild.cmake)
// puts parse.cpp, whose helpers share these names, in the same TU.
namespace dd = depth_detail;

namespace {

// Four decimal ids, as task_state prints Uid:/Gid: ("%u\t%u\t%u\t%u").
std::optional<std::array<std::uint32_t, 4>> four_ids(std::string_view rest) {
    std::array<std::uint32_t, 4> ids{};
    for (auto& id : ids) {
        auto v = dd::to_unsigned<std::uint32_t>(dd::next_word(rest));
        if (!v) return std::nullopt;
        id = *v;
    }
    if (!dd::next_word(rest).empty()) return std::nullopt;
    return ids;
}

std::optional<std::vector<std::uint32_t>> group_list(std::string_view rest) {
    // task_state prints each group followed by one space: "4 24 27 " or
    // just " " for none.
    std::vector<std::uint32_t> out;
    for (std::string_view w = dd::next_word(rest); !w.empty(); w = dd::next_word(rest)) {
        auto v = dd::to_unsigned<std::uint32_t>(w);
        if (!v || out.size() >= kMaxGroups) return std::nullopt;
        out.push_back(*v);
    }
    return out;
}

// A render_sigset_t mask: hex digits, most significant first.
std::optional<std::uint64_t> sig_mask(std::string_view rest) {
    std::string_view w = dd::trim(rest);
    if (w.empty()) return std::nullopt;
    // Digits beyond 16 (MIPS) must be zeros to fit.
    while (w.size() > 16) {
        if (w.front() != '0') return std::nullopt;
        w.remove_prefix(1);
    }
    return dd::to_unsigned(w, 16);
}

// NSpid: "\t1234\t1" -> innermost 1, depth 2.
void ns_pids(std::string_view rest, StatusExt& st) {
    int depth = 0;
    std::optional<std::uint64_t> last;
    for (std::string_view w = dd::next_word(rest); !w.empty(); w = dd::next_word(rest)) {
        last = dd::to_unsigned(w);
        if (!last || *last > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) return;
        ++depth;  // bounded by the line's length
    }
    if (!last) return;
    st.ns_pid = static_cast<int>(*last);
    st.ns_depth = depth;
}

}  // namespace

StatusExt parse_status_ext(std::string_view text) {
    StatusExt st;
    struct KbKey {
        std::string_view name;
        std::optional<std::uint64_t> StatusExt::*field;
    };
    // task_mem (fs/proc/task_mmu.c) order.
    static constexpr KbKey kb_keys[] = {
        {"VmPeak", &StatusExt::vm_peak},     {"VmSize", &StatusExt::vm_size},     {"VmLck", &StatusExt::vm_lck},
        {"VmHWM", &StatusExt::vm_hwm},       {"VmRSS", &StatusExt::vm_rss},       {"RssAnon", &StatusExt::rss_anon},
        {"RssFile", &StatusExt::rss_file},   {"RssShmem", &StatusExt::rss_shmem}, {"VmData", &StatusExt::vm_data},
        {"VmStk", &StatusExt::vm_stk},       {"VmExe", &StatusExt::vm_exe},       {"VmLib", &StatusExt::vm_lib},
        {"VmPTE", &StatusExt::vm_pte},       {"VmSwap", &StatusExt::vm_swap},
    };
    static constexpr KbKey count_keys[] = {
        {"voluntary_ctxt_switches", &StatusExt::voluntary_ctxt_switches},
        {"nonvoluntary_ctxt_switches", &StatusExt::nonvoluntary_ctxt_switches},
    };
    struct SigKey {
        std::string_view name;
        std::optional<std::uint64_t> StatusExt::*field;
    };
    static constexpr SigKey sig_keys[] = {
        {"SigPnd", &StatusExt::sig_pnd}, {"ShdPnd", &StatusExt::shd_pnd}, {"SigBlk", &StatusExt::sig_blk},
        {"SigIgn", &StatusExt::sig_ign}, {"SigCgt", &StatusExt::sig_cgt},
    };
    // One pass; a key is a line's text before its first ':'. Only the
    // first occurrence of a key counts: the kernel prints each once, and a
    // command name (Name:, escaped by the kernel) cannot start a line.
    std::string_view line, key, rest;
    while (dd::next_line(text, line)) {
        if (!dd::split_key(line, key, rest) || key.size() < 3) continue;
        switch (key[0]) {
            case 'U':
                if (key == "Uid" && !st.uid) st.uid = four_ids(rest);
                continue;
            case 'G':
                if (key == "Gid" && !st.gid) st.gid = four_ids(rest);
                else if (key == "Groups" && !st.groups) st.groups = group_list(rest);
                continue;
            case 'N':
                if (key == "NSpid" && !st.ns_pid) ns_pids(rest, st);
                continue;
            case 'S':
            case 'C':
                if (key == "Cpus_allowed_list") {
                    if (!st.cpus_allowed_list) st.cpus_allowed_list = dd::trim(rest);
                    continue;
                }
                for (const auto& k : sig_keys)
                    if (key == k.name) {
                        if (!(st.*k.field)) st.*k.field = sig_mask(rest);
                        break;
                    }
                continue;
            case 'V':
            case 'R':
                for (const auto& k : kb_keys)
                    if (key == k.name) {
                        if (!(st.*k.field)) st.*k.field = dd::kb_value(rest);
                        break;
                    }
                continue;
            case 'v':
            case 'n':
                for (const auto& k : count_keys)
                    if (key == k.name) {
                        if (!(st.*k.field)) st.*k.field = dd::to_unsigned(dd::trim(rest));
                        break;
                    }
                continue;
            default: continue;
        }
    }
    return st;
}

std::optional<std::vector<int>> parse_cpu_list(std::string_view text) {
    std::vector<int> out;
    text = dd::trim(text);
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    if (text.empty()) return out;
    constexpr std::uint64_t kMaxCpu = std::numeric_limits<int>::max();
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        std::size_t dash = item.find('-');
        auto lo = dd::to_unsigned(item.substr(0, dash));
        auto hi = dash == std::string_view::npos ? lo : dd::to_unsigned(item.substr(dash + 1));
        if (!lo || !hi || *lo > *hi || *hi > kMaxCpu) return std::nullopt;
        // The kernel prints ascending, disjoint ranges; anything else is
        // damaged.
        if (!out.empty() && *lo <= static_cast<std::uint64_t>(out.back())) return std::nullopt;
        if (*hi - *lo >= kMaxCpuListEntries - out.size()) return std::nullopt;
        for (std::uint64_t c = *lo; c <= *hi; ++c) out.push_back(static_cast<int>(c));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

std::optional<StatExtra> parse_stat_extra(std::string_view text) {
    // The head as parse_stat reads it: comm runs to the LAST ')'.
    std::size_t open = text.find('(');
    std::size_t close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
    if (!dd::to_unsigned(dd::trim(text.substr(0, open)))) return std::nullopt;
    std::string_view rest = text.substr(close + 1);
    while (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
    std::string_view state = dd::next_word(rest);
    if (state.size() != 1) return std::nullopt;
    StatExtra ex;
    ex.fields = 3;
    // Fields 4..27; the members are fields 10-13, 16, 17, 26, 27.
    for (int n = 4; n <= 27; ++n) {
        std::string_view w = dd::next_word(rest);
        if (w.empty()) break;
        ex.fields = n;
        std::optional<std::uint64_t>* slot = nullptr;
        switch (n) {
            case 10: slot = &ex.minflt; break;
            case 11: slot = &ex.cminflt; break;
            case 12: slot = &ex.majflt; break;
            case 13: slot = &ex.cmajflt; break;
            // cutime/cstime are signed (long) in the kernel but never
            // negative; a '-' fails the field.
            case 16: slot = &ex.cutime; break;
            case 17: slot = &ex.cstime; break;
            case 26: slot = &ex.startcode; break;
            case 27: slot = &ex.endcode; break;
            default: break;
        }
        if (slot) *slot = dd::to_unsigned(w);
    }
    return ex;
}

}  // namespace psi::linux_proc
