// Hand-written number parsing: strtoull and friends need NUL-terminated
// input and consult the locale; the table path parses millions of fields.
#include "platform/linux/parse.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace psi::linux_proc {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Cursor over whitespace-separated fields.
struct Fields {
    std::string_view s;
    std::size_t i = 0;

    std::optional<std::string_view> next() {
        while (i < s.size() && is_space(s[i])) ++i;
        if (i >= s.size()) return std::nullopt;
        std::size_t start = i;
        while (i < s.size() && !is_space(s[i])) ++i;
        return s.substr(start, i - start);
    }
};

// Cursor over '\n'-terminated lines (the last one may lack its newline).
struct Lines {
    std::string_view s;
    std::size_t pos = 0;

    std::optional<std::string_view> next() {
        if (pos >= s.size()) return std::nullopt;
        std::size_t eol = s.find('\n', pos);
        if (eol == std::string_view::npos) eol = s.size();
        std::string_view line = s.substr(pos, eol - pos);
        pos = eol + 1;
        return line;
    }
};

template <class T>
std::optional<T> to_unsigned(std::string_view f) {
    if (f.empty()) return std::nullopt;
    T v = 0;
    for (char c : f) {
        if (!is_digit(c)) return std::nullopt;
        T d = static_cast<T>(c - '0');
        if (v > (static_cast<T>(~T{0}) - d) / 10) return std::nullopt;  // overflow
        v = static_cast<T>(v * 10 + d);
    }
    return v;
}

