// The cgroup and ns groups of the Linux reader; see read_cgroup_ns.hpp.
#include "platform/linux/read_cgroup_ns.hpp"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <new>

#include "platform/linux/parse_cgroup.hpp"
#include "platform/linux/parse_ns.hpp"

namespace psi::backend {

namespace {

// Every attribute of the cgroup group takes the status of a failed read.
void fail_cgroup_attrs(ProcessInfo& out, AttrStatus s, int err) {
    out.depth().cgroup.fail(s, err);
    out.depth().cgroups.fail(s, err);
    out.depth().container_id.fail(s, err);
    out.depth().container_runtime.fail(s, err);
    out.depth().pod_uid.fail(s, err);
    out.depth().lxc_name.fail(s, err);
}

void fill_cgroup(std::string_view text, ProcessInfo& out) {
    const linux_proc::CgroupInfo info = linux_proc::parse_cgroup(text);
    // A v1-only host (or a kernel before 4.5, which has no unified
    // hierarchy) prints no "0::" line: there is no v2 path to give.
    if (info.unified) out.depth().cgroup.set(std::string(*info.unified));
    else out.depth().cgroup.fail(AttrStatus::not_available);
    auto& v1 = out.depth().cgroups.emplace();
    v1.clear();
    v1.reserve(info.v1.size());
    for (const auto& h : info.v1) v1.push_back(CgroupEntry{h.id, std::string(h.controllers), std::string(h.path)});
    const linux_proc::Container c = linux_proc::detect_container(info);
    out.depth().container_id.set(std::string(c.id));
    out.depth().container_runtime.set(std::string(linux_proc::container_runtime_name(c.runtime)));
    out.depth().pod_uid.set(c.pod_uid);
    if (auto lxc = linux_proc::procps_lxc_name(text)) out.depth().lxc_name.set(std::string(*lxc));
    else out.depth().lxc_name.fail(AttrStatus::not_available);
}

}  // namespace

bool read_cgroup_group(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out) {
    char path[posix::kPathMax];
    linux_proc::format_path(path, pid, "cgroup");
    // proc_cgroup_show is a single_open seq_file: the whole text in one read.
    auto r = linux_proc::read_file(ctx, path, true);
    if (r.err) {
        const bool gone = detail::record_attr_failure(out.depth().cgroup, r.err, kind);
        fail_cgroup_attrs(out, out.depth().cgroup.status(), r.err);
        return gone;
    }
    try {
        fill_cgroup(r.data, out);
    } catch (const std::bad_alloc&) {
        fail_cgroup_attrs(out, AttrStatus::not_available, ENOMEM);
    }
    return false;
}

bool read_ns_group(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out) {
    // One readlink per entry, as procps does (a stat each); the link text
    // carries the inode, so no stat is needed. The kernel refuses the links
    // without ptrace read access (EACCES) and for a zombie, whose nsproxy
    // is gone (ENOENT); an entry a kernel does not have (time before 5.6)
    // is simply absent (ENOENT) while the others read.
    Namespaces ns;
    int first_err = 0;
    bool any = false;
    for (std::size_t i = 0; i < kNsTypeCount; ++i) {
        const std::string_view name = ns_type_names[i];
        char rel[32] = "ns/";
        name.copy(rel + 3, sizeof rel - 4);
        char path[posix::kPathMax];
        linux_proc::format_path(path, pid, rel);
        char target[64];
        const ssize_t n = ::readlinkat(ctx.proc_fd, path, target, sizeof target);
        if (n < 0) {
            if (first_err == 0) first_err = errno;
            // Denied for one is denied for all (one ptrace check per open):
            // no need to ask nine more times.
            if (errno == EACCES || errno == EPERM) break;
            continue;
        }
        auto inode = linux_proc::parse_ns_link(std::string_view(target, static_cast<std::size_t>(n)),
                                               linux_proc::ns_link_type(name));
        if (!inode) continue;  // a target that is not an nsfs link (a damaged tree)
        ns.inode[i] = *inode;
        any = true;
    }
    if (any) {
        out.depth().namespaces.set(ns);
        return false;
    }
    return detail::record_attr_failure(out.depth().namespaces, first_err, kind);
}

}  // namespace psi::backend
