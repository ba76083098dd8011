#include "options.hpp"

#include "layout.hpp"

#include <cerrno>
#include <climits>
#include <initializer_list>
#include <cstdlib>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <string_view>
#include <unistd.h>

namespace psi_ps {

namespace {

using std::string_view;

std::string quoted(string_view s) {
    // Built by appends: GCC 12 at -O3 misreports "'" + std::string as an
    // overlapping memcpy (-Wrestrict), which would fail -Werror builds.
    std::string out;
    out.reserve(s.size() + 2);
    out.push_back('\'');
    out.append(s);
    out.push_back('\'');
    return out;
}

bool is_sep(char c) { return c == ' ' || c == ',' || c == '\t' || c == '\n'; }

// procps list syntax: items separated by one of " ,\t\n"; no empty item,
// but one trailing separator is tolerated.
std::vector<string_view> split_list(string_view arg, const char* what) {
    std::vector<string_view> items;
    if (arg.empty()) throw UsageError(std::string("empty ") + what + " list");
    std::size_t i = 0;
    while (i < arg.size()) {
        std::size_t j = i;
        while (j < arg.size() && !is_sep(arg[j])) ++j;
        if (j == i) throw UsageError(std::string("improper ") + what + " list " + quoted(arg));
        items.push_back(arg.substr(i, j - i));
        i = j + 1;
    }
    return items;
}

bool all_digits(string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

unsigned long long parse_number(string_view s, unsigned long long max, const std::string& bad) {
    if (!all_digits(s) || s.size() > 19) throw UsageError(bad);
    unsigned long long v = std::strtoull(std::string(s).c_str(), nullptr, 10);
    if (v > max) throw UsageError(bad);
    return v;
}

void add_pids(std::vector<int>& out, string_view arg, const char* what) {
    for (string_view item : split_list(arg, what)) {
        if (!all_digits(item)) throw UsageError(std::string("invalid ") + what + " " + quoted(item));
        unsigned long long v = parse_number(item, INT_MAX, std::string(what) + " out of range: " + std::string(item));
        if (v == 0) throw UsageError(std::string(what) + " out of range: " + std::string(item));
        out.push_back(static_cast<int>(v));
    }
}

// A user list names users or gives numeric ids (ps -u / -U).
void add_users(std::vector<std::uint32_t>& out, string_view arg) {
    for (string_view item : split_list(arg, "user")) {
        if (all_digits(item)) {
            out.push_back(static_cast<std::uint32_t>(
                parse_number(item, 0xFFFFFFFEull, "user id out of range: " + std::string(item))));
            continue;
        }
        std::string name(item);
        passwd pw{};
        passwd* found = nullptr;
        std::vector<char> buf(16384);
        int rc;
        while ((rc = getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found)) == ERANGE && buf.size() < (1u << 20))
            buf.resize(buf.size() * 2);
        if (rc != 0 || !found) throw UsageError("unknown user " + quoted(item));
        out.push_back(pw.pw_uid);
    }
}

// A group list names groups or gives numeric ids (ps -G, --group, -g).
// Returns false (nothing added) when an item is neither, for -g's second
// reading.
bool add_groups(std::vector<std::uint32_t>& out, string_view arg) {
    std::vector<std::uint32_t> ids;
    for (string_view item : split_list(arg, "group")) {
        if (all_digits(item)) {
            if (item.size() > 10) return false;
            unsigned long long v = std::strtoull(std::string(item).c_str(), nullptr, 10);
            if (v > 0xFFFFFFFEull) return false;
            ids.push_back(static_cast<std::uint32_t>(v));
            continue;
        }
        std::string name(item);
        group gr{};
        group* found = nullptr;
        std::vector<char> buf(16384);
        int rc;
        while ((rc = getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found)) == ERANGE && buf.size() < (1u << 20))
            buf.resize(buf.size() * 2);
        if (rc != 0 || !found) return false;
        ids.push_back(gr.gr_gid);
    }
    out.insert(out.end(), ids.begin(), ids.end());
    return true;
}

// One terminal of a -t list, looked up as procps ps parse_tty does: an
// absolute path, else /dev/pts/NAME, /dev/NAME, /dev/ttyNAME, /dev/ptyNAME,
// /dev/NAMEnsole ("co"); "-" and "?" mean "no terminal" (device 0). The
// device number is compared with the tty_nr of /proc/PID/stat, which uses
// the same encoding as st_rdev for every device number a terminal has.
std::uint64_t parse_tty(string_view item) {
    std::string name(item);
    struct stat sb{};
    bool found = false;
    if (!name.empty() && name[0] == '/') {
        found = ::stat(name.c_str(), &sb) == 0;
    } else {
        for (const char* prefix : {"/dev/pts/", "/dev/", "/dev/tty", "/dev/pty"}) {
            if (::stat((prefix + name).c_str(), &sb) == 0) { found = true; break; }
        }
        if (!found) found = ::stat(("/dev/" + name + "nsole").c_str(), &sb) == 0;
        if (!found && (name == "-" || name == "?")) return 0;
    }
    if (!found) throw UsageError("TTY could not be found: " + quoted(item));
    if (!S_ISCHR(sb.st_mode)) throw UsageError("list member was not a TTY: " + quoted(item));
    return static_cast<std::uint64_t>(sb.st_rdev);
}

void add_ttys(std::vector<std::uint64_t>& out, string_view arg) {
    for (string_view item : split_list(arg, "terminal")) out.push_back(parse_tty(item));
}

// -g: sessions when the whole list is numeric (procps tries pids first),
// else effective groups by name or id.
void add_sessions_or_groups(Request& r, string_view arg) {
    try {
        std::vector<int> sids;
        add_pids(sids, arg, "session id");
        r.sids.insert(r.sids.end(), sids.begin(), sids.end());
        return;
    } catch (const UsageError&) {
    }
    if (!add_groups(r.egids, arg)) throw UsageError("list of session leaders OR effective group IDs was invalid: " + quoted(arg));
}

void add_group_list(std::vector<std::uint32_t>& out, string_view arg) {
    if (!add_groups(out, arg)) throw UsageError("unknown group in " + quoted(arg));
}

void add_quick(Request& r, string_view arg) {
    if (r.quick) throw UsageError("-q/--quick-pid can only be used once");
    r.quick = true;
    add_pids(r.pids, arg, "process id");
}

// One -o item: name[:width][=header] (ps/sortformat.c format_parse).
FormatItem parse_format_item(string_view item) {
    FormatItem fi;
    string_view spec = item;
    if (auto eq = item.find('='); eq != string_view::npos) {
        fi.header = std::string(item.substr(eq + 1));
        fi.header_set = true;
        spec = item.substr(0, eq);
    }
    if (auto colon = spec.find(':'); colon != string_view::npos) {
        string_view w = spec.substr(colon + 1);
        if (!all_digits(w) || w[0] == '0')
            throw UsageError("column width must be a positive decimal number: " + quoted(item));
        fi.width = static_cast<int>(parse_number(w, 4096, "column width too large: " + quoted(item)));
        spec = spec.substr(0, colon);
    }
    fi.def = find_field(spec);
    if (!fi.def) throw UsageError("unknown field " + quoted(spec) + " ('psi-ps L' lists the fields)");
    if (!fi.header_set) fi.header = std::string(fi.def->header);
    return fi;
}

void add_format(std::vector<FormatItem>& out, string_view arg) {
    for (string_view item : split_list(arg, "format")) out.push_back(parse_format_item(item));
}

void add_sort(std::vector<SortKey>& out, string_view arg) {
    for (string_view item : split_list(arg, "sort")) {
        SortKey k;
        if (!item.empty() && (item[0] == '+' || item[0] == '-')) {
            k.descending = item[0] == '-';
            item.remove_prefix(1);
        }
        k.def = find_field(item);
        if (!k.def) throw UsageError("unknown sort key " + quoted(item) + " ('psi-ps L' lists the fields)");
        out.push_back(k);
    }
}

// --interval: decimal seconds, "1", "0.5", ".25"; more than 0, at most an
// hour (a longer wait is surely a typo, and must not look like a hang).
double parse_interval(string_view v) {
    const std::string bad = "invalid interval " + quoted(v) + " (seconds, e.g. 1 or 0.5)";
    std::size_t dot = v.find('.');
    string_view whole = v.substr(0, dot), frac = dot == string_view::npos ? string_view() : v.substr(dot + 1);
    if ((whole.empty() && frac.empty()) || v == ".") throw UsageError(bad);
    double seconds = 0;
    for (char c : whole) {
        if (c < '0' || c > '9' || seconds > 3600) throw UsageError(bad);
        seconds = seconds * 10 + (c - '0');
    }
    double scale = 0.1;
    for (char c : frac) {
        if (c < '0' || c > '9') throw UsageError(bad);
        seconds += (c - '0') * scale;
        scale /= 10;
    }
    if (seconds <= 0 || seconds > 3600) throw UsageError(bad);
    return seconds;
}

int parse_cols(string_view v) {
    auto n = parse_number(v, kUnlimitedCols - 1, "invalid width " + quoted(v));
    if (n == 0) throw UsageError("invalid width " + quoted(v));
    return static_cast<int>(n);
}

// Options that take a value get it from the rest of the word or the next one.
struct ArgCursor {
    int argc;
    char** argv;
    int i = 1;
    string_view take(const std::string& opt) {
        if (i + 1 >= argc) throw UsageError("option " + quoted(opt) + " needs a value");
        return argv[++i];
    }
};

void long_option(Request& r, string_view arg, ArgCursor& cur) {
    string_view name = arg.substr(2);
    string_view value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != string_view::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
    }
    auto flag = [&] {
        if (has_value) throw UsageError("option " + quoted(std::string("--") + std::string(name)) + " takes no value");
    };
    auto val = [&]() -> string_view { return has_value ? value : cur.take(std::string(arg)); };

