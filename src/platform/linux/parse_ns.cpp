// /proc/PID/ns/* link targets; see parse_ns.hpp.
#include "platform/linux/parse_ns.hpp"

namespace psi::linux_proc {

std::optional<std::uint64_t> parse_ns_link(std::string_view link, std::string_view type) noexcept {
    // "TYPE:[" + digits + "]"
    if (type.empty() || link.size() < type.size() + 4) return std::nullopt;
    if (link.substr(0, type.size()) != type) return std::nullopt;
    std::string_view rest = link.substr(type.size());
    if (rest.substr(0, 2) != ":[" || rest.back() != ']') return std::nullopt;
    std::string_view digits = rest.substr(2, rest.size() - 3);
    if (digits.empty() || digits.size() > 20) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) return std::nullopt;  // 2^64 and above
        v = v * 10 + d;
    }
    return v;
}

std::string_view ns_link_type(std::string_view name) noexcept {
    constexpr std::string_view suffix = "_for_children";
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
        return name.substr(0, name.size() - suffix.size());
    return name;
}

}  // namespace psi::linux_proc
