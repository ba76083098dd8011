// System::open_files (x-openfiles, issue 12) on fixture proc trees with
// known answers (which descriptors are listed, each fdinfo field, a
// descriptor closed mid-read, damage, a reused pid, no permission) and on
// this process against the values it set (lseek, fcntl F_GETFL).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/system.hpp"

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

using psi::OpenFile;
using psi_test::open_fixture;
using psi_test::ProcFixture;

std::uint64_t inode_of(const std::string& path) {
    struct stat sb {};
    EXPECT_EQ(::stat(path.c_str(), &sb), 0) << path;
    return sb.st_ino;
}

std::string fdinfo(long long pos, unsigned flags, const std::string& ino_line) {
    char text[128];
    std::snprintf(text, sizeof text, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t24\n", pos, flags);
    return text + ino_line;
}

class OpenFilesFixture : public ::testing::Test {
protected:
    void SetUp() override {
        fx_.add_process(100, "prog");
        fx_.mkdir("100/fd");
        fx_.mkdir("100/fdinfo");
        fx_.mkdir("files");
        fx_.write("files/a.log", "0123456789");
        fx_.write("files/b\nc \xff", "x");  // a newline, a space and a byte that is not UTF-8
        a_ = fx_.path("files/a.log");
        b_ = fx_.path("files/b\nc \xff");
    }
    // fd/N -> target, with its fdinfo (none when `info` is null).
    void fd(int n, const std::string& target, const char* info) {
        fx_.symlink("100/fd/" + std::to_string(n), target);
        if (info) fx_.write("100/fdinfo/" + std::to_string(n), info);
    }
    std::string ino(const std::string& path) { return "ino:\t" + std::to_string(inode_of(path)) + "\n"; }

    ProcFixture fx_;
    std::string a_, b_;
};

TEST_F(OpenFilesFixture, RegularFilesOnlyWithTheirFdinfo) {
    const std::string a_info = fdinfo(7, 0102002, ino(a_));    // O_RDWR|O_APPEND, O_LARGEFILE
    const std::string b_info = fdinfo(0, 02100001, ino(b_));   // O_WRONLY, O_CLOEXEC
    const std::string old_info = fdinfo(3, 0100000, "");       // before Linux 5.14: no ino line
    fd(12, a_, a_info.c_str());
    fd(0, "/dev/null", "pos:\t0\nflags:\t02\n");               // a character device
    fd(1, "socket:[31337]", "pos:\t0\nflags:\t02\n");          // a d_dname, never a file
    fd(2, "pipe:[4242]", "pos:\t0\nflags:\t01\n");
    fd(4, "anon_inode:[eventfd]", "pos:\t0\nflags:\t02\neventfd-count:\t0\n");
    fd(5, fx_.path("files"), "pos:\t0\nflags:\t0200000\n");     // a directory
    fd(6, b_, b_info.c_str());
    fd(30, a_, old_info.c_str());
    psi::System sys = open_fixture(fx_);
    const std::vector<OpenFile> got = sys.open_files(100);
    const std::vector<OpenFile> want = {
        {b_, 6, 0, "w", 02100001},
        {a_, 12, 7, "a+", 0102002},
        {a_, 30, 3, "r", 0100000},
    };
    EXPECT_EQ(got, want);  // by ascending descriptor, whatever the directory's order
}

TEST_F(OpenFilesFixture, ModesFromAccessModeAndAppend) {
    const unsigned flags[] = {00, 01, 02001, 02, 02002, 03};
    const char* modes[] = {"r", "w", "a", "r+", "a+", ""};
    for (int i = 0; i < 6; ++i) {
        const std::string info = fdinfo(i, flags[i], ino(a_));
        fd(10 + i, a_, info.c_str());
    }
    psi::System sys = open_fixture(fx_);
    const std::vector<OpenFile> got = sys.open_files(100);
    ASSERT_EQ(got.size(), 6u);
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(got[i].fd, 10 + i);
        EXPECT_EQ(got[i].mode, modes[i]) << std::oct << flags[i];
        EXPECT_EQ(got[i].flags, flags[i]);
        EXPECT_EQ(got[i].position, i);
    }
}

TEST_F(OpenFilesFixture, DescriptorClosedMidReadIsLeftOut) {
    const std::string a_info = fdinfo(1, 0, ino(a_));
    fd(3, a_, a_info.c_str());
    fd(4, a_, nullptr);                     // closed after its link was read: no fdinfo
    fd(5, fx_.path("files/gone"), "pos:\t0\nflags:\t0\n");  // closed before the stat
    psi::System sys = open_fixture(fx_);
    std::error_code ec;
    const std::vector<OpenFile> got = sys.open_files(100, ec);
    EXPECT_FALSE(ec) << ec.message();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].fd, 3);
}

