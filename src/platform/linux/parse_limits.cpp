// /proc/PID/limits; see parse_limits.hpp.
#include "platform/linux/parse_limits.hpp"

#include "platform/linux/parse_depth_util.hpp"

namespace psi::linux_proc {

// Qualified, not a using-directive: the unity build (cmake/PsiFastBuild.cmake)
// puts parse.cpp, whose helpers share these names, in the same TU.
namespace dd = depth_detail;

namespace {

// Row titles of fs/proc/base.c lnames[], indexed like kRlimitNames.
constexpr std::array<std::string_view, kNumRlimits> kTitles = {
    "Max cpu time",        "Max file size",       "Max data size",        "Max stack size",
    "Max core file size",  "Max resident set",    "Max processes",        "Max open files",
    "Max locked memory",   "Max address space",   "Max file locks",       "Max pending signals",
    "Max msgqueue size",   "Max nice priority",   "Max realtime priority", "Max realtime timeout"};

std::optional<std::uint64_t> limit_value(std::string_view w) {
    if (w == "unlimited") return kRlimInfinity;
    return dd::to_unsigned(w);
}

}  // namespace

std::array<std::optional<Rlimit>, kNumRlimits> parse_limits(std::string_view text) {
    std::array<std::optional<Rlimit>, kNumRlimits> out{};
    std::string_view line;
    // proc_pid_limits prints "%-25s %-20s %-20s %-10s\n" (title, soft, hard,
    // units; units blank for nice and rtprio) after a header row. Titles
    // contain blanks, so a row is matched by title followed by a blank; the
    // longest title ("Max realtime priority") is 21 bytes, so the padding
    // always leaves one. Titles that are prefixes of others ("Max file
    // size" / "Max file locks") differ before the blank.
    // The kernel prints the rows in kTitles order: the row after the last
    // one matched is tried first, so a normal file costs one comparison a row.
    std::size_t hint = 0;
    while (dd::next_line(text, line)) {
        for (std::size_t n = 0; n < kNumRlimits; ++n) {
            std::size_t i = (hint + n) % kNumRlimits;
            std::string_view t = kTitles[i];
            if (line.size() <= t.size() || line.substr(0, t.size()) != t || !dd::is_blank(line[t.size()])) continue;
            hint = i + 1;
            if (out[i]) break;  // a repeated row keeps the first
            std::string_view rest = line.substr(t.size());
            auto soft = limit_value(dd::next_word(rest));
            auto hard = limit_value(dd::next_word(rest));
            if (soft && hard) out[i] = Rlimit{*soft, *hard};
            break;
        }
    }
    return out;
}

}  // namespace psi::linux_proc
