#include "options.hpp"

#include "layout.hpp"
#include "parse_util.hpp"

#include <string_view>

namespace psi_ps {

using std::string_view;

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

void add_sort(Request& r, string_view arg) {
    // ps/sortformat.c parse_O_option: a second --sort or k is an error.
    if (r.sort_given) throw UsageError("multiple sort options");
    r.sort_given = true;
    std::vector<SortKey>& out = r.sort;
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

// -- x-bsd: ps/parser.c takes one heading option: h, --no-headers or
// --headers (and their other spellings) --
void set_heading(Request& r, bool repeat) {
    if (r.heading_set) throw UsageError("only one heading option may be specified");
    r.heading_set = true;
    if (repeat) r.repeat_headers = true;
    else r.no_headers = true;
}

namespace {

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
    else if (name == "sort") add_sort(r, val());
    else if (name == "format") add_format(r.format, val());
    else if (name == "cols" || name == "columns" || name == "width") r.cols = parse_cols(val());
    else if (name == "forest") { flag(); r.forest = 'b'; }
    else if (name == "threads") {
        string_view v = val();
        r.threads = static_cast<int>(parse_number(v, 64, "invalid thread count " + quoted(v)));
    }
    else if (name == "interval") r.interval = parse_interval(val());
    else if (name == "no-headers" || name == "no-heading" || name == "no-header" || name == "no-headings" ||
             name == "noheader" || name == "noheaders" || name == "noheading" || name == "noheadings") {
        flag();
        set_heading(r, false);
    }
    // -- x-bsd: --headers, --rows, --cumulative (ps/parser.c parse_gnu_option) --
    else if (name == "headers" || name == "header" || name == "heading" || name == "headings") {
        flag();
        set_heading(r, true);
    }
    else if (name == "rows" || name == "lines") {
        string_view v = val();
        r.rows = static_cast<int>(parse_number(v, 1'999'999'999, "number of rows must follow --rows or --lines"));
        if (r.rows == 0) throw UsageError("number of rows must follow --rows or --lines");
    }
    else if (name == "cumulative") { flag(); r.cumulative = true; }
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
            if (!r.bsd_O.empty()) throw UsageError("BSD O with another O or -O is not supported");  // x-bsd
            r.has_O = true;
            add_format(r.format, "pid");
            add_format(r.format, value);
            add_format(r.format, "state,tname,time,command");  // ps's END_SYS5 trailer
        }
        else add_format(r.format, value);
        return;  // the value used up the rest of the word
    }
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
            bsd_options(r, arg, cur, false);
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
    // -- x-bsd --
    if (!r.bsd_O.empty()) resolve_bsd_O(r);
    apply_sort_modifiers(r);
    if (r.cumulative && (r.interval > 0 || r.watch > 0))
        throw UsageError("S/--cumulative with --interval or --watch is not supported (the interval rates know no "
                         "dead children)");
    if (r.has_O && (r.full || r.long_format || r.jobs_format || r.extra_full || (r.bsd_format && r.bsd_format != 'b')))
        throw UsageError("-O with another format option (-f, -l, -j, -F, BSD u j l v s) is not supported");
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

}  // namespace psi_ps
