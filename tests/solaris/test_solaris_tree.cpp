// The Solaris backend's process reader (context.cpp, process.cpp: POSIX
// calls only) run on Linux over a fixture proc tree of binary records, built
// here byte by byte at the documented _LP64 offsets (proc(5)): psinfo,
// status, an "as" file whose offsets are the target's addresses (a sparse
// file), and path/a.out, path/cwd links. This binary is the portable core
// plus that backend, not libpsi; system_info.cpp and sys_figures.cpp need
// Solaris headers, so their functions are stubbed below and not tested here.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/backend.hpp"
#include "psi/fields.hpp"
#include "psi/system.hpp"
#include "solaris_tree_fixture.hpp"

namespace psi::backend {
ArchInfo arch(Context&) { return {}; }
std::error_code pid_max(Context&, int&) { return make_error_code(errc::attr_not_available); }
std::error_code loadavg(Context&, LoadAvg&) { return make_error_code(errc::os_error); }
std::error_code boot_time(Context&, TimeSpec&) { return make_error_code(errc::os_error); }
std::error_code uptime(Context&, TimeSpec&) { return make_error_code(errc::os_error); }
std::error_code mounts(Context&, bool, std::chrono::milliseconds, std::vector<MountInfo>&) { return make_error_code(errc::os_error); }
// sys_figures.cpp needs libkstat and <sys/swap.h> (Solaris only): its
// figures are not this binary's subject (test_solaris_sys.cpp tests their
// decoders).
std::error_code cpu_times(Context&, bool, std::vector<CpuTimes>&) { return make_error_code(errc::attr_not_implemented); }
std::error_code memory(Context&, MemoryInfo&) { return make_error_code(errc::attr_not_implemented); }
std::error_code swap(Context&, SwapInfo&) { return make_error_code(errc::attr_not_implemented); }
std::error_code pressure(Context&, Pressure&) { return make_error_code(errc::attr_not_implemented); }
std::error_code cgroup_limits(Context&, const std::string&, CgroupLimits&) { return make_error_code(errc::attr_not_implemented); }
int affinity_cpu_count(Context&) { return 0; }
// getzonenamebyid stands in for the fixture: zone 0 is "global", zone 7
// "web", any other id has been halted.
std::error_code zone_name(Context&, int zoneid, std::string& out) {
    if (zoneid == 0) out = "global";
    else if (zoneid == 7) out = "web";
    else return make_error_code(errc::attr_not_available);
    return {};
}
}  // namespace psi::backend

// ---- /proc/PID/as above INT64_MAX -----------------------------------------
// A 64-bit process's argv and envp are at the top of its stack, above 2^63
// (near 0xFFFFFD7FFFE00000 on x86_64, below 0xFFFFFFFF80000000 on SPARC v9).
// The backend passes such an address to pread(2) as a negative off_t with
// the same bits (solaris_proc::as_file_offset); Solaris's /proc takes it,
// but Linux refuses a negative offset on every file and no Linux file can
// have data there. So this binary is linked with -Wl,--wrap=pread: the
// backend's own pread call in process.cpp, unchanged, lands in
// __wrap_pread. A non-negative offset goes straight to the real pread. A
// negative one plays the Solaris kernel's part, and only that part: it
// takes the offset's bits as the address, as prusrio does, and serves it
// with a real pread of the same fixture file at address - kHighFold (a
// sparse file can hold that offset). The address arithmetic, the pread
// call and everything above it are the backend's; the test also checks
// that such reads happened, so a backend refusing high addresses (as it
// once did) or bypassing pread fails here.
std::atomic<int> g_high_preads{0};

extern "C" ssize_t __real_pread(int fd, void* buf, std::size_t len, off_t off);
extern "C" ssize_t __wrap_pread(int fd, void* buf, std::size_t len, off_t off) {
    if (off >= 0) return __real_pread(fd, buf, len, off);
    const auto addr = static_cast<std::uint64_t>(off);
    if (addr < kHighFold) {  // not an address these fixtures map
        errno = EIO;
        return -1;
    }
    ++g_high_preads;
    return __real_pread(fd, buf, len, static_cast<off_t>(addr - kHighFold));
}


TEST_F(SolarisTree, ListsDecimalNamesOnly) {
    EXPECT_EQ(sys().pids(), (std::vector<int>{0, 77, 1234, 1300}));
}

