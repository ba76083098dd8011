// Linux backend state: an O_PATH-free directory fd on the proc root (so
// every per-process open is one openat relative to it, no path building
// from "/"), a reusable read buffer, and constants read once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/backend_process.hpp"
#include "platform/linux/parse.hpp"
#include "platform/posix/proc_root.hpp"

namespace psi::backend {

// The proc root, its fd, the read buffer and the constants are the shared
// POSIX part (platform/posix/proc_root.hpp).
struct Context : posix::ProcRoot {
    std::optional<std::vector<linux_proc::TtyDriver>> tty_drivers;
    // boot_instant() costs ~10 clock reads; a table asks once per process,
    // so the value is reused for 100 ms of CLOCK_MONOTONIC_COARSE.
    TimeSpec boot;
    std::int64_t boot_checked_ns = 0;
    bool boot_known = false;
    // The stat line identify parsed, for the read_groups call that follows
    // (backend_process.hpp). Its comm views ctx.buf: valid until the next
    // read into the buffer, so read_groups uses it first.
    linux_proc::StatFields stat;
};

}  // namespace psi::backend

namespace psi::linux_proc {

// Reads <root>/<rel> into ctx.buf (posix::read_file). `one_shot` for files
// the kernel produces in one piece: stat, statm, status (single_open
// seq_files, generated whole and sized to fit) and cmdline, environ
// (get_mm_cmdline/environ_read loop until the caller's count is filled or
// the data ends); not for multi-record seq_files such as mounts, which may
// stop at a page. The cap bounds what one file can cost (docs/limits.md):
// cmdline and environ pass linux_proc::kMaxArgBytes; the per-process text
// files are far below kMaxTextFile (status with 65,536 supplementary groups
// is ~450 KiB); system-wide tables (mounts) may be long.
inline constexpr std::size_t kMaxTextFile = std::size_t{4} << 20;
inline constexpr std::size_t kMaxTableFile = std::size_t{64} << 20;
using posix::ReadResult;
inline ReadResult read_file(backend::Context& ctx, const char* rel, bool one_shot,
                            std::size_t cap = kMaxTextFile) {
    return posix::read_file(ctx, rel, one_shot, cap);
}

using posix::format_path;

// Boot instant, CLOCK_REALTIME - CLOCK_BOOTTIME, computed once per process
// and only replaced when the wall clock was stepped (moves > 5 ms), so that
// start times are identical across reads.
TimeSpec boot_instant();
TimeSpec boot_instant(backend::Context& ctx);

}  // namespace psi::linux_proc
