// Issue 12's stat and status columns: page faults, code and data sizes,
// saved and file-system ids, supplementary groups, signal masks.
// Headers, widths and formats are procps ps 4.0.2's (ps/output.c).
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "escape.hpp"
#include "fields.hpp"
#include "layout.hpp"

namespace psi_ps {

using psi::ProcessInfo;

namespace {

#define PSI_PS_U64_FIELD(fn, member)                                                                          \
    int t_##fn(const Env&, const ProcessInfo& p, std::string& o, int) { return text_attr_int(o, p.member); } \
    void v_##fn(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.member); }
PSI_PS_U64_FIELD(majflt, major_faults)
PSI_PS_U64_FIELD(minflt, minor_faults)
#undef PSI_PS_U64_FIELD

// ps prints the ids with %d: an id above 2^31-1 shows negative.
#define PSI_PS_ID_FIELD(fn, member)                                                                  \
    int t_##fn(const Env&, const ProcessInfo& p, std::string& o, int) {                              \
        if (const auto* id = p.member.get()) return append_int(o, static_cast<std::int32_t>(*id));   \
        return text_dash(o);                                                                         \
    }                                                                                                \
    void v_##fn(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.member); }
PSI_PS_ID_FIELD(suid, depth().suid)
PSI_PS_ID_FIELD(sgid, depth().sgid)
PSI_PS_ID_FIELD(fsuid, depth().fsuid)
PSI_PS_ID_FIELD(fsgid, depth().fsgid)
#undef PSI_PS_ID_FIELD

int t_fuser(const Env&, const ProcessInfo& p, std::string& o, int m) { return name_text(o, p.depth().fsuser, p.depth().fsuid, m); }
int t_fgroup(const Env&, const ProcessInfo& p, std::string& o, int m) { return name_text(o, p.depth().fsgroup, p.depth().fsgid, m); }
void v_fuser(const Env&, const ProcessInfo& p, Value& v) {
    if (const auto* n = p.depth().fsuser.get()) v.set_view(*n);
    else v.clear();
}
void v_fgroup(const Env&, const ProcessInfo& p, Value& v) {
    if (const auto* n = p.depth().fsgroup.get()) v.set_view(*n);
    else v.clear();
}

// ps pr_trs / pr_drs (KiB from stat's vsize, startcode, endcode): a kernel
// thread (vsize 0) shows 0. Without ptrace access the kernel shows 1 for
// both bounds, so trs is 0 and drs the whole vsize.
std::optional<std::int64_t> trs_kib(const ProcessInfo& p) {
    const auto *vsz = p.vsz.get(), *start = p.start_code.get(), *end = p.end_code.get();
    if (!vsz || !start || !end) return std::nullopt;
    if (*vsz == 0) return 0;
    return static_cast<std::int64_t>((*end - *start) >> 10);
}
std::optional<std::int64_t> drs_kib(const ProcessInfo& p) {
    const auto *vsz = p.vsz.get(), *start = p.start_code.get(), *end = p.end_code.get();
    if (!vsz || !start || !end) return std::nullopt;
    if (*vsz == 0) return 0;
    return static_cast<std::int64_t>((*vsz - *end + *start) >> 10);
}
// ps pr_size: VmData + VmStk in KiB; 0 when the lines are absent (a
// zombie has dropped its memory: not_available here).
std::optional<std::int64_t> size_kib(const ProcessInfo& p) {
    const auto *data = p.depth().data_size.get(), *stack = p.depth().stack_size.get();
    if (p.depth().data_size.status() == psi::AttrStatus::not_available) return 0;
    if (!data || !stack) return std::nullopt;
    return static_cast<std::int64_t>((*data + *stack) / 1024);
}

#define PSI_PS_KIB_FIELD(fn)                                                               \
    int t_##fn(const Env&, const ProcessInfo& p, std::string& o, int) {                    \
        auto v = fn##_kib(p);                                                              \
        return v ? append_int(o, *v) : text_dash(o);                                       \
    }                                                                                      \
    void v_##fn(const Env&, const ProcessInfo& p, Value& out) {                            \
        if (auto v = fn##_kib(p)) out.set_int(*v);                                         \
        else out.clear();                                                                  \
    }
PSI_PS_KIB_FIELD(trs)
PSI_PS_KIB_FIELD(drs)
PSI_PS_KIB_FIELD(size)
#undef PSI_PS_KIB_FIELD

