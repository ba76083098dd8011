// The io, fds, smaps, oom and limits groups on Linux (issue 12). Each is
// one file (or one directory listing) under /proc/PID, opened relative to
// the proc root's fd like every other group (process.cpp).
#include "platform/linux/read_depth_io.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/linux/parse_depth_util.hpp"
#include "platform/linux/parse_io.hpp"
#include "platform/linux/parse_limits.hpp"
#include "platform/linux/parse_smaps.hpp"

namespace psi::backend {

using linux_proc::format_path;
using linux_proc::read_file;

namespace {

// /proc/PID/io is mode 0400 and also checked with ptrace_may_access
// (PTRACE_MODE_READ_FSCREDS): another user's process gives EACCES, which
// classify turns into insufficient_privs. A kernel without
// CONFIG_TASK_IO_ACCOUNTING has no file (ENOENT: not_available, or gone).
bool read_io(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out) {
    char path[posix::kPathMax];
    format_path(path, pid, "io");
    auto r = read_file(ctx, path, true);
    if (r.err) return detail::record_attr_failure(out.depth().io_counters, r.err, kind);
    auto c = linux_proc::parse_io(r.data);
    if (!c.complete()) {
        out.depth().io_counters.fail(AttrStatus::not_available, EPROTO);
        return false;
    }
    IoCounters v;
    v.read_count = *c.syscr;
    v.write_count = *c.syscw;
    v.read_bytes = *c.read_bytes;
    v.write_bytes = *c.write_bytes;
    v.read_chars = *c.rchar;
    v.write_chars = *c.wchar;
    v.cancelled_write_bytes = *c.cancelled_write_bytes;
    out.depth().io_counters.set(v);
    return false;
}

// Counts the entries of /proc/PID/fd with getdents64 (no readlink, no
// stat: the names alone are the descriptors). The directory is readable
// only with ptrace access (proc_fd_access_allowed): EACCES otherwise.
bool read_num_fds(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out) {
    char path[posix::kPathMax];
    format_path(path, pid, "fd");
    int fd = ::openat(ctx.proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return detail::record_attr_failure(out.depth().num_fds, errno, kind);
    alignas(8) char buf[16384];
    std::uint64_t count = 0;
    int err = 0;
    for (;;) {
        long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        if (n == 0) break;
        for (long off = 0; off < n;) {
            // struct linux_dirent64: d_ino(8) d_off(8) d_reclen(2) d_type(1) d_name
            unsigned short reclen;
            std::memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char* name = buf + off + 19;
            if (name[0] != '.') ++count;  // descriptors are digits; skip "." and ".."
            off += reclen;
        }
        if (count > kMaxCountedFds) {
            err = EOVERFLOW;
            break;
        }
    }
    ::close(fd);
    if (err == EOVERFLOW) out.depth().num_fds.fail(AttrStatus::not_available, EOVERFLOW);
    else if (err) return detail::record_attr_failure(out.depth().num_fds, err, kind);
    else out.depth().num_fds.set(count);
    return false;
}

// smaps_rollup (Linux 4.14) walks every mapping of the process: the costly
// group. Read under ptrace access; a process without an mm (kernel thread,
// zombie) gives an empty file, which is not_available.
bool read_smaps(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out) {
    char path[posix::kPathMax];
    format_path(path, pid, "smaps_rollup");
    auto r = read_file(ctx, path, true);
    auto fail_all = [&](AttrStatus s, int e) {
        out.depth().uss.fail(s, e);
        out.depth().pss.fail(s, e);
        out.depth().swap_pss.fail(s, e);
    };
    if (r.err) {
        bool gone = detail::record_attr_failure(out.depth().uss, r.err, kind);
        fail_all(out.depth().uss.status(), r.err);
        return gone;
    }
    auto s = linux_proc::parse_smaps_rollup(r.data);
    auto uss = s.uss();
    if (!uss || !s.pss) {
        fail_all(AttrStatus::not_available, r.data.empty() ? 0 : EPROTO);
        return false;
    }
    out.depth().uss.set(*uss);
    out.depth().pss.set(*s.pss);
    // SwapPss appeared in Linux 4.3; smaps_rollup is newer, so it is there.
    if (s.swap_pss) out.depth().swap_pss.set(*s.swap_pss);
    else out.depth().swap_pss.fail(AttrStatus::not_available);
    return false;
}

// oom_score and oom_score_adj: one decimal each (proc(5)), readable by all.
bool read_int_file(Context& ctx, int pid, const char* name, Attr<int>& attr, const detail::ProcessKind& kind) {
    char path[posix::kPathMax];
    format_path(path, pid, name);
    auto r = read_file(ctx, path, true);
    if (r.err) return detail::record_attr_failure(attr, r.err, kind);
    auto v = linux_proc::depth_detail::to_signed(linux_proc::depth_detail::trim(
        std::string_view(r.data).substr(0, std::string_view(r.data).find('\n'))));
    if (v && *v >= INT32_MIN && *v <= INT32_MAX) attr.set(static_cast<int>(*v));
    else attr.fail(AttrStatus::not_available, EPROTO);
    return false;
}

// /proc/PID/limits (mode 0444: every process's, unlike prlimit(2), which
// needs the target's credentials or CAP_SYS_RESOURCE). Rows come in the
// kernel's RLIMIT_* order; a row the file lacks is left out.
bool read_limits(Context& ctx, int pid, const detail::ProcessKind& kind, ProcessInfo& out) {
    char path[posix::kPathMax];
    format_path(path, pid, "limits");
    auto r = read_file(ctx, path, true);
    if (r.err) return detail::record_attr_failure(out.depth().rlimits, r.err, kind);
    auto rows = linux_proc::parse_limits(r.data);
    ResourceLimits v;
    v.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i]) continue;
        v.push_back(ResourceLimit{std::string(linux_proc::kRlimitNames[i]), rows[i]->soft, rows[i]->hard});
    }
    if (v.empty()) out.depth().rlimits.fail(AttrStatus::not_available, EPROTO);
    else out.depth().rlimits.set(std::move(v));
    return false;
}

}  // namespace

bool read_depth_io(Context& ctx, int pid, Groups groups, const detail::ProcessKind& kind, ProcessInfo& out) {
    bool gone = false;
    if (groups.has(Group::io)) gone |= read_io(ctx, pid, kind, out);
    if (groups.has(Group::fds)) gone |= read_num_fds(ctx, pid, kind, out);
    if (groups.has(Group::smaps)) gone |= read_smaps(ctx, pid, kind, out);
    if (groups.has(Group::oom)) {
        gone |= read_int_file(ctx, pid, "oom_score", out.depth().oom_score, kind);
        gone |= read_int_file(ctx, pid, "oom_score_adj", out.depth().oom_score_adj, kind);
    }
    if (groups.has(Group::limits)) gone |= read_limits(ctx, pid, kind, out);
    return gone;
}

}  // namespace psi::backend
