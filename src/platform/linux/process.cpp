// Reading one process from /proc/PID. Each group is one file (or one
// fstatat/readlink), opened relative to the proc root's directory fd.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <new>

#include "core/classify.hpp"
#include "core/saturate.hpp"
#include "platform/linux/context.hpp"
#include "platform/linux/read_cgroup_ns.hpp"
#include "platform/linux/read_depth_io.hpp"
#include "platform/linux/stat_fill.hpp"
#include "platform/linux/status_fill.hpp"

namespace psi::backend {

using linux_proc::format_path;
using linux_proc::read_file;

namespace {

// include/linux/sched.h: the task is a kernel thread.
constexpr std::uint64_t kPfKthread = 0x00200000;

std::optional<std::string> terminal_path(Context& ctx, std::uint64_t tty_nr) {
    if (auto fixed = linux_proc::tty_path_from_dev(tty_nr)) return fixed;
    if (!ctx.tty_drivers) {
        auto r = read_file(ctx, "tty/drivers", false);
        ctx.tty_drivers = linux_proc::parse_tty_drivers(r.data);
    }
    return linux_proc::tty_path_from_drivers(tty_nr, *ctx.tty_drivers);
}

}  // namespace

// Not file-local: the sampler (sampler.cpp, stat_fill.hpp) fills its rows
// with the same two functions.
bool stat_is_kernel_thread(const linux_proc::StatFields& st, int pid) {
    return (st.fields >= 9 && (st.flags & kPfKthread)) || (st.fields >= 4 && st.ppid == 2) || pid == 2;
}

void fill_stat(Context& ctx, const linux_proc::StatFields& st, ProcessInfo& out) {
    auto want = [&](int field) { return st.fields >= field; };
    auto put = [&](auto& attr, int field, auto value) {
        if (want(field)) attr.set(value);
        else attr.fail(AttrStatus::not_available);
    };
    out.name.set(std::string(st.comm));
    out.status_letter.set(st.state);
    out.status.set(status_from_letter(st.state));
    put(out.ppid, 4, st.ppid);
    put(out.pgrp, 5, st.pgrp);
    put(out.sid, 6, st.session);
    put(out.tpgid, 8, st.tpgid);
    put(out.tty_dev, 7, st.tty_nr);
    if (!want(7)) {
        out.terminal.fail(AttrStatus::not_available);
    } else if (st.tty_nr == 0) {
        out.terminal.set(std::string());
    } else if (auto path = terminal_path(ctx, st.tty_nr)) {
        out.terminal.set(std::move(*path));
    } else {
        out.terminal.fail(AttrStatus::not_available);
    }
    put(out.flags, 9, st.flags);
    auto hz = static_cast<std::uint64_t>(ctx.clk_tck);
    put(out.utime, 14, TimeSpec::from_ticks(st.utime, hz));
    put(out.stime, 15, TimeSpec::from_ticks(st.stime, hz));
    put(out.kernel_priority, 18, st.priority);
    put(out.nice, 19, st.nice);
    put(out.nthreads, 20, st.num_threads);
    put(out.jiffies, 22, st.starttime);
    if (want(22)) out.start_time.set(linux_proc::boot_instant(ctx) + TimeSpec::from_ticks(st.starttime, hz));
    else out.start_time.fail(AttrStatus::not_available);
    put(out.vsz, 23, st.vsize);
    put(out.processor, 39, st.processor);
    put(out.priority, 40, static_cast<int>(st.rt_priority));
    put(out.policy, 41, static_cast<SchedPolicy>(st.policy));  // SchedPolicy keeps Linux's numbers
    // Zones are Solaris's; Linux namespaces are not named by an id here.
    out.zoneid.fail(AttrStatus::not_implemented);
    // -- w-status: faults, children's times, code bounds --
    put(out.minor_faults, 10, st.minflt);
    put(out.children_minor_faults, 11, st.cminflt);
    put(out.major_faults, 12, st.majflt);
    put(out.children_major_faults, 13, st.cmajflt);
    put(out.children_utime, 16, TimeSpec::from_ticks(st.cutime, hz));
    put(out.children_stime, 17, TimeSpec::from_ticks(st.cstime, hz));
    put(out.start_code, 26, st.startcode);
    put(out.end_code, 27, st.endcode);
}

namespace {

// readlink relative to the proc root into `attr`.
bool read_link(Context& ctx, int pid, const char* name, Attr<std::string>& attr, const detail::ProcessKind& kind) {
    char path[posix::kPathMax];
    format_path(path, pid, name);
    char target[PATH_MAX + 1];
    ssize_t n = ::readlinkat(ctx.proc_fd, path, target, sizeof target - 1);
    if (n < 0) return detail::record_attr_failure(attr, errno, kind);
    attr.set(std::string(target, static_cast<std::size_t>(n)));
    return false;
}

// The exe link, and whether the executable was deleted. The kernel appends
// " (deleted)" to the path of an unlinked dentry (d_path), but a file may
// also really be called "prog (deleted)". So the suffix is believed only
// when the file the link resolves to (stat follows the magic link to the
// inode itself, deleted or not) has no links left (st_nlink 0), or is not
// the file at the suffixed path (that path missing, or another inode: the
// dentry was unlinked while a hard link elsewhere keeps the inode). Where
// the inode cannot be reached (a fixture tree, no ptrace access) the suffix
// alone decides, as before.
bool read_exe(Context& ctx, int pid, ProcessInfo& out, const detail::ProcessKind& kind) {
    bool gone = read_link(ctx, pid, "exe", out.exe, kind);
    const std::string* link = out.exe.get();
    if (!link) {
        out.exe_deleted.fail(out.exe.status(), out.exe.os_error());
        return gone;
    }
    std::string_view stripped = linux_proc::strip_deleted_suffix(*link);
    bool deleted = stripped.size() != link->size();
    if (deleted) {
        char path[posix::kPathMax];
        format_path(path, pid, "exe");
        struct stat inode{}, named{};
        if (::fstatat(ctx.proc_fd, path, &inode, 0) == 0 && inode.st_nlink > 0 &&
            ::stat(link->c_str(), &named) == 0 && named.st_dev == inode.st_dev && named.st_ino == inode.st_ino)
            deleted = false;
    }
    if (deleted) out.exe.set(std::string(stripped));
    out.exe_deleted.set(deleted);
    return false;
}

// Sets `attr` from bytes through `convert`; an allocation failure (an
// address-space limit meeting a large area) becomes this attribute's
// status, not an exception out of a reader thread.
template <class T, class F>
void set_or_enomem(Attr<T>& attr, F&& convert) {
    try {
        attr.set(convert());
    } catch (const std::bad_alloc&) {
        attr.fail(AttrStatus::not_available, ENOMEM);
    }
}

}  // namespace

std::error_code start_ticks(Context& ctx, int pid, std::uint64_t& ticks, const std::uint64_t*) {
    char path[posix::kPathMax];
    format_path(path, pid, "stat");
    auto r = read_file(ctx, path, true);
    if (r.err) return detail::classify_process_error(r.err);
    auto st = linux_proc::parse_stat(r.data);
    if (!st) return make_error_code(errc::parse_error);
    ticks = st->starttime;
    return {};
}

std::error_code identify(Context& ctx, int pid, const std::uint64_t*, Identity& out) {
    // stat is the identity (start ticks) and the existence check, and tells
    // kernel threads and zombies apart for the other reads. It stays parsed
    // in ctx (its comm still points into ctx.buf) for read_groups.
    char path[posix::kPathMax];
    format_path(path, pid, "stat");
    auto r = read_file(ctx, path, true);
    if (r.err) return detail::classify_process_error(r.err);
    auto st = linux_proc::parse_stat(r.data);
    if (!st) return make_error_code(errc::parse_error);
    ctx.stat = *st;
    out.start_ticks = st->starttime;
    out.kind.kernel_thread = stat_is_kernel_thread(*st, pid);
    out.kind.zombie = st->state == 'Z' || st->state == 'X' || st->state == 'x';
    return {};
}

// The faults (Group::usage) are fields 10 and 12 of the stat line: proc(5).
Groups stat_includes(const Context&) noexcept { return Group::usage; }

bool read_groups(Context& ctx, int pid, Groups groups, const Identity& id, ProcessInfo& out) {
    const detail::ProcessKind& kind = id.kind;
    // First, while ctx.buf still holds the stat line identify parsed.
    if (groups.has(Group::stat)) fill_stat(ctx, ctx.stat, out);

    char path[posix::kPathMax];
    bool maybe_gone = false;
    // status, when asked for, also carries what statm and the directory
    // owner would give (VmRSS is the same counter sum as statm's resident),
    // so it replaces those two reads instead of adding to them.
    bool have_rss = false, have_ids = false;
    if (groups.has(Group::creds) || groups.has(Group::status)) {
        format_path(path, pid, "status");
        auto s = read_file(ctx, path, true);
        // One read serves both groups: the status group parses the file to
        // its end (parse_status_ext, a superset), creds alone only its head.
        linux_proc::StatusFields f;
        if (!s.err && groups.has(Group::status)) {
            const linux_proc::StatusExt x = linux_proc::parse_status_ext(s.data);
            f = status_fields_of(x);
            fill_status_group(x, kind, out);
        } else if (!s.err) {
            f = linux_proc::parse_status(s.data);
        } else if (groups.has(Group::status)) {
            maybe_gone |= fail_status_group(s.err, kind, out);
        }
        if (groups.has(Group::creds)) {
            if (f.have_uid) { out.ruid.set(f.ruid); out.euid.set(f.euid); }
            else { maybe_gone |= detail::record_attr_failure(out.ruid, s.err, kind); out.euid.fail(out.ruid.status(), s.err); }
            if (f.have_gid) { out.rgid.set(f.rgid); out.egid.set(f.egid); }
            else { detail::record_attr_failure(out.rgid, s.err, kind); out.egid.fail(out.rgid.status(), s.err); }
            have_ids = f.have_uid && f.have_gid;
            if (!s.err) {
                // Kernel threads have no Vm* lines: nothing is resident or locked.
                out.locked.set(detail::mul_saturating(f.locked_kb, 1024));
                if (f.have_rss || kind.kernel_thread) {
                    out.rss.set(detail::mul_saturating(f.rss_kb, 1024));
                    have_rss = true;
                }
            } else {
                out.locked.fail(out.ruid.status(), s.err);
            }
        }
    }
    if (groups.has(Group::memory) && !have_rss) {
        format_path(path, pid, "statm");
        auto m = read_file(ctx, path, true);
        auto pages = m.err ? std::nullopt : linux_proc::parse_statm_resident(m.data);
        if (pages) out.rss.set(detail::mul_saturating(*pages, static_cast<std::uint64_t>(ctx.page_size)));
        else maybe_gone |= detail::record_attr_failure(out.rss, m.err, kind);
    }
    if (groups.has(Group::owner) && !have_ids) {
        format_path(path, pid, nullptr);
        struct stat sb{};
        if (::fstatat(ctx.proc_fd, path, &sb, 0) == 0) {
            out.euid.set(sb.st_uid);
            out.egid.set(sb.st_gid);
        } else {
            maybe_gone |= detail::record_attr_failure(out.euid, errno, kind);
            out.egid.fail(out.euid.status(), out.euid.os_error());
        }
    }
    if (groups.has(Group::args)) {
        format_path(path, pid, "cmdline");
        auto c = read_file(ctx, path, true, linux_proc::kMaxArgBytes);
        if (c.err) maybe_gone |= detail::record_attr_failure(out.args, c.err, kind);
        else if (c.data.empty() && (kind.kernel_thread || kind.zombie)) out.args.fail(AttrStatus::not_available);
        else set_or_enomem(out.args, [&] { return linux_proc::split_cmdline(c.data); });
    }
    if (groups.has(Group::env)) {
        format_path(path, pid, "environ");
        auto e = read_file(ctx, path, true, linux_proc::kMaxArgBytes);
        if (e.err) maybe_gone |= detail::record_attr_failure(out.env, e.err, kind);
        else if (e.data.empty() && (kind.kernel_thread || kind.zombie)) out.env.fail(AttrStatus::not_available);
        else set_or_enomem(out.env, [&] { return linux_proc::split_environ(e.data); });
    }
    // Whatever a large cmdline or environ grew the buffer to is given back
    // before the next process.
    ctx.trim_buffer();
    if (groups.has(Group::exe)) maybe_gone |= read_exe(ctx, pid, out, kind);
    if (groups.has(Group::cwd)) maybe_gone |= read_link(ctx, pid, "cwd", out.cwd, kind);
    if (groups.has(Group::wchan)) {
        // Absent without CONFIG_KALLSYMS: not available, like a gone file.
        format_path(path, pid, "wchan");
        auto w = read_file(ctx, path, true);
        if (w.err) maybe_gone |= detail::record_attr_failure(out.wchan, w.err, kind);
        else out.wchan.set(std::string(linux_proc::parse_wchan(w.data)));
    }
    // -- w-ns: cgroup and ns groups (read_cgroup_ns.cpp) --
    if (groups.has(Group::cgroup)) maybe_gone |= read_cgroup_group(ctx, pid, kind, out);
    if (groups.has(Group::ns)) maybe_gone |= read_ns_group(ctx, pid, kind, out);
    // -- w-threads: security label --
    if (groups.has(Group::label)) {
        // proc(5) /proc/PID/attr/current: the LSM's context; EINVAL when no
        // module provides one (then ps prints "-"), ENOENT once gone.
        format_path(path, pid, "attr/current");
        auto a = read_file(ctx, path, false);
        if (a.err == EINVAL) {
            out.depth().label.fail(AttrStatus::not_available, EINVAL);
        } else if (a.err) {
            maybe_gone |= detail::record_attr_failure(out.depth().label, a.err, kind);
        } else {
            std::string_view v = a.data;
            while (!v.empty() && (v.back() == '\n' || v.back() == '\0')) v.remove_suffix(1);
            if (v.empty()) out.depth().label.fail(AttrStatus::not_available);
            else out.depth().label.set(std::string(v));
        }
    }
    // -- w-io: io, fds, smaps, oom, limits (read_depth_io.cpp) --
    maybe_gone |= read_depth_io(ctx, pid, groups, kind, out);

    return maybe_gone;
}

std::error_code send_signal(Context& ctx, int pid, int sig) { return posix::send_signal(ctx, pid, sig); }
int open_handle(Context& ctx, int pid, std::error_code& ec) { return posix::open_pidfd(ctx, pid, ec); }
std::error_code signal_handle(int handle, int sig) { return posix::pidfd_signal(handle, sig); }
void close_handle(int handle) noexcept { posix::close_pidfd(handle); }

int self_pid(Context& ctx) {
    // "self" resolves in the namespace the proc root was mounted from, which
    // is the number this root lists us under (getpid() is not, across pid
    // namespaces); a fixture tree has no such link.
    char buf[32];
    ssize_t n = ::readlinkat(ctx.proc_fd, "self", buf, sizeof buf);
    if (n <= 0) return -1;
    const int pid = posix::pid_from_name(std::string_view(buf, static_cast<std::size_t>(n)));
    return pid > 0 ? pid : -1;
}

void list_pids(Context& ctx, std::vector<int>& out, std::error_code& ec) {
    ec.clear();
    // A fresh fd per listing: getdents64 on /proc restarts cleanly at 0.
    int fd = ::openat(ctx.proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) { ec = make_error_code(errc::proc_root_unusable); return; }
    alignas(8) char buf[32768];
    for (;;) {
        long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            ec = make_error_code(errc::os_error);
            break;
        }
        if (n == 0) break;
        for (long off = 0; off < n;) {
            // struct linux_dirent64: d_ino(8) d_off(8) d_reclen(2) d_type(1) d_name
            unsigned short reclen;
            std::memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char* name = buf + off + 19;
            // Most entries are pids; the few others ("self", "sys", ...)
            // are skipped on their first letter without a strlen.
            if (*name >= '1' && *name <= '9')
                if (const int pid = posix::pid_from_name(name); pid > 0) out.push_back(pid);
            off += reclen;
        }
    }
    ::close(fd);
}

}  // namespace psi::backend
