// backend::open_files on Linux (issue 12): the regular files a process has
// open, from /proc/PID/fd/ and /proc/PID/fdinfo/N (proc(5)).
//
// Per descriptor, cheapest test first:
//   1. readlink fd/N. The kernel's text (d_path, or a d_dname such as
//      "socket:[1234]", "pipe:[5678]", "anon_inode:[eventfd]") starts with
//      '/' for every file that has a path; the others are never regular
//      files, so sockets and pipes cost one system call each.
//   2. statx fd/N. A magic link: it resolves to the open file itself, so
//      this is the mode of the very inode the descriptor holds, deleted or
//      not, and in the process's mount namespace (psutil stats the path
//      text in its own namespace instead, which misses deleted files and a
//      container's files). AT_STATX_DONT_SYNC: the attributes the kernel
//      has cached, never a round trip to an NFS server that may be hung.
//      Only S_ISREG is kept.
//   3. fdinfo/N: "pos:" and "flags:" (octal). Since Linux 5.14 it also
//      shows "ino:": when that is not the inode statx saw, the descriptor
//      was closed and reused between steps, and the descriptor is read
//      again (once; a filesystem whose st_ino differs from its i_ino would
//      otherwise never agree, so the second reading stands).
// A descriptor closed at any step (ENOENT) is left out. The directory is
// read with getdents64 in fixed chunks and each entry handled as it comes,
// so a process with a million descriptors costs the result and a 16 KiB
// buffer, never a list of every name.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "core/backend_process.hpp"
#include "platform/linux/context.hpp"
#include "platform/linux/parse.hpp"
#include "platform/linux/parse_io.hpp"

namespace psi::backend {

namespace {

enum class OfStep { keep, skip, fail };

struct OfEntry {
    OfStep step = OfStep::skip;
    std::error_code ec;  // with fail
};

// What a failed per-descriptor call means. The directory was readable, so
// ENOENT/ESRCH is this descriptor closing (or the whole process exiting,
// which the core's identity re-check then reports). EACCES/EPERM: the
// ptrace check is made on every access (proc_fd_access_allowed), and a
// process that ran a set-uid program meanwhile refuses us now.
// ENAMETOOLONG: a path longer than the page d_path writes into (psutil
// skips those too). EINVAL: not a symbolic link (a fixture tree's plain
// file). ELOOP/ENOTDIR: a fixture link that leads nowhere.
OfEntry of_failed(int err) {
    switch (err) {
        case ENOENT:
        case ESRCH:
        case ENAMETOOLONG:
        case EINVAL:
        case ELOOP:
        case ENOTDIR:
            return {OfStep::skip, {}};
        case EACCES:
        case EPERM:
            return {OfStep::fail, make_error_code(errc::insufficient_privs)};
        default:
            return {OfStep::fail, make_error_code(errc::os_error)};
    }
}

struct OfInode {
    unsigned mode = 0;
    std::uint64_t ino = 0, dev = 0, nlink = 0;
};

// statx (Linux 4.11) relative to the proc root, following the link; the
// kernel without statx (ENOSYS) gets fstatat.
int of_stat(int dirfd, const char* path, OfInode& out) {
    struct statx sx {};
    if (::statx(dirfd, path, AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO | STATX_NLINK, &sx) == 0) {
        out.mode = sx.stx_mode;
        out.ino = sx.stx_ino;
        out.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
        out.nlink = sx.stx_nlink;
        return 0;
    }
    if (errno != ENOSYS) return errno;
    struct stat sb {};
    if (::fstatat(dirfd, path, &sb, 0) != 0) return errno;
    out.mode = sb.st_mode;
    out.ino = sb.st_ino;
    out.dev = sb.st_dev;
    out.nlink = sb.st_nlink;
    return 0;
}

// The kernel appends " (deleted)" to the path of an unlinked dentry; a file
// may also really be named so. As for exe (process.cpp): the suffix is
// believed unless the inode still has links and the suffixed path, looked
// up here, is that same inode.
std::string_view of_path(std::string_view link, const OfInode& inode) {
    std::string_view stripped = linux_proc::strip_deleted_suffix(link);
    if (stripped.size() == link.size() || inode.nlink == 0) return stripped;
    const std::string named_path(link);
    OfInode named;
    if (of_stat(AT_FDCWD, named_path.c_str(), named) == 0 && named.dev == inode.dev && named.ino == inode.ino)
        return link;
    return stripped;
}

// "PID/<dir>/N" relative to the proc root.
void of_format(char* out, int pid, const char* dir, int fd) {
    std::snprintf(out, posix::kPathMax, "%d/%s/%d", pid, dir, fd);
}

OfEntry of_read_one(Context& ctx, int pid, int fd, std::vector<OpenFile>& out) {
    char link_path[posix::kPathMax], info_path[posix::kPathMax];
    of_format(link_path, pid, "fd", fd);
    of_format(info_path, pid, "fdinfo", fd);
    char target[PATH_MAX + 1];
    for (int attempt = 0;; ++attempt) {
        const ssize_t n = ::readlinkat(ctx.proc_fd, link_path, target, sizeof target);
        if (n < 0) return of_failed(errno);
        // A full buffer may be a cut path: never report one.
        if (static_cast<std::size_t>(n) >= sizeof target) return {OfStep::skip, {}};
        const std::string_view link(target, static_cast<std::size_t>(n));
        if (link.empty() || link.front() != '/') return {OfStep::skip, {}};
        OfInode inode;
        if (int err = of_stat(ctx.proc_fd, link_path, inode)) return of_failed(err);
        if (!S_ISREG(inode.mode)) return {OfStep::skip, {}};
        // After the stat, since it reads into ctx.buf (the link text lives
        // in `target`, not there).
        const auto r = linux_proc::read_file(ctx, info_path, true);
        if (r.err) return of_failed(r.err);
        const linux_proc::FdInfo info = linux_proc::parse_fdinfo(r.data);
        if (!info.pos || !info.flags) return {OfStep::fail, make_error_code(errc::parse_error)};
        if (info.ino && *info.ino != inode.ino && attempt == 0) continue;
        const char* mode = linux_proc::fd_mode_from_flags(*info.flags);
        out.push_back(OpenFile{std::string(of_path(link, inode)), fd, *info.pos, mode ? mode : "", *info.flags});
        return {OfStep::keep, {}};
    }
}

}  // namespace

std::error_code open_files(Context& ctx, int pid, std::vector<OpenFile>& out) {
    char path[posix::kPathMax];
    posix::format_path(path, pid, "fd");
    // Readable only with ptrace read access (proc(5)): EACCES otherwise.
    const int dir = ::openat(ctx.proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return detail::classify_process_error(errno);
    alignas(8) char buf[16384];
    std::error_code ec;
    while (!ec) {
        const long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            ec = detail::classify_process_error(errno);
            break;
        }
        if (n == 0) break;
        for (long off = 0; off < n && !ec;) {
            // struct linux_dirent64: d_ino(8) d_off(8) d_reclen(2) d_type(1) d_name
            unsigned short reclen;
            std::memcpy(&reclen, buf + off + 16, sizeof reclen);
            const int fd = posix::pid_from_name(std::string_view(buf + off + 19));
            off += reclen;
            if (fd < 0) continue;  // ".", ".." (descriptor names are decimal)
            OfEntry e = of_read_one(ctx, pid, fd, out);
            if (e.step == OfStep::fail) ec = e.ec;
        }
    }
    ::close(dir);
    // A large fdinfo (an epoll's, an inotify's) may have grown the buffer.
    ctx.trim_buffer();
    return ec;
}

}  // namespace psi::backend