std::optional<std::int64_t> to_signed(std::string_view f) {
    bool neg = !f.empty() && f[0] == '-';
    if (neg) f.remove_prefix(1);
    auto u = to_unsigned<std::uint64_t>(f);
    if (!u || *u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    auto v = static_cast<std::int64_t>(*u);
    return neg ? -v : v;
}

std::optional<int> to_int(std::string_view f) {
    auto v = to_signed(f);
    if (!v || *v < INT32_MIN || *v > INT32_MAX) return std::nullopt;
    return static_cast<int>(*v);
}

std::string unescape_octal(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && s.size() - i >= 4 && s[i + 1] >= '0' && s[i + 1] <= '3' &&
            s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

std::optional<StatFields> parse_stat(std::string_view text) {
    std::size_t open = text.find('(');
    if (open == std::string_view::npos) return std::nullopt;
    // The last ')' ends the name. Searching forward (memchr) from one ')' to
    // the next is much cheaper than a byte-wise rfind over the ~250 bytes
    // of numbers, which never contain one.
    std::size_t close = std::string_view::npos;
    for (std::size_t at = text.find(')', open + 1); at != std::string_view::npos; at = text.find(')', at + 1))
        close = at;
    if (close == std::string_view::npos) return std::nullopt;
    StatFields st;
    auto pid = to_int(Fields{text.substr(0, open)}.next().value_or(""));
    if (!pid || *pid < 0) return std::nullopt;
    st.pid = *pid;
    st.comm = text.substr(open + 1, close - open - 1);
    Fields rest{text.substr(close + 1)};
    auto state = rest.next();
    if (!state || state->size() != 1) return std::nullopt;
    st.state = (*state)[0];
    st.fields = 3;
    // This runs once per process in every listing, so it is one pass with
    // no per-field allocation: fields psi uses are parsed as they are met,
    // the others skipped. A short line (old kernel) or a malformed used
    // field stops the scan and keeps everything before it.
    const char* p = rest.s.data() + rest.i;
    // Any byte <= ' ' separates the fields psi parses; the kernel writes
    // single spaces and a final newline, which is trimmed here.
    auto blank = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
    const char* end = rest.s.data() + rest.s.size();
    while (end > p && blank(end[-1])) --end;
    for (int n = 4; n <= 41; ++n) {
        while (p < end && blank(*p)) ++p;
        if (p == end) break;
        constexpr std::uint64_t kUsed = (1ull << 4) | (1ull << 5) | (1ull << 6) | (1ull << 7) | (1ull << 8) |
                                        (1ull << 9) | (1ull << 14) | (1ull << 15) | (1ull << 18) | (1ull << 19) |
                                        (1ull << 20) | (1ull << 22) | (1ull << 23) | (1ull << 39) | (1ull << 40) |
                                        (1ull << 41) |
                                        // -- w-status: faults 10-13, children's times 16-17, code 26-27 --
                                        (1ull << 10) | (1ull << 11) | (1ull << 12) | (1ull << 13) | (1ull << 16) |
                                        (1ull << 17) | (1ull << 26) | (1ull << 27);
        if (!((kUsed >> n) & 1)) {
            // Unused fields (many are 15-digit addresses) are skipped with
            // memchr: the kernel separates fields with single spaces.
            const void* sp = std::memchr(p, ' ', static_cast<std::size_t>(end - p));
            p = sp ? static_cast<const char*>(sp) : end;
            st.fields = n;
            continue;
        }
        bool neg = *p == '-';
        if (neg) ++p;
        std::uint64_t v = 0;
        const char* digits = p;
        // Up to 19 digits cannot overflow 64 bits (10^19 - 1 < 2^64), so
        // the common case needs no check per digit; longer runs (which the
        // kernel never prints, but a fixture or a future field might) take
        // the checked loop below.
        const char* fast_end = end - p > 19 ? p + 19 : end;
        while (p < fast_end && is_digit(*p)) {
            v = v * 10 + static_cast<std::uint64_t>(*p - '0');
            ++p;
        }
        while (p < end && is_digit(*p)) {
            std::uint64_t d = static_cast<std::uint64_t>(*p - '0');
            // Overflow: malformed. (The check is a division; in perf it was
            // a third of this parse when every digit paid it.)
            if (v > (UINT64_MAX - d) / 10) return st;
            v = v * 10 + d;
            ++p;
        }
        if (p == digits || (p < end && !blank(*p))) break;
        // Kernel ints print as signed decimals; keep their two's complement.
        std::uint64_t u = neg ? ~v + 1 : v;
        auto i = static_cast<int>(static_cast<std::int64_t>(u));
        switch (n) {
            case 4: st.ppid = i; break;
            case 5: st.pgrp = i; break;
            case 6: st.session = i; break;
            // tty_nr is a signed int in the kernel; keep its 32-bit pattern.
            case 7: st.tty_nr = static_cast<std::uint32_t>(u); break;
            case 8: st.tpgid = i; break;
            case 9: st.flags = u; break;
            case 14: st.utime = u; break;
            case 15: st.stime = u; break;
            case 18: st.priority = i; break;
            case 19: st.nice = i; break;
            case 20: st.num_threads = i; break;
            case 22: st.starttime = u; break;
            case 39: st.processor = i; break;
            case 23: st.vsize = u; break;
            case 40: st.rt_priority = u; break;
            case 41: st.policy = i; break;
            // -- w-status --
            case 10: st.minflt = u; break;
            case 11: st.cminflt = u; break;
            case 12: st.majflt = u; break;
            case 13: st.cmajflt = u; break;
            case 16: st.cutime = u; break;
            case 17: st.cstime = u; break;
            case 26: st.startcode = u; break;
            case 27: st.endcode = u; break;
            default: break;
        }
        st.fields = n;
    }
    return st;
}

std::optional<std::uint64_t> parse_statm_resident(std::string_view text) {
    Fields f{text};
    if (!f.next()) return std::nullopt;
    auto res = f.next();
    return res ? to_unsigned<std::uint64_t>(*res) : std::nullopt;
}

StatusFields parse_status(std::string_view text) {
    StatusFields out;
    // One pass over the lines; each key we want starts a line. The kernel
    // prints Uid/Gid before VmLck before VmRSS (fs/proc/array.c), so the scan
    // stops at VmRSS; in another order it simply reads to the end.
    Lines lines{text};
    while (auto next = lines.next()) {
        std::string_view line = *next;
        if (line.size() < 5 || (line[0] != 'U' && line[0] != 'G' && line[0] != 'V')) continue;
        auto two_ids = [&](std::size_t skip, std::uint32_t& real, std::uint32_t& eff) {
            Fields f{line.substr(skip)};
            auto r = f.next(), e = f.next();
            auto rv = r ? to_unsigned<std::uint32_t>(*r) : std::nullopt;
            auto ev = e ? to_unsigned<std::uint32_t>(*e) : std::nullopt;
            if (!rv || !ev) return false;
            real = *rv;
            eff = *ev;
            return true;
        };
        auto kb = [&](std::size_t skip, std::uint64_t& v) {
            Fields f{line.substr(skip)};
            auto n = f.next();
            auto nv = n ? to_unsigned<std::uint64_t>(*n) : std::nullopt;
            if (nv) v = *nv;
            return nv.has_value();
        };
        if (line.starts_with("Uid:")) out.have_uid = two_ids(4, out.ruid, out.euid);
        else if (line.starts_with("Gid:")) out.have_gid = two_ids(4, out.rgid, out.egid);
        else if (line.starts_with("VmLck:")) out.have_locked = kb(6, out.locked_kb);
        else if (line.starts_with("VmRSS:")) {
            out.have_rss = kb(6, out.rss_kb);
            if (out.have_uid && out.have_gid) break;
        }
    }
    return out;
}

std::vector<std::string> split_cmdline(std::string_view buf) {
    std::vector<std::string> args;
    if (buf.empty()) return args;
    // Pieces are cut from `text` at `seps`; the count is capped so that a
    // NUL-dense buffer cannot cost 32 bytes per byte.
    auto split = [&](std::string_view text, std::string_view seps) {
        std::size_t start = 0;
        while (args.size() < kMaxArgStrings) {
            std::size_t at = text.find_first_of(seps, start);
            args.emplace_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
            if (at == std::string_view::npos) break;
            start = at + 1;
        }
    };
    if (buf.back() == '\0') {
        // procps skips every trailing NUL before turning the others into
        // blanks: NULs that pad a shortened title (nginx, gunicorn, and
        // PyPI setproctitle clear the rest of the area) are no arguments.
        std::size_t end = buf.find_last_not_of('\0');
        if (end == std::string_view::npos) return {std::string()};
        split(buf.substr(0, end + 1), std::string_view("\0", 1));
        return args;
    }
    // A title written over the area: ps turns '\n' into a blank and then
    // drops the last byte when it is a blank.
    if (buf.back() == ' ' || buf.back() == '\n') buf.remove_suffix(1);
    if (buf.empty()) return {std::string()};
    split(buf, std::string_view(" \0", 2));
    return args;
}

Environment split_environ(std::string_view buf) {
    Environment env;
    std::size_t start = 0;
    while (start < buf.size() && env.size() < kMaxArgStrings) {
        std::size_t nul = buf.find('\0', start);
        std::string_view entry = buf.substr(start, nul == std::string_view::npos ? std::string_view::npos : nul - start);
        // No '=': not a definition. getenv(3) compares "NAME=" and so never
        // matches it; CPython's os.environ and psutil skip it. Keeping it as
        // {entry: ""} would hide a later real NAME=value in a dict.
        if (std::size_t eq = entry.find('='); eq != std::string_view::npos)
            env.emplace_back(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
        if (nul == std::string_view::npos) break;
        start = nul + 1;
    }
    return env;
}

std::string_view strip_deleted_suffix(std::string_view link) {
    constexpr std::string_view kDeleted = " (deleted)";
    if (link.size() > kDeleted.size() && link.substr(link.size() - kDeleted.size()) == kDeleted)
        link.remove_suffix(kDeleted.size());
    return link;
}

std::string_view parse_wchan(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.remove_suffix(1);
    if (text == "0") return {};
    if (!text.empty() && text.front() == '.') text.remove_prefix(1);
    return text;
}

namespace {
// The kernel's "new" dev_t encoding as used in stat's tty_nr.
unsigned dev_major(std::uint64_t dev) { return static_cast<unsigned>((dev >> 8) & 0xfff); }
unsigned dev_minor(std::uint64_t dev) { return static_cast<unsigned>((dev & 0xff) | ((dev >> 12) & 0xfff00)); }
}  // namespace

std::optional<std::string> tty_path_from_dev(std::uint64_t tty_nr) {
    if (tty_nr == 0) return std::nullopt;
    unsigned major = dev_major(tty_nr), minor = dev_minor(tty_nr);
    // devices.txt: 136-143 Unix98 pty slaves, 4 virtual consoles (0-63)
    // and serial ports ttyS (64-255), 5/1 the system console.
    if (major >= 136 && major <= 143) return "/dev/pts/" + std::to_string((major - 136) * 256 + minor);
    if (major == 4 && minor < 64) return "/dev/tty" + std::to_string(minor);
    if (major == 4) return "/dev/ttyS" + std::to_string(minor - 64);
    if (major == 5 && minor == 1) return std::string("/dev/console");
    if (major == 5 && minor == 0) return std::string("/dev/tty");
    return std::nullopt;
}

std::vector<TtyDriver> parse_tty_drivers(std::string_view text) {
    std::vector<TtyDriver> out;
    Lines lines{text};
    while (auto line = lines.next()) {
        Fields f{*line};
        auto name = f.next(), prefix = f.next(), major = f.next(), minors = f.next();
        if (!name || !prefix || !major || !minors) continue;
        TtyDriver d;
        d.prefix = std::string(*prefix);
        auto maj = to_unsigned<unsigned>(*major);
        if (!maj) continue;
        d.major = *maj;
        std::size_t dash = minors->find('-');
        auto lo = to_unsigned<unsigned>(minors->substr(0, dash));
        auto hi = dash == std::string_view::npos ? lo : to_unsigned<unsigned>(minors->substr(dash + 1));
        if (!lo || !hi) continue;
        d.minor_first = *lo;
        d.minor_last = *hi;
        out.push_back(std::move(d));
    }
    return out;
}

std::optional<std::string> tty_path_from_drivers(std::uint64_t tty_nr, const std::vector<TtyDriver>& drivers) {
    unsigned major = dev_major(tty_nr), minor = dev_minor(tty_nr);
    for (const auto& d : drivers) {
        if (d.major != major || minor < d.minor_first || minor > d.minor_last) continue;
        // A single-minor driver names the device itself (/dev/console).
        if (d.minor_first == d.minor_last) return d.prefix;
        return d.prefix + std::to_string(minor - d.minor_first);
    }
    return std::nullopt;
}

std::optional<LoadAvg> parse_loadavg(std::string_view text) {
    Fields f{text};
    double v[3];
    for (double& x : v) {
        auto field = f.next();
        if (!field) return std::nullopt;
        // "0.52": integer part, '.', two decimals (fs/proc/loadavg.c format).
        std::size_t dot = field->find('.');
        auto whole = to_unsigned<std::uint64_t>(field->substr(0, dot));
        if (!whole) return std::nullopt;
        x = static_cast<double>(*whole);
        if (dot != std::string_view::npos) {
            std::string_view frac = field->substr(dot + 1);
            auto fv = to_unsigned<std::uint64_t>(frac);
            if (!fv || frac.size() > 18) return std::nullopt;
            double scale = 1;
            for (std::size_t i = 0; i < frac.size(); ++i) scale *= 10;
            x += static_cast<double>(*fv) / scale;
        }
    }
    return LoadAvg{v[0], v[1], v[2]};
}

std::vector<MountLine> parse_mounts(std::string_view text) {
    std::vector<MountLine> out;
    Lines lines{text};
    while (auto line = lines.next()) {
        Fields f{*line};
        auto dev = f.next(), dir = f.next(), type = f.next(), opts = f.next();
        if (!dev || !dir || !type) continue;
        out.push_back({unescape_octal(*dev), unescape_octal(*dir), unescape_octal(*type),
                       opts ? unescape_octal(*opts) : std::string()});
    }
    return out;
}

bool is_remote_mount(std::string_view fstype) {
    static constexpr std::string_view kRemote[] = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "ncpfs",
                                                   "afs", "9p", "ceph", "glusterfs", "fuse.sshfs",
                                                   "sshfs", "lustre", "gfs2", "ocfs2"};
    return std::find(std::begin(kRemote), std::end(kRemote), fstype) != std::end(kRemote);
}

}  // namespace psi::linux_proc
