// The attribute registry (psi/fields.hpp) on its own: names, aliases, group
// names and the normalisation rules. What the readers fill per group is
// checked against it in test_registry_contract.cpp.
#include <gtest/gtest.h>

#include <cctype>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "psi/psi.hpp"

namespace {

using psi::AttrId;
using psi::Group;
using psi::Groups;

bool identifier(std::string_view s) {
    if (s.empty() || !(std::islower(static_cast<unsigned char>(s[0])))) return false;
    for (char c : s)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
            return false;
    return true;
}

TEST(Registry, NamesAndAliasesAreUniqueIdentifiers) {
    std::set<std::string_view> seen;
    for (const psi::AttrInfo& row : psi::attribute_table) {
        EXPECT_TRUE(identifier(row.name)) << row.name;
        EXPECT_TRUE(seen.insert(row.name).second) << "duplicate " << row.name;
        EXPECT_FALSE(row.meaning.empty()) << row.name;
        EXPECT_NE(row.os, 0) << row.name << " exists nowhere";
        EXPECT_EQ(row.os & ~psi::os::on_all, 0) << row.name;
        EXPECT_NE(row.status, nullptr) << row.name;
    }
    for (const psi::AttrAlias& a : psi::attribute_aliases) {
        EXPECT_TRUE(identifier(a.alias)) << a.alias;
        EXPECT_TRUE(seen.insert(a.alias).second) << "alias " << a.alias << " clashes";
    }
    EXPECT_EQ(seen.size(), psi::attribute_count + std::size(psi::attribute_aliases));
}

TEST(Registry, RowsAreIndexedById) {
    for (std::size_t i = 0; i < psi::attribute_count; ++i) {
        const auto id = static_cast<AttrId>(i);
        EXPECT_EQ(&psi::attr_info(id), &psi::attribute_table[i]);
        EXPECT_EQ(psi::attr_info(id).id, id);
    }
}

TEST(Registry, LookupByNameAndAlias) {
    for (const psi::AttrInfo& row : psi::attribute_table) EXPECT_EQ(psi::find_attribute(row.name), &row) << row.name;
    for (const psi::AttrAlias& a : psi::attribute_aliases) {
        const psi::AttrInfo* row = psi::find_attribute(a.alias);
        ASSERT_NE(row, nullptr) << a.alias;
        EXPECT_EQ(row->id, a.target) << a.alias;
        // Aliases are the Python binding's: their targets must be there too.
        EXPECT_TRUE(row->python) << a.alias;
    }
    EXPECT_EQ(psi::find_attribute("user")->name, "euser");
    EXPECT_EQ(psi::find_attribute("resident_size")->id, AttrId::rss);
    EXPECT_EQ(psi::find_attribute(""), nullptr);
    EXPECT_EQ(psi::find_attribute("nosuch"), nullptr);
    EXPECT_EQ(psi::find_attribute("PID"), nullptr);   // case matters
    EXPECT_EQ(psi::find_attribute("pid "), nullptr);  // no trimming
    EXPECT_EQ(psi::find_attribute(std::string_view("pid\0x", 5)), nullptr);
}

TEST(Registry, EveryGroupHasAName) {
    std::set<std::string_view> names;
    Groups all;
    for (Group g : psi::all_group_list) {
        const std::string_view name = psi::group_name(g);
        EXPECT_FALSE(name.empty());
        EXPECT_TRUE(names.insert(name).second) << name;
        EXPECT_EQ(psi::parse_group(name), g) << name;
        EXPECT_EQ(psi::groups_text(g), name);
        all |= g;
    }
    EXPECT_EQ(all, psi::groups::every);
    EXPECT_EQ(psi::groups_text(psi::groups::all), "stat|memory|owner|creds|args|env|exe|cwd|names|wchan");
    EXPECT_EQ(psi::groups_text(psi::groups::every - psi::groups::all),
              "status|io|fds|smaps|oom|limits|cgroup|ns|label|usage");
    EXPECT_EQ(psi::groups_text(Group::names | Group::owner), "owner|names");
    EXPECT_EQ(psi::groups_text(psi::groups::none), "");
    EXPECT_EQ(psi::parse_group("Stat"), std::nullopt);
    EXPECT_EQ(psi::parse_group(""), std::nullopt);
    EXPECT_EQ(psi::parse_group("stat|memory"), std::nullopt);
    EXPECT_EQ(psi::group_name(static_cast<Group>(3u)), "");  // two bits: no group
    EXPECT_EQ(psi::group_name(static_cast<Group>(1u << 20)), "");
}

// Each derived value needs at least the groups of what it is computed from
// (process_info.cpp and the Python binding say what those are).
TEST(Registry, DerivedRowsNeedTheirSources) {
    auto needs = [](AttrId derived, std::initializer_list<AttrId> sources) {
        const Groups g = psi::attr_groups(derived);
        for (AttrId s : sources)
            EXPECT_TRUE(g.contains(psi::attr_groups(s)))
                << psi::attr_info(derived).name << " lacks the groups of " << psi::attr_info(s).name;
        EXPECT_TRUE(psi::attr_info(derived).derived);
    };
    needs(AttrId::cputime, {AttrId::utime, AttrId::stime});
    needs(AttrId::argc, {AttrId::args});
    needs(AttrId::command, {AttrId::args, AttrId::name});
    needs(AttrId::pcpu, {AttrId::utime, AttrId::stime, AttrId::start_time});
    needs(AttrId::parent, {AttrId::ppid});
    needs(AttrId::start_datetime, {AttrId::start_time});
    std::size_t derived = 0;
    for (const psi::AttrInfo& row : psi::attribute_table) derived += row.derived ? 1 : 0;
    EXPECT_EQ(derived, 6u) << "a new derived row needs its line above";
}

// The derived values carry their sources' status, so a snapshot with only
// the source's groups answers and one without them does not.
TEST(Registry, DerivedStatusFollowsSources) {
    psi::ProcessInfo p;
    for (const psi::AttrInfo& row : psi::attribute_table) {
        if (row.id != AttrId::pid) {
            EXPECT_EQ(psi::attr_status(p, row.id), psi::AttrStatus::not_read) << row.name;
        }
    }
    EXPECT_EQ(psi::attr_status(p, AttrId::pid), psi::AttrStatus::ok);
    p.name.set("prog");  // command must not answer with the name while args is unread
    EXPECT_EQ(psi::attr_status(p, AttrId::command), psi::AttrStatus::not_read);
    p.args.fail(psi::AttrStatus::not_available);  // a kernel thread: the name stands in
    EXPECT_EQ(psi::attr_status(p, AttrId::command), psi::AttrStatus::ok);
    EXPECT_EQ(psi::attr_status(p, AttrId::argc), psi::AttrStatus::not_available);
    p.utime.set({});
    EXPECT_EQ(psi::attr_status(p, AttrId::cputime), psi::AttrStatus::not_read);
    p.stime.set({});
    EXPECT_EQ(psi::attr_status(p, AttrId::cputime), psi::AttrStatus::ok);
    EXPECT_EQ(psi::attr_status(p, AttrId::pcpu), psi::AttrStatus::not_read);
    p.start_time.set({});
    EXPECT_EQ(psi::attr_status(p, AttrId::pcpu), psi::AttrStatus::ok);
    EXPECT_EQ(psi::attr_status(p, AttrId::start_datetime), psi::AttrStatus::ok);
    p.ppid.fail(psi::AttrStatus::insufficient_privs, 13);
    EXPECT_EQ(psi::attr_status(p, AttrId::parent), psi::AttrStatus::insufficient_privs);
}

TEST(Registry, NormalisationRules) {
    // names pulls in owner, unless creds is read or asked for.
    EXPECT_EQ(psi::backend_groups(Group::names, {}), Groups(Group::owner));
    EXPECT_EQ(psi::backend_groups(Group::names | Group::creds, {}), Groups(Group::creds));
    EXPECT_EQ(psi::backend_groups(Group::names, Group::creds), Groups());
    EXPECT_EQ(psi::backend_groups(Group::names, Group::owner), Groups());
    // What is read already is not read again; names is never the backend's.
    EXPECT_EQ(psi::backend_groups(Group::stat | Group::memory, Group::stat), Groups(Group::memory));
    EXPECT_EQ(psi::backend_groups(psi::groups::all, {}), psi::groups::all - Groups(Group::names));
    EXPECT_EQ(psi::backend_groups({}, psi::groups::all), Groups());
    // A snapshot always has stat; creds gives the owner ids.
    EXPECT_EQ(psi::served_groups({}), Groups(Group::stat));
    EXPECT_EQ(psi::served_groups(Group::creds), Group::stat | Group::creds | Group::owner);
    EXPECT_EQ(psi::served_groups(Group::names), Group::stat | Group::names | Group::owner);
    EXPECT_EQ(psi::served_groups(Group::memory), Group::stat | Group::memory);
    EXPECT_EQ(psi::served_groups(psi::groups::all), psi::groups::all);
}

// Availability as the backends report it (not_implemented elsewhere).
TEST(Registry, LinuxOnlyAttributes) {
    for (AttrId id : {AttrId::jiffies, AttrId::exe_deleted, AttrId::wchan, AttrId::locked})
        EXPECT_EQ(psi::attr_info(id).os, psi::os::on_linux) << psi::attr_info(id).name;
    for (AttrId id : {AttrId::zoneid, AttrId::zonename})
        EXPECT_EQ(psi::attr_info(id).os, psi::os::on_solaris) << psi::attr_info(id).name;
    for (AttrId id : {AttrId::pid, AttrId::name, AttrId::rss, AttrId::args, AttrId::start_time})
        EXPECT_EQ(psi::attr_info(id).os, psi::os::on_all) << psi::attr_info(id).name;
}

}  // namespace
