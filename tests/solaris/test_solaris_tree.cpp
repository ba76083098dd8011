// The Solaris backend's process reader (context.cpp, process.cpp: POSIX
// calls only) run on Linux over a fixture proc tree of binary records, built
// here byte by byte at the documented _LP64 offsets (proc(5)): psinfo,
// status, an "as" file whose offsets are the target's addresses (a sparse
// file), and path/a.out, path/cwd links. This binary is the portable core
// plus that backend, not libpsi; system_info.cpp needs Solaris headers, so
// its five functions are stubbed below and not tested here.
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

namespace psi::backend {
ArchInfo arch(Context&) { return {}; }
std::error_code pid_max(Context&, int&) { return make_error_code(errc::attr_not_available); }
std::error_code loadavg(Context&, LoadAvg&) { return make_error_code(errc::os_error); }
std::error_code boot_time(Context&, TimeSpec&) { return make_error_code(errc::os_error); }
std::error_code uptime(Context&, TimeSpec&) { return make_error_code(errc::os_error); }
std::error_code mounts(Context&, bool, std::chrono::milliseconds, std::vector<MountInfo>&) { return make_error_code(errc::os_error); }
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
constexpr std::uint64_t kHighFold = 0xFFFFFD0000000000ULL;
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

namespace {

struct Rec {
    std::string b;
    explicit Rec(std::size_t n) : b(n, '\0') {}
    template <class T>
    Rec& put(std::size_t off, T v) {
        std::memcpy(b.data() + off, &v, sizeof v);
        return *this;
    }
    Rec& str(std::size_t off, const std::string& s) {
        std::memcpy(b.data() + off, s.data(), s.size());
        return *this;
    }
};

struct Proc {
    int pid, ppid;
    char sname;
    std::int64_t start_sec;
    int dmodel;                  // 1 ILP32, 2 LP64, 0 none
    std::uint32_t status_flags;  // pstatus pr_flags
    std::uint64_t argv = 0, envp = 0;
    int argc = 0;
    int zoneid = 0;
};

class SolarisTree : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/psi-solaris-tree-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        root = tmpl;
        // An LP64 process with an address space, an ILP32 one, sched (a
        // system process) and a zombie; plus names that are not pids.
        add({1234, 1, 'S', 1700000000, 2, 0, 0x400100, 0x400120, 2});
        write_as64(1234);
        add({1300, 1234, 'O', 1700000100, 1, 0, 0x8040100, 0x8040110, 3, 7});
        write_as32(1300);
        add({0, 0, 'T', 1690000000, 0, 0x00001000});
        add({77, 1234, 'Z', 1700000200, 0, 0, 0, 0, 0, 3});
        ::mkdir((root + "/0123").c_str(), 0755);
        ASSERT_EQ(::symlink("1234", (root + "/self").c_str()), 0);
    }
    void TearDown() override { std::filesystem::remove_all(root); }

