// Decoders of the Linux system-figure files; see sys_parse.hpp.
#include "platform/linux/sys_parse.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace psi::linux_sys {

namespace {

// Splits off the next line (without its '\n').
bool next_line(std::string_view& text, std::string_view& line) {
    if (text.empty()) return false;
    std::size_t nl = text.find('\n');
    line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    return true;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

// The next whitespace-separated word of `s`, advancing it; empty at the end.
std::string_view next_word(std::string_view& s) {
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    std::string_view w = s.substr(i, j - i);
    s = s.substr(j);
    return w;
}

// A whole word as an unsigned decimal.
std::optional<std::uint64_t> to_u64(std::string_view w) {
    std::uint64_t v = 0;
    if (w.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    if (ec != std::errc() || p != w.data() + w.size()) return std::nullopt;
    return v;
}

std::optional<double> to_double(std::string_view w) {
    double v = 0;
    if (w.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), v, std::chars_format::fixed);
    if (ec != std::errc() || p != w.data() + w.size() || !std::isfinite(v) || v < 0) return std::nullopt;
    return v;
}

// Multiplies, saturating: a damaged file must not wrap a size to a small one.
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) {
    std::uint64_t r = 0;
    return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<std::uint64_t>::max() : r;
}

}  // namespace

std::vector<CpuTicks> parse_stat_cpus(std::string_view text, bool percpu) {
    std::vector<CpuTicks> out;
    std::string_view line;
    while (next_line(text, line)) {
        std::string_view rest = line;
        std::string_view key = next_word(rest);
        if (key.size() < 3 || key.substr(0, 3) != "cpu") continue;
        CpuTicks t;
        if (key.size() == 3) {
            if (percpu) continue;
        } else {
            if (!percpu) continue;
            auto n = to_u64(key.substr(3));
            if (!n || *n > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) continue;
            t.cpu = static_cast<int>(*n);
        }
        // show_stat() prints at least user..softirq (7 fields) on every
        // kernel we could meet; fewer is a damaged line.
        std::size_t got = 0;
        bool bad = false;
        for (std::string_view w = next_word(rest); !w.empty() && got < t.ticks.size(); w = next_word(rest)) {
            auto v = to_u64(w);
            if (!v) { bad = true; break; }
            t.ticks[got++] = *v;
        }
        if (bad || got < 4) continue;
        out.push_back(t);
        if (!percpu) break;
    }
    return out;
}

CpuTimes cpu_times_from_ticks(const CpuTicks& t, std::uint64_t hz) {
    if (hz == 0) hz = 100;
    auto ts = [&](std::size_t i) { return TimeSpec::from_ticks(t.ticks[i], hz); };
    CpuTimes c;
    c.cpu = t.cpu;
    c.user = ts(0);
    c.nice = ts(1);
    c.system = ts(2);
    c.idle = ts(3);
    c.iowait = ts(4);
    c.irq = ts(5);
    c.softirq = ts(6);
    c.steal = ts(7);
    c.guest = ts(8);
    c.guest_nice = ts(9);
    return c;
}

Meminfo parse_meminfo(std::string_view text) {
    Meminfo m;
    struct Key {
        std::string_view name;
        std::optional<std::uint64_t> Meminfo::*field;
    };
    static constexpr Key keys[] = {
        {"MemTotal:", &Meminfo::mem_total},   {"MemFree:", &Meminfo::mem_free},
        {"MemAvailable:", &Meminfo::mem_available}, {"Buffers:", &Meminfo::buffers},
        {"Cached:", &Meminfo::cached},        {"Shmem:", &Meminfo::shmem},
        {"SReclaimable:", &Meminfo::sreclaimable},  {"Slab:", &Meminfo::slab},
        {"Active:", &Meminfo::active},        {"Inactive:", &Meminfo::inactive},
        {"SwapTotal:", &Meminfo::swap_total}, {"SwapFree:", &Meminfo::swap_free},
    };
    std::string_view line;
    while (next_line(text, line)) {
        std::string_view rest = line;
        std::string_view name = next_word(rest);
        for (const Key& k : keys) {
            if (name != k.name) continue;
            auto v = to_u64(next_word(rest));
            std::string_view unit = next_word(rest);
            // Every line psi reads is "kB" (KiB, fs/proc/meminfo.c show_val_kb);
            // a line without a unit would be pages or a count: not ours.
            if (v && unit == "kB" && !(m.*k.field)) m.*k.field = mul_sat(*v, 1024);
            break;
        }
    }
    return m;
}

std::optional<MemoryInfo> memory_from_meminfo(const Meminfo& m) {
    if (!m.mem_total || !m.mem_free) return std::nullopt;
    MemoryInfo r;
    r.total = *m.mem_total;
    r.free = *m.mem_free;
    // procps-ng 4.0: MemFree stands in for MemAvailable when the kernel has
    // none (< 3.14) and when it exceeds MemTotal (a container's distorted
    // view, e.g. lxcfs); used = total - available, or total - free if that
    // would be negative.
    std::uint64_t avail = m.mem_available.value_or(0);
    if (avail == 0 || avail > r.total) avail = r.free;
    // Only a damaged file has MemFree > MemTotal; available stays within total.
    r.available = std::min(avail, r.total);
    r.used = r.total - r.available;
    r.buffers = m.buffers.value_or(0);
    std::uint64_t cached = m.cached.value_or(0), srec = m.sreclaimable.value_or(0);
    r.cached = cached + srec < cached ? std::numeric_limits<std::uint64_t>::max() : cached + srec;
    r.shared = m.shmem.value_or(0);
    r.slab = m.slab.value_or(0);
    r.active = m.active.value_or(0);
    r.inactive = m.inactive.value_or(0);
    return r;
}

