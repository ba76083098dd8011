#include "platform/posix/proc_root.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>

#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "core/classify.hpp"
#include "psi/error.hpp"

namespace psi::posix {

namespace {
#if defined(__linux__)
// glibc's openat/read/close are thread cancellation points: once a process
// has a second thread, each call brackets the syscall with two atomic
// read-modify-writes on the thread's cancel state (1.5 % of a parallel
// psi-ps listing in perf). psi never cancels threads, so on Linux it calls
// the kernel directly.
int sys_openat(int dirfd, const char* path, int flags) {
    return static_cast<int>(::syscall(SYS_openat, dirfd, path, flags, 0));
}
ssize_t sys_read(int fd, void* buf, std::size_t len) { return ::syscall(SYS_read, fd, buf, len); }
void sys_close(int fd) { ::syscall(SYS_close, fd); }
#else
int sys_openat(int dirfd, const char* path, int flags) { return ::openat(dirfd, path, flags); }
ssize_t sys_read(int fd, void* buf, std::size_t len) { return ::read(fd, buf, len); }
void sys_close(int fd) { ::close(fd); }
#endif
}  // namespace

ProcRoot::~ProcRoot() {
    if (proc_fd >= 0) ::close(proc_fd);
}

bool ProcRoot::open_root(const std::string& path, std::size_t buf_size) {
    root = path.empty() ? std::string("/proc") : path;
    proc_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc_fd < 0) return false;
    buf.resize(buf_size);
    page_size = ::sysconf(_SC_PAGESIZE);
    clk_tck = ::sysconf(_SC_CLK_TCK);
    if (page_size <= 0) page_size = 4096;
    if (clk_tck <= 0) clk_tck = 100;
    return true;
}

bool ProcRoot::is_own_proc() {
    if (!own_proc_) {
        struct stat ours{}, given{};
        own_proc_ = ::stat("/proc", &ours) == 0 && ::fstat(proc_fd, &given) == 0 && ours.st_dev == given.st_dev &&
                    ours.st_ino == given.st_ino;
    }
    return *own_proc_;
}

std::error_code send_signal(ProcRoot& r, int pid, int sig) {
    if (pid <= 0) return make_error_code(errc::invalid_argument);
    if (!r.is_own_proc()) return make_error_code(errc::invalid_argument);
    if (::kill(pid, sig) == 0) return {};
    return detail::classify_process_error(errno);
}

int pid_from_name(std::string_view name) noexcept {
    if (name.empty() || (name[0] == '0' && name.size() > 1)) return -1;
    long long v = 0;
    for (char c : name) {
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
        if (v > INT_MAX) return -1;
    }
    return static_cast<int>(v);
}

std::size_t format_path(char* out, int pid, const char* name) {
    char digits[16];
    int n = 0;
    unsigned v = static_cast<unsigned>(pid);
    do { digits[n++] = static_cast<char>('0' + v % 10); v /= 10; } while (v);
    std::size_t len = 0;
    while (n) out[len++] = digits[--n];
    if (name) {
        out[len++] = '/';
        while (*name && len < kPathMax - 1) out[len++] = *name++;
    }
    out[len] = '\0';
    return len;
}

ReadResult read_file(ProcRoot& r, const char* rel, bool one_shot, std::size_t cap) {
    int fd = sys_openat(r.proc_fd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return {{}, errno};
    std::size_t used = 0;
    int err = 0;
    for (;;) {
        if (used == r.buf.size()) {
            if (r.buf.size() >= cap) break;
            r.buf.resize(r.buf.size() * 2);
        }
        ssize_t n = sys_read(fd, r.buf.data() + used, r.buf.size() - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
        if (one_shot && used < r.buf.size()) break;
    }
    sys_close(fd);
    if (err && used == 0) return {{}, err};
    return {std::string_view(r.buf.data(), used), 0};
}

}  // namespace psi::posix
