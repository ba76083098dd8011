// cgroups, containers and namespaces (issue 12): procps ps's cgroup,
// cgname, lxc and *ns columns, from the registry's cgroup and ns groups.
#include <string>
#include <string_view>

#include "escape.hpp"
#include "fields.hpp"

namespace psi_ps {

using psi::ProcessInfo;

namespace {

// procps's cgroup string (library/readproc.c fill_cgroup_cvt): the lines of
// /proc/PID/cgroup that do not end in '/' (a hierarchy's root cgroup says
// nothing), in file order, joined with ','; "" when none. The kernel lists
// the v1 hierarchies first and the unified "0::" line last (it walks its
// hierarchy list from the newest; the unified one is registered first), so
// the file is rebuilt in that order.
std::string cgroup_string(const ProcessInfo& p) {
    std::string s;
    auto add = [&](unsigned id, std::string_view controllers, std::string_view path) {
        if (!path.empty() && path.back() == '/') return;
        if (!s.empty()) s.push_back(',');
        s += std::to_string(id);
        s.push_back(':');
        s += controllers;
        s.push_back(':');
        s += path;
    };
    if (const auto* v1 = p.depth().cgroups.get())
        for (const psi::CgroupEntry& h : *v1) add(h.id, h.controllers, h.path);
    if (const std::string* v2 = p.depth().cgroup.get()) add(0, "", *v2);
    return s;
}

int t_cgroup(const Env&, const ProcessInfo& p, std::string& o, int room) {
    const std::string s = cgroup_string(p);
    if (s.empty()) return text_dash(o);
    return append_ps_escaped(o, s, room);
}

// procps cgname: the cgroup string after its first ":name=" (a named v1
// hierarchy such as systemd's), else the whole string.
int t_cgname(const Env&, const ProcessInfo& p, std::string& o, int room) {
    const std::string s = cgroup_string(p);
    if (s.empty()) return text_dash(o);
    std::string_view v = s;
    if (const std::size_t at = v.find(":name="); at != std::string_view::npos && at + 6 < v.size())
        v.remove_prefix(at + 6);
    return append_ps_escaped(o, v, room);
}

// --json/--csv/--sort: the unified path, the value the cgroup attribute has.
void v_cgroup(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* s = p.depth().cgroup.get()) v.set_view(*s);
    else v.clear();
}

int t_lxc(const Env&, const ProcessInfo& p, std::string& o, int room) {
    if (const std::string* s = p.depth().lxc_name.get()) return append_ps_escaped(o, *s, room);
    return text_dash(o);
}
void v_lxc(const Env&, const ProcessInfo& p, Value& v) {
    if (const std::string* s = p.depth().lxc_name.get()) v.set_view(*s);
    else v.clear();
}

// An inode, or '-' when the namespaces could not be read or the kernel
// has no such type (procps: a failed stat of ns/NAME leaves it 0 -> "-").
template <psi::NsType T>
int t_ns(const Env&, const ProcessInfo& p, std::string& o, int) {
    const psi::Namespaces* ns = p.depth().namespaces.get();
    if (!ns || (*ns)[T] == 0) return text_dash(o);
    return append_int(o, static_cast<std::int64_t>((*ns)[T]));  // nsfs inodes are 32-bit
}
template <psi::NsType T>
void v_ns(const Env&, const ProcessInfo& p, Value& v) {
    const psi::Namespaces* ns = p.depth().namespaces.get();
    if (!ns || (*ns)[T] == 0) v.clear();
    else v.set_int(static_cast<std::int64_t>((*ns)[T]));
}

constexpr Align R = Align::right;
constexpr Align L = Align::left;
constexpr Align U = Align::unlimited;
using A = psi::AttrId;
using N = psi::NsType;

// Names, headers and widths are procps ps 4.0.2's (ps/output.c format_array).
constexpr FieldDef kFields[] = {
    {"cgname", "CGNAME", 27, U, false, {A::cgroups, A::cgroup}, t_cgname, v_cgroup,
     "cgroup lines, from the first named hierarchy's name on"},
    {"cgroup", "CGROUP", 27, U, false, {A::cgroups, A::cgroup}, t_cgroup, v_cgroup,
     "cgroup lines that are not a root, joined with ','"},
    {"cgroupns", "CGROUPNS", 10, R, false, {A::namespaces}, t_ns<N::cgroup>, v_ns<N::cgroup>,
     "inode of the cgroup namespace"},
    {"ipcns", "IPCNS", 10, R, false, {A::namespaces}, t_ns<N::ipc>, v_ns<N::ipc>, "inode of the IPC namespace"},
    {"lxc", "LXC", 8, L, false, {A::lxc_name}, t_lxc, v_lxc, "LXC container name"},
    {"mntns", "MNTNS", 10, R, false, {A::namespaces}, t_ns<N::mnt>, v_ns<N::mnt>, "inode of the mount namespace"},
    {"netns", "NETNS", 10, R, false, {A::namespaces}, t_ns<N::net>, v_ns<N::net>, "inode of the network namespace"},
    {"pidns", "PIDNS", 10, R, false, {A::namespaces}, t_ns<N::pid>, v_ns<N::pid>, "inode of the PID namespace"},
    {"timens", "TIMENS", 10, R, false, {A::namespaces}, t_ns<N::time>, v_ns<N::time>, "inode of the time namespace"},
    {"userns", "USERNS", 10, R, false, {A::namespaces}, t_ns<N::user>, v_ns<N::user>, "inode of the user namespace"},
    {"utsns", "UTSNS", 10, R, false, {A::namespaces}, t_ns<N::uts>, v_ns<N::uts>, "inode of the UTS namespace"},
};

}  // namespace

std::span<const FieldDef> ns_fields() { return kFields; }

}  // namespace psi_ps
