// psi::Sampler on Linux: one open /proc/PID/stat per process, re-read with
// pread(2) at offset 0. procfs builds the stat text anew on every read
// (fs/proc/array.c do_task_stat through a single_open seq_file), so a kept
// descriptor gives current values without the path walk, dentry lookup,
// open and close that a fresh read pays. The descriptor is bound to the
// process's struct pid: after the process is reaped it reads ESRCH, and a
// new process given the same pid is never seen through it.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "core/backend_sampler.hpp"
#include "core/classify.hpp"
#include "platform/linux/stat_fill.hpp"

namespace psi::backend {

namespace {

struct Slot {
    int pid = 0;
    int fd = -1;
    std::uint64_t start = 0;
};

// A stat line is ~300 bytes: 52 numbers and a comm of at most 64 bytes
// (TASK_COMM_LEN is 16; the text is escaped, never longer than 4x).
constexpr std::size_t kStatBuf = 4096;

}  // namespace

struct SamplerState {
    std::vector<Slot> slots;  // slot i: pids[i] of the current listing
    std::vector<Slot> next;   // reused between listings
    bool raise = true;
    int keep_below = 0;       // keep a descriptor only when its number is below this
    char buf[kStatBuf];

    ~SamplerState() {
        for (const Slot& s : slots)
            if (s.fd >= 0) ::close(s.fd);
    }
};

void SamplerStateDeleter::operator()(SamplerState* s) const noexcept { delete s; }

namespace {

// Descriptors are numbered lowest-free first (POSIX), so the number of a new
// one is a bound on how many the process holds: keeping only those below
// (soft limit - reserve) leaves the reserve to the rest of the program
// and to the reads of processes beyond the budget.
void set_budget(SamplerState& s, std::size_t processes) {
    struct rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) { s.keep_below = 0; return; }
    // What the listing needs, with room for the program and for growth.
    const rlim_t want = static_cast<rlim_t>(processes) + processes / 4 + 256;
    if (s.raise && lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < want) {
        struct rlimit raised = lim;
        raised.rlim_cur = lim.rlim_max == RLIM_INFINITY ? want : std::min(want, lim.rlim_max);
        if (raised.rlim_cur > lim.rlim_cur && ::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
    }
    const rlim_t soft = lim.rlim_cur == RLIM_INFINITY ? (rlim_t{1} << 30) : lim.rlim_cur;
    const rlim_t reserve = std::max<rlim_t>(32, soft / 8);
    s.keep_below = soft > reserve ? static_cast<int>(std::min<rlim_t>(soft - reserve, 1 << 30)) : 0;
}

// Reads the whole stat text through fd at offset 0.
ssize_t read_stat(int fd, char* buf) {
    for (;;) {
        ssize_t n = ::pread(fd, buf, kStatBuf, 0);
        if (n >= 0 || errno != EINTR) return n;
    }
}

void fill_row(Context& ctx, const linux_proc::StatFields& st, int pid, ProcessInfo& out) {
    out.pid = pid;
    out.start_ticks = st.starttime;
    out.is_kernel_thread = stat_is_kernel_thread(st, pid);
    fill_stat(ctx, st, out);
    out.groups_read |= Group::stat;
}

}  // namespace

SamplerStatePtr sampler_open(Context&, bool raise_fd_limit) {
    SamplerStatePtr s(new SamplerState);
    s->raise = raise_fd_limit;
    return s;
}

void sampler_begin(SamplerState& s, Context&, const std::vector<int>& pids) {
    // Both lists ascend: one merge carries the kept descriptors over and
    // closes those of pids no longer listed.
    s.next.clear();
    s.next.reserve(pids.size());
    std::size_t j = 0;
    for (int pid : pids) {
        while (j < s.slots.size() && s.slots[j].pid < pid) {
            if (s.slots[j].fd >= 0) ::close(s.slots[j].fd);
            ++j;
        }
        if (j < s.slots.size() && s.slots[j].pid == pid) s.next.push_back(s.slots[j++]);
        else s.next.push_back(Slot{pid, -1, 0});
    }
    for (; j < s.slots.size(); ++j)
        if (s.slots[j].fd >= 0) ::close(s.slots[j].fd);
    s.slots.swap(s.next);
    set_budget(s, pids.size());
}

std::error_code sampler_read(SamplerState& s, Context& ctx, std::size_t index, int pid, ProcessInfo& out) {
    Slot& slot = s.slots[index];
    if (slot.fd >= 0) {
        ssize_t n = read_stat(slot.fd, s.buf);
        // In a tree that is not procfs (a fixture or a copy), a removed
        // process directory leaves the kept file readable: its link count
        // of 0 stands for procfs's ESRCH (resample() relies on it, having
        // no listing to drop the pid). procfs itself needs no fstat.
        struct stat sb{};
        if (n > 0 && !ctx.trusted_files && (::fstat(slot.fd, &sb) != 0 || sb.st_nlink == 0)) n = -1;
        if (n > 0) {
            auto st = linux_proc::parse_stat(std::string_view(s.buf, static_cast<std::size_t>(n)));
            // Same start: the same process (a fixture tree's file can be
            // rewritten in place; procfs's cannot change identity).
            if (st && st->starttime == slot.start) {
                fill_row(ctx, *st, pid, out);
                return {};
            }
        }
        // ESRCH: that process was reaped; the pid may name another one now.
        ::close(slot.fd);
        slot.fd = -1;
    }
    char path[posix::kPathMax];
    posix::format_path(path, pid, "stat");
    int fd = ::openat(ctx.proc_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return detail::classify_process_error(errno);
    if (!ctx.trusted_files) {
        // As posix::read_file: only a regular file is read (a FIFO or a
        // device planted in a fixture or copied tree is refused).
        struct stat sb{};
        if (::fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            ::close(fd);
            return detail::classify_process_error(EIO);
        }
    }
    ssize_t n = read_stat(fd, s.buf);
    if (n < 0) {
        const int err = errno;
        ::close(fd);
        return detail::classify_process_error(err);
    }
    auto st = linux_proc::parse_stat(std::string_view(s.buf, static_cast<std::size_t>(n)));
    if (!st) {
        ::close(fd);
        return make_error_code(errc::parse_error);
    }
    fill_row(ctx, *st, pid, out);
    if (fd < s.keep_below) {
        slot.fd = fd;
        slot.start = st->starttime;
    } else {
        ::close(fd);  // over the budget: this process is read afresh each time
    }
    return {};
}

std::size_t sampler_handles(const SamplerState& s) noexcept {
    return static_cast<std::size_t>(
        std::count_if(s.slots.begin(), s.slots.end(), [](const Slot& x) { return x.fd >= 0; }));
}

}  // namespace psi::backend