// ps pr_supgid / pr_supgrp: the Groups: ids (or their names) joined with
// ','; '-' for none. Cut to the room like any unlimited text.
int join_text(std::string& o, const std::vector<std::string>& parts, int m) {
    if (parts.empty()) return text_dash(o);
    std::string s;
    for (const auto& part : parts) {
        if (!s.empty()) s.push_back(',');
        s += part;
    }
    return text_escaped(o, s, m);
}
int t_supgid(const Env&, const ProcessInfo& p, std::string& o, int m) {
    const auto* ids = p.depth().supplementary_groups.get();
    if (!ids) return text_dash(o);
    std::vector<std::string> parts;
    parts.reserve(ids->size());
    for (std::uint32_t id : *ids) parts.push_back(std::to_string(id));
    return join_text(o, parts, m);
}
int t_supgrp(const Env&, const ProcessInfo& p, std::string& o, int m) {
    const auto* names = p.depth().supplementary_group_names.get();
    return names ? join_text(o, *names, m) : text_dash(o);
}
void v_supgid(const Env& e, const ProcessInfo& p, Value& v) {
    std::string s;
    if (p.depth().supplementary_groups.get()) t_supgid(e, p, s, kUnlimitedCols);
    if (s.empty()) v.clear();
    else v.set_copy(s);
}
void v_supgrp(const Env&, const ProcessInfo& p, Value& v) {
    if (const auto* names = p.depth().supplementary_group_names.get()) v.set_list(*names);
    else v.clear();
}

// ps help_pr_sig: wide, all 16 hex digits; narrow, the low 8, after a '<'
// when a signal above 32 is in the set.
int sig_text(const Env& env, const psi::Attr<std::uint64_t>& a, std::string& o) {
    const std::uint64_t* set = a.get();
    if (!set) return text_dash(o);
    char buf[24];
    int n;
    if (env.wide_signals) n = std::snprintf(buf, sizeof buf, "%016" PRIx64, *set);
    else n = std::snprintf(buf, sizeof buf, "%s%08" PRIx64, (*set >> 32) ? "<" : "", *set & 0xffffffffu);
    o.append(buf, static_cast<std::size_t>(n));
    return n;
}
#define PSI_PS_SIG_FIELD(fn, member)                                                                                \
    int t_##fn(const Env& e, const ProcessInfo& p, std::string& o, int) { return sig_text(e, p.member, o); }        \
    void v_##fn(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.member); }
PSI_PS_SIG_FIELD(blocked, depth().sigmask)
PSI_PS_SIG_FIELD(pending, depth().sigpending)
PSI_PS_SIG_FIELD(ignored, depth().sigignore)
PSI_PS_SIG_FIELD(caught, depth().sigcatch)
#undef PSI_PS_SIG_FIELD

constexpr Align R = Align::right;
constexpr Align U = Align::user;
constexpr Align L = Align::unlimited;
using A = psi::AttrId;

