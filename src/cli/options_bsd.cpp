// options_bsd.cpp - procps's BSD-style words (no dash), ps(1) "BSD OPTIONS",
// as ps/parser.c parse_bsd_option reads them.
#include "parse_util.hpp"

#include <string_view>

namespace psi_ps {

using std::string_view;

namespace {

// The rest of the word, else the next word (ps/parser.c get_opt_arg: an
// empty next word counts as none); empty when there is neither.
string_view opt_arg(string_view arg, std::size_t k, ArgCursor& cur) {
    if (k + 1 < arg.size()) return arg.substr(k + 1);
    if (!cur.has_next() || cur.argv[cur.i + 1][0] == '\0') return {};
    return cur.take("");
}

void set_format_letter(Request& r, char c) {
    // ps ORs the letters into format_flags: the same one twice is fine, two
    // different ones are "conflicting format options".
    if (r.bsd_format && r.bsd_format != 'b' && r.bsd_format != c) throw UsageError("conflicting format options");
    r.bsd_format = c;
}

}  // namespace

// The selection letters a, x and g, the format letters u, j, l, v
// (virtual memory) and s (signals), e (environment after the command), f
// (forest), h (no header), r (running only), w (wide), L (list fields), the
// modifiers c (command name), n (numeric ids), S (dead children's time);
// o FORMAT, O FORMAT-OR-SORT, k SORT, p PIDS and U USERS take the rest of
// the word or the next one ("ps axo pid,comm"); a word of pids ("ps 1,2").
void bsd_options(Request& r, string_view arg, ArgCursor& cur, bool second_chance) {
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
        // h: no header (procps's Linux personality; PER_BSD_h would repeat it).
        case 'h': set_heading(r, false); break;
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
        case 'u': case 'j': case 'l': case 'v': case 's': set_format_letter(r, c); break;
        // -- x-bsd: modifiers (format.cpp applies them to the columns) --
        case 'c': r.bsd_c = true; break;
        case 'n': r.numeric_ids = true; break;
        case 'S': r.cumulative = true; break;
        case 'k': {
            string_view value = opt_arg(arg, k, cur);
            if (value.empty()) throw UsageError("long sort specification must follow 'k'");
            add_sort(r, value);
            if (!r.bsd_format) r.bsd_format = 'b';
            return;  // the value used up the rest of the word
        }
        case 'O': {
            string_view value = opt_arg(arg, k, cur);
            if (value.empty()) throw UsageError("format or sort specification must follow O");
            if (!r.bsd_O.empty() || r.has_O)
                throw UsageError("BSD O with another O or -O is not supported");
            r.bsd_O = std::string(value);
            r.format_before_O = !r.format.empty();
            if (!r.bsd_format) r.bsd_format = 'b';
            return;
        }
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
                             "; psi-ps takes the BSD letters a x g e u j l v s c n S f h r w H m M Z L o O k p U and "
                             "procps's UNIX and GNU options (try 'psi-ps --help')");
        }
        informational = false;
    }
    if (!informational && !r.bsd_format) r.bsd_format = 'b';
}

namespace {

// ps/output.c shortsort_array: BSD O's one-letter sort keys.
const char* short_sort_key(char c) {
    switch (c) {
    case 'C': return "pcpu";
    case 'G': return "tpgid";
    case 'J': return "cstime";
    case 'M': return "maj_flt";
    case 'N': return "cmaj_flt";
    case 'P': return "ppid";
    case 'R': return "resident";
    case 'S': return "share";
    case 'T': return "start_time";
    case 'U': return "uid";
    case 'c': return "cmd";
    case 'f': return "flags";
    case 'g': return "pgrp";
    case 'j': return "cutime";
    case 'k': return "utime";
    case 'm': return "min_flt";
    case 'n': return "cmin_flt";
    case 'o': return "session";
    case 'p': return "pid";
    case 'r': return "rss";
    case 's': return "size";
    case 't': return "tty";
    case 'u': return "user";
    case 'v': return "vsize";
    case 'y': return "priority";
    default: return nullptr;  // K: reserved, no key
    }
}

// ps/sortformat.c verify_short_sort: only sort letters, each at most once,
// a sign always before a letter; P (ppid) not with a forest.
bool looks_like_short_sort(const Request& r, string_view s) {
    bool seen[128] = {};
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '+' || c == '-') {
            if (i + 1 == s.size() || s[i + 1] == '+' || s[i + 1] == '-') return false;
            continue;
        }
        if (c != 'K' && !short_sort_key(c)) return false;
        if (c == 'P' && r.forest) return false;
        if (seen[static_cast<unsigned char>(c)]) return false;
        seen[static_cast<unsigned char>(c)] = true;
    }
    return true;
}

}  // namespace

// ps/sortformat.c parse_O_option, SF_B_O: O's argument is a sort order when
// it reads as one and no --sort or k was given anywhere; otherwise, unless
// a format came before it, a format wrapped as "pid,ITEMS,state,tname,
// cputime,comm" (O_wrap with END_BSD), which later o lists extend.
void resolve_bsd_O(Request& r) {
    const string_view arg = r.bsd_O;
    if (!r.sort_given && looks_like_short_sort(r, arg)) {
        std::string spec;  // the same keys as a --sort list
        char sign = 0;
        for (char c : arg) {
            if (c == '+' || c == '-') {
                sign = c;
                continue;
            }
            const char* key = short_sort_key(c);
            if (!key || !find_field(key))
                throw UsageError("BSD O sort key " + quoted(std::string(1, c)) + (key ? " (" + std::string(key) + ")" : "") +
                                 " is not supported; use --sort with a field psi-ps has");
            if (!spec.empty()) spec.push_back(',');
            if (sign == '-') spec.push_back('-');
            spec += key;
            sign = 0;
        }
        add_sort(r, spec);
        return;
    }
    if (r.format_before_O) throw UsageError("option O is neither first format nor sort order");
    if (r.full || r.long_format || r.jobs_format || r.extra_full || (r.bsd_format && r.bsd_format != 'b'))
        throw UsageError("conflicting format options");
    std::vector<FormatItem> items;
    add_format(items, "pid");
    add_format(items, arg);
    add_format(items, "state,tname,cputime,comm");
    r.format.insert(r.format.begin(), items.begin(), items.end());
}

}  // namespace psi_ps
