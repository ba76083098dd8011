// Solaris backend state: a directory fd on the proc root (every per-process
// open is one openat relative to it), a reusable read buffer for the binary
// records, and the terminal device table, built once on first need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/backend_process.hpp"
#include "platform/posix/proc_root.hpp"
#include "platform/solaris/parse.hpp"

namespace psi::backend {

// The proc root, its fd, the read buffer (it grows for a large record, such
// as pstatus_t with its lwp part) and the constants are the shared POSIX
// part (platform/posix/proc_root.hpp).
struct Context : posix::ProcRoot {
    // st_rdev -> "/dev/pts/3" for the terminals under /dev (ps(1) resolves
    // pr_ttydev the same way: there is no name for it in the record).
    std::optional<std::vector<std::pair<std::uint64_t, std::string>>> ttys;
    bool ttys_rescanned = false;
    // The psinfo identify read, for the read_groups call that follows
    // (backend_process.hpp).
    solaris_proc::Psinfo psinfo;
    // -- x-solaris: a context on one process's lwps (open_tasks) --
    // tasks_pid >= 0: the "pids" of this context are the lwp ids of that
    // process, read from PID/lwp/LWPID/{lwpsinfo,lwpusage}; the process's
    // own psinfo, read once when the context was opened, gives what all its
    // lwps share (parent, ids, terminal, sizes). `lwp` is identify's record.
    int tasks_pid = -1;
    solaris_proc::Lwpsinfo lwp;
};

}  // namespace psi::backend

namespace psi::solaris_proc {

// Reads <root>/<rel> into ctx.buf (posix::read_file). A /proc record file
// (psinfo, status, cred, usage) hands over its whole structure in one
// read() when the buffer is large enough, so a read shorter than the buffer
// ends it. No record comes near the 1 MiB cap.
using posix::ReadResult;
inline ReadResult read_file(backend::Context& ctx, const char* rel) {
    return posix::read_file(ctx, rel, true, std::size_t{1} << 20);
}

using posix::format_path;

// "/dev/pts/3" for a device number, or nullptr when no terminal under
// /dev/pts, /dev/term or /dev/console has it.
const std::string* terminal_path(backend::Context& ctx, std::uint64_t dev);

}  // namespace psi::solaris_proc