    // Bytes at a target address of an as file: addresses above INT64_MAX
    // are stored where __wrap_pread serves them from.
    void write_at(int pid, std::uint64_t addr, const std::string& bytes) {
        write(std::to_string(pid) + "/as", bytes, addr >= kHighFold ? addr - kHighFold : addr);
    }
    void write(const std::string& rel, const std::string& bytes, std::uint64_t offset = 0) {
        int fd = ::open((root + "/" + rel).c_str(), O_WRONLY | O_CREAT, 0644);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset)),
                  static_cast<ssize_t>(bytes.size()));
        ::close(fd);
    }
    void add(const Proc& p) {
        std::string dir = root + "/" + std::to_string(p.pid);
        ::mkdir(dir.c_str(), 0755);
        const bool zombie = p.sname == 'Z';
        Rec ps(416);
        ps.put<std::int32_t>(0, (p.status_flags & 0x1000) ? 0x1 : 0);  // pr_flag: SSYS for a system process
        ps.put<std::int32_t>(4, zombie ? 0 : 1).put<std::int32_t>(8, p.pid).put<std::int32_t>(12, p.ppid);
        ps.put<std::int32_t>(16, p.pid).put<std::int32_t>(20, p.pid);
        ps.put<std::uint32_t>(24, 100).put<std::uint32_t>(28, 101).put<std::uint32_t>(32, 10).put<std::uint32_t>(36, 11);
        ps.put<std::uint64_t>(48, 8192).put<std::uint64_t>(56, 1024);  // pr_size, pr_rssize (KB)
        ps.put<std::uint64_t>(72, ~std::uint64_t{0});                    // pr_ttydev = PRNODEV
        if (!zombie) {  // prgetpsinfo leaves these zero for a zombie
            ps.put<std::int64_t>(88, p.start_sec).put<std::int64_t>(96, 5000);
            ps.str(136, "prog" + std::to_string(p.pid)).str(152, "prog -v fixture");
        }
        ps.put<std::int32_t>(236, p.argc).put<std::uint64_t>(240, p.argv).put<std::uint64_t>(248, p.envp);
        ps.put<char>(256, static_cast<char>(p.dmodel));
        ps.put<std::int32_t>(276, p.zoneid);  // pr_zoneid
        ps.put<char>(288 + 26, p.sname).put<char>(288 + 27, 24).put<std::int32_t>(288 + 32, 59).str(288 + 72, "TS");
        write(std::to_string(p.pid) + "/psinfo", ps.b);
        Rec st(1024);
        st.put<std::uint32_t>(0, p.status_flags).put<std::int32_t>(8, p.pid);
        st.put<std::int64_t>(80, 2).put<std::int64_t>(88, 250000000);   // pr_utime
        st.put<std::int64_t>(96, 1).put<std::int64_t>(104, 500000000);  // pr_stime
        st.put<std::int64_t>(112, 7).put<std::int64_t>(120, 125000000);  // pr_cutime
        st.put<std::int64_t>(128, 3).put<std::int64_t>(136, 5);          // pr_cstime
        write(std::to_string(p.pid) + "/status", st.b);
        // prusage_t, at proc(5)'s _LP64 offsets: counters that name the pid.
        // A zombie's is left out: the reads then fail as for a zombie.
        if (!zombie) write(std::to_string(p.pid) + "/usage", usage(p.pid, 0).b);
        // Open descriptors: entries of fd/ (the fixture makes them files).
        ::mkdir((dir + "/fd").c_str(), 0755);
        for (int fd = 0; fd < (p.pid == 0 ? 0 : 3 + p.pid % 5); ++fd) write(std::to_string(p.pid) + "/fd/" + std::to_string(fd), "");
        if (p.dmodel) {
            ::mkdir((dir + "/path").c_str(), 0755);
            ASSERT_EQ(::symlink("/usr/bin/prog", (dir + "/path/a.out").c_str()), 0);
            ASSERT_EQ(::symlink("/export/home/me", (dir + "/path/cwd").c_str()), 0);
        }
    }
    // A prusage_t whose counters are derived from (pid, lwpid), so each
    // value read back names the field and record it came from.
    static Rec usage(int pid, int lwpid) {
        Rec u(504);
        const std::uint64_t k = static_cast<std::uint64_t>(pid) * 100 + static_cast<std::uint64_t>(lwpid) * 10;
        u.put<std::int32_t>(0, lwpid).put<std::int32_t>(4, 1);
        u.put<std::int64_t>(72, 4).put<std::int64_t>(80, 100 + lwpid);   // pr_utime
        u.put<std::int64_t>(88, 1).put<std::int64_t>(96, 200 + lwpid);   // pr_stime
        u.put<std::int64_t>(104, 0).put<std::int64_t>(112, 300);         // pr_ttime (trap)
        u.put<std::uint64_t>(328, k + 1).put<std::uint64_t>(336, k + 2);  // pr_minf, pr_majf
        u.put<std::uint64_t>(392, k + 3).put<std::uint64_t>(400, k + 4);  // pr_vctx, pr_ictx
        u.put<std::uint64_t>(416, k + 5);                                  // pr_ioch
        return u;
    }
    // argv {"/usr/bin/prog", "-v"}, envp {"HOME=/root", "LANG=C"} with 8-byte pointers.
    void write_as64(int pid) {
        Rec ptrs(0x40);
        ptrs.put<std::uint64_t>(0x00, 0x400200).put<std::uint64_t>(0x08, 0x400210).put<std::uint64_t>(0x10, 0);
        ptrs.put<std::uint64_t>(0x20, 0x400220).put<std::uint64_t>(0x28, 0x400230).put<std::uint64_t>(0x30, 0);
        write(std::to_string(pid) + "/as", ptrs.b, 0x400100);
        write(std::to_string(pid) + "/as", std::string("/usr/bin/prog\0\0\0-v\0", 19), 0x400200);
        write(std::to_string(pid) + "/as", std::string("HOME=/root\0\0\0\0\0\0LANG=C\0", 23), 0x400220);
    }
    // argv {"sh", "-c", "true"}, envp {"PATH=/bin"} with 4-byte pointers.
    void write_as32(int pid) {
        Rec ptrs(0x20);
        ptrs.put<std::uint32_t>(0x0, 0x8040200).put<std::uint32_t>(0x4, 0x8040203).put<std::uint32_t>(0x8, 0x8040206);
        ptrs.put<std::uint32_t>(0xc, 0).put<std::uint32_t>(0x10, 0x8040210).put<std::uint32_t>(0x14, 0);
        write(std::to_string(pid) + "/as", ptrs.b, 0x8040100);
        write(std::to_string(pid) + "/as", std::string("sh\0-c\0true\0", 11), 0x8040200);
        write(std::to_string(pid) + "/as", std::string("PATH=/bin\0", 10), 0x8040210);
    }

    psi::System sys() { return psi::System(psi::Options{root, 1}); }
    std::string root;
};

}  // namespace

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

