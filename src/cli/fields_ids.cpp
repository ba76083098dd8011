// Process, group and session ids; user and group ids and names.
#include <climits>

#include "escape.hpp"
#include "fields.hpp"

namespace psi_ps {

using psi::ProcessInfo;

namespace {

int t_pid(const Env&, const ProcessInfo& p, std::string& o, int) { return append_int(o, p.pid); }
void v_pid(const Env&, const ProcessInfo& p, Value& v) { v.set_int(p.pid); }

#define PSI_PS_INT_FIELD(fn, member)                                                              \
    int t_##fn(const Env&, const ProcessInfo& p, std::string& o, int) { return text_attr_int(o, p.member); } \
    void v_##fn(const Env&, const ProcessInfo& p, Value& v) { value_attr(v, p.member); }

PSI_PS_INT_FIELD(ppid, ppid)
PSI_PS_INT_FIELD(pgid, pgrp)
PSI_PS_INT_FIELD(sid, sid)
PSI_PS_INT_FIELD(tpgid, tpgid)
PSI_PS_INT_FIELD(euid, euid)
PSI_PS_INT_FIELD(ruid, ruid)
PSI_PS_INT_FIELD(egid, egid)
PSI_PS_INT_FIELD(rgid, rgid)
PSI_PS_INT_FIELD(zoneid, zoneid)
#undef PSI_PS_INT_FIELD

// Solaris ps -o zone; '-' where the OS has no zones (Linux, macOS).
int t_zone(const Env&, const ProcessInfo& p, std::string& o, int m) {
    if (const std::string* n = p.zonename.get()) return append_escaped(o, *n, m);
    o.push_back('-');
    return 1;
}

void name_value(Value& v, const psi::Attr<std::string>& name) {
    if (const std::string* n = name.get()) v.set_view(*n);
    else v.clear();
}

int t_euser(const Env&, const ProcessInfo& p, std::string& o, int m) { return name_text(o, p.euser, p.euid, m); }
int t_ruser(const Env&, const ProcessInfo& p, std::string& o, int m) { return name_text(o, p.ruser, p.ruid, m); }
int t_egroup(const Env&, const ProcessInfo& p, std::string& o, int m) { return name_text(o, p.egroup, p.egid, m); }
int t_rgroup(const Env&, const ProcessInfo& p, std::string& o, int m) { return name_text(o, p.rgroup, p.rgid, m); }
void v_euser(const Env&, const ProcessInfo& p, Value& v) { name_value(v, p.euser); }
void v_ruser(const Env&, const ProcessInfo& p, Value& v) { name_value(v, p.ruser); }
void v_egroup(const Env&, const ProcessInfo& p, Value& v) { name_value(v, p.egroup); }
void v_rgroup(const Env&, const ProcessInfo& p, Value& v) { name_value(v, p.rgroup); }
void v_zone(const Env&, const ProcessInfo& p, Value& v) { name_value(v, p.zonename); }


constexpr Align R = Align::right;
constexpr Align U = Align::user;

// Names, headers and widths are procps ps 4.0.2's (ps/output.c format_array).
using A = psi::AttrId;

constexpr FieldDef kFields[] = {
    {"egid", "EGID", 5, R, false, {A::egid}, t_egid, v_egid, "effective group id"},
    {"egroup", "EGROUP", 8, U, false, {A::egroup}, t_egroup, v_egroup, "effective group name"},
    {"euid", "EUID", 5, R, false, {A::euid}, t_euid, v_euid, "effective user id"},
    {"euser", "EUSER", 8, U, false, {A::euser}, t_euser, v_euser, "effective user name"},
    {"gid", "GID", 5, R, false, {A::egid}, t_egid, v_egid, "effective group id"},
    {"group", "GROUP", 8, U, false, {A::egroup}, t_egroup, v_egroup, "effective group name"},
    {"pgid", "PGID", 5, R, true, {A::pgrp}, t_pgid, v_pgid, "process group id"},
    {"pgrp", "PGRP", 5, R, true, {A::pgrp}, t_pgid, v_pgid, "process group id"},
    {"pid", "PID", 5, R, true, {A::pid}, t_pid, v_pid, "process id"},
    {"ppid", "PPID", 5, R, true, {A::ppid}, t_ppid, v_ppid, "parent process id"},
    {"rgid", "RGID", 5, R, false, {A::rgid}, t_rgid, v_rgid, "real group id"},
    {"rgroup", "RGROUP", 8, U, false, {A::rgroup}, t_rgroup, v_rgroup, "real group name"},
    {"ruid", "RUID", 5, R, false, {A::ruid}, t_ruid, v_ruid, "real user id"},
    {"ruser", "RUSER", 8, U, false, {A::ruser}, t_ruser, v_ruser, "real user name"},
    {"sess", "SESS", 5, R, true, {A::sid}, t_sid, v_sid, "session id"},
    {"session", "SESS", 5, R, true, {A::sid}, t_sid, v_sid, "session id"},
    {"sid", "SID", 5, R, true, {A::sid}, t_sid, v_sid, "session id"},
    {"tgid", "TGID", 5, R, true, {A::pid}, t_pid, v_pid, "thread group id (= pid)"},
    {"tpgid", "TPGID", 5, R, true, {A::tpgid}, t_tpgid, v_tpgid, "foreground process group of the terminal (-1: none)"},
    {"uid", "UID", 5, R, false, {A::euid}, t_euid, v_euid, "effective user id"},
    {"uid_hack", "UID", 8, U, false, {A::euser}, t_euser, v_euser, "effective user name (-f's UID)"},
    {"uname", "USER", 8, U, false, {A::euser}, t_euser, v_euser, "effective user name"},
    {"user", "USER", 8, U, false, {A::euser}, t_euser, v_euser, "effective user name"},
    // Solaris ps(1) fields (not in procps): '-' off Solaris.
    {"zone", "ZONE", 8, U, false, {A::zonename}, t_zone, v_zone, "zone name (Solaris)"},
    {"zoneid", "ZONEID", 6, R, false, {A::zoneid}, t_zoneid, v_zoneid, "zone id (Solaris)"},
};

}  // namespace

// ps do_pr_name(): the whole name when it fits in the room ps gives the
// column (its width, or the rest of the line for the last column); else cut
// to room-1 bytes plus '+', unless the cut would split a multi-byte
// character, in which case the numeric id is shown instead.
int name_text(std::string& o, const psi::Attr<std::string>& name, const psi::Attr<std::uint32_t>& id,
              int max_cells) {
    if (const std::string* n = name.get()) {
        std::size_t start = o.size();
        int cells = append_escaped(o, *n, INT_MAX);
        if (cells <= max_cells) return cells;
        if (max_cells >= 1 && static_cast<unsigned char>(o[start + static_cast<std::size_t>(max_cells) - 1]) < 127) {
            o.resize(start + static_cast<std::size_t>(max_cells) - 1);
            o.push_back('+');
            return max_cells;
        }
        o.resize(start);
    }
    return text_attr_int(o, id);
}

std::span<const FieldDef> id_fields() { return kFields; }

}  // namespace psi_ps
