// options.hpp - the psi-ps command line, parsed the procps way.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "fields.hpp"

namespace psi_ps {

// A usage error: main() prints "psi-ps: <what>" on one line and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct FormatItem {
    const FieldDef* def = nullptr;
    std::string header;    // the field's header unless overridden
    int width = -1;        // -1: the field's own width
    bool header_set = false;
};

struct SortKey {
    const FieldDef* def = nullptr;
    bool descending = false;
};

enum class OutputKind { text, json, csv };

struct Request {
    // Selection; several kinds are OR'ed, as in procps. None: POSIX default.
    bool all = false;
    std::vector<int> pids, ppids;
    std::vector<std::uint32_t> euids, ruids;
    std::vector<std::string> names;
    // BSD words (ps aux): 'a' lifts "only yourself", 'x' lifts "must have a
    // terminal"; with both, every process.
    bool bsd_a = false, bsd_x = false;
    bool bsd_g = false;              // BSD g: session leaders too (a no-op on Linux)
    // UNIX -a (every process on a terminal but session leaders) and -d
    // (every process but session leaders).
    bool unix_a = false, unix_d = false;
    bool running_only = false;       // BSD r: runnable (R) or in disk sleep (D)
    bool negate = false;             // -N, --deselect: everything not selected
    std::vector<int> sids;           // -s, --sid, numeric -g
    std::vector<std::uint64_t> ttys; // -t, --tty: device numbers, 0 for "no terminal"
    std::vector<std::uint32_t> egids, rgids;  // --group and -g names; -G, --Group
    bool quick = false;              // -q, --quick-pid: pids is the whole selection
    // Any BSD word or bare pid word was given: procps then prefers BSD
    // defaults (any terminal for the default selection; STAT and BSD TIME
    // in the UNIX -f / -l formats).
    bool prefer_bsd = false;
    bool bsd_e = false;              // BSD e: the environment after the command

    // Format.
    std::vector<FormatItem> format;  // -o items; empty: a built-in format
    bool full = false;               // -f
    bool long_format = false;        // -l
    bool jobs_format = false;        // -j: pgid and sid
    bool long_y = false;             // -y (with -l): rss instead of flags and addr
    bool extra_full = false;         // -F
    bool sched_c = false;            // -c: CLS and PRI instead of C (and PRI NI)
    bool psr_P = false;              // -P: add PSR
    bool has_O = false;              // -O: format is pid,<items>,state,tname,time,command
    // A BSD word was given: its format letter (u, j, l, v, s), or 'b' for
    // the plain BSD format (pid,tname,stat,bsdtime,args); 0 for none.
    char bsd_format = 0;
    // -- x-bsd: modifiers of the columns (format.cpp effective_format swaps
    // in a variant field, so rows cost nothing more) --
    bool bsd_c = false;              // c: args/cmd/command show the name
    bool numeric_ids = false;        // n: user/group names as ids, WCHAN right-aligned
    bool cumulative = false;         // S, --cumulative: times and faults add dead children's
    bool sort_given = false;         // --sort or k (ps: one sort option only)
    // BSD O's argument, resolved after the last word (options_bsd.cpp), and
    // whether a format list came before it.
    std::string bsd_O;
    bool format_before_O = false;
    bool no_headers = false;
    // -- x-bsd: --headers: the header again at the top of every page of
    // `rows` lines (ps/display.c check_headers: header_gap = screen_rows -
    // 1); rows 0: the terminal's (layout.hpp screen_rows) --
    bool repeat_headers = false;
    int rows = 0;                    // --rows / --lines N
    bool heading_set = false;        // h, --headers, --no-headers: one only
    int wide = 0;                    // number of -w
    int cols = 0;                    // --cols N
    std::vector<SortKey> sort;
    char forest = 0;                 // 'b' --forest, 'u' -H
    OutputKind output = OutputKind::text;
    // Threads reading the table (psi::Options::threads): 0 = two per CPU.
    int threads = 0;
    // --interval SECONDS: %cpu and C over this interval (0: over the lifetime).
    double interval = 0;

    // Informational actions.
    bool help = false;
    bool version = false;
    bool list_fields = false;        // L: procps's two-column list
    bool list_fields_long = false;   // --list-fields: with groups and meaning

    // -- w-threads: thread listing --
    // One row per thread instead of per process: -L (adds LWP, and NLWP
    // with -f), -T (adds SPID), BSD H (no column added).
    bool threads_L = false, threads_T = false, threads_H = false;
    bool show_threads() const { return threads_L || threads_T || threads_H; }
    // -M, BSD Z: the security label column first (ps's "label" field).
    bool label_first = false;

    // -- x-threads: -m (UNIX), m and M (BSD): each process's row, then a row
    // per thread of it (ps/display.c simple_spew, "m and -m options").
    bool threads_m_unix = false, threads_m_bsd = false;
    bool threads_after() const { return threads_m_unix || threads_m_bsd; }
    // -- x-resample: --watch SECONDS [--count N]: the listing again every
    // SECONDS (as top -b -d), %cpu and C over the time since the previous
    // one; N listings in all (0: until interrupted) --
    double watch = 0;
    long count = 0;

    // A list selection (ps's selection_list): -p -u -U -C -s -t -g -G ...
    bool has_list() const {
        return !pids.empty() || !ppids.empty() || !euids.empty() || !ruids.empty() || !names.empty() ||
               !sids.empty() || !ttys.empty() || !egids.empty() || !rgids.empty();
    }
    // Any selection at all; without one, ps's default (ours on our terminal).
    bool has_selection() const { return all || bsd_a || bsd_x || unix_a || unix_d || has_list(); }
};

Request parse_args(int argc, char** argv);

// The columns of -o items or of the built-in -f / -l / default formats.
std::vector<FormatItem> effective_format(const Request& r);

}  // namespace psi_ps