// -- x-solaris: process depth from usage, status and fd/ (issue 12) --
// Faults come with the stat group (usage is read for them), context
// switches with the status group (the same record), the children's times
// from pstatus pr_cutime/pr_cstime, num_fds from the entries of fd/.
TEST_F(SolarisTree, UsageCountersAndFds) {
    psi::System s = sys();
    auto p = s.process(1234, psi::Group::stat);
    EXPECT_EQ(p.minor_faults.value(), 123401u);
    EXPECT_EQ(p.major_faults.value(), 123402u);
    EXPECT_EQ(p.children_utime.value(), psi::TimeSpec(7, 125000000));
    EXPECT_EQ(p.children_stime.value(), psi::TimeSpec(3, 5));
    EXPECT_EQ(p.voluntary_ctxt_switches.status(), psi::AttrStatus::not_read);
    // No children faults in prusage_t; no split of pr_ioch into reads and writes.
    EXPECT_EQ(p.children_minor_faults.status(), psi::AttrStatus::not_implemented);
    auto q = s.process(1300, psi::Group::status | psi::Group::fds | psi::Group::io);
    EXPECT_EQ(q.voluntary_ctxt_switches.value(), 130003u);
    EXPECT_EQ(q.involuntary_ctxt_switches.value(), 130004u);
    EXPECT_EQ(q.num_fds.value(), 3u);  // 3 + 1300 % 5
    EXPECT_EQ(s.process(1234, psi::Group::fds).num_fds.value(), 7u);
    EXPECT_EQ(q.io_counters.status(), psi::AttrStatus::not_implemented);
    EXPECT_EQ(q.rss_peak.status(), psi::AttrStatus::not_implemented);
    // sched has an empty fd/ and its own usage.
    auto sched = s.process(0, psi::Group::stat | psi::Group::fds);
    EXPECT_EQ(sched.num_fds.value(), 0u);
    EXPECT_EQ(sched.minor_faults.value(), 1u);
    // A zombie without a usage record: not available, and still a row.
    auto z = s.process(77, psi::Group::stat | psi::Group::status);
    EXPECT_EQ(z.minor_faults.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(z.involuntary_ctxt_switches.status(), psi::AttrStatus::not_available);
}

// A short usage record is unreadable (not a parse of garbage); a usage
// record that vanished with its process makes the row go.
TEST_F(SolarisTree, ShortOrVanishedUsage) {
    psi::System s = sys();
    ASSERT_EQ(::truncate((root + "/1234/usage").c_str(), 400), 0);
    auto p = s.process(1234, psi::Group::stat | psi::Group::status);
    EXPECT_EQ(p.minor_faults.status(), psi::AttrStatus::not_available);
    EXPECT_EQ(p.voluntary_ctxt_switches.status(), psi::AttrStatus::not_available);
    EXPECT_TRUE(p.utime.ok());
    ::unlink((root + "/1300/usage").c_str());
    auto q = s.process(1300, psi::Group::stat);  // psinfo still there: the process is
    EXPECT_EQ(q.minor_faults.status(), psi::AttrStatus::not_available);
}
