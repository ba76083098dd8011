// Text the POSIX backends decode alike, as pure functions without OS
// headers: unit-tested (tests/cpp/test_posix_parse.cpp) and fuzzed
// (tests/fuzz/fuzz_posix_parsers.cpp) on any OS.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psi::posix {

// The leading decimal numbers of a uname(2) release, separated by dots, up
// to the first other character: "6.18.44-fc" -> {6, 18, 44} (Linux),
// "23.1.0" -> {23, 1, 0} (Darwin), "5.11" -> {5, 11} (Solaris); "x1" -> {}.
// A number too large for an int saturates at INT_MAX and the list goes on:
// a release is never a reason to fail, and a saturated part still sorts
// after every real version.
std::vector<int> release_numbers(std::string_view release);

// A file that holds one decimal number, such as Linux's
// /proc/sys/kernel/pid_max ("4194304\n"): the number, or nullopt when the
// text is anything else (empty, signed, other characters, more than an int
// holds). Surrounding blanks and newlines are allowed.
std::optional<int> decimal_value(std::string_view text);

// The server of a remote mount, from its device ("source", "special",
// f_mntfromname). Understood forms:
//   host:/path, host:path (NFS, sshfs)  -> host
//   [v6addr]:/path                      -> v6addr
//   //host/share (SMB/CIFS), with "user@", "domain;user@", "user:pw@"
//   before the host and ":port" after it -> host
//   scheme://host/path (nfs://, smb://, afp://) -> as //host/path
// The host is the machine that serves the mount: any user part (up to the
// last '@') is not part of it, in every form. A device starting with '/'
// (a local path, "/dev/sda1") or without a separator gives "".
std::string mount_host(std::string_view device);

}  // namespace psi::posix
