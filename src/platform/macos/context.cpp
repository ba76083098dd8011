#include "platform/macos/context.hpp"

#include <mach/mach_time.h>
#include <mach/policy.h>
#include <mach/thread_info.h>
#include <libproc.h>
#include <sys/proc.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

#include "core/classify.hpp"
#include "psi/error.hpp"

namespace psi::macos {

// parse.hpp restates header constants so that it compiles without them;
// here, with the headers, check they agree.
static_assert(kSIdl == SIDL && kSRun == SRUN && kSSleep == SSLEEP && kSStop == SSTOP && kSZomb == SZOMB);
static_assert(kThRunning == TH_STATE_RUNNING && kThStopped == TH_STATE_STOPPED && kThWaiting == TH_STATE_WAITING &&
              kThUninterruptible == TH_STATE_UNINTERRUPTIBLE && kThHalted == TH_STATE_HALTED);
static_assert(kPolicyTimeshare == POLICY_TIMESHARE && kPolicyRr == POLICY_RR && kPolicyFifo == POLICY_FIFO);

std::int64_t monotonic_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::uint64_t row_start_ticks(const kinfo_proc& kp) {
    return start_ticks_from_timeval(kp.kp_proc.p_starttime.tv_sec, kp.kp_proc.p_starttime.tv_usec);
}

std::error_code fetch_one(int pid, kinfo_proc& out) {
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, pid};
    std::size_t len = sizeof out;
    if (::sysctl(mib, 4, &out, &len, nullptr, 0) != 0) return detail::classify_process_error(errno);
    // sysctl(3): a pid with no process succeeds with nothing copied out.
    if (len < sizeof out) return make_error_code(errc::no_such_process);
    return {};
}

std::error_code fetch_all(std::vector<kinfo_proc>& out) {
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_ALL, 0};
    // Processes can be created between the size probe and the copy, which
    // then fails with ENOMEM: grow and retry a bounded number of times.
    for (int attempt = 0; attempt < 8; ++attempt) {
        std::size_t len = 0;
        if (::sysctl(mib, 4, nullptr, &len, nullptr, 0) != 0) return make_error_code(errc::os_error);
        std::size_t rows = len / sizeof(kinfo_proc);
        rows += rows / 8 + 16 + static_cast<std::size_t>(attempt) * 64;
        out.resize(rows);
        len = rows * sizeof(kinfo_proc);
        if (::sysctl(mib, 4, out.data(), &len, nullptr, 0) == 0) {
            out.resize(len / sizeof(kinfo_proc));
            return {};
        }
        if (errno != ENOMEM) return make_error_code(errc::os_error);
    }
    return make_error_code(errc::os_error);
}

std::error_code row_for(backend::Context& ctx, int pid, bool allow_cache, kinfo_proc& scratch,
                        const kinfo_proc*& row) {
    const backend::Listing* l = ctx.listing.get();
    if (allow_cache && l && !l->rows.empty() && monotonic_ns() - l->listed_ns < backend::Context::kTableTtlNs) {
        auto it = std::lower_bound(l->index.begin(), l->index.end(), std::pair<int, std::uint32_t>(pid, 0));
        if (it != l->index.end() && it->first == pid && !ctx.used[it->second]) {
            ctx.used[it->second] = true;
            row = &l->rows[it->second];
            return {};
        }
    }
    if (auto ec = fetch_one(pid, scratch)) return ec;
    row = &scratch;
    return {};
}

}  // namespace psi::macos

namespace psi::backend {

void ContextDeleter::operator()(Context* ctx) const noexcept { delete ctx; }

ContextPtr open(const Options& options, std::error_code& ec) {
    ec.clear();
    // There is no process file system on macOS. The default "/proc" (and
    // "") are accepted and mean "this system"; any other root asks for
    // something this backend cannot give (a fixture tree, another host's
    // proc), so it is refused rather than silently ignored.
    if (!options.proc_root.empty() && options.proc_root != "/proc") {
        ec = make_error_code(errc::proc_root_unusable);
        return nullptr;
    }
    ContextPtr ctx(new Context);
    mach_timebase_info_data_t tb{};
    if (::mach_timebase_info(&tb) != KERN_SUCCESS) tb = {};
    // hw.tbfrequency (a 64-bit number, ticks per second) is the hardware's
    // tick rate whatever the process's architecture; see cpu_time_timebase.
    std::uint64_t freq = 0;
    std::size_t flen = sizeof freq;
    if (::sysctlbyname("hw.tbfrequency", &freq, &flen, nullptr, 0) != 0 || flen != sizeof freq) freq = 0;
    const macos::Timebase base = macos::cpu_time_timebase(freq, tb.numer, tb.denom);
    ctx->tb_numer = base.numer;
    ctx->tb_denom = base.denom;
    long page = ::sysconf(_SC_PAGESIZE);
    if (page > 0) ctx->page_size = page;
    // KERN_PROCARGS2 copies out at most kern.argmax bytes (sysctl(3)).
    int argmax = 0;
    int mib[2] = {CTL_KERN, KERN_ARGMAX};
    std::size_t len = sizeof argmax;
    if (::sysctl(mib, 2, &argmax, &len, nullptr, 0) != 0 || argmax <= 0) argmax = 1 << 20;
    ctx->args_max = static_cast<std::size_t>(argmax);
    return ctx;
}

ContextPtr open_worker(const Context& parent, std::error_code& ec) {
    ec.clear();
    ContextPtr ctx(new Context);
    ctx->tb_numer = parent.tb_numer;
    ctx->tb_denom = parent.tb_denom;
    ctx->page_size = parent.page_size;
    ctx->args_max = parent.args_max;
    // The parent's rows serve this thread's share of the table too; without
    // them every row would cost a KERN_PROC_PID sysctl of its own.
    ctx->listing = parent.listing;
    if (ctx->listing) ctx->used.assign(ctx->listing->rows.size(), false);
    return ctx;
}

// Rows come from the listing's sysctl, taken on the calling thread, so
// which thread reads our row changes nothing; the pid is given for the
// contract's sake.
int self_pid(Context&) { return static_cast<int>(::getpid()); }

void list_pids(Context& ctx, std::vector<int>& out, std::error_code& ec) {
    ec.clear();
    if (ctx.task_pid >= 0) {  // x-macos: a thread context lists thread ids
        ec = macos::list_thread_ids(ctx, out);
        return;
    }
    auto fresh = std::make_shared<Listing>();
    ec = macos::fetch_all(fresh->rows);
    if (ec) {
        ctx.listing.reset();
        ctx.used.clear();
        return;
    }
    fresh->listed_ns = macos::monotonic_ns();
    fresh->index.reserve(fresh->rows.size());
    for (std::size_t i = 0; i < fresh->rows.size(); ++i) {
        int pid = fresh->rows[i].kp_proc.p_pid;
        // pid 0 is kernel_task, a real entry on macOS (ps -A shows it not,
        // but psutil and Activity Monitor do): it is listed.
        if (pid < 0) continue;
        fresh->index.emplace_back(pid, static_cast<std::uint32_t>(i));
        out.push_back(pid);
    }
    std::sort(fresh->index.begin(), fresh->index.end());
    ctx.used.assign(fresh->rows.size(), false);
    ctx.listing = std::move(fresh);
}

}  // namespace psi::backend

