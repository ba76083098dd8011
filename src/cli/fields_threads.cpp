// Thread ids (-L, -T, H listings; -- w-threads). In a process's row the
// thread id is the process id, as in ps (ps/output.c pr_tasks shows the
// task's tid, which for a thread-group leader is its pid).
#include <algorithm>
#include <iterator>

#include "escape.hpp"
#include "fields.hpp"
#include "layout.hpp"

namespace psi_ps {

using psi::ProcessInfo;

namespace {

// The security label: ps prints "-" when there is none (no LSM: the read
// fails with EINVAL), and so does every unreadable attribute here.
int t_label(const Env&, const ProcessInfo& p, std::string& o, int cells) {
    if (const std::string* v = p.depth().label.get()) return text_escaped(o, *v, cells);
    return text_dash(o);
}
void v_label(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* s = p.depth().label.get()) v.set_view(*s);
    else v.clear();
}

int thread_id(const ProcessInfo& p) { return p.tid != 0 ? p.tid : p.pid; }
int t_tid(const Env&, const ProcessInfo& p, std::string& o, int) { return append_int(o, thread_id(p)); }
void v_tid(const Env&, const ProcessInfo& p, Value& v) { v.set_int(thread_id(p)); }

// -- x-threads: counters shown as plain integers, '-' when unread --
#define PSI_PS_COUNT_FIELD(fn, member)                                                                       \
    int t_##fn(const Env&, const ProcessInfo& p, std::string& o, int) { return text_attr_int(o, p.member); } \
    void v_##fn(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.member); }
PSI_PS_COUNT_FIELD(majflt, major_faults)
PSI_PS_COUNT_FIELD(minflt, minor_faults)
PSI_PS_COUNT_FIELD(nvcsw, depth().voluntary_ctxt_switches)
PSI_PS_COUNT_FIELD(nivcsw, depth().involuntary_ctxt_switches)
#undef PSI_PS_COUNT_FIELD

using A = psi::AttrId;
constexpr Align R = Align::right;
constexpr Align L = Align::left;

// Header, width and alignment as procps ps/output.c format_array; the
// width grows with pid_max like PID's (CF_PIDMAX).
constexpr FieldDef kFields[] = {
    {"label", "LABEL", 31, L, false, {A::label}, t_label, v_label, "security label (LSM context)"},
    {"lwp", "LWP", 5, R, true, {A::pid}, t_tid, v_tid, "thread id (the pid outside thread listings)"},
    {"spid", "SPID", 5, R, true, {A::pid}, t_tid, v_tid, "thread id (the pid outside thread listings)"},
    {"tid", "TID", 5, R, true, {A::pid}, t_tid, v_tid, "thread id (the pid outside thread listings)"},
    // -- x-threads: faults (stat) and context switches (status), the
    // thread's own in a thread row. procps 4.0.2 accepts nvcsw and nivcsw
    // but prints '-' (pr_nop); psi-ps shows the counts (docs/psi-ps.md).
    {"majflt", "MAJFLT", 6, R, false, {A::major_faults}, t_majflt, v_majflt, "page faults that read from disk"},
    {"minflt", "MINFLT", 6, R, false, {A::minor_faults}, t_minflt, v_minflt, "page faults without disk reads"},
    {"nivcsw", "IVCSW", 5, R, false, {A::involuntary_ctxt_switches}, t_nivcsw, v_nivcsw,
     "involuntary context switches (status nonvoluntary_ctxt_switches)"},
    {"nvcsw", "VCSW", 5, R, false, {A::voluntary_ctxt_switches}, t_nvcsw, v_nvcsw,
     "voluntary context switches (status voluntary_ctxt_switches)"},
};

}  // namespace

std::span<const FieldDef> thread_fields() { return kFields; }

// -- x-threads: which rows of a -m listing show a field --
// procps ps/output.c format_array marks each field PO (process only), TO
// (thread only), ET (every time) or AN (as needed, printed like ET); with
// -m or m, ps/display.c lists_and_needs blanks (pr_nop: '-') the TO fields
// in process rows and the PO fields in thread rows. The names below are
// procps 4.0.2's PO and TO fields (sorted); every other field shows in both.
namespace {
constexpr std::string_view kProcessOnly[] = {
    "%mem", "argc", "args", "cgname", "cgroup", "cmd", "comm", "command", "drs", "dsiz", "emul", "end_code",
    "environ", "exe", "fname", "jid", "longtname", "m_drs", "m_dt", "m_lrs", "m_resident", "m_share", "m_size",
    "m_swap", "m_trs", "nlwp", "osz", "pgid", "pgrp", "pid", "pmem", "ppid", "prmgrp", "prmid", "project", "projid",
    "pss", "resident", "rss", "rssize", "rsz", "sess", "session", "sgi_rss", "share", "sid", "size", "stackp",
    "start_code", "start_stack", "supgid", "supgrp", "sz", "tgid", "thcount", "tname", "tpgid", "trs", "trss",
    "tsess", "tsession", "tsid", "tsiz", "tt", "tty", "tty4", "tty8", "ucmd", "ucomm", "uss", "vm_data", "vm_exe",
    "vm_lib", "vm_lock", "vm_stack", "vsize", "vsz"};
constexpr std::string_view kThreadOnly[] = {
    "blocked", "bnd", "caught", "class", "cls", "cpuid", "eip", "esp", "ignored", "intpri", "lastcpu", "lwp",
    "mwchan", "ni", "nice", "nwchan", "oom", "oomadj", "opri", "policy", "pri", "pri_api", "pri_bar", "pri_baz",
    "pri_foo", "priority", "pset", "psr", "psxpri", "rbytes", "rchars", "rops", "rtprio", "s", "sched", "sgi_p",
    "sig_block", "sig_catch", "sig_ignore", "sigcatch", "sigignore", "sigmask", "spid", "stat", "state", "taskid",
    "tid", "upr", "usrpri", "wbytes", "wcbytes", "wchan", "wchars", "wname", "wops"};

template <std::size_t N>
constexpr bool sorted(const std::string_view (&names)[N]) {
    for (std::size_t i = 1; i < N; ++i)
        if (!(names[i - 1] < names[i])) return false;
    return true;
}
static_assert(sorted(kProcessOnly) && sorted(kThreadOnly), "binary search needs sorted names");
}  // namespace

namespace {
int t_blank(const Env&, const ProcessInfo&, std::string& o, int) { return text_dash(o); }
void v_blank(const Env&, const ProcessInfo&, Value& v) { v.clear(); }
}  // namespace

void split_columns(const std::vector<Column>& cols, SplitColumns& out) {
    out.blanks.clear();
    out.blanks.reserve(cols.size());  // never reallocated: the columns point into it
    out.process = cols;
    out.thread = cols;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        const RowScope scope = row_scope(cols[i].def->name);
        if (scope == RowScope::every) continue;
        FieldDef& blank = out.blanks.emplace_back(*cols[i].def);
        blank.text = t_blank;
        blank.value = v_blank;
        (scope == RowScope::thread ? out.process : out.thread)[i].def = &blank;
    }
}

RowScope row_scope(std::string_view field_name) {
    if (std::binary_search(std::begin(kProcessOnly), std::end(kProcessOnly), field_name)) return RowScope::process;
    if (std::binary_search(std::begin(kThreadOnly), std::end(kThreadOnly), field_name)) return RowScope::thread;
    return RowScope::every;
}

}  // namespace psi_ps
