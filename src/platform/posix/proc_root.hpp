// What the /proc-style backends (Linux, Solaris) share: the process
// directory opened once (every per-process open is one openat relative to
// it, no path built from "/"), "PID/name" paths, and whole-file reads into
// one reused buffer. Each backend's Context derives from ProcRoot.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "psi/error.hpp"

namespace psi::posix {

struct ProcRoot {
    std::string root;
    int proc_fd = -1;
    std::vector<char> buf;  // grows for a large file up to the read's cap, then stays
    long page_size = 4096;  // sysconf, read once
    long clk_tck = 100;
    std::size_t base_buf_size = 0;  // buf's size as opened; trim_buffer returns to it
    // The root is a mounted procfs, whose files are all regular: read_file
    // skips its fstat check (see root_is_procfs in proc_root.cpp).
    bool trusted_files = false;

    ProcRoot() = default;
    ProcRoot(const ProcRoot&) = delete;
    ProcRoot& operator=(const ProcRoot&) = delete;
    ~ProcRoot();

    // Opens `path` ("" means /proc) as a directory, sizes buf and reads the
    // constants. False when it cannot be opened (the caller reports
    // proc_root_unusable).
    bool open_root(const std::string& path, std::size_t buf_size);

    // Whether proc_fd is this process's own /proc (same device and inode),
    // i.e. its pids are ours to signal. Decided once, on first use.
    bool is_own_proc();

    // Gives back a buffer that a large read grew far beyond its opening size.
    void trim_buffer() noexcept;

private:
    std::optional<bool> own_proc_;
};

// A backend Context (deriving from ProcRoot) opened on `root` with a read
// buffer of buf_size bytes; nullptr and proc_root_unusable when the root
// cannot be opened. Serves both backend::open and backend::open_worker: a
// worker of a /proc backend needs only its own descriptor of the same root.
template <class ContextPtr>
ContextPtr open_context(const std::string& root, std::size_t buf_size, std::error_code& ec) {
    ec.clear();
    ContextPtr ctx(new typename ContextPtr::element_type);
    if (!ctx->open_root(root, buf_size)) {
        ec = make_error_code(errc::proc_root_unusable);
        return nullptr;
    }
    return ctx;
}

// kill(2) for a backend whose pids come from `r`: invalid_argument for a
// pid <= 0 (never a process group) and when r is not this system's own
// /proc (a fixture tree, another pid namespace's proc: a pid there names
// some other process here); else the errno, through the one translation
// point (classify_process_error).
std::error_code send_signal(ProcRoot& r, int pid, int sig);

// A Linux pidfd (pidfd_open(2), kernel 5.3+) for `pid` of r's processes:
// it names the process that had the pid when it was opened, even after that
// process exits and the pid is reused, so a signal sent through it
// (pidfd_signal) reaches that process or none. -1 with ec clear when none can
// be had: not Linux, a foreign proc root (its pids are not ours), a kernel
// without pidfd_open (ENOSYS), or no fd left (EMFILE/ENFILE): callers then
// fall back to kill(2) after a start-time check. no_such_process (ESRCH)
// when the pid names no process.
int open_pidfd(ProcRoot& r, int pid, std::error_code& ec);
// pidfd_send_signal(2); errors through classify_process_error (ESRCH: the
// process has been reaped).
std::error_code pidfd_signal(int fd, int sig);
void close_pidfd(int fd) noexcept;

// The pid a proc directory entry (or the "self" link's target) names:
// decimal digits without a leading zero ("0" itself is Solaris' sched), at
// most INT_MAX; -1 for anything else ("self", "sys", "01", "4294967296").
int pid_from_name(std::string_view name) noexcept;

// "PID/name" (or "PID" when name is null) into `out`, which has room for
// kPathMax bytes; a longer name is cut. Returns the length.
inline constexpr std::size_t kPathMax = 64;
std::size_t format_path(char* out, int pid, const char* name);

// Reads <root>/<rel> into r.buf: the bytes as a view into the buffer, or the
// errno of the failed openat/read (with no bytes). The buffer doubles up to
// `cap`; what lies beyond is not read (a hostile process cannot make us
// allocate without bound). No read blocks: the file is opened O_NONBLOCK and,
// unless the root is a mounted procfs, refused with EIO when it is not a
// regular file (a FIFO or device planted in a copied or fixture tree). A
// buffer that cannot grow gives ENOMEM for this read only.
//
// `one_shot`: a read shorter than the buffer is the whole file, so no second
// read() is spent to see end of file. True for files the kernel produces in
// one piece (Linux stat, statm, status, cmdline, environ; Solaris binary
// records); false for multi-record files that may stop at a page (mounts).
struct ReadResult {
    std::string_view data;
    int err = 0;
};
ReadResult read_file(ProcRoot& r, const char* rel, bool one_shot, std::size_t cap);

}  // namespace psi::posix