    if (name == "pid") add_pids(r.pids, val(), "process id");
    else if (name == "quick-pid") add_quick(r, val());
    else if (name == "sid") add_pids(r.sids, val(), "session id");
    else if (name == "tty") add_ttys(r.ttys, val());
    else if (name == "group") add_group_list(r.egids, val());
    else if (name == "Group") add_group_list(r.rgids, val());
    else if (name == "deselect") { flag(); r.negate = true; }
    else if (name == "ppid") add_pids(r.ppids, val(), "parent process id");
    else if (name == "user") add_users(r.euids, val());
    else if (name == "User") add_users(r.ruids, val());
    else if (name == "sort") add_sort(r.sort, val());
    else if (name == "format") add_format(r.format, val());
    else if (name == "cols" || name == "columns" || name == "width") r.cols = parse_cols(val());
    else if (name == "forest") { flag(); r.forest = 'b'; }
    else if (name == "threads") {
        string_view v = val();
        r.threads = static_cast<int>(parse_number(v, 64, "invalid thread count " + quoted(v)));
    }
    else if (name == "interval") r.interval = parse_interval(val());
    else if (name == "no-headers" || name == "no-heading") { flag(); r.no_headers = true; }
    else if (name == "json") { flag(); r.output = OutputKind::json; }
    else if (name == "csv") { flag(); r.output = OutputKind::csv; }
    else if (name == "help") { flag(); r.help = true; }
    else if (name == "version") { flag(); r.version = true; }
    else if (name == "list-fields") { flag(); r.list_fields_long = true; }
    // -- x-resample: --watch, --count --
    else if (name == "watch") r.watch = parse_interval(val());
    else if (name == "count") {
        string_view v = val();
        r.count = static_cast<long>(parse_number(v, 1'000'000'000, "invalid count " + quoted(v)));
        if (r.count == 0) throw UsageError("invalid count " + quoted(v));
    }
    else throw UsageError("unknown option " + quoted(std::string("--") + std::string(name)));
}

void unix_options(Request& r, string_view arg, ArgCursor& cur) {
    for (std::size_t k = 1; k < arg.size(); ++k) {
        char c = arg[k];
        switch (c) {
        case 'e': case 'A': r.all = true; continue;
        case 'f': r.full = true; continue;
        case 'l': r.long_format = true; continue;
        case 'j': r.jobs_format = true; continue;
        case 'y': r.long_y = true; continue;
        case 'F': r.extra_full = true; continue;
        case 'w': ++r.wide; continue;
        case 'H': r.forest = 'u'; continue;
        case 'a': r.unix_a = true; continue;
        case 'd': r.unix_d = true; continue;
        case 'N': r.negate = true; continue;
        case 'c': r.sched_c = true; continue;
        case 'P': r.psr_P = true; continue;
        case 'L': r.threads_L = true; continue;  // -- w-threads
        case 'T': r.threads_T = true; continue;  // -- w-threads
        case 'M': r.label_first = true; continue;  // -- w-threads
        case 'm': r.threads_m_unix = true; continue;  // -- x-threads
        case 'p': case 'u': case 'U': case 'C': case 'o': case 'O': case 'q': case 's': case 't': case 'g': case 'G':
            break;
        default: throw UsageError("unknown option " + quoted(std::string("-") + c));
        }
        string_view value = arg.substr(k + 1);
        if (value.empty()) value = cur.take(std::string("-") + c);
        if (c == 'p') add_pids(r.pids, value, "process id");
        else if (c == 'u') add_users(r.euids, value);
        else if (c == 'U') add_users(r.ruids, value);
        else if (c == 'C') for (string_view n : split_list(value, "command")) r.names.emplace_back(n);
        else if (c == 'q') add_quick(r, value);
        else if (c == 's') add_pids(r.sids, value, "session id");
        else if (c == 't') add_ttys(r.ttys, value);
        else if (c == 'g') add_sessions_or_groups(r, value);
        else if (c == 'G') add_group_list(r.rgids, value);
        else if (c == 'O') {
            // ps/sortformat.c parse_O_option: -O after a format is an error;
            // -o after -O adds to it.
            if (!r.format.empty()) throw UsageError("option -O can not follow other format options");
            r.has_O = true;
            add_format(r.format, "pid");
            add_format(r.format, value);
            add_format(r.format, "state,tname,time,command");  // ps's END_SYS5 trailer
        }
        else add_format(r.format, value);
        return;  // the value used up the rest of the word
    }
}

// procps's BSD-style words (no dash), ps(1) "BSD OPTIONS": the selection
// letters a, x and g, the format letters u, j and l, e (environment after
// the command), f (forest), h (no header), r (running only), w (wide), L
// (list fields), o FORMAT, p PIDS and U USERS (effective, like -u) taking
// the rest of the word or the next one ("ps axo pid,comm"), and a word of
// pids ("ps 1,2"). Others (v, s, c, O, ...) are refused rather than
// half-done.
void bsd_options(Request& r, string_view arg, ArgCursor& cur, bool second_chance = false) {
    r.prefer_bsd = true;
    if (all_digits(arg.substr(0, 1))) {
        add_pids(r.pids, arg, "process id");
        if (!r.bsd_format) r.bsd_format = 'b';
        return;
    }
    bool informational = true;
    for (std::size_t k = 0; k < arg.size(); ++k) {
        const char c = arg[k];
        switch (c) {
        case 'L': r.list_fields = true; continue;
        case 'w': ++r.wide; continue;
        case 'a': r.bsd_a = true; break;
        case 'x': r.bsd_x = true; break;
        // g: "all, even session leaders": Linux ps never hides them.
        case 'g': r.bsd_g = true; break;
        case 'e': r.bsd_e = true; break;
        case 'f': r.forest = 'b'; break;
        case 'h': r.no_headers = true; break;
        case 'r': r.running_only = true; break;
        case 'H': r.threads_H = true; break;  // -- w-threads: threads as if processes
        case 'Z': r.label_first = true; break;  // -- w-threads: the label column first
        // -- x-threads: m and M (ps: "MacOS X thread display") list each
        // process, then its threads. In procps's second-chance parse (a
        // dashed word read as BSD, "ps -mx") m is instead the old Linux
        // memory format (personality PER_OLD_m), which psi-ps does not do.
        case 'm':
            if (second_chance) throw UsageError("BSD m read in a second parse (ps's old memory format) is not supported");
            r.threads_m_bsd = true;
            break;
        case 'M': r.threads_m_bsd = true; break;
        case 'u': case 'j': case 'l':
            if (r.bsd_format && r.bsd_format != 'b' && r.bsd_format != c) throw UsageError("conflicting format options");
            r.bsd_format = c;
            break;
        case 'o': case 'p': case 'U': {
            string_view value = arg.substr(k + 1);
            if (value.empty()) value = cur.take(std::string(1, c));
            if (c == 'o') add_format(r.format, value);
            else if (c == 'p') add_pids(r.pids, value, "process id");
            else add_users(r.euids, value);
            if (!r.bsd_format) r.bsd_format = 'b';
            return;  // the value used up the rest of the word
        }
        default:
            throw UsageError("unsupported option " + quoted(std::string(1, c)) + " in " + quoted(arg) +
                             "; psi-ps takes the BSD letters a x g e u j l f h r w H m M Z L o p U and procps's UNIX and GNU "
                             "options (try 'psi-ps --help')");
        }
        informational = false;
    }
    if (!informational && !r.bsd_format) r.bsd_format = 'b';
}

}  // namespace

namespace {

// One pass over the words. With force_bsd, a dashed word is read as a BSD
// word ("ps -aux" is "ps aux"), as procps's second-chance parse does.
Request parse_words(int argc, char** argv, bool force_bsd) {
    Request r;
    ArgCursor cur{argc, argv};
    for (; cur.i < argc; ++cur.i) {
        string_view arg = argv[cur.i];
        if (arg.size() > 2 && arg.substr(0, 2) == "--") long_option(r, arg, cur);
        else if (arg.size() > 1 && arg[0] == '-' && arg != "--") {
            if (force_bsd) bsd_options(r, arg.substr(1), cur, true);  // x-threads: flag for m
            else unix_options(r, arg, cur);
        }
        else if (!arg.empty() && arg[0] != '-') {
            // procps's second chance takes only dashed words as BSD ones: a
            // real BSD word there ("ps -a x") fails it (ps/parser.c "way bad").
            if (force_bsd && !all_digits(arg.substr(0, 1))) throw UsageError("second chance parse failed");
            bsd_options(r, arg, cur);
        }
        else throw UsageError("unknown option " + quoted(arg));
    }
    if (force_bsd) r.prefer_bsd = true;
    return r;
}

// ps/select.c select_setup: which combinations of the simple selections
// make sense.
void check_simple_selection(const Request& r) {
    const bool unix_sel = r.unix_a || r.unix_d, bsd_sel = r.bsd_a || r.bsd_x;
    if (unix_sel && bsd_sel) throw UsageError("process selection options conflict");
    if (r.quick) {
        if (r.negate) throw UsageError("-q/--quick-pid cannot be used together with negation switches");
        // -e, -a, x ... are ignored: quick mode reads the listed pids only.
        if (!r.ppids.empty() || !r.euids.empty() || !r.ruids.empty() || !r.names.empty() || !r.sids.empty() ||
            !r.ttys.empty() || !r.egids.empty() || !r.rgids.empty())
            throw UsageError("-q/--quick-pid cannot be combined with other selection options");
    }
}

}  // namespace

Request parse_args(int argc, char** argv) {
    Request r;
    // procps parses the words as UNIX options first and, when that fails,
    // once more with every dashed word read as BSD letters ("ps -aux",
    // "ps -x"); if that fails too, the first error is the one reported.
    try {
        r = parse_words(argc, argv, false);
        check_simple_selection(r);
    } catch (const UsageError& first) {
        try {
            r = parse_words(argc, argv, true);
            check_simple_selection(r);
        } catch (const UsageError&) {
            throw first;
        }
    }
    if (r.has_O && (r.full || r.long_format || r.jobs_format || r.extra_full || r.bsd_format))
        throw UsageError("-O with another format option (-f, -l, -j, -F, BSD u j l) is not supported");
    if (r.long_y && !r.long_format) throw UsageError("modifier -y without format -l makes no sense");
    if (r.count > 0 && r.watch <= 0) throw UsageError("--count needs --watch");  // x-resample
    const bool unix_format = r.full || r.long_format || r.jobs_format || r.extra_full;
    if (r.bsd_format && (unix_format || !r.format.empty()) && r.bsd_format != 'b')
        throw UsageError("conflicting format options");
    if (r.forest && !r.sort.empty())
        for (const SortKey& k : r.sort)
            if (k.def->name == "ppid") throw UsageError("sorting by ppid conflicts with the tree view");
    // -- x-threads: ps/parser.c thread_option_check and sortformat.c's rules for m/-m --
    if (r.threads_after()) {
        if (r.forest) throw UsageError("thread display conflicts with forest display");
        if (r.threads_H) throw UsageError("thread flags conflict; can't use H with m or -m");
        if (r.threads_m_unix && r.threads_m_bsd) throw UsageError("thread flags conflict; can't use both m and -m");
        if ((r.threads_L || r.threads_T) && !r.format.empty())
            throw UsageError("-L/-T with H/m/-m and -o/-O/o/O is nonsense");
    }
    return r;
}

namespace {
std::vector<FormatItem> base_format(const Request& r);
}  // namespace

// -- w-threads: -M and BSD Z put the security label first (ps/sortformat.c
// adds "label" in front of the format, built-in or -o).
std::vector<FormatItem> effective_format(const Request& r) {
    std::vector<FormatItem> out = base_format(r);
    if (r.label_first) out.insert(out.begin(), parse_format_item("label"));
    return out;
}

namespace {
std::vector<FormatItem> base_format(const Request& r) {
    if (!r.format.empty()) return r.format;
    // The BSD formats (ps/output.c macro_array OL_u, OL_j, OL_l and OL_).
    // x-threads: the plain BSD format ('b') is ps's generated SysV list
    // with BSD defaults (below), which also takes -L's LWP, -T's SPID and
    // -P's PSR ("ps m -L", "ps -L x").
    if (r.bsd_format && r.bsd_format != 'b' && !r.full && !r.long_format && !r.jobs_format && !r.extra_full) {
        const char* bsd = r.bsd_format == 'u'   ? "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args"
                          : r.bsd_format == 'j' ? "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args"
                                                : "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args";
        std::vector<FormatItem> out;
        add_format(out, bsd);
        // x-threads: ps/sortformat.c process_sf_options puts -T's SPID after
        // PID, and -L's LWP after the first of SID, SESS, PGID, PGRP, PPID,
        // PID, then NLWP after %CPU, into the BSD formats ("ps -L u").
        auto add_after = [&](std::initializer_list<std::string_view> headers, const char* field) {
            for (std::string_view h : headers)
                for (std::size_t i = 0; i < out.size(); ++i)
                    if (out[i].header == h) {
                        out.insert(out.begin() + static_cast<std::ptrdiff_t>(i) + 1, parse_format_item(field));
                        return;
                    }
        };
        if (r.threads_T) add_after({"PID"}, "spid");
        if (r.threads_L) {
            add_after({"SID", "SESS", "PGID", "PGRP", "PPID", "PID"}, "lwp");
            add_after({"%CPU"}, "nlwp");
        }
        return out;
    }
    // procps's UNIX formats, composed from -f, -l, -j, -y, -F, -c and -P
    // as ps/sortformat.c generate_sysv_list lays them out (it builds the
    // list backwards; this is the same order front to back). With BSD
    // defaults preferred (a BSD word was given) the tail is STAT and BSD
    // TIME instead of TIME.
    const bool f = r.full || r.extra_full, l = r.long_format, y = l && r.long_y, F = r.extra_full;
    const bool c = r.sched_c, format_flags = f || l;
    std::string spec;
    auto add = [&](bool when, const char* fields) {
        if (!when) return;
        if (!spec.empty()) spec.push_back(',');
        spec += fields;
    };
    add(l && !y, "f");
    add(l, "s");
    add(f || l, f ? "uid_hack" : "uid");
    add(true, "pid");
    add(r.threads_T, "spid");  // -- w-threads (generate_sysv_list: TF_U_T)
    add(f || l, "ppid");
    add(r.jobs_format, "pgid,sid");
    add(r.threads_L, "lwp");   // -- w-threads (TF_U_L)
    add(r.psr_P, "psr");
    add(format_flags && !c, "c");
    add(c, "class,pri");
    add(r.threads_L && f, "nlwp");  // -- w-threads: -Lf, -LF only
    add(l && !c, "opri,ni");
    add(l && !y, "addr_1");
    add(y, "rss");
    add(l || F, "sz");
    add(l, "wchan");
    add(F && !(l && y), "rss");
    add(F && !r.psr_P, "psr");
    add(f, "stime");
    add(true, "tname");
    if (r.prefer_bsd) {
        add(!l, "stat");
        add(true, format_flags ? "bsdtime,cmd" : "bsdtime,args");
    } else {
        add(true, f ? "time,cmd" : "time,ucmd");
    }
    std::vector<FormatItem> out;
    add_format(out, spec);
    return out;
}

}  // namespace

}  // namespace psi_ps
