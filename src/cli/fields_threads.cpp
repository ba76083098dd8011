// Thread ids (-L, -T, H listings; -- w-threads). In a process's row the
// thread id is the process id, as in ps (ps/output.c pr_tasks shows the
// task's tid, which for a thread-group leader is its pid).
#include "escape.hpp"
#include "fields.hpp"

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
};

}  // namespace

std::span<const FieldDef> thread_fields() { return kFields; }

}  // namespace psi_ps
