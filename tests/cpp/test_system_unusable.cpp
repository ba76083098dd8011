// A System whose non-throwing constructor failed (an unusable proc root):
// every method has a defined result, none touches the missing backend
// context. Portable: a missing directory is unusable on every backend (on
// macOS any root but "/proc" is).
#include <gtest/gtest.h>

#include <chrono>
#include <system_error>
#include <thread>

#include "psi/psi.hpp"

namespace {

using psi::errc;

psi::System unusable(std::error_code& ec) {
    return psi::System(psi::Options{.proc_root = "/nonexistent/psi-unusable-root"}, ec);
}

TEST(SystemUnusable, ConstructorReportsIt) {
    std::error_code ec;
    psi::System sys = unusable(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    EXPECT_EQ(sys.options().proc_root, "/nonexistent/psi-unusable-root");
    EXPECT_THROW(psi::System(psi::Options{.proc_root = "/nonexistent/psi-unusable-root"}), psi::Error);
}

TEST(SystemUnusable, ArchIsEmpty) {
    std::error_code ec;
    psi::System sys = unusable(ec);
    psi::ArchInfo a = sys.arch();  // used to dereference a null context
    EXPECT_TRUE(a.sysname.empty());
    EXPECT_TRUE(a.release_info.empty());
    EXPECT_EQ(a.cpu_count, 0);
    EXPECT_EQ(a.page_size, 0);
    EXPECT_EQ(a.clock_ticks, 0);
}

TEST(SystemUnusable, ProcessMethodsReportUnusableRoot) {
    std::error_code ec;
    psi::System sys = unusable(ec);
    sys.pids(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.process(1, psi::groups::all, ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.table(psi::groups::ps, ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    psi::ProcessInfo p;
    p.pid = 1;
    sys.read_more(p, psi::Group::args, ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    EXPECT_EQ(p.args.status(), psi::AttrStatus::not_read);
    sys.refresh(p, ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    EXPECT_FALSE(sys.exists(p));
    sys.pin(p, ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.kill(p, 0, ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    EXPECT_THROW(sys.pids(), psi::Error);
    EXPECT_THROW(sys.process(1), psi::Error);
    EXPECT_THROW(sys.table(), psi::Error);
}

TEST(SystemUnusable, SystemFactsReportUnusableRoot) {
    std::error_code ec;
    psi::System sys = unusable(ec);
    sys.loadavg(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.boot_time(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.uptime(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.mounts(false, std::chrono::milliseconds(0), ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.cpu_times(false, ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.memory(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.swap(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.pressure(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    sys.cgroup_limits(ec);
    EXPECT_EQ(ec, errc::proc_root_unusable);
    EXPECT_THROW(sys.loadavg(), psi::Error);
    EXPECT_THROW(sys.memory(), psi::Error);
    // Nothing lowers it: the online CPU count (at least 1).
    const int online = static_cast<int>(std::thread::hardware_concurrency());
    EXPECT_EQ(sys.effective_cpu_count(), online > 0 ? online : 1);
}

TEST(SystemUnusable, NamesStillResolve) {
    std::error_code ec;
    psi::System sys = unusable(ec);
    // Not a proc read: uid 0 is root wherever psi runs (or its decimal id).
    EXPECT_FALSE(sys.user_name(0).empty());
}

}  // namespace
