// Command name, command line, executable and working directory.
#include <algorithm>

#include "escape.hpp"
#include "fields.hpp"

namespace psi_ps {

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

// BSD e (ps/output.c pr_args, pr_comm): a blank and the environment after
// the command, its strings joined by blanks, while more than one cell of
// room is left. An environment that cannot be read or is empty (ps shows
// it as "-") adds nothing.
int env_tail(const Env& env, const ProcessInfo& p, std::string& o, int room) {
    if (!env.show_env || room <= 1) return 0;
    const psi::Environment* vars = p.env.get();
    if (!vars || vars->empty()) return 0;
    static std::string joined;  // reused: one allocation for the whole listing
    joined.clear();
    for (const auto& [name, value] : *vars) {
        if (!joined.empty()) joined.push_back(' ');
        joined.append(name).append(1, '=').append(value);
    }
    if (joined == "-") return 0;
    for (char& c : joined)
        if (c == '\n') c = ' ';
    o.push_back(' ');
    return 1 + append_ps_escaped(o, joined, room - 1);
}

int t_comm(const Env& env, const ProcessInfo& p, std::string& o, int room) {
    int cells = forest_art(env, o, room);
    if (const std::string* n = p.name.get()) cells += append_ps_escaped(o, *n, room - cells);
    else cells += room - cells > 0 ? text_dash(o) : 0;
    return cells + env_tail(env, p, o, room - cells);
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

// ps reads at most this many bytes of /proc/PID/cmdline (procps readproc
// MAX_BUFSZ, 128 KiB, less the byte it keeps for the final NUL).
constexpr std::size_t kPsCmdlineBytes = 128 * 1024 - 1;

// The command line as ps shows it (procps readproc read_unvectored): the
// arguments joined by blanks, newlines inside them turned into blanks too;
// "[name]" when there is none (kernel threads, zombies, unreadable), plus
// " <defunct>" for a zombie; "?" when arguments were there but leave no
// text (execve with an empty argv, an area of NULs).
//
// The library has dropped the NULs that pad a title and the blank ps drops
// after a title (Linux split_cmdline), so joining is all it takes for any
// command line within ps's 128 KiB read. A longer one ps cuts at
// kPsCmdlineBytes bytes and then treats as a whole command line: separators
// (NULs) that end the cut piece are trailing NULs and vanish, and a final
// blank inside an argument is dropped.
const std::string& command_text(const ProcessInfo& p) {
    static std::string buf;  // reused: one allocation for the whole listing
    buf.clear();
    const std::vector<std::string>* args = p.args.get();
    if (args && !args->empty()) {
        std::size_t content_end = 0;  // just past the last byte that came from an argument
        bool cut = false;
        for (std::size_t i = 0; i < args->size(); ++i) {
            if (i) {
                if (buf.size() == kPsCmdlineBytes) { cut = true; break; }
                buf.push_back(' ');
            }
            const std::string& a = (*args)[i];
            std::size_t take = std::min(a.size(), kPsCmdlineBytes - buf.size());
            buf.append(a, 0, take);
            if (take) content_end = buf.size();
            if (take < a.size()) { cut = true; break; }
        }
        // The terminating NUL of the last argument is the 128 Ki-th byte:
        // the read is full just the same, so ps treats it as cut.
        if (!cut && buf.size() == kPsCmdlineBytes) cut = true;
        if (cut) {
            bool last_is_content = content_end == buf.size();
            buf.resize(content_end);
            if (last_is_content && !buf.empty() && (buf.back() == ' ' || buf.back() == '\n')) buf.pop_back();
        }
        for (char& c : buf)
            if (c == '\n') c = ' ';
        if (buf.empty()) buf.push_back('?');
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
    cells += append_ps_escaped(o, command_text(p), room - cells);
    return cells + env_tail(env, p, o, room - cells);
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
// ps prints the exe link as the kernel shows it, " (deleted)" included; the
// library strips the suffix and says so in exe_deleted.
int t_exe(const Env&, const ProcessInfo& p, std::string& o, int room) {
    const std::string* s = p.exe.get();
    const bool* deleted = p.exe_deleted.get();
    if (!s || s->empty() || !deleted || !*deleted) return path_text(o, p.exe, room);
    std::string shown;
    shown.reserve(s->size() + 10);
    shown.append(*s).append(" (deleted)");
    return append_ps_escaped(o, shown, room);
}
int t_cwd(const Env&, const ProcessInfo& p, std::string& o, int room) { return path_text(o, p.cwd, room); }
void v_exe(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* s = p.exe.get()) v.set_view(*s);
    else v.clear();
}
void v_cwd(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* s = p.cwd.get()) v.set_view(*s);
    else v.clear();
}

constexpr Align U = Align::unlimited;

using A = psi::AttrId;

constexpr FieldDef kFields[] = {
    {"args", "COMMAND", 27, U, false, {A::command, A::status_letter}, t_args, v_args, "command line (arguments)"},
    {"cmd", "CMD", 27, U, false, {A::command, A::status_letter}, t_args, v_args, "command line (arguments)"},
    {"comm", "COMMAND", 15, U, false, {A::name}, t_comm, v_comm, "command name (accounting name)"},
    {"command", "COMMAND", 27, U, false, {A::command, A::status_letter}, t_args, v_args, "command line (arguments)"},
    {"cwd", "CWD", 27, U, false, {A::cwd}, t_cwd, v_cwd, "current working directory (ps: always '-')"},
    {"exe", "EXE", 27, U, false, {A::exe, A::exe_deleted}, t_exe, v_exe, "path of the executable"},
    {"fname", "COMMAND", 8, Align::left, false, {A::name}, t_fname, v_comm, "command name, first 8 cells"},
    {"ucmd", "CMD", 15, U, false, {A::name}, t_comm, v_comm, "command name (accounting name)"},
    {"ucomm", "COMMAND", 15, U, false, {A::name}, t_comm, v_comm, "command name (accounting name)"},
};

}  // namespace

std::span<const FieldDef> cmd_fields() { return kFields; }

}  // namespace psi_ps