std::optional<SwapInfo> swap_from_meminfo(const Meminfo& m) {
    if (!m.swap_total || !m.swap_free) return std::nullopt;
    SwapInfo s;
    s.total = *m.swap_total;
    s.free = *m.swap_free;
    s.used = s.total >= s.free ? s.total - s.free : 0;
    return s;
}

SwapPages parse_vmstat_swap(std::string_view text) {
    SwapPages p;
    std::string_view line;
    while (next_line(text, line)) {
        std::string_view rest = line;
        std::string_view name = next_word(rest);
        if (name == "pswpin") p.in = to_u64(next_word(rest));
        else if (name == "pswpout") p.out = to_u64(next_word(rest));
    }
    return p;
}

namespace {

// "avg10=0.00 avg60=0.00 avg300=0.00 total=0" (kernel/sched/psi.c psi_show).
std::optional<PressureLine> pressure_fields(std::string_view rest) {
    PressureLine l;
    int seen = 0;
    for (std::string_view w = next_word(rest); !w.empty(); w = next_word(rest)) {
        std::size_t eq = w.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        std::string_view k = w.substr(0, eq), v = w.substr(eq + 1);
        if (k == "total") {
            auto us = to_u64(v);
            if (!us) return std::nullopt;
            l.total = TimeSpec(static_cast<std::int64_t>(*us / 1000000),
                               static_cast<std::int64_t>(*us % 1000000) * 1000);
            seen |= 8;
            continue;
        }
        auto d = to_double(v);
        if (!d) return std::nullopt;
        if (k == "avg10") { l.avg10 = *d; seen |= 1; }
        else if (k == "avg60") { l.avg60 = *d; seen |= 2; }
        else if (k == "avg300") { l.avg300 = *d; seen |= 4; }
    }
    if (seen != 15) return std::nullopt;
    return l;
}

}  // namespace

std::optional<PressureResource> parse_pressure(std::string_view text) {
    std::optional<PressureLine> some, full;
    std::string_view line;
    while (next_line(text, line)) {
        std::string_view rest = line;
        std::string_view kind = next_word(rest);
        if (kind == "some" && !some) some = pressure_fields(rest);
        else if (kind == "full" && !full) full = pressure_fields(rest);
    }
    if (!some) return std::nullopt;
    return PressureResource{*some, full};
}

std::optional<std::string> parse_cgroup_v2_path(std::string_view text) {
    std::string_view line;
    while (next_line(text, line)) {
        // "hierarchy-ID:controller-list:cgroup-path"; v2 is "0::path".
        // The path may itself hold ':' (it is a file name), so only the
        // first two colons separate.
        if (line.size() >= 3 && line.substr(0, 3) == "0::") return std::string(line.substr(3));
    }
    return std::nullopt;
}

std::optional<CpuMaxLine> parse_cpu_max(std::string_view text) {
    // cpu_max_show prints "%s %llu\n": one line, two words.
    while (!text.empty() && (text.back() == '\n' || is_space(text.back()))) text.remove_suffix(1);
    if (text.find('\n') != std::string_view::npos) return std::nullopt;
    std::string_view rest = text;
    std::string_view q = next_word(rest), p = next_word(rest);
    if (!next_word(rest).empty()) return std::nullopt;
    CpuMaxLine r;
    auto period = to_u64(p);
    if (!period || *period == 0) return std::nullopt;
    r.period = *period;
    if (q != "max") {
        r.quota = to_u64(q);
        if (!r.quota) return std::nullopt;
    }
    return r;
}

std::optional<std::uint64_t> parse_cgroup_bytes(std::string_view text, bool* no_limit) {
    if (no_limit) *no_limit = false;
    while (!text.empty() && (text.back() == '\n' || is_space(text.back()))) text.remove_suffix(1);
    if (text == "max") {
        if (no_limit) *no_limit = true;
        return std::numeric_limits<std::uint64_t>::max();
    }
    return to_u64(text);
}

bool has_word(std::string_view list, std::string_view word) {
    std::string_view line;
    while (next_line(list, line)) {
        for (std::string_view w = next_word(line); !w.empty(); w = next_word(line))
            if (w == word) return true;
    }
    return false;
}

namespace {

// Undoes the kernel's octal escapes of " \t\n\\" in a mounts field
// (fs/proc_namespace.c mangle via seq_escape).
std::string unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size()) {
            int v = 0;
            bool ok = true;
            for (std::size_t k = 1; k <= 3; ++k) {
                char c = s[i + k];
                if (c < '0' || c > '7') { ok = false; break; }
                v = v * 8 + (c - '0');
            }
            if (ok && v < 256) {
                out.push_back(static_cast<char>(v));
                i += 3;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

}  // namespace

std::optional<std::string> find_cgroup2_mount(std::string_view mounts) {
    std::string_view line;
    while (next_line(mounts, line)) {
        std::string_view rest = line;
        next_word(rest);
        std::string_view dir = next_word(rest), fstype = next_word(rest);
        if (fstype == "cgroup2" && !dir.empty()) return unescape(dir);
    }
    return std::nullopt;
}

std::optional<std::vector<std::string>> cgroup_ancestors(std::string_view path) {
    if (path.empty() || path.front() != '/') return std::nullopt;
    std::vector<std::string> parts;
    std::string_view rest = path;
    while (!rest.empty()) {
        std::size_t slash = rest.find('/');
        std::string_view part = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (part.empty() || part == ".") continue;
        if (part == "..") return std::nullopt;
        parts.emplace_back(part);
    }
    std::vector<std::string> out{"/"};
    std::string p;
    for (const std::string& part : parts) {
        p += "/" + part;
        out.push_back(p);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace psi::linux_sys
