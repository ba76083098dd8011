// The attribute registry's lookups and the group rules (psi/fields.hpp).
#include "psi/fields.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace psi {

namespace {

// The table is indexed by AttrId: a row out of place would hand one
// attribute another's groups.
constexpr bool rows_in_id_order() {
    for (std::size_t i = 0; i < attribute_count; ++i)
        if (static_cast<std::size_t>(attribute_table[i].id) != i) return false;
    return true;
}
static_assert(rows_in_id_order(), "attribute_table rows must be in AttrId order");
static_assert(static_cast<std::size_t>(AttrId::supplementary_group_names) + 1 == attribute_count,
              "every AttrId needs a row");

// Group bits in order: all_group_list[i] is bit i.
constexpr bool groups_in_bit_order() {
    for (std::size_t i = 0; i < std::size(all_group_list); ++i)
        if (static_cast<std::uint32_t>(all_group_list[i]) != (1u << i)) return false;
    return groups::every.bits() == (1u << std::size(all_group_list)) - 1;
}
static_assert(groups_in_bit_order(), "all_group_list must list every Group in bit order");

constexpr std::string_view kGroupNames[] = {"stat",   "memory", "owner", "creds", "args",  "env",    "exe",
                                            "cwd",    "names",  "wchan", "status", "io",   "fds",    "smaps",
                                            "oom",    "limits", "cgroup", "ns",    "label", "usage"};
static_assert(std::size(kGroupNames) == std::size(all_group_list));

struct NameEntry {
    std::string_view name;
    const AttrInfo* row;
};
constexpr std::size_t kNameCount = attribute_count + std::size(attribute_aliases);

// Names and aliases sorted once, for a binary search.
const std::array<NameEntry, kNameCount>& name_index() {
    static const std::array<NameEntry, kNameCount> index = [] {
        std::array<NameEntry, kNameCount> v{};
        std::size_t n = 0;
        for (const AttrInfo& row : attribute_table) v[n++] = {row.name, &row};
        for (const AttrAlias& a : attribute_aliases) v[n++] = {a.alias, &attr_info(a.target)};
        std::sort(v.begin(), v.end(), [](const NameEntry& a, const NameEntry& b) { return a.name < b.name; });
        return v;
    }();
    return index;
}

}  // namespace

const AttrInfo* find_attribute(std::string_view name) noexcept {
    const auto& index = name_index();
    auto it = std::lower_bound(index.begin(), index.end(), name,
                               [](const NameEntry& e, std::string_view n) { return e.name < n; });
    return (it != index.end() && it->name == name) ? it->row : nullptr;
}

std::string_view group_name(Group g) noexcept {
    const auto bits = static_cast<std::uint32_t>(g);
    // One bit per Group; anything else is not a group.
    if (!std::has_single_bit(bits)) return {};
    const auto i = static_cast<std::size_t>(std::countr_zero(bits));
    return i < std::size(kGroupNames) ? kGroupNames[i] : std::string_view();
}

std::optional<Group> parse_group(std::string_view name) noexcept {
    for (std::size_t i = 0; i < std::size(kGroupNames); ++i)
        if (kGroupNames[i] == name) return all_group_list[i];
    return std::nullopt;
}

std::string groups_text(Groups g) {
    std::string out;
    for (Group grp : all_group_list) {
        if (!g.has(grp)) continue;
        if (!out.empty()) out.push_back('|');
        out += group_name(grp);
    }
    return out;
}

Groups backend_groups(Groups wanted, Groups have) noexcept {
    Groups need = wanted - have;
    if (need.has(Group::names)) {
        // Names need ids; the ruid/rgid names additionally need creds.
        if (!have.has(Group::owner) && !have.has(Group::creds) && !need.has(Group::creds)) need |= Group::owner;
    }
    return need - Groups(Group::names);
}

Groups served_groups(Groups wanted) noexcept {
    Groups g = wanted | Group::stat;
    if (g.has(Group::names) || g.has(Group::creds)) g |= Group::owner;
    return g;
}

}  // namespace psi
