// Pure parsers for a process's I/O files (issue 12): /proc/PID/io and
// /proc/PID/fdinfo/N. No OS headers; unit tested and fuzzed on bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace psi::linux_proc {

// /proc/PID/io (proc(5), Documentation/filesystems/proc.rst "3.3
// /proc/<pid>/io"): seven "key: decimal" lines, read under a ptrace-read
// check (unreadable for another user's process). Each member is nullopt
// when its line is missing or malformed (a number that overflows 64 bits
// fails its field); `complete` says all seven were read.
// read_bytes/write_bytes are storage traffic (block layer, page cache
// write-back charged to this task), rchar/wchar every read(2)/write(2)
// byte, cancelled_write_bytes dirty page-cache bytes truncated before
// write-back. Kernels without CONFIG_TASK_IO_ACCOUNTING have no file.
struct IoCounters {
    std::optional<std::uint64_t> rchar, wchar, syscr, syscw, read_bytes, write_bytes, cancelled_write_bytes;
    bool complete() const {
        return rchar && wchar && syscr && syscw && read_bytes && write_bytes && cancelled_write_bytes;
    }
};
IoCounters parse_io(std::string_view text);

// /proc/PID/fdinfo/N (proc(5)): "pos:", "flags:" (octal, the open(2) flags
// plus O_CLOEXEC from the fd table), "mnt_id:" (the mount of the file, as in
// mountinfo), "ino:" (since Linux 5.14). Other lines (eventfd-count, tfd,
// inotify, ...) follow for special files and are skipped. nullopt per field
// when absent or malformed.
struct FdInfo {
    std::optional<std::int64_t> pos;     // loff_t, printed with %lld
    std::optional<std::uint32_t> flags;  // octal in the file
    std::optional<int> mnt_id;
    std::optional<std::uint64_t> ino;
};
FdInfo parse_fdinfo(std::string_view text);

// The access mode of fdinfo flags as psutil's open_files() mode string:
// O_RDONLY "r", O_WRONLY "w", O_RDWR "r+"; with O_APPEND "a" / "a+".
// (Linux generic fcntl.h values: O_ACCMODE 03, O_APPEND 02000 on every
// architecture psi builds for; alpha, parisc and sparc use other O_APPEND
// bits and are not supported.) nullptr for the invalid access mode 3.
const char* fd_mode_from_flags(std::uint32_t flags);

}  // namespace psi::linux_proc