TEST_F(OpenFilesFixture, ReusedDescriptorIsReadAgainOnce) {
    // fdinfo names another inode than the one the stat saw: read again;
    // a fixture cannot change between the two readings, so the second
    // stands (as on a filesystem whose st_ino is not its i_ino).
    const std::string info = fdinfo(2, 0, "ino:\t1\n");
    fd(3, a_, info.c_str());
    psi::System sys = open_fixture(fx_);
    const std::vector<OpenFile> got = sys.open_files(100);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].position, 2);
}

TEST_F(OpenFilesFixture, UnparsableFdinfoIsParseError) {
    for (const char* bad : {"", "pos:\t12\n", "flags:\t02\n", "pos:\tx\nflags:\t02\n", "pos:\t1\nflags:\t09\n"}) {
        fx_.write("100/fdinfo/3", bad);
        if (::access(fx_.path("100/fd/3").c_str(), F_OK) != 0) fd(3, a_, nullptr);
        psi::System sys = open_fixture(fx_);
        std::error_code ec;
        const std::vector<OpenFile> got = sys.open_files(100, ec);
        EXPECT_EQ(ec, psi::errc::parse_error) << '"' << bad << '"';
        EXPECT_TRUE(got.empty());
    }
}

TEST_F(OpenFilesFixture, GoneOrReusedProcessIsNoSuchProcess) {
    psi::System sys = open_fixture(fx_);
    std::error_code ec;
    sys.open_files(999, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    sys.open_files(-1, ec);
    EXPECT_EQ(ec, psi::errc::invalid_argument);
    // A snapshot of pid 100, then pid 100 is another process (other start).
    const psi::ProcessInfo before = sys.process(100, psi::Group::stat);
    EXPECT_TRUE(sys.open_files(before, ec).empty());
    EXPECT_FALSE(ec) << ec.message();
    psi_test::StatFields later;
    later.starttime = 5000;
    fx_.write("100/stat", psi_test::make_stat(100, "prog", later));
    sys.open_files(before, ec);
    EXPECT_EQ(ec, psi::errc::no_such_process);
    EXPECT_THROW(sys.open_files(before), psi::Error);
}

TEST_F(OpenFilesFixture, UnreadableFdDirectoryIsInsufficientPrivs) {
    ASSERT_EQ(::chmod(fx_.path("100/fd").c_str(), 0), 0);
    if (::geteuid() != 0) {
        psi::System sys = open_fixture(fx_);
        std::error_code ec;
        sys.open_files(100, ec);
        EXPECT_EQ(ec, psi::errc::insufficient_privs);
        return;
    }
    // Root reads a mode-0000 directory: ask from a child that is nobody
    // (the tree must be traversable for it up to the fd directory).
    for (const std::string rel : {"", "100"}) ASSERT_EQ(::chmod(fx_.path(rel).c_str(), 0755), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
        psi::System sys = open_fixture(fx_);
        std::error_code ec;
        sys.open_files(100, ec);
        ::_exit(ec == psi::errc::insufficient_privs ? 0 : ec == psi::errc::no_such_process ? 4 : 5);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

// ---- this process ----------------------------------------------------

std::string temp_path(const char* name) {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/psi-of-" + std::to_string(::getpid()) + "-" + name;
}

TEST(OpenFilesLive, OwnDescriptorsAgainstLseekAndFcntl) {
    struct Case {
        std::string path;
        int flags;
        off_t seek;
        const char* mode;
        int fd = -1;
    };
    std::vector<Case> cases = {
        {temp_path("r"), O_RDONLY, 5, "r"},
        {temp_path("w"), O_WRONLY, 0, "w"},
        {temp_path("a"), O_WRONLY | O_APPEND | O_CLOEXEC, 0, "a"},
        {temp_path("rw"), O_RDWR, 9, "r+"},
        {temp_path("rwa\nx"), O_RDWR | O_APPEND, 0, "a+"},
    };
    for (Case& c : cases) {
        int w = ::open(c.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ASSERT_GE(w, 0);
        ASSERT_EQ(::write(w, "0123456789abcdef", 16), 16);
        ::close(w);
        c.fd = ::open(c.path.c_str(), c.flags);
        ASSERT_GE(c.fd, 0);
        if (c.seek) {
            ASSERT_EQ(::lseek(c.fd, c.seek, SEEK_SET), c.seek);
        }
    }
    // Appending moves the offset to the end: 16 + 3.
    ASSERT_EQ(::write(cases[2].fd, "xyz", 3), 3);
    // A deleted file is listed under the path it had.
    const std::string gone = temp_path("deleted");
    int del = ::open(gone.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(del, 0);
    ASSERT_EQ(::unlink(gone.c_str()), 0);
    int pipe_fds[2], sock_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sock_fds), 0);

    psi::System sys;
    const std::vector<OpenFile> got = sys.open_files(::getpid());
    auto find = [&](int fd) -> const OpenFile* {
        for (const OpenFile& f : got)
            if (f.fd == fd) return &f;
        return nullptr;
    };
    for (const Case& c : cases) {
        const OpenFile* f = find(c.fd);
        ASSERT_TRUE(f) << c.path;
        EXPECT_EQ(f->path, c.path);
        EXPECT_EQ(f->position, ::lseek(c.fd, 0, SEEK_CUR));
        EXPECT_EQ(f->mode, c.mode);
        // fdinfo flags are f_flags (F_GETFL) plus O_CLOEXEC from the table.
        const int fl = ::fcntl(c.fd, F_GETFL);
        const bool cloexec = (::fcntl(c.fd, F_GETFD) & FD_CLOEXEC) != 0;
        EXPECT_EQ(f->flags, static_cast<std::uint32_t>(fl | (cloexec ? O_CLOEXEC : 0))) << c.path;
        EXPECT_EQ((f->flags & O_CLOEXEC) != 0, (c.flags & O_CLOEXEC) != 0);
    }
    EXPECT_EQ(find(cases[2].fd)->position, 19);
    const OpenFile* d = find(del);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->path, gone);
    for (int fd : {pipe_fds[0], pipe_fds[1], sock_fds[0], sock_fds[1]}) EXPECT_FALSE(find(fd)) << fd;
    for (std::size_t i = 1; i < got.size(); ++i) EXPECT_LT(got[i - 1].fd, got[i].fd);
    // Through the snapshot's identity too.
    const psi::ProcessInfo self = sys.process(::getpid(), psi::Group::stat);
    EXPECT_EQ(sys.open_files(self).size(), got.size());

    for (const Case& c : cases) {
        ::close(c.fd);
        ::unlink(c.path.c_str());
    }
    for (int fd : {del, pipe_fds[0], pipe_fds[1], sock_fds[0], sock_fds[1]}) ::close(fd);
}

// Up to 100,000 descriptors (pipes, not listed; as many as the hard
// RLIMIT_NOFILE allows) and three files among them: the read streams the
// directory, so the peak resident size grows by far less than a list of
// every descriptor's name would take (32 bytes a std::string at least). In
// a child, whose limit may be raised and whose peak starts fresh.
TEST(OpenFilesLive, ManyDescriptorsCostTheResultOnly) {
    const std::string file = temp_path("many");
    struct rlimit lim {};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &lim), 0);
    rlim_t hard = lim.rlim_max == RLIM_INFINITY ? 100064 : lim.rlim_max;
    const int kFds = static_cast<int>(std::min<rlim_t>(100000, hard > 64 ? hard - 64 : 0));
    if (kFds < 5000) GTEST_SKIP() << "hard RLIMIT_NOFILE " << hard << " is too low";
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        struct rlimit r {static_cast<rlim_t>(kFds) + 64, static_cast<rlim_t>(kFds) + 64};
        if (::setrlimit(RLIMIT_NOFILE, &r) != 0) ::_exit(2);
        int p[2];
        if (::pipe(p) != 0) ::_exit(2);
        for (int i = 0; i < kFds; ++i)
            if (::dup(p[0]) < 0) ::_exit(3);
        int f = ::open(file.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
        if (f < 0 || ::dup2(f, kFds + 10) < 0 || ::dup2(f, kFds / 2 + 1) < 0) ::_exit(4);
        psi::System sys;
        // Warm up on a process with few descriptors (the parent): code and
        // buffers paged in, so the peak below grows only by this read.
        (void)sys.open_files(::getppid());
        struct rusage before {}, after {};
        ::getrusage(RUSAGE_SELF, &before);
        const std::vector<OpenFile> got = sys.open_files(::getpid());
        ::getrusage(RUSAGE_SELF, &after);
        // Ours, among whatever regular files the test runner handed down
        // (ctest may give stdout and stderr as files).
        std::vector<int> ours;
        for (const OpenFile& o : got)
            if (o.path == file) ours.push_back(o.fd);
        if (ours != std::vector<int>{kFds / 2 + 1, f, kFds + 10}) ::_exit(5);
        if (got.size() > 3 + 3) ::_exit(6);  // 0, 1, 2 at most besides
        const long grown_kib = after.ru_maxrss - before.ru_maxrss;
        std::fprintf(stderr, "%d descriptors: peak grew by %ld KiB\n", kFds, grown_kib);
        // ASan's allocator and fake stacks grow the peak on their own
        // (about 300 KiB here): the bound is checked without sanitizers.
        if (!kSanitized && grown_kib > kFds * 16 / 1024) ::_exit(7);  // half of a list of names
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ::unlink(file.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
