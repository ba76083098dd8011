// Pure parsers for Linux /proc text. No OS headers: these run (and are unit
// tested and fuzzed) anywhere, on bytes handed to them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psi/process.hpp"
#include "psi/system.hpp"

namespace psi::linux_proc {

// /proc/PID/stat, proc(5). Fields are numbered as in the man page. A short
// line (old kernel, truncated read) fills what it has: `fields` counts the
// fields found, and members past it keep their defaults.
struct StatFields {
    int fields = 0;          // number of fields present (>= 3 when valid)
    int pid = 0;             // 1
    std::string_view comm;   // 2, without the parentheses
    char state = '?';        // 3
    int ppid = 0;            // 4
    int pgrp = 0;            // 5
    int session = 0;         // 6
    std::uint64_t tty_nr = 0;// 7 (an int in the kernel; 0 = no tty)
    int tpgid = -1;          // 8
    std::uint64_t flags = 0; // 9
    std::uint64_t utime = 0; // 14, clock ticks
    std::uint64_t stime = 0; // 15
    int priority = 0;        // 18
    int nice = 0;            // 19
    int num_threads = 0;     // 20
    std::uint64_t starttime = 0;  // 22, clock ticks after boot
    std::uint64_t vsize = 0;      // 23, bytes
    int processor = 0;            // 39, CPU last run on
    std::uint64_t rt_priority = 0;// 40
    int policy = 0;               // 41
    // -- w-status: issue 12's stat fields (parse_stat_extra's notes) --
    std::uint64_t minflt = 0, cminflt = 0, majflt = 0, cmajflt = 0;  // 10-13
    std::uint64_t cutime = 0, cstime = 0;                           // 16-17, clock ticks
    std::uint64_t startcode = 0, endcode = 0;                       // 26-27
};

// Parses a stat line. The name runs from the first '(' to the LAST ')' since
// comm may itself hold spaces, parentheses and newlines. Returns nullopt
// when even pid, name and state are missing (garbage).
std::optional<StatFields> parse_stat(std::string_view text);

// /proc/PID/statm: the second number, resident pages.
std::optional<std::uint64_t> parse_statm_resident(std::string_view text);

// /proc/PID/status: the Uid:/Gid: lines (real, effective, saved, fs) and
// the VmRSS:/VmLck: sizes in kB (absent for kernel threads).
struct StatusFields {
    bool have_uid = false, have_gid = false, have_rss = false, have_locked = false;
    std::uint32_t ruid = 0, euid = 0, rgid = 0, egid = 0;
    std::uint64_t rss_kb = 0, locked_kb = 0;
};
StatusFields parse_status(std::string_view text);

// What one process's argument and environment areas may cost a reader
// (docs/limits.md). execve(2) refuses argv + envp (the strings and their
// pointers) beyond a quarter of RLIMIT_STACK and never beyond
// _STK_LIM / 4 * 3 = 6 MiB (fs/exec.c, bprm_stack_limits), so no process
// started by execve shows more bytes than this in cmdline or environ; only
// one that moved its areas (prctl PR_SET_MM) can, and is cut here.
inline constexpr std::size_t kMaxArgBytes = std::size_t{6} << 20;
// Within those 6 MiB every string also costs its 8-byte pointer, so execve
// passes at most 6 MiB / 9 strings. Counting caps NUL-dense data, where each
// byte read would otherwise become a 32-byte std::string (a 4 MiB area of
// zero pages: 128 MiB of empty strings).
inline constexpr std::size_t kMaxArgStrings = kMaxArgBytes / 9;

// /proc/PID/cmdline as argv, so that ' '.join(args) is what procps ps shows
// (readproc's read_unvectored; docs/cpp-api.md "cmdline"):
// - ending in NUL (argv as execve left it, or a title padded with NULs by
//   setproctitle): the trailing NULs are padding and dropped, the rest is
//   split on NUL. A trailing empty argument cannot be told from padding and
//   is dropped too, as ps does.
// - not ending in NUL (a title written over the area; the kernel then stops
//   at its first NUL): one final blank is dropped as ps drops it, the rest is
//   split on spaces and NULs, keeping the blanks of a space-padded title.
// - bytes that leave nothing (all NULs: execve with an empty argv, a NUL-
//   filled area): one empty argument, [""] (ps prints "?"); an empty file
//   gives [] (ps prints "[comm]").
// At most kMaxArgStrings strings; the bytes are capped by the read.
std::vector<std::string> split_cmdline(std::string_view buf);

// /proc/PID/environ: NUL-separated KEY=VALUE in the order of the process's
// environ array. A string without '=' is no definition (getenv(3),
// os.environ and psutil all skip it) and is dropped; duplicate keys are all
// kept, in order (getenv and os.environ take the first). At most
// kMaxArgStrings entries.
Environment split_environ(std::string_view buf);

// " (deleted)" is appended by the kernel to exe links of unlinked files.
std::string_view strip_deleted_suffix(std::string_view link);

// /proc/PID/wchan: the symbol the task sleeps in. The kernel writes "0"
// when it runs, has no such symbol, or the reader may not ptrace it (proc(5));
// that is "". ppc64's ELFv1 function descriptors put a '.' before every
// name, which is not part of the function's name.
std::string_view parse_wchan(std::string_view text);

// Controlling terminal path for a tty_nr (stat field 7), using the fixed
// major numbers of devices.txt; nullopt when it is not one of those.
std::optional<std::string> tty_path_from_dev(std::uint64_t tty_nr);

// One line of /proc/tty/drivers: "name  /dev/prefix  major  minors  type".
struct TtyDriver {
    std::string prefix;      // e.g. "/dev/ttyS"
    unsigned major = 0, minor_first = 0, minor_last = 0;
};
std::vector<TtyDriver> parse_tty_drivers(std::string_view text);
std::optional<std::string> tty_path_from_drivers(std::uint64_t tty_nr, const std::vector<TtyDriver>& drivers);

// /proc/loadavg: the first three numbers.
std::optional<LoadAvg> parse_loadavg(std::string_view text);

// /proc/self/mounts (fstab(5) format, octal escapes such as \040 for space).
struct MountLine {
    std::string device, mountpoint, fstype, options;
};
std::vector<MountLine> parse_mounts(std::string_view text);
// Remote (network) file system? Decided from the fstype. (Its server:
// posix::mount_host of the device.)
bool is_remote_mount(std::string_view fstype);

}  // namespace psi::linux_proc