// -- w-status: the issue-12 stat and status columns --
constexpr FieldDef kFields[] = {
    {"blocked", "BLOCKED", 9, R, false, {A::sigmask}, t_blocked, v_blocked, "blocked signals (status SigBlk)"},
    {"caught", "CAUGHT", 9, R, false, {A::sigcatch}, t_caught, v_caught, "caught signals (status SigCgt)"},
    {"drs", "DRS", 5, R, false, {A::vsz, A::start_code, A::end_code}, t_drs, v_drs,
     "data resident set in KiB: vsz less the text (stat)"},
    {"fgid", "FGID", 5, R, false, {A::fsgid}, t_fsgid, v_fsgid, "file-system group id"},
    {"fgroup", "FGROUP", 8, U, false, {A::fsgroup, A::fsgid}, t_fgroup, v_fgroup, "file-system group name"},
    {"fuid", "FUID", 5, R, false, {A::fsuid}, t_fsuid, v_fsuid, "file-system user id"},
    {"fuser", "FUSER", 8, U, false, {A::fsuser, A::fsuid}, t_fuser, v_fuser, "file-system user name"},
    {"ignored", "IGNORED", 9, R, false, {A::sigignore}, t_ignored, v_ignored, "ignored signals (status SigIgn)"},
    // -- x-bsd: the names procps's BSD v and s formats use (ps/output.c OL_v,
    // OL_s): m_trs is one cell wider than trs --
    {"m_drs", "DRS", 5, R, false, {A::vsz, A::start_code, A::end_code}, t_drs, v_drs, "data resident set in KiB (as drs)"},
    {"m_trs", "TRS", 5, R, false, {A::vsz, A::start_code, A::end_code}, t_trs, v_trs, "text resident set in KiB (as trs)"},
    {"maj_flt", "MAJFL", 6, R, false, {A::major_faults}, t_majflt, v_majflt, "page faults that read from disk"},
    {"min_flt", "MINFL", 6, R, false, {A::minor_faults}, t_minflt, v_minflt, "page faults without disk reads"},
    {"pending", "PENDING", 9, R, false, {A::sigpending}, t_pending, v_pending,
     "signals pending for the process (status ShdPnd)"},
    {"sgid", "SGID", 5, R, false, {A::sgid}, t_sgid, v_sgid, "saved group id"},
    {"sig", "PENDING", 9, R, false, {A::sigpending}, t_pending, v_pending, "signals pending (as pending)"},
    {"sig_block", "BLOCKED", 9, R, false, {A::sigmask}, t_blocked, v_blocked, "blocked signals (as blocked)"},
    {"sig_catch", "CATCHED", 9, R, false, {A::sigcatch}, t_caught, v_caught, "caught signals (as caught)"},
    {"sig_ignore", "IGNORED", 9, R, false, {A::sigignore}, t_ignored, v_ignored, "ignored signals (as ignored)"},
    {"sig_pend", "SIGNAL", 9, R, false, {A::sigpending}, t_pending, v_pending, "signals pending (as pending)"},
    {"sigcatch", "CAUGHT", 9, R, false, {A::sigcatch}, t_caught, v_caught, "caught signals (as caught)"},
    {"sigignore", "IGNORED", 9, R, false, {A::sigignore}, t_ignored, v_ignored, "ignored signals (as ignored)"},
    {"sigmask", "BLOCKED", 9, R, false, {A::sigmask}, t_blocked, v_blocked, "blocked signals (as blocked)"},
    {"size", "SIZE", 5, R, false, {A::data_size, A::stack_size}, t_size, v_size,
     "data + stack in KiB (status VmData + VmStk)"},
    {"suid", "SUID", 5, R, false, {A::suid}, t_suid, v_suid, "saved user id"},
    {"supgid", "SUPGID", 20, L, false, {A::supplementary_groups}, t_supgid, v_supgid, "supplementary group ids"},
    {"supgrp", "SUPGRP", 40, L, false, {A::supplementary_group_names}, t_supgrp, v_supgrp,
     "supplementary group names"},
    {"svgid", "SVGID", 5, R, false, {A::sgid}, t_sgid, v_sgid, "saved group id"},
    {"svuid", "SVUID", 5, R, false, {A::suid}, t_suid, v_suid, "saved user id"},
    {"trs", "TRS", 4, R, false, {A::vsz, A::start_code, A::end_code}, t_trs, v_trs,
     "text resident set in KiB (stat endcode - startcode)"},
};

bool is_signal_column(const FieldDef& f) {
    return f.text == t_blocked || f.text == t_pending || f.text == t_ignored || f.text == t_caught;
}

}  // namespace

std::span<const FieldDef> status_fields() { return kFields; }

bool widen_signal_columns(std::vector<Column>& cols, int screen_cols) {
    // ps shows all 16 digits of every signal column when the line, at the
    // width ps settles on (active_columns), has room for 7 more cells per
    // signal column; else 8 digits in 9 cells. Checked against procps
    // 4.0.2 with COLUMNS from 10 to 200 (tests/cli/test_ps_status_fields.py).
    int signals = 0;
    for (const Column& c : cols) signals += is_signal_column(*c.def) ? 1 : 0;
    if (signals == 0) return false;
    long total = 0;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        const bool last = i + 1 == cols.size();
        total += (cols[i].def->align == Align::unlimited && last) ? 3 : cols[i].width;
        total += i ? 1 : 0;
    }
    if (total + 7L * signals > active_columns(cols, screen_cols)) return false;
    for (Column& c : cols)
        if (is_signal_column(*c.def)) c.width += 7;
    return true;
}

}  // namespace psi_ps