TEST_F(SolarisTree, Lp64Process) {
    auto p = sys().process(1234, psi::groups::all);
    EXPECT_EQ(p.ppid.value(), 1);
    EXPECT_EQ(p.name.value(), "prog1234");
    EXPECT_EQ(p.status.value(), psi::ProcStatus::sleeping);
    EXPECT_EQ(p.status_letter.value(), 'S');
    EXPECT_EQ(p.terminal.value(), "");
    EXPECT_EQ(p.nice.value(), 4);
    EXPECT_EQ(p.kernel_priority.value(), 59);
    EXPECT_EQ(p.policy.value(), psi::SchedPolicy::other);
    EXPECT_EQ(p.start_time.value(), psi::TimeSpec(1700000000, 5000));
    EXPECT_EQ(p.start_ticks, 1700000000000005000ULL);
    EXPECT_EQ(p.utime.value(), psi::TimeSpec(2, 250000000));
    EXPECT_EQ(p.stime.value(), psi::TimeSpec(1, 500000000));
    EXPECT_EQ(p.rss.value(), 1024u * 1024u);
    EXPECT_EQ(p.vsz.value(), 8192u * 1024u);
    EXPECT_EQ(p.ruid.value(), 100u);
    EXPECT_EQ(p.euid.value(), 101u);
    EXPECT_EQ(p.rgid.value(), 10u);
    EXPECT_EQ(p.egid.value(), 11u);
    EXPECT_EQ(p.args.value(), (std::vector<std::string>{"/usr/bin/prog", "-v"}));
    EXPECT_EQ(p.env.value(), (psi::Environment{{"HOME", "/root"}, {"LANG", "C"}}));
    EXPECT_EQ(p.exe.value(), "/usr/bin/prog");
    EXPECT_EQ(p.cwd.value(), "/export/home/me");
    EXPECT_EQ(p.jiffies.status(), psi::AttrStatus::not_implemented);
    EXPECT_EQ(p.tpgid.status(), psi::AttrStatus::not_implemented);
    EXPECT_FALSE(p.is_kernel_thread);
}

// SPEC 6: zoneid/zonename on this platform. The id is the record's, the
// name the backend's lookup (getzonenamebyid on Solaris, the stub above
// here), asked once per id and System; a halted zone's name is not available.
TEST_F(SolarisTree, Zones) {
    psi::System s = sys();
    auto global = s.process(1234, psi::groups::all);
    EXPECT_EQ(global.zoneid.value(), 0);
    EXPECT_EQ(global.zonename.value(), "global");
    auto web = s.process(1300, psi::Group::stat | psi::Group::names);
    EXPECT_EQ(web.zoneid.value(), 7);
    EXPECT_EQ(web.zonename.value(), "web");
    auto halted = s.process(77, psi::Group::stat | psi::Group::names);
    EXPECT_EQ(halted.zoneid.value(), 3);
    EXPECT_EQ(halted.zonename.status(), psi::AttrStatus::not_available);
    // Without the names group the name is not read.
    EXPECT_EQ(s.process(1300, psi::Group::stat).zonename.status(), psi::AttrStatus::not_read);
    std::map<int, std::string> by_pid;
    for (const auto& row : s.table(psi::Group::stat | psi::Group::names))
        if (row.zonename.ok()) by_pid[row.pid] = *row.zonename.get();
    EXPECT_EQ(by_pid, (std::map<int, std::string>{{0, "global"}, {1234, "global"}, {1300, "web"}}));
}

TEST_F(SolarisTree, Ilp32ProcessUsesFourBytePointers) {
    auto p = sys().process(1300, psi::Group::args | psi::Group::env);
    EXPECT_EQ(p.args.value(), (std::vector<std::string>{"sh", "-c", "true"}));
    EXPECT_EQ(p.env.value(), (psi::Environment{{"PATH", "/bin"}}));
    // A tty device no terminal under /dev has: the number, but no path.
    write("1300/psinfo", Rec(8).put<std::uint64_t>(0, 0x12345678).b, 72);
    auto s = sys().process(1300, psi::Group::stat);
    EXPECT_EQ(s.status.value(), psi::ProcStatus::running);
    EXPECT_EQ(s.tty_dev.value(), 0x12345678u);
    EXPECT_EQ(s.terminal.status(), psi::AttrStatus::not_available);
}

