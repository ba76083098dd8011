#include "platform/posix/proc_root.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>

#if defined(__linux__)
#include <sys/syscall.h>
#include <sys/vfs.h>
#endif

#include <new>

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

// Whether every file under the root is a kernel-made regular file, so the
// per-file fstat can be skipped: true only for a mounted procfs on Linux
// (its files are all S_IFREG and nobody can mkfifo inside it). A fixture
// tree, a copied tree, or another OS's proc root gets the fstat.
bool root_is_procfs(int fd) {
#if defined(__linux__)
    struct statfs sfs{};
    constexpr long kProcSuperMagic = 0x9fa0;  // linux/magic.h PROC_SUPER_MAGIC
    return ::fstatfs(fd, &sfs) == 0 && static_cast<long>(sfs.f_type) == kProcSuperMagic;
#else
    (void)fd;
    return false;
#endif
}
}  // namespace

ProcRoot::~ProcRoot() {
    if (proc_fd >= 0) ::close(proc_fd);
}

bool ProcRoot::open_root(const std::string& path, std::size_t buf_size) {
    root = path.empty() ? std::string("/proc") : path;
    proc_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc_fd < 0) return false;
    trusted_files = root_is_procfs(proc_fd);
    buf.resize(buf_size);
    base_buf_size = buf_size;
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

int open_pidfd(ProcRoot& r, int pid, std::error_code& ec) {
    ec.clear();
    if (pid <= 0 || !r.is_own_proc()) return -1;
#if defined(__linux__)
#if defined(SYS_pidfd_open)
    constexpr long kPidfdOpen = SYS_pidfd_open;
#else
    constexpr long kPidfdOpen = 434;  // the same number on every Linux architecture (5.3)
#endif
    // pidfds are close-on-exec by design (pidfd_open(2)).
    long fd = ::syscall(kPidfdOpen, pid, 0);
    if (fd >= 0) return static_cast<int>(fd);
    if (errno == ESRCH) ec = make_error_code(errc::no_such_process);
    return -1;
#else
    return -1;
#endif
}

std::error_code pidfd_signal(int fd, int sig) {
#if defined(__linux__)
#if defined(SYS_pidfd_send_signal)
    constexpr long kPidfdSendSignal = SYS_pidfd_send_signal;
#else
    constexpr long kPidfdSendSignal = 424;  // Linux 5.1, every architecture
#endif
    if (::syscall(kPidfdSendSignal, fd, sig, nullptr, 0) == 0) return {};
    return detail::classify_process_error(errno);
#else
    (void)fd;
    (void)sig;
    return make_error_code(errc::invalid_argument);
#endif
}

void close_pidfd(int fd) noexcept {
    if (fd >= 0) ::close(fd);
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
    // O_NONBLOCK: a FIFO (or a tty, a socket's device node) planted in a
    // proc root would block open(2) until a writer appears and read(2) until
    // it writes; non-blocking, open returns at once and read gives EOF or
    // EAGAIN. Real proc files ignore the flag.
    int fd = sys_openat(r.proc_fd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return {{}, errno};
    if (!r.trusted_files) {
        // Every file psi reads from a proc root is a regular file on the
        // real thing (`stat -c %F /proc/self/stat`: "regular empty file");
        // anything else (a FIFO, a device such as /dev/zero that never
        // ends) is refused rather than read. EIO: the bytes cannot be had.
        struct stat sb{};
        if (::fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            sys_close(fd);
            return {{}, EIO};
        }
    }
    std::size_t used = 0;
    int err = 0;
    for (;;) {
        // The buffer may be larger than this read's cap (a bigger read grew
        // it): never read past the cap.
        std::size_t limit = std::min(r.buf.size(), cap);
        if (used == limit) {
            if (limit >= cap) break;
            try {
                r.buf.resize(std::min(cap, r.buf.size() * 2));
            } catch (const std::bad_alloc&) {
                // Out of memory (an address-space limit, a huge file): this
                // one read fails, never the caller.
                sys_close(fd);
                return {{}, ENOMEM};
            }
            limit = std::min(r.buf.size(), cap);
        }
        ssize_t n = sys_read(fd, r.buf.data() + used, limit - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
        if (one_shot && used < limit) break;
    }
    sys_close(fd);
    if (err && used == 0) return {{}, err};
    return {std::string_view(r.buf.data(), used), 0};
}

void ProcRoot::trim_buffer() noexcept {
    // A big environment or command line grew the buffer (up to its read's
    // cap, several MiB); a table of thousands of processes must not keep
    // that much per reader thread for the rest of the listing.
    if (buf.size() > 4 * base_buf_size && base_buf_size > 0) {
        std::vector<char> small;
        try {
            small.resize(base_buf_size);
        } catch (const std::bad_alloc&) {
            return;
        }
        buf.swap(small);
    }
}

}  // namespace psi::posix
