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
        unset(p.children_minor_faults, p.children_major_faults, p.children_utime, p.children_stime, p.start_code,
              p.end_code);
    if (groups.has(Group::usage)) unset(p.minor_faults, p.major_faults);
    if (groups.has(Group::status))
        unset(p.depth().voluntary_ctxt_switches, p.depth().involuntary_ctxt_switches, p.depth().rss_peak, p.depth().vsz_peak, p.depth().swap, p.depth().rss_anon,
              p.depth().rss_file, p.depth().rss_shmem, p.depth().data_size, p.depth().stack_size, p.depth().text_size, p.depth().lib_size, p.depth().page_tables, p.depth().suid,
              p.depth().sgid, p.depth().fsuid, p.depth().fsgid, p.depth().supplementary_groups, p.depth().sigmask, p.depth().sigpending, p.depth().sigignore, p.depth().sigcatch,
              p.depth().ns_pid, p.depth().cpu_affinity);
}

void fill_status_names(NameCache& names, ProcessInfo& p) {
    if (!p.groups_read.has(Group::status)) return;
    auto name_of = [](Attr<std::string>& out, const Attr<std::uint32_t>& id, auto&& lookup) {
        if (const auto* v = id.get()) out.set(lookup(*v));
        else out.fail(id.status(), id.os_error());
    };
    auto user = [&](std::uint32_t id) -> const std::string& { return names.user(id); };
    auto group = [&](std::uint32_t id) -> const std::string& { return names.group(id); };
    name_of(p.depth().suser, p.depth().suid, user);
    name_of(p.depth().sgroup, p.depth().sgid, group);
    name_of(p.depth().fsuser, p.depth().fsuid, user);
    name_of(p.depth().fsgroup, p.depth().fsgid, group);
    if (const auto* gids = p.depth().supplementary_groups.get()) {
        std::vector<std::string> list;
        list.reserve(gids->size());
        for (std::uint32_t gid : *gids) list.push_back(names.group(gid));
        p.depth().supplementary_group_names.set(std::move(list));
    } else {
        p.depth().supplementary_group_names.fail(p.depth().supplementary_groups.status(), p.depth().supplementary_groups.os_error());
    }
}

}  // namespace psi::detail
