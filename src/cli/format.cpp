// format.cpp - the columns of a listing: -o lists or the built-in UNIX and
// BSD formats (ps/sortformat.c), with the BSD modifiers applied.
#include <initializer_list>
#include <string>
#include <string_view>

#include "parse_util.hpp"

namespace psi_ps {

namespace {
std::vector<FormatItem> base_format(const Request& r);
}  // namespace

// -- w-threads: -M and BSD Z put the security label first (ps/sortformat.c
// adds "label" in front of the format, built-in or -o).
std::vector<FormatItem> effective_format(const Request& r) {
    std::vector<FormatItem> out = base_format(r);
    if (r.label_first) out.insert(out.begin(), parse_format_item("label"));
    // -- x-bsd: c, n and S swap in their variants of the columns --
    for (char m : {'c', 'n', 'S'}) {
        if (!(m == 'c' ? r.bsd_c : m == 'n' ? r.numeric_ids : r.cumulative)) continue;
        for (FormatItem& it : out)
            if (const FieldDef* v = modified_field(*it.def, m)) it.def = v;
    }
    return out;
}

// -- x-bsd: with S, ps sorts %cpu by the value it shows (ps/display.c
// value_this_proc_pcpu fills the sort key with the children's time too);
// the other keys sort by the process's own values, as in ps --
void apply_sort_modifiers(Request& r) {
    if (!r.cumulative) return;
    for (SortKey& k : r.sort)
        if (k.def->name == "pcpu" || k.def->name == "%cpu") k.def = modified_field(*k.def, 'S');
}

namespace {
std::vector<FormatItem> base_format(const Request& r) {
    if (!r.format.empty()) return r.format;
    // The BSD formats (ps/output.c macro_array OL_u, OL_j, OL_l, OL_v,
    // OL_s and OL_).
    // x-threads: the plain BSD format ('b') is ps's generated SysV list
    // with BSD defaults (below), which also takes -L's LWP, -T's SPID and
    // -P's PSR ("ps m -L", "ps -L x").
    if (r.bsd_format && r.bsd_format != 'b' && !r.full && !r.long_format && !r.jobs_format && !r.extra_full) {
        const char* bsd = r.bsd_format == 'u'   ? "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args"
                          : r.bsd_format == 'j' ? "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args"
                          : r.bsd_format == 'v' ? "pid,tname,stat,bsdtime,maj_flt,m_trs,m_drs,rss,pmem,args"
                          : r.bsd_format == 's' ? "uid,pid,pending,sig_block,sig_ignore,caught,stat,tname,bsdtime,args"
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
