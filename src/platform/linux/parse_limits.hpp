// Pure parser for /proc/PID/limits (issue 12: rlimits). No OS headers;
// unit tested and fuzzed on bytes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace psi::linux_proc {

// RLIM_INFINITY of the Linux syscall ABI (RLIM64_INFINITY, ~0): what
// prlimit(2) and Python's resource.RLIM_INFINITY (as an unsigned value)
// report for "unlimited". Spelled out so this file needs no OS header.
inline constexpr std::uint64_t kRlimInfinity = ~std::uint64_t{0};

// The 16 resources in the kernel's RLIMIT_* numbering
// (include/uapi/asm-generic/resource.h), which is also the row order of
// the limits file (fs/proc/base.c lnames[]). The names are Python's keys
// (issue 12) and the RLIMIT_ suffixes in lower case.
inline constexpr std::size_t kNumRlimits = 16;
inline constexpr std::array<std::string_view, kNumRlimits> kRlimitNames = {
    "cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
    "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"};

struct Rlimit {
    std::uint64_t soft = 0, hard = 0;
};

// Each row's soft and hard values ("unlimited" -> kRlimInfinity); the
// units column is ignored. Rows are found by their title ("Max open
// files"), not by position; a row that is missing, or whose soft or hard
// value is neither "unlimited" nor a decimal that fits 64 bits, is nullopt.
// The header line and unknown rows (a future kernel's) are skipped.
// Note the architecture caveat: on MIPS and sparc RLIMIT_* numbers differ
// (nofile is 5 on MIPS); the index here is the generic one, and the lead
// maps it by name.
std::array<std::optional<Rlimit>, kNumRlimits> parse_limits(std::string_view text);

}  // namespace psi::linux_proc