TEST_F(SolarisTree, SystemProcessAndZombie) {
    auto s = sys().process(0, psi::groups::all);
    EXPECT_TRUE(s.is_kernel_thread);
    EXPECT_EQ(s.flags.value(), 0x1000u);
    EXPECT_EQ(s.args.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(s.exe.status(), psi::AttrStatus::not_available);
    auto z = sys().process(77, psi::groups::all);
    EXPECT_EQ(z.status.value(), psi::ProcStatus::zombie);
    EXPECT_EQ(z.start_ticks, 0u);
    EXPECT_EQ(z.start_time.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(z.name.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(z.env.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(z.cwd.status(), psi::AttrStatus::not_available);
}

TEST_F(SolarisTree, GoneReusedShortAndForeign) {
    auto s = sys();
    std::error_code ec;
    s.process(999, psi::groups::all, ec);
    EXPECT_EQ(ec, psi::make_error_code(psi::errc::no_such_process));
    auto p = s.process(1234, psi::Group::stat);
    EXPECT_TRUE(s.exists(p));
    // The pid now belongs to a process started later: not the same one.
    write("1234/psinfo", Rec(8).put<std::int64_t>(0, 1700000999).b, 88);
    EXPECT_FALSE(s.exists(p));
    s.refresh(p, ec);
    EXPECT_EQ(ec, psi::make_error_code(psi::errc::no_such_process));
    s.kill(s.process(1300, psi::Group::stat), 0, ec);
    EXPECT_EQ(ec, psi::make_error_code(psi::errc::invalid_argument));  // a fixture's pids are not ours
    ASSERT_EQ(::truncate((root + "/1300/psinfo").c_str(), 100), 0);
    s.process(1300, psi::Group::stat, ec);
    EXPECT_EQ(ec, psi::make_error_code(psi::errc::parse_error));
    EXPECT_EQ(s.table(psi::groups::ps).size(), 3u);  // the short record leaves the table, nothing else
}

TEST_F(SolarisTree, ProcessTurningZombieKeepsItsIdentity) {
    auto s = sys();
    auto p = s.process(1234, psi::Group::stat);
    auto other = s.process(1300, psi::Group::stat);
    EXPECT_TRUE(s.exists(p));
    // It exits: prgetpsinfo now gives pr_start 0 and pr_sname 'Z'.
    write("1234/psinfo", Rec(16).b, 88);
    write("1234/psinfo", Rec(1).put<char>(0, 'Z').b, 288 + 26);
    EXPECT_TRUE(s.exists(p));  // a zombie keeps its pid until reaped
    // A live process whose start reads 0 is no zombie: not the one we knew.
    write("1300/psinfo", Rec(16).b, 88);
    EXPECT_FALSE(s.exists(other));
    std::error_code ec;
    s.refresh(p, ec);
    EXPECT_FALSE(ec);
    EXPECT_EQ(p.status.value(), psi::ProcStatus::zombie);
    EXPECT_EQ(p.start_ticks, 1700000000000005000ULL);
}

// Stack tops of 64-bit processes (see __wrap_pread above): x86_64's is
// 0xFFFFFD7FFFE00000, SPARC v9's 0xFFFFFFFF80000000. argv, envp and their
// strings are laid out below the top as exec does, one string across a page
// boundary; the last byte before the top is envp's last NUL.
TEST_F(SolarisTree, Lp64StackAboveInt64Max) {
    struct Case {
        int pid;
        std::uint64_t top;
    };
    for (const Case c : {Case{2000, 0xFFFFFD7FFFE00000ULL}, Case{2001, 0xFFFFFFFF80000000ULL}}) {
        SCOPED_TRACE(c.pid);
        const std::uint64_t argv = c.top - 0x1100, envp = argv + 0x20;
        const std::uint64_t arg0 = c.top - 0x1008, arg1 = c.top - 0xfe0;  // arg0 crosses top - 0x1000
        const std::uint64_t env0 = c.top - 0x20, env1 = c.top - 0x7;
        add({c.pid, 1, 'S', 1700000300, 2, 0, argv, envp, 2});
        Rec ptrs(0x38);
        ptrs.put<std::uint64_t>(0x00, arg0).put<std::uint64_t>(0x08, arg1).put<std::uint64_t>(0x10, 0);
        ptrs.put<std::uint64_t>(0x20, env0).put<std::uint64_t>(0x28, env1).put<std::uint64_t>(0x30, 0);
        write_at(c.pid, argv, ptrs.b);
        write_at(c.pid, arg0, std::string("/opt/high/bin/prog\0", 19));
        write_at(c.pid, arg1, std::string("--stack=top\0", 12));
        write_at(c.pid, env0, std::string("HOME=/export/home/me\0", 21));
        write_at(c.pid, env1, std::string("TZ=UTC\0", 7));
        const int before = g_high_preads.load();
        auto p = sys().process(c.pid, psi::Group::args | psi::Group::env);
        EXPECT_EQ(p.args.value(), (std::vector<std::string>{"/opt/high/bin/prog", "--stack=top"}));
        EXPECT_EQ(p.env.value(), (psi::Environment{{"HOME", "/export/home/me"}, {"TZ", "UTC"}}));
        EXPECT_GT(g_high_preads.load(), before);  // read through pread at the real addresses
    }
}

// The address space opened but nothing at pr_argv could be read (the
// process exec'd since psinfo was read, or the pointer is bad): args fall
// back to pr_psargs as when as cannot be opened; env has no fallback.
TEST_F(SolarisTree, UnreadableArgvFallsBackToPsargs) {
    add({2002, 1, 'S', 1700000400, 2, 0, 0x7000000, 0x7000040, 3});
    write_at(2002, 0x1000, std::string("mapped\0", 7));  // the file exists; pr_argv is past its end
    auto p = sys().process(2002, psi::Group::args | psi::Group::env);
    EXPECT_EQ(p.args.value(), (std::vector<std::string>{"prog", "-v", "fixture"}));
    EXPECT_EQ(p.env.status(), psi::AttrStatus::not_available);
    // An argv whose first string is unreadable: the same fallback.
    add({2003, 1, 'S', 1700000500, 2, 0, 0x400100, 0x400120, 1});
    write_at(2003, 0x400100, Rec(16).put<std::uint64_t>(0, 0x9000000).b);
    EXPECT_EQ(sys().process(2003, psi::Group::args).args.value(), (std::vector<std::string>{"prog", "-v", "fixture"}));
    // High addresses that fail the same way.
    add({2004, 1, 'S', 1700000600, 2, 0, 0xFFFFFD7FFFDFF000ULL, 0xFFFFFD7FFFDFF040ULL, 1});
    write_at(2004, 0x1000, std::string("mapped\0", 7));
    EXPECT_EQ(sys().process(2004, psi::Group::args).args.value(), (std::vector<std::string>{"prog", "-v", "fixture"}));
}

// The attribute registry's contract (psi/fields.hpp) on this reader, as
// tests/cpp/test_registry_contract.cpp checks it on Linux: each group alone
// fills exactly the attributes the registry gives it (a row's `also` groups
// may fill it too), on the LP64 and ILP32 processes, the system process and
// the zombie; and what the registry says exists on Solaris does.
TEST_F(SolarisTree, RegistryContractGroupByGroup) {
    psi::System s = sys();
    std::vector<psi::Groups> sets{psi::groups::none, psi::groups::all, psi::Group::names | psi::Group::creds};
    for (psi::Group g : psi::all_group_list) sets.emplace_back(g);
    for (int pid : {0, 77, 1234, 1300}) {
        for (psi::Groups g : sets) {
            const psi::ProcessInfo p = s.process(pid, g);
            const psi::Groups served = psi::served_groups(g);
            for (const psi::AttrInfo& row : psi::attribute_table) {
                const psi::AttrStatus st = psi::attr_status(p, row.id);
                const std::string where = "pid " + std::to_string(pid) + " groups '" + psi::groups_text(g) + "': " +
                                          std::string(row.name) + " is " + psi::to_string(st);
                if (served.contains(row.groups)) {
                    EXPECT_NE(st, psi::AttrStatus::not_read) << where;
                } else if ((row.also & served).empty()) {
                    EXPECT_EQ(st, psi::AttrStatus::not_read) << where;
                }
            }
        }
    }
    // groups::every: the process-depth groups are outside groups::all.
    const psi::ProcessInfo p = s.process(1234, psi::groups::every);
    for (const psi::AttrInfo& row : psi::attribute_table) {
        if (row.os & psi::os::on_solaris) {
            EXPECT_NE(psi::attr_status(p, row.id), psi::AttrStatus::not_implemented) << row.name;
        } else {
            EXPECT_EQ(psi::attr_status(p, row.id), psi::AttrStatus::not_implemented) << row.name;
        }
    }
}
