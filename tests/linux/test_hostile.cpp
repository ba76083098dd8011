// Live hostile processes (issue 9): tests/helpers/hostile_proc.c changes
// what the kernel shows as its argument and environment areas. The oracle
// is the system: /proc read directly, procps ps, readlink(2), kill(2).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "platform/linux/parse.hpp"
#include "psi/psi.hpp"
#include "support.hpp"

namespace {

using namespace std::string_literals;
using psi::Group;

// One hostile_proc (or any program) child, started with exactly `argv`,
// killed and reaped at scope exit. Waits for its "ready" line.
class Child {
public:
    explicit Child(const std::vector<std::string>& argv, bool wait_ready = true) {
        int out[2];
        if (::pipe2(out, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        int rc = ::posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        ::close(out[1]);
        if (rc != 0) {
            ::close(out[0]);
            throw std::system_error(rc, std::generic_category(), "posix_spawn " + argv[0]);
        }
        if (wait_ready) {
            char buf[6];
            std::size_t got = 0;
            while (got < sizeof buf) {
                ssize_t n = ::read(out[0], buf + got, sizeof buf - got);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                got += static_cast<std::size_t>(n);
            }
            ready_ = got == sizeof buf;
        }
        ::close(out[0]);
    }
    ~Child() { stop(); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    pid_t pid() const { return pid_; }
    bool ready() const { return ready_; }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
    bool ready_ = false;
};

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

// What ps shows for args, as psi's callers build it: ' '.join(args) with
// newlines as blanks, "?" when that leaves nothing.
std::string joined(const std::vector<std::string>& args) {
    std::string s;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i) s += ' ';
        s += args[i];
    }
    for (char& c : s)
        if (c == '\n') c = ' ';
    return s.empty() ? "?" : s;
}

TEST(Hostile, ArgumentAreaOf256MiBZeroPages) {
    Child c({PSI_HOSTILE_PROC, "big", "256"});
    ASSERT_TRUE(c.ready());
    psi::System sys;
    const psi::ProcessInfo p = sys.process(c.pid(), psi::groups::all);
    // All NULs: one empty argument (ps prints "?").
    EXPECT_EQ(p.args.value("args"), std::vector<std::string>{""});
    // The table lists it, and everything else.
    const psi::ProcessTable t = sys.table(psi::groups::all);
    ASSERT_NE(t.find(c.pid()), nullptr);
    EXPECT_NE(t.find(::getpid()), nullptr);
}

TEST(Hostile, NulDenseArgumentAreaIsCountedNotAmplified) {
    // 4 MiB of NULs ending in "x\0": within the 6 MiB read, each NUL would
    // be one empty argument.
    Child c({PSI_HOSTILE_PROC, "big", "4", "tail"});
    ASSERT_TRUE(c.ready());
    const std::string raw = psi_test::read_file("/proc/" + std::to_string(c.pid()) + "/cmdline");
    ASSERT_EQ(raw.size(), 4u << 20);
    psi::System sys;
    const psi::ProcessInfo p = sys.process(c.pid(), Group::args);
    EXPECT_EQ(p.args.value("args").size(), psi::linux_proc::kMaxArgStrings);
}

TEST(Hostile, CommandLinesAsPsShowsThem) {
    const std::string shapes[] = {
        "nginx: worker process\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"s,  // setproctitle, NUL padded
        "a\0\0\0"s,
        "\0\0"s,
        "title     "s,  // space padded, no final NUL
        "a\0\0b\0"s,
        "line\none\0"s,
        " \0\0"s,
    };
    psi::System sys;
    for (const std::string& s : shapes) {
        SCOPED_TRACE(testing::Message() << "cmdline hex " << hex(s));
        Child c({PSI_HOSTILE_PROC, "args", hex(s)});
        ASSERT_TRUE(c.ready());
        const std::string ps = psi_test::run_capture("ps -o args= -p " + std::to_string(c.pid()));
        ASSERT_FALSE(ps.empty());
        const psi::ProcessInfo p = sys.process(c.pid(), Group::args | Group::stat);
        EXPECT_EQ(joined(p.args.value("args")) + "\n", ps);
    }
}

TEST(Hostile, EmptyArgvAsPsShowsIt) {
    Child c({PSI_HOSTILE_PROC, "empty-argv"});
    ASSERT_TRUE(c.ready());
    const std::string ps = psi_test::run_capture("ps -o args= -p " + std::to_string(c.pid()));
    psi::System sys;
    const psi::ProcessInfo p = sys.process(c.pid(), Group::args);
    EXPECT_EQ(joined(p.args.value("args")) + "\n", ps);
}

TEST(Hostile, EnvironWithoutEqualsHidesNothing) {
    const std::string env = "HOME\0HOME=/root\0X=1\0X=2\0"s;
    Child c({PSI_HOSTILE_PROC, "env", hex(env)});
    ASSERT_TRUE(c.ready());
    const std::string raw = psi_test::read_file("/proc/" + std::to_string(c.pid()) + "/environ");
    ASSERT_EQ(raw, env);
    psi::System sys;
    const psi::ProcessInfo p = sys.process(c.pid(), Group::env);
    // Every KEY=VALUE of the raw bytes, in order; nothing else.
    psi::Environment want;
    std::size_t start = 0;
    while (start < raw.size()) {
        std::size_t nul = raw.find('\0', start);
        std::string e = raw.substr(start, nul - start);
        if (std::size_t eq = e.find('='); eq != std::string::npos) want.emplace_back(e.substr(0, eq), e.substr(eq + 1));
        start = nul + 1;
    }
    EXPECT_EQ(p.env.value("env"), want);
}

TEST(Hostile, DeletedExecutable) {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/psi-exe-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const fs::path dir(tmpl);
    const fs::path gone = dir / "prog", named = dir / "prog (deleted)";
    fs::copy_file(PSI_HOSTILE_PROC, gone);
    fs::copy_file(PSI_HOSTILE_PROC, named);
    {
        Child a({gone.string(), "pause"});
        Child b({named.string(), "pause"});
        ASSERT_TRUE(a.ready() && b.ready());
        fs::remove(gone);
        auto link = [](pid_t pid) { return fs::read_symlink("/proc/" + std::to_string(pid) + "/exe").string(); };
        ASSERT_EQ(link(a.pid()), gone.string() + " (deleted)");
        ASSERT_EQ(link(b.pid()), named.string());
        psi::System sys;
        const psi::ProcessInfo pa = sys.process(a.pid(), Group::exe);
        EXPECT_EQ(pa.exe.value("exe"), gone.string());
        EXPECT_TRUE(pa.exe_deleted.value("exe_deleted"));
        const psi::ProcessInfo pb = sys.process(b.pid(), Group::exe);
        EXPECT_EQ(pb.exe.value("exe"), named.string()) << "a file really named so keeps its name";
        EXPECT_FALSE(pb.exe_deleted.value("exe_deleted"));
    }
    fs::remove_all(dir);
}

TEST(Hostile, KillReachesOnlyTheProcessRead) {
    psi_test::Sleepers kids;
    const pid_t pid = kids.spawn("psi-kill-me");
    psi::System sys;
    const psi::ProcessInfo p = sys.process(pid, Group::stat);
    // The same pid, another start: what a reused pid looks like to psi.
    psi::ProcessInfo other = p;
    other.start_ticks += 1;
    std::error_code ec;
    sys.kill(other, SIGKILL, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    EXPECT_EQ(::kill(pid, 0), 0) << "the process now holding the pid was not signalled";
    // A pinned handle outlives the process: once it is reaped, a kill through
    // it fails whatever the pid names by then.
    psi::ProcessHandle h = sys.pin(p, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_TRUE(h.pinned()) << "Linux 5.3+ with our own /proc gives a pidfd";
    EXPECT_EQ(sys.pin(other, ec).pinned(), false);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    sys.kill(p, h, 0, ec);
    EXPECT_FALSE(ec) << ec.message();
    kids.kill_and_reap(pid);
    sys.kill(p, h, SIGKILL, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
}

TEST(Hostile, KillDoesNotLeakDescriptors) {
    psi_test::Sleepers kids;
    const pid_t pid = kids.spawn();
    psi::System sys;
    const psi::ProcessInfo p = sys.process(pid, Group::stat);
    auto fds = [] {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
        return n;
    };
    const std::size_t before = fds();
    for (int i = 0; i < 100; ++i) sys.kill(p, 0);
    { psi::ProcessHandle h = sys.pin(p); }
    EXPECT_EQ(fds(), before);
}

}  // namespace
