// The fixture of the Solaris reader's tree tests (test_solaris_tree.cpp,
// test_solaris_depth.cpp): a proc tree of binary records built byte by byte
// at the documented _LP64 offsets (proc(5)) under a temporary directory.
// test_solaris_tree.cpp defines kHighFold's reader (__wrap_pread) and the
// backend's system-facts stubs, once for the binary.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include "psi/system.hpp"

// Target addresses at or above this are stored in an as file at
// address - kHighFold (see __wrap_pread in test_solaris_tree.cpp).
inline constexpr std::uint64_t kHighFold = 0xFFFFFD0000000000ULL;

namespace solaris_fixture {

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

}  // namespace solaris_fixture

using solaris_fixture::Proc;
using solaris_fixture::Rec;
using solaris_fixture::SolarisTree;
