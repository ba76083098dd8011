// Command name, command line, executable and working directory.
#include "escape.hpp"
#include "fields.hpp"

namespace psi_ps {

using psi::Group;
using psi::ProcessInfo;

namespace {

// ps forest_helper(): the tree art before comm/args. Each level is 4 cells
// (" \_ " for a child, " |  " under a parent with more children, "    "
// otherwise) or, for -H, 2 blank cells; a level that does not fit in the
// remaining room is dropped whole.
int forest_art(const Env& env, std::string& o, int room) {
    int cells = 0;
    const int unit = env.forest_type == 'u' ? 2 : 4;
    for (char c : env.forest) {
        if (room - cells < unit) break;
        if (unit == 2) o += "  ";
        else if (c == 'L' || c == '+') o += " \\_ ";
        else if (c == '|') o += " |  ";
        else o += "    ";
        cells += unit;
    }
    return cells;
}

int t_comm(const Env& env, const ProcessInfo& p, std::string& o, int room) {
    int cells = forest_art(env, o, room);
    if (const std::string* n = p.name.get()) return cells + append_ps_escaped(o, *n, room - cells);
    return cells + (room - cells > 0 ? text_dash(o) : 0);
}
// Solaris' fname: the name in at most 8 cells.
int t_fname(const Env& env, const ProcessInfo& p, std::string& o, int room) {
    int cells = forest_art(env, o, room);
    int left = room - cells;
    if (left > 8) left = 8;
    if (const std::string* n = p.name.get()) return cells + append_ps_escaped(o, *n, left);
    return cells + (left > 0 ? text_dash(o) : 0);
}
void v_comm(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* n = p.name.get()) v.set_view(*n);
    else v.clear();
}

// The command line as ps shows it: arguments joined by spaces, with the
// newlines inside them turned into spaces too (procps readproc does this when
// it reads cmdline); "[name]" when there is none (kernel threads, zombies,
// unreadable), plus " <defunct>" for a zombie.
const std::string& command_text(const ProcessInfo& p) {
    static std::string buf;  // reused: one allocation for the whole listing
    buf.clear();
    const std::vector<std::string>* args = p.args.get();
    if (args && !args->empty()) {
        for (std::size_t i = 0; i < args->size(); ++i) {
            if (i) buf.push_back(' ');
            buf += (*args)[i];
        }
        for (char& c : buf)
            if (c == '\n') c = ' ';
        return buf;
    }
    buf.push_back('[');
    if (const std::string* n = p.name.get()) buf += *n;
    buf.push_back(']');
    if (const char* st = p.status_letter.get(); st && *st == 'Z') buf += " <defunct>";
    return buf;
}
int t_args(const Env& env, const ProcessInfo& p, std::string& o, int room) {
    int cells = forest_art(env, o, room);
    return cells + append_ps_escaped(o, command_text(p), room - cells);
}
void v_args(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::vector<std::string>* a = p.args.get()) v.set_list(*a);
    else v.clear();
}

int path_text(std::string& o, const psi::Attr<std::string>& a, int room) {
    const std::string* s = a.get();
    if (!s || s->empty()) return room > 0 ? text_dash(o) : 0;
    return append_ps_escaped(o, *s, room);
}
int t_exe(const Env&, const ProcessInfo& p, std::string& o, int room) { return path_text(o, p.exe, room); }
int t_cwd(const Env&, const ProcessInfo& p, std::string& o, int room) { return path_text(o, p.cwd, room); }
void v_exe(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* s = p.exe.get()) v.set_view(*s);
    else v.clear();
}
void v_cwd(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* s = p.cwd.get()) v.set_view(*s);
    else v.clear();
}

constexpr psi::Groups kName = Group::stat;
constexpr psi::Groups kArgs = Group::args | Group::stat;  // stat: "[name]", zombie state
constexpr Align U = Align::unlimited;

const FieldDef kFields[] = {
    {"args", "COMMAND", 27, U, false, kArgs, t_args, v_args, "command line (arguments)"},
    {"cmd", "CMD", 27, U, false, kArgs, t_args, v_args, "command line (arguments)"},
    {"comm", "COMMAND", 15, U, false, kName, t_comm, v_comm, "command name (accounting name)"},
    {"command", "COMMAND", 27, U, false, kArgs, t_args, v_args, "command line (arguments)"},
    {"cwd", "CWD", 27, U, false, Group::cwd, t_cwd, v_cwd, "current working directory (ps: always '-')"},
    {"exe", "EXE", 27, U, false, Group::exe, t_exe, v_exe, "path of the executable"},
    {"fname", "COMMAND", 8, Align::left, false, kName, t_fname, v_comm, "command name, first 8 cells"},
    {"ucmd", "CMD", 15, U, false, kName, t_comm, v_comm, "command name (accounting name)"},
    {"ucomm", "COMMAND", 15, U, false, kName, t_comm, v_comm, "command name (accounting name)"},
};

}  // namespace

std::span<const FieldDef> cmd_fields() { return kFields; }

}  // namespace psi_ps
