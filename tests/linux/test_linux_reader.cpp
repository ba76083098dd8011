// The Linux process reader on its own (core/backend_process.hpp): this
// binary links the reader's objects (context, parse, process, posix
// proc_root) and the core's base (errors, classification, TimeSpec), and
// neither libpsi, psi::System nor any system-facts source: nothing here
// stubs arch, loadavg or mounts. Fixture trees give the known answers.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <string>
#include <system_error>
#include <vector>

#include "core/backend_process.hpp"
#include "platform/linux/context.hpp"
#include "proc_fixture.hpp"

namespace {

using namespace std::string_literals;
using psi::AttrStatus;
using psi::Group;
using psi::Groups;
using psi_test::ProcFiles;
using psi_test::ProcFixture;
using psi_test::StatFields;
namespace be = psi::backend;

constexpr unsigned long long kPfKthread = 0x00200000;  // include/linux/sched.h

be::ContextPtr open_tree(const ProcFixture& fx) {
    std::error_code ec;
    be::ContextPtr ctx = be::open(psi::Options{.proc_root = fx.root()}, ec);
    EXPECT_FALSE(ec) << ec.message();
    return ctx;
}

TEST(LinuxReader, OpenRefusesAMissingRoot) {
    std::error_code ec;
    be::ContextPtr ctx = be::open(psi::Options{.proc_root = "/nonexistent/psi-reader-root"}, ec);
    EXPECT_FALSE(ctx);
    EXPECT_EQ(ec, psi::errc::proc_root_unusable);
}

TEST(LinuxReader, ListsPidsAndIsNotListedItself) {
    ProcFixture fx;
    fx.add_process(1, "init");
    fx.add_process(300, "b");
    fx.add_process(42, "a");
    fx.mkdir("sys");  // not a pid
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    std::vector<int> pids;
    std::error_code ec;
    be::list_pids(*ctx, pids, ec);
    ASSERT_FALSE(ec);
    std::sort(pids.begin(), pids.end());
    EXPECT_EQ(pids, (std::vector<int>{1, 42, 300}));
    EXPECT_EQ(be::self_pid(*ctx), -1);  // a fixture tree has no "self" link
}

TEST(LinuxReader, IdentifyReadsStatOnly) {
    ProcFixture fx;
    StatFields f;
    f.starttime = 777;
    f.ppid = 1;
    fx.add_process(50, "worker", f);
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    be::Identity id;
    ASSERT_FALSE(be::identify(*ctx, 50, nullptr, id));
    EXPECT_EQ(id.start_ticks, 777u);
    EXPECT_FALSE(id.kind.kernel_thread);
    EXPECT_FALSE(id.kind.zombie);
    std::uint64_t ticks = 0;
    ASSERT_FALSE(be::start_ticks(*ctx, 50, ticks));
    EXPECT_EQ(ticks, 777u);
}

TEST(LinuxReader, IdentifyTellsKinds) {
    ProcFixture fx;
    StatFields kthread;
    kthread.ppid = 2;
    kthread.flags = kPfKthread;
    fx.add_process(3, "kworker/0:0", kthread);
    StatFields zombie;
    zombie.state = 'Z';
    fx.add_process(60, "gone", zombie);
    fx.add_process(2, "kthreadd");  // pid 2 is kthreadd whatever its flags say
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    be::Identity id;
    ASSERT_FALSE(be::identify(*ctx, 3, nullptr, id));
    EXPECT_TRUE(id.kind.kernel_thread);
    EXPECT_FALSE(id.kind.zombie);
    ASSERT_FALSE(be::identify(*ctx, 60, nullptr, id));
    EXPECT_FALSE(id.kind.kernel_thread);
    EXPECT_TRUE(id.kind.zombie);
    ASSERT_FALSE(be::identify(*ctx, 2, nullptr, id));
    EXPECT_TRUE(id.kind.kernel_thread);
}

TEST(LinuxReader, IdentifyErrors) {
    ProcFixture fx;
    ProcFiles garbage;
    garbage.stat = "not a stat line"s;
    fx.add_process(70, "x", StatFields{}, garbage);
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    be::Identity id;
    EXPECT_EQ(be::identify(*ctx, 71, nullptr, id), psi::errc::no_such_process);
    EXPECT_EQ(be::identify(*ctx, 70, nullptr, id), psi::errc::parse_error);
    std::uint64_t ticks = 0;
    EXPECT_EQ(be::start_ticks(*ctx, 71, ticks), psi::errc::no_such_process);
}

TEST(LinuxReader, ReadGroupsFillsAttributesButNotTheIdentity) {
    ProcFixture fx;
    StatFields f;
    f.starttime = 500;
    f.ppid = 7;
    f.nice = 5;
    ProcFiles files;
    files.cmdline = "/bin/prog\0-v\0"s;
    files.uid[0] = files.uid[1] = 1000;
    fx.add_process(80, "prog", f, files);
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    be::Identity id;
    ASSERT_FALSE(be::identify(*ctx, 80, nullptr, id));
    psi::ProcessInfo p;
    EXPECT_FALSE(be::read_groups(*ctx, 80, Groups(Group::stat) | Group::args | Group::creds, id, p));
    ASSERT_TRUE(p.name.get());
    EXPECT_EQ(*p.name.get(), "prog");
    EXPECT_EQ(*p.ppid.get(), 7);
    EXPECT_EQ(*p.nice.get(), 5);
    EXPECT_EQ(*p.args.get(), (std::vector<std::string>{"/bin/prog", "-v"}));
    EXPECT_EQ(*p.ruid.get(), 1000u);
    EXPECT_EQ(p.cwd.status(), AttrStatus::not_read);  // not asked for
    // The identity and the groups read are the core's to set.
    EXPECT_EQ(p.pid, psi::ProcessInfo().pid);
    EXPECT_EQ(p.start_ticks, 0u);
    EXPECT_TRUE(p.groups_read.empty());
}

TEST(LinuxReader, MissingFileOfANormalProcessMayMeanGone) {
    ProcFixture fx;
    ProcFiles files;
    files.cmdline.reset();  // ENOENT, as for a process that has just exited
    fx.add_process(90, "prog", StatFields{}, files);
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    be::Identity id;
    ASSERT_FALSE(be::identify(*ctx, 90, nullptr, id));
    psi::ProcessInfo p;
    EXPECT_TRUE(be::read_groups(*ctx, 90, Groups(Group::args), id, p));
    EXPECT_EQ(p.args.status(), AttrStatus::not_available);
    EXPECT_EQ(p.args.os_error(), ENOENT);
    // Reading what exists says nothing of the kind.
    EXPECT_FALSE(be::read_groups(*ctx, 90, Groups(Group::env), id, p));
}

TEST(LinuxReader, MissingFilesOfKernelThreadsAndZombiesAreNotGone) {
    ProcFixture fx;
    StatFields zombie;
    zombie.state = 'Z';
    ProcFiles none;
    none.cmdline.reset();
    none.exe.reset();
    fx.add_process(91, "z", zombie, none);
    StatFields kthread;
    kthread.ppid = 2;
    kthread.flags = kPfKthread;
    fx.add_process(92, "k", kthread, none);
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    for (int pid : {91, 92}) {
        be::Identity id;
        ASSERT_FALSE(be::identify(*ctx, pid, nullptr, id));
        psi::ProcessInfo p;
        EXPECT_FALSE(be::read_groups(*ctx, pid, Groups(Group::args) | Group::exe, id, p)) << pid;
        EXPECT_EQ(p.args.status(), AttrStatus::not_available) << pid;
        EXPECT_EQ(p.exe.status(), AttrStatus::not_available) << pid;
    }
}

TEST(LinuxReader, RecheckSeesAReusedPid) {
    // What the core's single re-check relies on: identify, then the pid is
    // taken by another process (stat's start time rewritten) and a file of
    // the old one is gone; read_groups says "maybe gone" and start_ticks
    // shows the new identity.
    ProcFixture fx;
    StatFields f;
    f.starttime = 1000;
    fx.add_process(95, "old", f);
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    be::Identity id;
    ASSERT_FALSE(be::identify(*ctx, 95, nullptr, id));
    f.starttime = 2000;
    fx.write("95/stat", psi_test::make_stat(95, "new", f));
    ASSERT_EQ(::unlink(fx.path("95/cmdline").c_str()), 0);
    psi::ProcessInfo p;
    EXPECT_TRUE(be::read_groups(*ctx, 95, Groups(Group::args), id, p));
    std::uint64_t now = 0;
    ASSERT_FALSE(be::start_ticks(*ctx, 95, now, &id.start_ticks));
    EXPECT_EQ(now, 2000u);
    EXPECT_NE(now, id.start_ticks);
}

TEST(LinuxReader, StatGroupUsesTheRecordIdentifyRead) {
    // read_groups fills the stat group from identify's record, not from a
    // second read: a stat rewritten in between does not show.
    ProcFixture fx;
    StatFields f;
    f.nice = 3;
    fx.add_process(96, "first", f);
    auto ctx = open_tree(fx);
    ASSERT_TRUE(ctx);
    be::Identity id;
    ASSERT_FALSE(be::identify(*ctx, 96, nullptr, id));
    f.nice = 9;
    fx.write("96/stat", psi_test::make_stat(96, "second", f));
    psi::ProcessInfo p;
    EXPECT_FALSE(be::read_groups(*ctx, 96, Groups(Group::stat), id, p));
    EXPECT_EQ(*p.name.get(), "first");
    EXPECT_EQ(*p.nice.get(), 3);
}

}  // namespace
