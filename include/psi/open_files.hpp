// psi/open_files.hpp - the regular files a process has open (issue 12).
//
// Read with System::open_files (psi/system.hpp), which checks the process's
// identity (pid and start) before and after the read, so a list never mixes
// two processes that had the same pid. Linux reads /proc/PID/fd/ (one
// readlink and one stat per descriptor) and /proc/PID/fdinfo/N; macOS and
// Solaris report attr_not_implemented for now.
#pragma once

#include <cstdint>
#include <string>

namespace psi {

// One descriptor of a process that refers to a regular file (S_ISREG of the
// file the descriptor holds: pipes, sockets, devices, directories, anon
// inodes such as eventfd and epoll are not listed). The same five facts as
// psutil's open_files() tuple (path, fd, position, mode, flags).
struct OpenFile {
    // The path the kernel gives for the descriptor (readlink of
    // /proc/PID/fd/N), byte for byte: any byte but NUL, newlines included.
    // For a file deleted since it was opened, the kernel's " (deleted)"
    // suffix is removed, as for ProcessInfo::exe: the path it had. A file
    // really named "x (deleted)" keeps its name. The path is as the
    // process's own mount namespace and root see it.
    std::string path;
    int fd = -1;
    // The file offset (fdinfo "pos:"), as lseek(fd, 0, SEEK_CUR) would
    // answer in the process.
    std::int64_t position = 0;
    // The open mode from the access mode and O_APPEND, spelled as psutil
    // does: "r" (O_RDONLY), "w" (O_WRONLY), "a" (O_WRONLY|O_APPEND),
    // "r+" (O_RDWR), "a+" (O_RDWR|O_APPEND); "" for the access mode 3
    // (open(2): neither reading nor writing, Linux-specific).
    std::string mode;
    // The open(2) flags as fdinfo "flags:" shows them (octal there): the
    // file's f_flags (with O_LARGEFILE, which 64-bit kernels set on every
    // open) plus O_CLOEXEC from the descriptor table.
    std::uint32_t flags = 0;

    friend bool operator==(const OpenFile&, const OpenFile&) = default;
};

}  // namespace psi
