#include "platform/linux/context.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <mutex>

#include "psi/error.hpp"

namespace psi::backend {

Context::~Context() {
    if (proc_fd >= 0) ::close(proc_fd);
}

bool Context::is_own_proc() {
    if (!own_proc) {
        struct stat ours{}, given{};
        own_proc = ::stat("/proc", &ours) == 0 && ::fstat(proc_fd, &given) == 0 && ours.st_dev == given.st_dev &&
                   ours.st_ino == given.st_ino;
    }
    return *own_proc;
}

void ContextDeleter::operator()(Context* ctx) const noexcept { delete ctx; }

ContextPtr open(const Options& options, std::error_code& ec) {
    ec.clear();
    ContextPtr ctx(new Context);
    ctx->root = options.proc_root.empty() ? std::string("/proc") : options.proc_root;
    ctx->proc_fd = ::open(ctx->root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (ctx->proc_fd < 0) {
        ec = make_error_code(errc::proc_root_unusable);
        return nullptr;
    }
    ctx->page_size = ::sysconf(_SC_PAGESIZE);
    ctx->clk_tck = ::sysconf(_SC_CLK_TCK);
    if (ctx->page_size <= 0) ctx->page_size = 4096;
    if (ctx->clk_tck <= 0) ctx->clk_tck = 100;
    ctx->buf.resize(16384);
    return ctx;
}

}  // namespace psi::backend

namespace psi::linux_proc {

std::size_t format_path(char* out, int pid, const char* name) {
    char digits[16];
    int n = 0;
    unsigned v = static_cast<unsigned>(pid);
    do { digits[n++] = static_cast<char>('0' + v % 10); v /= 10; } while (v);
    std::size_t len = 0;
    while (n) out[len++] = digits[--n];
    if (name) {
        out[len++] = '/';
        while (*name) out[len++] = *name++;
    }
    out[len] = '\0';
    return len;
}

namespace {
// glibc's openat/read/close are thread cancellation points: once a process
// has a second thread, each call brackets the syscall with two atomic
// read-modify-writes on the thread's cancel state (1.5 % of a parallel
// psi-ps listing). psi never cancels threads, so it calls the kernel directly.
int sys_openat(int dirfd, const char* path, int flags) {
    return static_cast<int>(::syscall(SYS_openat, dirfd, path, flags, 0));
}
ssize_t sys_read(int fd, void* buf, std::size_t len) { return ::syscall(SYS_read, fd, buf, len); }
void sys_close(int fd) { ::syscall(SYS_close, fd); }
}  // namespace

ReadResult read_file(backend::Context& ctx, const char* rel, bool one_shot) {
    int fd = sys_openat(ctx.proc_fd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return {{}, errno};
    std::size_t used = 0;
    int err = 0;
    for (;;) {
        if (used == ctx.buf.size()) {
            if (ctx.buf.size() >= (64u << 20)) break;  // 64 MiB cap: an attacker cannot make us OOM
            ctx.buf.resize(ctx.buf.size() * 2);
        }
        ssize_t n = sys_read(fd, ctx.buf.data() + used, ctx.buf.size() - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
        if (one_shot && used < ctx.buf.size()) break;
    }
    sys_close(fd);
    if (err && used == 0) return {{}, err};
    return {std::string_view(ctx.buf.data(), used), 0};
}

namespace {
TimeSpec clock_now(clockid_t id) {
    timespec ts{};
    ::clock_gettime(id, &ts);
    return TimeSpec(ts.tv_sec, ts.tv_nsec);
}
}  // namespace

TimeSpec boot_instant() {
    static std::mutex mu;
    static bool have = false;
    static TimeSpec cached;
    // Take the pair whose reads were closest together (least preemption).
    TimeSpec best;
    std::int64_t best_gap = INT64_MAX;
    for (int i = 0; i < 3; ++i) {
        TimeSpec r1 = clock_now(CLOCK_REALTIME);
        TimeSpec b = clock_now(CLOCK_BOOTTIME);
        TimeSpec r2 = clock_now(CLOCK_REALTIME);
        std::int64_t gap = (r2 - r1).total_nanoseconds();
        if (gap < best_gap) {
            best_gap = gap;
            best = r1 + TimeSpec(0, gap / 2) - b;
        }
    }
    std::lock_guard<std::mutex> lock(mu);
    if (!have || std::llabs((best - cached).total_nanoseconds()) > 5'000'000) {
        cached = best;
        have = true;
    }
    return cached;
}

TimeSpec boot_instant(backend::Context& ctx) {
    std::int64_t t = clock_now(CLOCK_MONOTONIC_COARSE).total_nanoseconds();
    if (!ctx.boot_known || t - ctx.boot_checked_ns > 100'000'000 || t < ctx.boot_checked_ns) {
        ctx.boot_known = true;
        ctx.boot = boot_instant();
        ctx.boot_checked_ns = t;
    }
    return ctx.boot;
}

}  // namespace psi::linux_proc
