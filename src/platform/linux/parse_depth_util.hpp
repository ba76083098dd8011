// Small helpers shared by the issue-12 parsers (parse_io, parse_status_ext,
// parse_smaps, parse_cgroup, parse_limits): line and word cursors and
// number decoders over a std::string_view. No OS headers, no allocation, no
// exceptions, no locale (strtoull and sscanf need NUL-terminated input and
// consult the locale; from_chars does neither).
#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace psi::linux_proc::depth_detail {

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits off the next line (without its '\n'); false at the end. The last
// line may lack its newline (a read cut short).
inline bool next_line(std::string_view& text, std::string_view& line) {
    if (text.empty()) return false;
    std::size_t nl = text.find('\n');
    line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    return true;
}

// The next blank-separated word of `s`, advancing it; empty at the end.
inline std::string_view next_word(std::string_view& s) {
    std::size_t i = 0;
    while (i < s.size() && is_blank(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_blank(s[j])) ++j;
    std::string_view w = s.substr(i, j - i);
    s = s.substr(j);
    return w;
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

// A whole word as an unsigned number in `base`; nullopt on anything else,
// including overflow (a field that does not fit is dropped, never wrapped).
template <class T = std::uint64_t>
std::optional<T> to_unsigned(std::string_view w, int base = 10) {
    T v = 0;
    if (w.empty() || w[0] == '-' || w[0] == '+') return std::nullopt;
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), v, base);
    if (ec != std::errc() || p != w.data() + w.size()) return std::nullopt;
    return v;
}

inline std::optional<std::int64_t> to_signed(std::string_view w) {
    std::int64_t v = 0;
    if (w.empty() || w[0] == '+') return std::nullopt;
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    if (ec != std::errc() || p != w.data() + w.size()) return std::nullopt;
    return v;
}

// kB -> bytes, saturating: a damaged file must not wrap a size to a small one.
inline std::uint64_t kib_to_bytes(std::uint64_t kb) {
    std::uint64_t r = 0;
    return __builtin_mul_overflow(kb, std::uint64_t{1024}, &r) ? std::numeric_limits<std::uint64_t>::max() : r;
}

// "Key:<blanks>N kB" after the key: the number, with or without the unit
// (smaps_rollup and status both print " kB"; anything else after it fails).
inline std::optional<std::uint64_t> kb_value(std::string_view rest) {
    std::string_view n = next_word(rest);
    std::string_view unit = next_word(rest);
    if (!unit.empty() && unit != "kB") return std::nullopt;
    if (!next_word(rest).empty()) return std::nullopt;
    auto v = to_unsigned(n);
    if (!v) return std::nullopt;
    return kib_to_bytes(*v);
}

// Splits "Key:<rest>" at the first ':'; false when the line has none.
inline bool split_key(std::string_view line, std::string_view& key, std::string_view& rest) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    key = line.substr(0, colon);
    rest = line.substr(colon + 1);
    return true;
}

}  // namespace psi::linux_proc::depth_detail
