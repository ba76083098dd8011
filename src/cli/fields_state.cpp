// Scheduling and state: stat, nice and priorities, threads, tty, flags.
#include <optional>

#include "escape.hpp"
#include "fields.hpp"

namespace psi_ps {

using psi::ProcessInfo;

namespace {

using psi::SchedPolicy;

// ps pr_nice (procps output.c) prints the nice value under SCHED_OTHER and
// SCHED_BATCH only, '-' under FIFO, RR, IDLE and DEADLINE.
bool shows_nice(const ProcessInfo& p) {
    if (const SchedPolicy* pol = p.policy.get()) return *pol == SchedPolicy::other || *pol == SchedPolicy::batch;
    // No policy (a short stat line from an old kernel): stat's priority is
    // prio - MAX_RT_PRIO (kernel fs/proc/array.c), negative exactly for the
    // real-time policies.
    const int* kp = p.kernel_priority.get();
    return !(kp && *kp < 0);
}

int t_nlwp(const Env&, const ProcessInfo& p, std::string& o, int) { return text_attr_int(o, p.nthreads); }
void v_nlwp(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.nthreads); }
int t_psr(const Env&, const ProcessInfo& p, std::string& o, int) { return text_attr_int(o, p.processor); }
void v_psr(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.processor); }

int t_nice(const Env&, const ProcessInfo& p, std::string& o, int) {
    if (!shows_nice(p)) return text_dash(o);
    return text_attr_int(o, p.nice);
}
void v_nice(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.nice); }

// ps pr_rtprio: '-' for SCHED_OTHER only (SCHED_BATCH/IDLE show 0).
bool shows_rtprio(const ProcessInfo& p) {
    if (const SchedPolicy* pol = p.policy.get()) return *pol != SchedPolicy::other;
    return !shows_nice(p);
}

// ps pr_class: the policy's short name; pr_sched: its number (Linux's
// SCHED_* number, which SchedPolicy keeps).
int t_class(const Env&, const ProcessInfo& p, std::string& o, int) {
    const SchedPolicy* pol = p.policy.get();
    if (!pol) return text_dash(o);
    std::string_view name = psi::sched_policy_class(*pol);
    o.append(name);
    return static_cast<int>(name.size());
}
void v_class(const Env&, const ProcessInfo& p, Value& v) {
    if (const SchedPolicy* pol = p.policy.get()) v.set_copy(psi::sched_policy_class(*pol));
    else v.clear();
}
int t_sched(const Env&, const ProcessInfo& p, std::string& o, int) { return text_attr_int(o, p.policy); }
void v_sched(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.policy); }
int t_rtprio(const Env&, const ProcessInfo& p, std::string& o, int) {
    if (!shows_rtprio(p)) return text_dash(o);
    return text_attr_int(o, p.priority);
}
void v_rtprio(const Env&, const ProcessInfo& p, Value& v) {
    if (shows_rtprio(p)) value_attr(v, p.priority);
    else v.clear();
}

template <int Base, int Sign>
int t_prio(const Env&, const ProcessInfo& p, std::string& o, int) {
    if (const int* kp = p.kernel_priority.get()) return append_int(o, Base + Sign * *kp);
    return text_dash(o);
}
template <int Base, int Sign>
void v_prio(const Env&, const ProcessInfo& p, Value& v) {
    if (const int* kp = p.kernel_priority.get()) v.set_int(Base + Sign * *kp);
    else v.clear();
}

