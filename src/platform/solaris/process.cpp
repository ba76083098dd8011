// Reading one process from /proc/PID on Solaris/illumos (proc(5)).
// psinfo is the identity and existence record (world-readable, what ps(1)
// reads) and tells system processes (pr_flag SSYS) and zombies apart;
// status adds the exact user/system times for the stat group; args and env
// are read from the target's memory (as) at pr_argv / pr_envp.
//
// Written against the documented interfaces and compiled only on Linux
// (POSIX calls alone: openat, pread, readlinkat, kill); it has not run on
// a Solaris system. See docs/solaris.md.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <utility>

#include "core/cgroup_ns_absent.hpp"
#include "core/classify.hpp"
#include "core/saturate.hpp"
#include "platform/solaris/context.hpp"
#include "platform/solaris/lwp.hpp"

namespace psi::backend {

namespace sp = solaris_proc;
using sp::format_path;
using sp::read_file;

namespace {

std::optional<sp::Psinfo> read_psinfo(Context& ctx, int pid, std::error_code& ec) {
    char path[posix::kPathMax];
    format_path(path, pid, "psinfo");
    auto r = read_file(ctx, path);
    if (r.err) { ec = detail::classify_process_error(r.err); return std::nullopt; }
    auto ps = sp::parse_psinfo(r.data);
    if (!ps) ec = make_error_code(errc::parse_error);
    return ps;
}

// The stat group: psinfo, plus status for the exact CPU times and flags.
// Returns true when status failed as if the process had gone.
bool fill_stat(Context& ctx, int pid, const sp::Psinfo& ps, const detail::ProcessKind& kind, ProcessInfo& out) {
    // A zombie's pr_fname is zeroed with the rest (ps shows "<defunct>").
    if (ps.fname.empty() && kind.zombie) out.name.fail(AttrStatus::not_available);
    else out.name.set(ps.fname);
    sp::fill_process_wide(ctx, ps, out);
    // pr_lwp, the representative lwp, speaks for the process (as in ps).
    sp::fill_lwp_state(ps.sname, ps.nice, ps.pri, ps.clname, ps.onpro, out);
    if (kind.zombie && ps.start.sec == 0 && ps.start.nsec == 0) out.start_time.fail(AttrStatus::not_available);
    else out.start_time.set(sp::to_timespec(ps.start));
    char path[posix::kPathMax];
    format_path(path, pid, "status");
    auto r = read_file(ctx, path);
    std::optional<sp::Pstatus> st = r.err ? std::nullopt : sp::parse_pstatus(r.data);
    if (st) {
        out.flags.set(st->flags);
        out.utime.set(sp::to_timespec(st->utime));
        out.stime.set(sp::to_timespec(st->stime));
        // pr_cutime/pr_cstime: the reaped children's times, in the same
        // record (proc(5)); what Linux stat 16-17 are.
        out.children_utime.set(sp::to_timespec(st->cutime));
        out.children_stime.set(sp::to_timespec(st->cstime));
        return false;
    }
    int err = r.err ? r.err : EIO;  // a short record counts as unreadable
    bool gone = detail::record_attr_failure(out.utime, err, kind);
    for (Attr<TimeSpec>* a : {&out.stime, &out.children_utime, &out.children_stime}) a->fail(out.utime.status(), err);
    out.flags.fail(out.utime.status(), err);
    return gone;
}

// Open descriptors: the entries of /proc/PID/fd, one per open fd (proc(5)),
// counted without opening or resolving any. Returns "maybe gone".
bool count_fds(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out) {
    char path[posix::kPathMax];
    format_path(path, pid, "fd");
    int fd = ::openat(ctx.proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return detail::record_attr_failure(out.depth().num_fds, errno, kind);
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
        int err = errno;
        ::close(fd);
        return detail::record_attr_failure(out.depth().num_fds, err, kind);
    }
    std::uint64_t n = 0;
    for (;;) {
        errno = 0;
        dirent* e = ::readdir(dir);
        if (!e) break;
        if (e->d_name[0] != '.') ++n;  // "." and ".."; fd names are decimal
    }
    int err = errno;
    ::closedir(dir);
    if (err) return detail::record_attr_failure(out.depth().num_fds, err, kind);
    out.depth().num_fds.set(n);
    return false;
}

// /proc/PID/as read with pread(2): the file offset is the target address,
// its 64 bits as they are (sp::as_file_offset: addresses above INT64_MAX,
// where 64-bit stacks are, become negative offsets, which this file takes).
// Owns the descriptor.
static_assert(sizeof(off_t) == sizeof(std::int64_t), "64-bit builds only: off_t must hold any address");
class AsFile final : public sp::AddressSpace {
public:
    explicit AsFile(int fd) : fd_(fd) {}
    ~AsFile() override { ::close(fd_); }
    AsFile(const AsFile&) = delete;
    AsFile& operator=(const AsFile&) = delete;
    std::size_t read(std::uint64_t addr, char* buf, std::size_t len) override {
        const auto offset = static_cast<off_t>(sp::as_file_offset(addr));
        for (;;) {
            ssize_t n = ::pread(fd_, buf, len, offset);
            if (n < 0 && errno == EINTR) continue;
            return n < 0 ? 0 : static_cast<std::size_t>(n);
        }
    }

private:
    int fd_;
};

// args and env. Returns true when a failure looked like the process had gone.
bool read_vectors(Context& ctx, int pid, Groups groups, const sp::Psinfo& ps, const detail::ProcessKind& kind,
                  ProcessInfo& out) {
    const bool want_args = groups.has(Group::args), want_env = groups.has(Group::env);
    if (kind.kernel_thread || kind.zombie || ps.dmodel == 0) {
        // No user address space (system process) or none any more (zombie).
        if (want_args) out.args.fail(AttrStatus::not_available);
        if (want_env) out.env.fail(AttrStatus::not_available);
        return false;
    }
    char path[posix::kPathMax];
    format_path(path, pid, "as");
    // O_NONBLOCK: a FIFO in a copied proc tree must not block the open.
    int fd = ::openat(ctx.proc_fd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int err = errno;
        bool gone = false;
        if (want_args) {
            // Like ps -f: without access to the address space (another
            // user's process), the 80 bytes of pr_psargs are what there is.
            if ((err == EACCES || err == EPERM) && !ps.psargs.empty()) out.args.set(sp::split_psargs(ps.psargs));
            else gone |= detail::record_attr_failure(out.args, err, kind);
        }
        if (want_env) gone |= detail::record_attr_failure(out.env, err, kind);
        return gone;
    }
    AsFile as(fd);
    if (want_args) {
        auto v = sp::read_string_vector(as, ps.argv, ps.dmodel, static_cast<std::size_t>(ps.argc < 0 ? 0 : ps.argc));
        // Nothing readable at pr_argv (the first pointer or string): the
        // address space changed under us (exec) or is not what psinfo says.
        // pr_psargs is then the best there is, as when as cannot be opened.
        const bool unread = !v || (v->items.empty() && !v->complete);
        if (!unread) out.args.set(std::move(v->items));
        else if (!ps.psargs.empty()) out.args.set(sp::split_psargs(ps.psargs));
        else out.args.fail(AttrStatus::not_available);
    }
    if (want_env) {
        auto v = sp::read_string_vector(as, ps.envp, ps.dmodel, std::nullopt);
        if (v) out.env.set(sp::split_environ(v->items));
        else out.env.fail(AttrStatus::not_available);
    }
    return false;
}

bool read_link(Context& ctx, int pid, const char* name, Attr<std::string>& attr, const detail::ProcessKind& kind) {
    char path[posix::kPathMax];
    format_path(path, pid, name);
    char target[PATH_MAX + 1];
    ssize_t n = ::readlinkat(ctx.proc_fd, path, target, sizeof target - 1);
    if (n < 0) return detail::record_attr_failure(attr, errno, kind);
    attr.set(std::string(target, static_cast<std::size_t>(n)));
    return false;
}

// The identity a psinfo shows, given the one expected (if any).
// prgetpsinfo zeroes pr_start once the process is a zombie, so the process
// we knew alive then shows start 0; its pid stays taken until the zombie is
// reaped, so it is still that process. A live process showing 0 is not.
std::uint64_t identity_of(const sp::Psinfo& ps, const std::uint64_t* expect) {
    std::uint64_t ticks = sp::start_ticks_from(ps.start);
    if (expect && ticks == 0 && ps.is_zombie()) return *expect;
    return ticks;
}

}  // namespace

std::error_code start_ticks(Context& ctx, int pid, std::uint64_t& ticks, const std::uint64_t* expect) {
    if (ctx.tasks_pid >= 0) return sp::lwp_start_ticks(ctx, pid, ticks);
    std::error_code ec;
    auto ps = read_psinfo(ctx, pid, ec);
    if (!ps) return ec;
    ticks = identity_of(*ps, expect);
    return {};
}

std::error_code identify(Context& ctx, int pid, const std::uint64_t* expect, Identity& out) {
    if (ctx.tasks_pid >= 0) return sp::lwp_identify(ctx, pid, out);
    std::error_code ec;
    auto ps = read_psinfo(ctx, pid, ec);
    if (!ps) return ec;
    out.start_ticks = identity_of(*ps, expect);
    out.kind.kernel_thread = ps->is_system();
    out.kind.zombie = ps->is_zombie();
    ctx.psinfo = std::move(*ps);
    return {};
}

// An lwp row's stat group reads lwpusage, which holds its faults; a
// process's faults are in /proc/PID/usage, which only Group::usage reads.
Groups stat_includes(const Context& ctx) noexcept {
    return ctx.tasks_pid >= 0 ? Groups(Group::usage) : Groups();
}

bool read_groups(Context& ctx, int id_pid, Groups groups, const Identity& id, ProcessInfo& out) {
    // psinfo: identify's (a process), or the process's, kept by open_tasks
    // (an lwp). The groups other than stat and status are process-wide and
    // read from the process's files, as Linux's task/TID/ files show the
    // process's cmdline, environ, exe, cwd and fd.
    const sp::Psinfo* ps = &ctx.psinfo;
    const detail::ProcessKind& kind = id.kind;
    const bool lwp = ctx.tasks_pid >= 0;
    const int pid = lwp ? ctx.tasks_pid : id_pid;

    bool maybe_gone = false;
    // -- x-solaris: prusage_t (issue 12; lwpusage for an lwp), read at most
    // once per call. A process row reads usage only for Group::usage (the
    // faults) and Group::status (the context switches): in the stat group
    // it would be a third record on every row of a default table
    // (docs/solaris.md, "The usage group"). An lwp row's stat reads
    // lwpusage for its times anyway, and takes its faults from it.
    sp::UsageRead usage;
    char usage_path[posix::kPathMax];
    if (lwp) sp::format_lwp_path(usage_path, pid, id_pid, "lwpusage");
    else format_path(usage_path, pid, "usage");
    if (groups.has(Group::stat)) {
        if (lwp) {
            maybe_gone |= sp::fill_lwp_stat(ctx, ctx.lwp, *ps, kind, sp::read_usage(ctx, usage_path, usage), out);
            maybe_gone |= sp::fill_usage(sp::read_usage(ctx, usage_path, usage), kind,
                                         {{&out.minor_faults, &sp::Prusage::minf}, {&out.major_faults, &sp::Prusage::majf}});
        } else {
            maybe_gone |= fill_stat(ctx, pid, *ps, kind, out);
        }
    }
    if (groups.has(Group::usage) && !lwp)
        maybe_gone |= sp::fill_usage(sp::read_usage(ctx, usage_path, usage), kind,
                                     {{&out.minor_faults, &sp::Prusage::minf}, {&out.major_faults, &sp::Prusage::majf}});
    if (groups.has(Group::status))
        maybe_gone |= sp::fill_usage(sp::read_usage(ctx, usage_path, usage), kind,
                                     {{&out.depth().voluntary_ctxt_switches, &sp::Prusage::vctx},
                                      {&out.depth().involuntary_ctxt_switches, &sp::Prusage::ictx}});
    if (groups.has(Group::fds)) maybe_gone |= count_fds(ctx, pid, kind, out);
    // pr_rssize and the ids are in psinfo, read already: memory, owner and
    // creds cost nothing more. psinfo's four ids are the same credential
    // prcred_t shows, and psinfo (unlike cred) is readable by everyone.
    if (groups.has(Group::memory)) out.rss.set(detail::mul_saturating(ps->rssize_kb, 1024));
    if (groups.has(Group::owner) || groups.has(Group::creds)) {
        out.euid.set(ps->euid);
        out.egid.set(ps->egid);
    }
    if (groups.has(Group::creds)) {
        out.ruid.set(ps->uid);
        out.rgid.set(ps->gid);
        // Would be the sum of prxmap_t pr_locked over /proc/PID/xmap.
        out.locked.fail(AttrStatus::not_implemented);
    }
    if (groups.has(Group::args) || groups.has(Group::env)) maybe_gone |= read_vectors(ctx, pid, groups, *ps, kind, out);
    if (groups.has(Group::exe)) maybe_gone |= read_link(ctx, pid, "path/a.out", out.exe, kind);
    if (groups.has(Group::cwd)) maybe_gone |= read_link(ctx, pid, "path/cwd", out.cwd, kind);
    // pr_lwp.pr_wchan is an address (Solaris ps prints it in hex), not a name.
    if (groups.has(Group::wchan)) out.wchan.fail(AttrStatus::not_implemented);
    // -- w-ns --
    detail::cgroup_ns_not_implemented(groups, out);  // Linux only

    return maybe_gone;
}

std::error_code send_signal(Context& ctx, int pid, int sig) { return posix::send_signal(ctx, pid, sig); }
// Solaris has no pidfd: open_pidfd gives -1, and kill() checks the start time
// first (the remaining window: docs/limits.md).
int open_handle(Context& ctx, int pid, std::error_code& ec) { return posix::open_pidfd(ctx, pid, ec); }
std::error_code signal_handle(int handle, int sig) { return posix::pidfd_signal(handle, sig); }
void close_handle(int handle) noexcept { posix::close_pidfd(handle); }

// A zone sees its own pids, which getpid() returns too.
int self_pid(Context&) { return static_cast<int>(::getpid()); }

void list_pids(Context& ctx, std::vector<int>& out, std::error_code& ec) {
    ec.clear();
    // A fresh fd per listing, so each one starts at the directory's beginning.
    // An lwp context lists PID/lwp/ (its names are lwp ids, decimal too).
    char lwps[posix::kPathMax];
    if (ctx.tasks_pid >= 0) format_path(lwps, ctx.tasks_pid, "lwp");
    int fd = ::openat(ctx.proc_fd, ctx.tasks_pid >= 0 ? lwps : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        // The process has gone since open_tasks read its psinfo.
        ec = ctx.tasks_pid >= 0 ? detail::classify_process_error(errno) : make_error_code(errc::proc_root_unusable);
        return;
    }
    DIR* dir = ::fdopendir(fd);
    if (!dir) { ::close(fd); ec = make_error_code(errc::os_error); return; }
    for (;;) {
        errno = 0;
        dirent* e = ::readdir(dir);
        if (!e) {
            if (errno) ec = make_error_code(errc::os_error);
            break;
        }
        // Decimal names only; "0" is sched, the first system process.
        if (const int pid = posix::pid_from_name(e->d_name); pid >= 0) out.push_back(pid);
    }
    ::closedir(dir);
}

}  // namespace psi::backend
