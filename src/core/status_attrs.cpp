// See status_attrs.hpp.
#include "core/status_attrs.hpp"

#include <string>
#include <utility>
#include <vector>

namespace psi::detail {

void mark_status_attrs_unimplemented(ProcessInfo& p, Groups groups) {
    auto unset = [](auto&... attrs) {
        ((attrs.status() == AttrStatus::not_read ? attrs.fail(AttrStatus::not_implemented) : void()), ...);
    };
    if (groups.has(Group::stat))
        unset(p.minor_faults, p.major_faults, p.children_minor_faults, p.children_major_faults, p.children_utime,
              p.children_stime, p.start_code, p.end_code);
    if (groups.has(Group::status))
        unset(p.voluntary_ctxt_switches, p.involuntary_ctxt_switches, p.rss_peak, p.vsz_peak, p.swap, p.rss_anon,
              p.rss_file, p.rss_shmem, p.data_size, p.stack_size, p.text_size, p.lib_size, p.page_tables, p.suid,
              p.sgid, p.fsuid, p.fsgid, p.supplementary_groups, p.sigmask, p.sigpending, p.sigignore, p.sigcatch,
              p.ns_pid, p.cpu_affinity);
}

void fill_status_names(NameCache& names, ProcessInfo& p) {
    if (!p.groups_read.has(Group::status)) return;
    auto name_of = [](Attr<std::string>& out, const Attr<std::uint32_t>& id, auto&& lookup) {
        if (const auto* v = id.get()) out.set(lookup(*v));
        else out.fail(id.status(), id.os_error());
    };
    auto user = [&](std::uint32_t id) -> const std::string& { return names.user(id); };
    auto group = [&](std::uint32_t id) -> const std::string& { return names.group(id); };
    name_of(p.suser, p.suid, user);
    name_of(p.sgroup, p.sgid, group);
    name_of(p.fsuser, p.fsuid, user);
    name_of(p.fsgroup, p.fsgid, group);
    if (const auto* gids = p.supplementary_groups.get()) {
        std::vector<std::string> list;
        list.reserve(gids->size());
        for (std::uint32_t gid : *gids) list.push_back(names.group(gid));
        p.supplementary_group_names.set(std::move(list));
    } else {
        p.supplementary_group_names.fail(p.supplementary_groups.status(), p.supplementary_groups.os_error());
    }
}

}  // namespace psi::detail