// -- w-threads: a context on one process's threads --
// -- x-macos: its macOS implementation (issue 14) --
namespace psi::macos {

std::error_code list_thread_ids(backend::Context& ctx, std::vector<int>& out) {
    // PROC_PIDLISTTHREADIDS writes min(threads + 10, room) ids and returns
    // their bytes; an answer that fills the buffer may be cut (threads
    // were created in between): ask again with twice the room.
    std::size_t room = std::max<std::size_t>(ctx.threads.size(), 64);
    for (int attempt = 0; attempt < 6; ++attempt, room *= 2) {
        ctx.threads.assign(room, 0);
        errno = 0;
        const int bytes = ::proc_pidinfo(ctx.task_pid, kProcPidListThreadIds, 0, ctx.threads.data(),
                                         static_cast<int>(room * sizeof(std::uint64_t)));
        if (bytes <= 0 && errno != 0) {
            const int err = errno;
            // Before macOS 10.14 the flavor does not exist (EINVAL).
            if (err == EINVAL) return make_error_code(errc::attr_not_implemented);
            // A zombie has no Mach task left, so no threads: it is still
            // there, which "no such process" would deny.
            kinfo_proc kp{};
            if (err == ESRCH && !fetch_one(ctx.task_pid, kp) && kp.kp_proc.p_stat == SZOMB &&
                row_start_ticks(kp) == ctx.task_start)
                return make_error_code(errc::attr_not_available);
            return detail::classify_process_error(err);
        }
        const std::string_view raw(reinterpret_cast<const char*>(ctx.threads.data()), room * sizeof(std::uint64_t));
        std::vector<int> ids;
        bool too_large = false;
        if (!thread_ids(raw, bytes, ids, too_large)) continue;
        // A thread id that does not fit psi's int tid cannot be named: fail
        // rather than list the process with threads missing.
        if (too_large) return make_error_code(errc::os_error);
        out.insert(out.end(), ids.begin(), ids.end());
        return {};
    }
    return make_error_code(errc::os_error);  // still growing after six tries
}

std::error_code read_thread(backend::Context& ctx, int tid) {
    if (tid <= 0) return make_error_code(errc::no_such_process);
    errno = 0;
    const int n = ::proc_pidinfo(ctx.task_pid, PROC_PIDTHREADID64INFO, static_cast<std::uint64_t>(tid),
                                 &ctx.thread_info, sizeof ctx.thread_info);
    if (n == static_cast<int>(sizeof ctx.thread_info)) return {};
    // ESRCH: the thread (or its process) has gone; EPERM: another user's
    // process without root.
    if (n <= 0 && errno != 0) return detail::classify_process_error(errno);
    return make_error_code(errc::os_error);
}

}  // namespace psi::macos

namespace psi::backend {

ContextPtr open_tasks(const Context& parent, int pid, std::error_code& ec) {
    ec.clear();
    kinfo_proc row{};
    if ((ec = macos::fetch_one(pid, row))) return nullptr;
    ContextPtr ctx(new Context);
    ctx->tb_numer = parent.tb_numer;
    ctx->tb_denom = parent.tb_denom;
    ctx->page_size = parent.page_size;
    ctx->args_max = parent.args_max;
    ctx->task_pid = pid;
    ctx->task_row = row;
    ctx->task_start = macos::row_start_ticks(row);
    return ctx;
}

}  // namespace psi::backend

// -- x-openfiles: open_files is not implemented on macOS yet --
namespace psi::backend {

std::error_code open_files(Context&, int, std::vector<OpenFile>&) {
    return make_error_code(errc::attr_not_implemented);
}

}  // namespace psi::backend
