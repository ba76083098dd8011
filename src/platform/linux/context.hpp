// Linux backend state: an O_PATH-free directory fd on the proc root (so
// every per-process open is one openat relative to it, no path building
// from "/"), a reusable read buffer, and constants read once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/backend.hpp"
#include "platform/linux/parse.hpp"

namespace psi::backend {

struct Context {
    std::string root;
    int proc_fd = -1;
    long page_size = 4096;
    long clk_tck = 100;
    std::vector<char> buf;  // grows for big cmdline/environ, then stays
    std::optional<std::vector<linux_proc::TtyDriver>> tty_drivers;
    // boot_instant() costs ~10 clock reads; a table asks once per process,
    // so the value is reused for 100 ms of CLOCK_MONOTONIC_COARSE.
    TimeSpec boot;
    std::int64_t boot_checked_ns = 0;
    bool boot_known = false;

    // Whether proc_fd is this process's own /proc (same mount and inode),
    // i.e. its pids are ours to signal. Decided once, on first use.
    bool is_own_proc();
    std::optional<bool> own_proc;

    ~Context();
};

}  // namespace psi::backend

namespace psi::linux_proc {

// Reads <root>/<rel> into ctx.buf. Returns the bytes as a view into the
// buffer, or the errno of the failed openat/read.
//
// `one_shot`: a read shorter than the buffer is the whole file, so no
// second read() is spent to see EOF. True for files the kernel produces in
// one piece: stat, statm, status (single_open seq_files, generated whole
// and sized to fit) and cmdline, environ (get_mm_cmdline/environ_read loop
// until the caller's count is filled or the data ends). False for
// multi-record seq_files such as mounts, which may stop at a page.
struct ReadResult {
    std::string_view data;
    int err = 0;
};
ReadResult read_file(backend::Context& ctx, const char* rel, bool one_shot);

// "PID/name" into a caller buffer; returns its length.
std::size_t format_path(char* out, int pid, const char* name);

// Boot instant, CLOCK_REALTIME - CLOCK_BOOTTIME, computed once per process
// and only replaced when the wall clock was stepped (moves > 5 ms), so that
// start times are identical across reads.
TimeSpec boot_instant();
TimeSpec boot_instant(backend::Context& ctx);

}  // namespace psi::linux_proc