// ps pr_stat: state letter, then '<' (nice < 0), 'N' (nice > 0), 'L' (pages
// locked, status VmLck), 's' (session leader), 'l' (multi-threaded), '+'
// (in the foreground process group of its terminal: pgrp == stat tpgid).
bool foreground(const ProcessInfo& p) {
    const int* pgrp = p.pgrp.get();
    const int* tpgid = p.tpgid.get();
    return pgrp && tpgid && *pgrp == *tpgid;
}
// The state byte comes from the process's stat file as is: the kernel writes
// a letter, but a crafted proc root (a container's, a FUSE mount) can put
// any byte there, ESC and NUL included. ps copies it raw to the terminal;
// we send it through the escape path like every process-supplied text
// ('?' in a UTF-8 locale, '.' for a control in others), and a NUL, which
// the escape path would drop as the end of a C string, becomes '?' so the
// one-cell column keeps its cell.
int state_letter(std::string& o, char letter) {
    if (letter == '\0') {
        o.push_back('?');
        return 1;
    }
    return append_escaped(o, std::string_view(&letter, 1), 1);
}
// stat's flag letters after the state: all ASCII of our own choosing.
int stat_flags(const ProcessInfo& p, char* buf) {
    int n = 0;
    if (const int* ni = p.nice.get()) {
        if (*ni < 0) buf[n++] = '<';
        if (*ni > 0) buf[n++] = 'N';
    }
    if (const std::uint64_t* lk = p.locked.get(); lk && *lk > 0) buf[n++] = 'L';
    if (const int* sid = p.sid.get(); sid && *sid == p.pid) buf[n++] = 's';
    if (const int* nt = p.nthreads.get(); nt && *nt > 1) buf[n++] = 'l';
    if (foreground(p)) buf[n++] = '+';
    return n;
}
int t_stat(const Env&, const ProcessInfo& p, std::string& o, int) {
    const char* letter = p.status_letter.get();
    if (!letter) return text_dash(o);
    char buf[8];
    int n = stat_flags(p, buf);
    int cells = state_letter(o, *letter);
    o.append(buf, static_cast<std::size_t>(n));
    return cells + n;
}
// --json keeps the raw byte (JSON escapes it); --csv escapes text itself.
void v_stat(const Env&, const ProcessInfo& p, Value& v) {
    const char* letter = p.status_letter.get();
    if (!letter) {
        v.clear();
        return;
    }
    char buf[8];
    buf[0] = *letter;
    int n = 1 + stat_flags(p, buf + 1);
    v.set_copy(std::string_view(buf, static_cast<std::size_t>(n)));
}

int t_state(const Env&, const ProcessInfo& p, std::string& o, int) {
    const char* letter = p.status_letter.get();
    if (!letter) return text_dash(o);
    return state_letter(o, *letter);
}
void v_state(const Env&, const ProcessInfo& p, Value& v) {
    const char* letter = p.status_letter.get();
    if (letter) v.set_copy(std::string_view(letter, 1));
    else v.clear();
}

// ps prints the device path without "/dev/", and '?' for no terminal.
std::string_view tty_name(const ProcessInfo& p) {
    const std::string* t = p.terminal.get();
    if (!t || t->empty()) return {};
    std::string_view s = *t;
    if (s.substr(0, 5) == "/dev/") s.remove_prefix(5);
    return s;
}
int t_tty(const Env&, const ProcessInfo& p, std::string& o, int) {
    std::string_view s = tty_name(p);
    if (s.empty()) {
        o.push_back('?');
        return 1;
    }
    return text_escaped(o, s, kCellRoom);
}
void v_tty(const Env&, const ProcessInfo& p, Value& v) {
    std::string_view s = tty_name(p);
    if (s.empty()) v.clear();
    else v.set_view(s);
}

// ps pr_flag: Unix98 wants octal; ps shows bits 6-8 of the kernel flags
// (PF_FORKNOEXEC = 0x40 shows as 1, PF_SUPERPRIV = 0x100 as 4).
int t_flags(const Env&, const ProcessInfo& p, std::string& o, int) {
    const std::uint64_t* f = p.flags.get();
    if (!f) return text_dash(o);
    o.push_back(static_cast<char>('0' + ((*f >> 6) & 7)));
    return 1;
}
void v_flags(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::uint64_t* f = p.flags.get()) v.set_int(static_cast<std::int64_t>((*f >> 6) & 7));
    else v.clear();
}

// procps lookup_wchan: '-' for the kernel's "0" (running, or no access),
// '?' when the file cannot be read, leading '_'s dropped ("__x64_sys_pause"
// prints "x64_sys_pause"); cut to the column unless it is the last one.
// Where psi has no wchan (macOS, Solaris) it prints '-', as it always did.
int t_wchan(const Env&, const ProcessInfo& p, std::string& o, int room) {
    if (room <= 0) return 0;
    const std::string* w = p.wchan.get();
    if (!w) {
        if (p.wchan.status() == psi::AttrStatus::not_implemented) return text_dash(o);
        o.push_back('?');
        return 1;
    }
    std::string_view s = *w;
    while (!s.empty() && s.front() == '_') s.remove_prefix(1);
    if (s.empty()) return text_dash(o);
    return append_ps_escaped(o, s, room);
}
void v_wchan(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* w = p.wchan.get()) v.set_view(*w);
    else v.clear();
}

