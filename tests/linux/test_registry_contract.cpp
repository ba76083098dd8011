// The registry's contract with the Linux reader: reading a group fills
// exactly the attributes psi/fields.hpp assigns to it. For every group
// alone (and a few sets), on fixture processes of each kind, an attribute
// leaves AttrStatus::not_read if and only if its registry groups are within
// what the snapshot serves (psi::served_groups: the asked groups, stat for
// identity, owner pulled in by names or given by creds). A row's `also`
// groups may fill it as a side effect, and only those.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using namespace std::string_literals;
using psi::AttrStatus;
using psi::Group;
using psi::Groups;
using psi_test::ProcFiles;
using psi_test::ProcFixture;
using psi_test::StatFields;

constexpr unsigned long long kPfKthread = 0x00200000;  // include/linux/sched.h

// The group sets each process is read with: none, every group alone, all,
// and the sets where the normalisation rules act.
std::vector<Groups> group_sets() {
    std::vector<Groups> sets{psi::groups::none};
    for (Group g : psi::all_group_list) sets.emplace_back(g);
    sets.push_back(psi::groups::all);
    sets.push_back(Group::names | Group::creds);
    sets.push_back(Group::memory | Group::creds);
    sets.push_back(Group::names | Group::owner);
    sets.push_back(psi::groups::ps);
    return sets;
}

void expect_contract(const psi::ProcessInfo& p, Groups asked, const std::string& how) {
    // On Linux the stat line carries the faults too: a stat read includes
    // Group::usage (and a usage read is a stat read).
    Groups served = psi::served_groups(asked);
    if (served.has(Group::stat)) served |= Group::usage;
    for (const psi::AttrInfo& row : psi::attribute_table) {
        const AttrStatus st = psi::attr_status(p, row.id);
        const std::string where = how + " pid " + std::to_string(p.pid) + " groups '" + psi::groups_text(asked) +
                                  "': " + std::string(row.name) + " (" + psi::groups_text(row.groups) + ") is " +
                                  psi::to_string(st);
        if (served.contains(row.groups)) {
            EXPECT_NE(st, AttrStatus::not_read) << where;
        } else if ((row.also & served).empty()) {
            EXPECT_EQ(st, AttrStatus::not_read) << where;
        }
    }
}

class RegistryContract : public ::testing::Test {
protected:
    void SetUp() override {
        // An ordinary process whose status has the Vm lines a live one has:
        // creds then also gives rss (the registry's `also`).
        StatFields plain;
        ProcFiles files;
        files.uid[0] = files.uid[1] = files.uid[2] = files.uid[3] = 1000;
        files.gid[0] = files.gid[1] = files.gid[2] = files.gid[3] = 100;
        files.status = psi_test::make_status(100, "prog", files, plain) + "VmLck:\t       4 kB\nVmRSS:\t     400 kB\n";
        fx_.add_process(100, "prog", plain, files);

        // A kernel thread and a zombie: no mm, no exe/cwd links.
        ProcFiles no_mm;
        no_mm.statm = "0 0 0 0 0 0 0\n";
        no_mm.cmdline = ""s;
        no_mm.environ = ""s;
        no_mm.exe.reset();
        no_mm.cwd.reset();
        StatFields kthreadd;
        kthreadd.ppid = 0;
        kthreadd.pgrp = 0;
        kthreadd.session = 0;
        kthreadd.flags = 0x208040 | kPfKthread;
        kthreadd.vsize = 0;
        kthreadd.rss = 0;
        fx_.add_process(2, "kthreadd", kthreadd, no_mm);
        StatFields zombie;
        zombie.state = 'Z';
        zombie.ppid = 100;
        zombie.vsize = 0;
        zombie.rss = 0;
        fx_.add_process(300, "defunct", zombie, no_mm);

        // A stat line of an old kernel (fields up to 20): what it lacks is
        // not available, still never "not read".
        StatFields old;
        old.nfields = 20;
        fx_.add_process(400, "oldkernel", old);
        fx_.add_system_files();
    }

