// Pure parser for the targets of the /proc/PID/ns/* magic links (issue 12:
// namespaces). No OS headers; unit tested and fuzzed on bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace psi::linux_proc {

// readlink(2) of /proc/PID/ns/NAME gives "TYPE:[INODE]" (namespaces(7);
// the kernel's ns_dname() writes it as "%s:[%lu]"), INODE the decimal inode
// number of the namespace's nsfs file, the same number stat(2) reports as
// st_ino. TYPE is the namespace type, which for the *_for_children entries
// is the plain type ("pid:[...]" for pid_for_children). Returns the inode
// when `link` is exactly that shape for `type` with 1-20 decimal digits
// that fit in 64 bits; nullopt for anything else (another type, a
// truncated or damaged target).
std::optional<std::uint64_t> parse_ns_link(std::string_view link, std::string_view type) noexcept;

// The type word the link of entry `name` carries: "pid" for
// "pid_for_children", "time" for "time_for_children", else `name`.
std::string_view ns_link_type(std::string_view name) noexcept;

}  // namespace psi::linux_proc