// Placeholders ps itself prints as '-' (ADDR).
int t_dash(const Env&, const ProcessInfo&, std::string& o, int) { return text_dash(o); }
void v_null(const Env&, const ProcessInfo&, Value& v) { v.clear(); }

constexpr Align L = Align::left;
constexpr Align R = Align::right;

using A = psi::AttrId;

constexpr FieldDef kFields[] = {
    {"addr", "ADDR", 4, R, false, {}, t_dash, v_null, "always '-' (as in ps)"},
    {"addr_1", "ADDR", 1, L, false, {}, t_dash, v_null, "always '-' (as in ps -l)"},
    {"class", "CLS", 3, L, false, {A::policy}, t_class, v_class, "scheduling policy: TS FF RR B ISO IDL DLN"},
    {"cls", "CLS", 3, R, false, {A::policy}, t_class, v_class, "scheduling policy: TS FF RR B ISO IDL DLN"},
    {"f", "F", 1, R, false, {A::flags}, t_flags, v_flags, "kernel flags, bits 6-8, octal"},
    {"flag", "F", 1, R, false, {A::flags}, t_flags, v_flags, "kernel flags, bits 6-8, octal"},
    {"flags", "F", 1, R, false, {A::flags}, t_flags, v_flags, "kernel flags, bits 6-8, octal"},
    {"intpri", "PRI", 3, R, false, {A::kernel_priority}, t_prio<60, 1>, v_prio<60, 1>, "priority, 60 + kernel priority"},
    {"ni", "NI", 3, R, false, {A::nice, A::policy}, t_nice, v_nice, "nice value ('-' unless SCHED_OTHER or SCHED_BATCH)"},
    {"nice", "NI", 3, R, false, {A::nice, A::policy}, t_nice, v_nice, "nice value ('-' unless SCHED_OTHER or SCHED_BATCH)"},
    {"nlwp", "NLWP", 4, R, false, {A::nthreads}, t_nlwp, v_nlwp, "number of threads"},
    {"opri", "PRI", 3, R, false, {A::kernel_priority}, t_prio<60, 1>, v_prio<60, 1>, "priority, 60 + kernel priority"},
    {"policy", "POL", 3, L, false, {A::policy}, t_class, v_class, "scheduling policy: TS FF RR B ISO IDL DLN"},
    {"pri", "PRI", 3, R, false, {A::kernel_priority}, t_prio<39, -1>, v_prio<39, -1>, "priority, 39 - kernel priority"},
    {"priority", "PRI", 3, R, false, {A::kernel_priority}, t_prio<0, 1>, v_prio<0, 1>, "kernel priority (stat field 18)"},
    {"psr", "PSR", 3, R, false, {A::processor}, t_psr, v_psr, "processor the process last ran on"},
    {"rtprio", "RTPRIO", 6, R, false, {A::priority, A::policy}, t_rtprio, v_rtprio, "real-time priority ('-' if not real-time)"},
    {"s", "S", 1, L, false, {A::status_letter}, t_state, v_state, "state letter"},
    {"sched", "SCH", 3, R, false, {A::policy}, t_sched, v_sched, "scheduling policy number (SCHED_*)"},
    // 'L' needs locked (VmLck from status, as ps reads it): its group, creds,
    // also gives rss and the ids, so the listing reads status instead of
    // statm and the fstatat rather than in addition to them.
    {"stat", "STAT", 4, L, false, {A::status_letter, A::nice, A::locked, A::sid, A::nthreads, A::pgrp, A::tpgid}, t_stat, v_stat, "state letter and ps's flag letters"},
    {"state", "S", 1, L, false, {A::status_letter}, t_state, v_state, "state letter"},
    {"thcount", "THCNT", 5, R, false, {A::nthreads}, t_nlwp, v_nlwp, "number of threads"},
    {"tname", "TTY", 8, L, false, {A::terminal}, t_tty, v_tty, "controlling terminal ('?' for none)"},
    {"tt", "TT", 8, L, false, {A::terminal}, t_tty, v_tty, "controlling terminal ('?' for none)"},
    {"tty", "TT", 8, L, false, {A::terminal}, t_tty, v_tty, "controlling terminal ('?' for none)"},
    {"wchan", "WCHAN", 6, L, false, {A::wchan}, t_wchan, v_wchan,
     "kernel function it sleeps in ('-' when running)"},
};

}  // namespace

std::span<const FieldDef> state_fields() { return kFields; }

}  // namespace psi_ps
