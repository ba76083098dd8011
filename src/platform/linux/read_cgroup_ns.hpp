// The Linux reader's cgroup and ns groups (issue 12), called by read_groups
// (process.cpp). Each returns "maybe gone" as read_groups does
// (core/backend_process.hpp).
#pragma once

#include "core/classify.hpp"
#include "platform/linux/context.hpp"

namespace psi::backend {

// Group::cgroup: /proc/PID/cgroup -> cgroup, cgroups, container_id,
// container_runtime, pod_uid, lxc_name.
bool read_cgroup_group(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out);
// Group::ns: readlink /proc/PID/ns/* -> namespaces.
bool read_ns_group(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out);

}  // namespace psi::backend
