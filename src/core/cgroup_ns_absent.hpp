// Cgroups and namespaces are Linux's (cgroups(7), namespaces(7)): macOS has
// neither, and Solaris's zones are their own attributes (zoneid, zonename).
// The macOS and Solaris readers mark the cgroup and ns groups' attributes
// not_implemented with this when they are asked for.
#pragma once

#include "psi/process.hpp"

namespace psi::detail {

inline void cgroup_ns_not_implemented(Groups groups, ProcessInfo& out) {
    if (groups.has(Group::cgroup)) {
        for (Attr<std::string>* a : {&out.depth().cgroup, &out.depth().container_id, &out.depth().container_runtime, &out.depth().pod_uid, &out.depth().lxc_name})
            a->fail(AttrStatus::not_implemented);
        out.depth().cgroups.fail(AttrStatus::not_implemented);
    }
    if (groups.has(Group::ns)) out.depth().namespaces.fail(AttrStatus::not_implemented);
}

}  // namespace psi::detail