    ProcFixture fx_;
    const std::vector<int> pids_{100, 2, 300, 400};
};

TEST_F(RegistryContract, ProcessReadsExactlyTheRegistryAttributes) {
    psi::System sys = psi_test::open_fixture(fx_);
    for (int pid : pids_) {
        for (Groups g : group_sets()) {
            std::error_code ec;
            const psi::ProcessInfo p = sys.process(pid, g, ec);
            ASSERT_FALSE(ec) << pid << " " << psi::groups_text(g) << ": " << ec.message();
            expect_contract(p, g, "process()");
        }
    }
}

TEST_F(RegistryContract, ReadMoreAddsExactlyTheRegistryAttributes) {
    psi::System sys = psi_test::open_fixture(fx_);
    for (int pid : pids_) {
        for (Groups g : group_sets()) {
            psi::ProcessInfo p = sys.process(pid, psi::groups::none);
            std::error_code ec;
            sys.read_more(p, g, ec);
            ASSERT_FALSE(ec) << pid << " " << psi::groups_text(g) << ": " << ec.message();
            expect_contract(p, g, "read_more()");
        }
    }
}

TEST_F(RegistryContract, TableRowsReadExactlyTheRegistryAttributes) {
    psi::System sys = psi_test::open_fixture(fx_);
    for (Groups g : group_sets()) {
        // table() reads what it is asked for; stat is what process() adds.
        const psi::ProcessTable t = sys.table(g | Group::stat);
        ASSERT_EQ(t.size(), pids_.size()) << psi::groups_text(g);
        for (const psi::ProcessInfo& p : t) expect_contract(p, g, "table()");
    }
}

// every, not all: the process-depth groups (never read by default) fill
// their rows only when asked for (w-ns changed all -> every here).
TEST_F(RegistryContract, EverythingIsReadWithAllGroups) {
    psi::System sys = psi_test::open_fixture(fx_);
    for (int pid : pids_) {
        // groups::every: the process-depth groups are outside groups::all.
        const psi::ProcessInfo p = sys.process(pid, psi::groups::every);
        for (const psi::AttrInfo& row : psi::attribute_table)
            EXPECT_NE(psi::attr_status(p, row.id), AttrStatus::not_read) << pid << " " << row.name;
    }
}

// The `also` column is there because it happens: status's VmRSS fills rss
// when only creds is read (Linux), and the kernel thread's missing Vm lines
// mean 0. The zombie has none and rss stays unread.
TEST_F(RegistryContract, CredsAlsoGivesRss) {
    psi::System sys = psi_test::open_fixture(fx_);
    EXPECT_EQ(sys.process(100, Group::creds).rss.value_or(0), 400u * 1024);
    EXPECT_EQ(sys.process(100, Group::creds).locked.value_or(0), 4u * 1024);
    EXPECT_EQ(sys.process(2, Group::creds).rss.status(), AttrStatus::ok);
    EXPECT_EQ(sys.process(300, Group::creds).rss.status(), AttrStatus::not_read);
    EXPECT_TRUE(psi::attr_info(psi::AttrId::rss).also.has(Group::creds));
}

// On Linux the registry's Linux rows are implemented and the others say
// not_implemented (the OS bits say where an attribute exists).
TEST_F(RegistryContract, AvailabilityMatchesTheOsBits) {
    psi::System sys = psi_test::open_fixture(fx_);
    const psi::ProcessInfo p = sys.process(100, psi::groups::every);
    for (const psi::AttrInfo& row : psi::attribute_table) {
        const AttrStatus st = psi::attr_status(p, row.id);
        if (row.os & psi::os::on_linux) {
            EXPECT_NE(st, AttrStatus::not_implemented) << row.name;
        } else {
            EXPECT_EQ(st, AttrStatus::not_implemented) << row.name;
        }
    }
}

}  // namespace
