// Linux backend context: the proc root (shared POSIX part) and the boot
// instant that start times are measured from.
#include "platform/linux/context.hpp"

#include <cstdlib>
#include <ctime>
#include <mutex>

#include "psi/error.hpp"

namespace psi::backend {

void ContextDeleter::operator()(Context* ctx) const noexcept { delete ctx; }

// 16 KiB holds any stat/statm/status line and most command lines; big
// environments grow it (up to read_file's cap).
constexpr std::size_t kReadBuffer = 16384;

ContextPtr open(const Options& options, std::error_code& ec) {
    return posix::open_context<ContextPtr>(options.proc_root, kReadBuffer, ec);
}

ContextPtr open_worker(const Context& parent, std::error_code& ec) {
    return posix::open_context<ContextPtr>(parent.root, kReadBuffer, ec);
}

}  // namespace psi::backend

namespace psi::linux_proc {

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

// -- w-threads: a context on one process's threads --
namespace psi::backend {

ContextPtr open_tasks(const Context& parent, int pid, std::error_code& ec) {
    // /proc/PID/task holds one directory per thread, each laid out like
    // /proc/PID itself (proc(5)): a context rooted there reads threads with
    // the process code unchanged, "TID/stat" instead of "PID/stat".
    const std::string root = (parent.root.empty() ? std::string("/proc") : parent.root) + "/" +
                             std::to_string(pid) + "/task";
    ContextPtr ctx = posix::open_context<ContextPtr>(root, kReadBuffer, ec);
    // The directory is missing once the process has gone (or never was).
    if (!ctx) ec = make_error_code(errc::no_such_process);
    return ctx;
}

}  // namespace psi::backend
