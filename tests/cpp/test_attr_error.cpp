// Value semantics of the public types that need no system: Attr status,
// error codes and the exception, Groups, status letters, derived attributes.
#include <gtest/gtest.h>

#include <utility>

#include <cerrno>
#include <set>
#include <string>

#include "psi/psi.hpp"

namespace {

using psi::Attr;
using psi::AttrStatus;
using psi::errc;

TEST(Attr, DefaultIsNotRead) {
    Attr<int> a;
    EXPECT_FALSE(a.ok());
    EXPECT_FALSE(static_cast<bool>(a));
    EXPECT_EQ(a.status(), AttrStatus::not_read);
    EXPECT_EQ(a.get(), nullptr);
    EXPECT_EQ(a.value_or(7), 7);
    EXPECT_EQ(a.os_error(), 0);
    try {
        (void)a.value("ppid", 42);
        FAIL() << "value() of an unread attribute must throw";
    } catch (const psi::Error& e) {
        EXPECT_EQ(e.code(), errc::attr_not_read);
        EXPECT_NE(std::string(e.what()).find("ppid"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("42"), std::string::npos) << e.what();
    }
}

TEST(Attr, SetThenFail) {
    Attr<std::string> a;
    a.set("hello");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a.status(), AttrStatus::ok);
    EXPECT_EQ(a.value(), "hello");
    ASSERT_NE(a.get(), nullptr);
    EXPECT_EQ(*a.get(), "hello");
    EXPECT_EQ(a.value_or("x"), "hello");

    a.fail(AttrStatus::insufficient_privs, EACCES);
    EXPECT_FALSE(a.ok());
    EXPECT_EQ(a.status(), AttrStatus::insufficient_privs);
    EXPECT_EQ(a.os_error(), EACCES);
    EXPECT_EQ(a.get(), nullptr);
    EXPECT_EQ(a.value_or("x"), "x");
    EXPECT_THROW((void)a.value("exe", 1), psi::Error);

    a.emplace() = "again";
    EXPECT_TRUE(a.ok());
    EXPECT_EQ(a.os_error(), 0);
    EXPECT_EQ(a.value(), "again");
}

TEST(Attr, EachStatusThrowsItsCode) {
    const std::pair<AttrStatus, errc> cases[] = {
        {AttrStatus::not_read, errc::attr_not_read},
        {AttrStatus::not_available, errc::attr_not_available},
        {AttrStatus::insufficient_privs, errc::attr_insufficient_privs},
        {AttrStatus::not_implemented, errc::attr_not_implemented},
    };
    std::set<std::string> names;
    for (auto [status, code] : cases) {
        EXPECT_EQ(psi::to_errc(status), code);
        ASSERT_NE(psi::to_string(status), nullptr);
        names.insert(psi::to_string(status));
        Attr<std::uint64_t> a;
        if (status != AttrStatus::not_read) a.fail(status, ENOENT);
        try {
            (void)a.value("rss", 1234);
            ADD_FAILURE() << "no throw for " << psi::to_string(status);
        } catch (const std::system_error& e) {  // psi::Error is a system_error
            EXPECT_EQ(e.code(), code) << psi::to_string(status);
            EXPECT_NE(dynamic_cast<const psi::Error*>(&e), nullptr);
            const std::string what = e.what();
            EXPECT_NE(what.find("rss"), std::string::npos) << what;
            EXPECT_NE(what.find("1234"), std::string::npos) << what;
        }
    }
    EXPECT_EQ(names.size(), std::size(cases)) << "to_string must tell statuses apart";
    ASSERT_NE(psi::to_string(AttrStatus::ok), nullptr);
}

TEST(Error, CategoryAndCodes) {
    const std::error_category& cat = psi::psi_category();
    EXPECT_STREQ(cat.name(), "psi");
    std::set<std::string> messages;
    for (int v = static_cast<int>(errc::no_such_process); v <= static_cast<int>(errc::os_error); ++v) {
        const std::error_code ec = psi::make_error_code(static_cast<errc>(v));
        EXPECT_EQ(&ec.category(), &cat);
        EXPECT_TRUE(static_cast<bool>(ec));
        EXPECT_FALSE(ec.message().empty()) << v;
        messages.insert(ec.message());
    }
    EXPECT_EQ(messages.size(), static_cast<std::size_t>(errc::os_error)) << "messages must differ";
    std::error_code ec = errc::invalid_argument;  // is_error_code_enum
    EXPECT_EQ(ec, errc::invalid_argument);
    EXPECT_NE(ec, errc::no_such_process);
    EXPECT_NE(ec, std::make_error_code(std::errc::invalid_argument)) << "own category, not generic";
}

TEST(Error, ThrowAttrErrorNamesPidAndAttribute) {
    try {
        psi::throw_attr_error(AttrStatus::not_available, "exe", 42);
    } catch (const psi::Error& e) {
        EXPECT_EQ(e.code(), errc::attr_not_available);
        const std::string what = e.what();
        EXPECT_NE(what.find("42"), std::string::npos) << what;
        EXPECT_NE(what.find("exe"), std::string::npos) << what;
    }
}

TEST(Groups, BitOperationsAndPresets) {
    using psi::Group;
    using psi::Groups;
    EXPECT_TRUE(psi::groups::none.empty());
    EXPECT_EQ(Groups::from_bits(0xffffffffu), psi::groups::every);
    EXPECT_EQ(psi::groups::all.bits(), 0x3ffu);  // PSI's set: the default
    EXPECT_TRUE(psi::groups::every.contains(psi::groups::all));
    for (Group g : {Group::status, Group::io, Group::fds, Group::smaps, Group::oom, Group::limits, Group::cgroup,
                    Group::ns, Group::label})
        EXPECT_FALSE(psi::groups::all.has(g)) << "a process-depth group is never read by default";
    std::uint32_t every = 0;
    for (Group g : {Group::stat, Group::memory, Group::owner, Group::creds, Group::args, Group::env, Group::exe,
                    Group::cwd, Group::names, Group::wchan}) {
        EXPECT_EQ(every & static_cast<std::uint32_t>(g), 0u) << "two groups share a bit";
        every |= static_cast<std::uint32_t>(g);
    }
    EXPECT_EQ(Groups::from_bits(every), psi::groups::all);
    const Groups ps = psi::groups::ps;
    for (Group g : {Group::stat, Group::memory, Group::owner, Group::names}) EXPECT_TRUE(ps.has(g));
    for (Group g : {Group::creds, Group::args, Group::env, Group::exe, Group::cwd, Group::wchan})
        EXPECT_FALSE(ps.has(g));
    EXPECT_TRUE(psi::groups::ps_args.contains(ps));
    EXPECT_TRUE(psi::groups::ps_args.has(Group::args));
    EXPECT_EQ(psi::groups::ps_args - ps, Groups(Group::args));
    EXPECT_EQ((Group::stat | Group::env) & Groups(Group::env), Groups(Group::env));
    Groups g;
    g |= Group::cwd;
    EXPECT_TRUE(g.has(Group::cwd));
    EXPECT_FALSE(g.contains(Group::cwd | Group::exe));
}

TEST(ProcStatus, LettersAndNames) {
    using S = psi::ProcStatus;
    // proc_pid_stat(5) state letters, including those of old kernels.
    const std::pair<char, S> letters[] = {
        {'R', S::running},  {'S', S::sleeping}, {'D', S::disk_sleep}, {'T', S::stopped},
        {'t', S::tracing_stop}, {'Z', S::zombie}, {'X', S::dead},    {'x', S::dead},
        {'W', S::waking},   {'I', S::idle},     {'P', S::parked},     {'K', S::wakekill},
    };
    for (auto [c, s] : letters) EXPECT_EQ(psi::status_from_letter(c), s) << c;
    EXPECT_EQ(psi::status_from_letter('?'), S::unknown);
    EXPECT_EQ(psi::status_from_letter('\0'), S::unknown);
    // psutil's spellings (psutil/_common.py STATUS_* constants).
    EXPECT_STREQ(psi::status_name(S::running), "running");
    EXPECT_STREQ(psi::status_name(S::sleeping), "sleeping");
    EXPECT_STREQ(psi::status_name(S::disk_sleep), "disk-sleep");
    EXPECT_STREQ(psi::status_name(S::stopped), "stopped");
    EXPECT_STREQ(psi::status_name(S::tracing_stop), "tracing-stop");
    EXPECT_STREQ(psi::status_name(S::zombie), "zombie");
    EXPECT_STREQ(psi::status_name(S::dead), "dead");
    EXPECT_STREQ(psi::status_name(S::waking), "waking");
    EXPECT_STREQ(psi::status_name(S::idle), "idle");
    EXPECT_STREQ(psi::status_name(S::parked), "parked");
    EXPECT_STREQ(psi::status_name(S::wakekill), "wake-kill");
    ASSERT_NE(psi::status_name(S::unknown), nullptr);
}

TEST(ProcessInfoDerived, CputimeArgcCommandPcpu) {
    psi::ProcessInfo p;
    p.pid = 10;
    p.name.set("prog");
    p.utime.set(psi::TimeSpec(1, 0));
    p.stime.set(psi::TimeSpec(0, 500'000'000));
    p.start_time.set(psi::TimeSpec(100, 0));
    p.args.set({"ls", "-l", "a b"});

    ASSERT_TRUE(p.cputime().ok());
    EXPECT_EQ(p.cputime().value(), psi::TimeSpec(1, 500'000'000));
    ASSERT_TRUE(p.argc().ok());
    EXPECT_EQ(p.argc().value(), 3u);
    ASSERT_TRUE(p.command().ok());
    EXPECT_EQ(p.command().value(), "ls -l a b");
    // 1.5 s of CPU over a 10 s life is 15 %.
    ASSERT_TRUE(p.pcpu(psi::TimeSpec(110, 0)).ok());
    EXPECT_DOUBLE_EQ(p.pcpu(psi::TimeSpec(110, 0)).value(), 15.0);

    // Kernel threads have no argv: the command is the name.
    p.args.set({});
    ASSERT_TRUE(p.command().ok());
    EXPECT_EQ(p.command().value(), "prog");
    EXPECT_EQ(p.argc().value_or(99), 0u);
}

TEST(ProcessInfoDerived, CarryStatusOfSources) {
    psi::ProcessInfo p;
    EXPECT_EQ(p.cputime().status(), AttrStatus::not_read);
    EXPECT_EQ(p.argc().status(), AttrStatus::not_read);
    EXPECT_EQ(p.pcpu(psi::TimeSpec(5, 0)).status(), AttrStatus::not_read);
    p.utime.set(psi::TimeSpec(1, 0));
    p.stime.fail(AttrStatus::insufficient_privs, EACCES);
    EXPECT_EQ(p.cputime().status(), AttrStatus::insufficient_privs);
    p.args.fail(AttrStatus::insufficient_privs, EACCES);
    EXPECT_EQ(p.argc().status(), AttrStatus::insufficient_privs);
}

TEST(ProcessInfoDerived, MemoryFootprintCountsStrings) {
    psi::ProcessInfo p;
    const std::size_t empty = p.memory_footprint();
    EXPECT_GE(empty, sizeof(psi::ProcessInfo));
    p.args.set({std::string(10000, 'a'), std::string(5000, 'b')});
    p.env.set({{"K", std::string(3000, 'v')}});
    EXPECT_GE(p.memory_footprint(), empty + 18000);
}

// The spec's memory target: a snapshot costs under 1 KiB per process plus
// its strings. The depth groups' attributes live in ProcessDepth, allocated
// only for a row that read one of them.
TEST(ProcessInfoSize, RowStaysUnderOneKiB) {
    static_assert(sizeof(psi::ProcessInfo) <= 1024, "ProcessInfo grew past 1 KiB per row");
    psi::ProcessInfo p;
    EXPECT_FALSE(p.has_depth());
    const psi::ProcessInfo& cp = p;
    // Reading a depth attribute of a row without depth allocates nothing
    // and says not_read.
    EXPECT_EQ(cp.depth().io_counters.status(), AttrStatus::not_read);
    EXPECT_EQ(cp.depth().cgroup.status(), AttrStatus::not_read);
    EXPECT_FALSE(p.has_depth());
    EXPECT_EQ(p.memory_footprint(), sizeof(psi::ProcessInfo));
    p.depth().num_fds.set(7);
    EXPECT_TRUE(p.has_depth());
    EXPECT_EQ(p.memory_footprint(), sizeof(psi::ProcessInfo) + sizeof(psi::ProcessDepth));
    // A copy is a value: its depth is its own.
    psi::ProcessInfo q = p;
    q.depth().num_fds.set(9);
    EXPECT_EQ(*p.depth().num_fds.get(), 7u);
    EXPECT_EQ(*q.depth().num_fds.get(), 9u);
    psi::ProcessInfo r = std::move(q);
    EXPECT_EQ(*std::as_const(r).depth().num_fds.get(), 9u);
    r = p;
    EXPECT_EQ(*r.depth().num_fds.get(), 7u);
    // The OS error survives its 16-bit storage for every errno there is.
    psi::Attr<int> a;
    a.fail(AttrStatus::insufficient_privs, EACCES);
    EXPECT_EQ(a.os_error(), EACCES);
    a.fail(AttrStatus::not_available, 4095);
    EXPECT_EQ(a.os_error(), 4095);
}

TEST(ProcessTable, FindIsByPid) {
    std::vector<psi::ProcessInfo> v(3);
    v[0].pid = 1;
    v[1].pid = 5;
    v[2].pid = 900;
    psi::ProcessTable t(std::move(v));
    EXPECT_EQ(t.size(), 3u);
    ASSERT_NE(t.find(5), nullptr);
    EXPECT_EQ(t.find(5)->pid, 5);
    EXPECT_EQ(t.find(900)->pid, 900);
    EXPECT_EQ(t.find(2), nullptr);
    EXPECT_EQ(t.find(-1), nullptr);
    EXPECT_EQ(t.find(1000), nullptr);
    EXPECT_EQ(psi::ProcessTable().find(1), nullptr);
}

}  // namespace
