// psi/error.hpp - error codes, the throwing path's exception type.
//
// Every fallible call comes in two forms: one that throws psi::Error and an
// overload taking `std::error_code&` that never throws. Both report the same
// codes from psi::errc (category "psi"), so callers can switch on them.
#pragma once

#include <string>
#include <system_error>

namespace psi {

enum class errc {
    no_such_process = 1,       // the pid is not there, or is now another process
    insufficient_privs,        // the OS refused an action (EPERM on kill)
    attr_not_available,        // this process does not have the attribute now
    attr_insufficient_privs,   // the OS refused to show the attribute
    attr_not_implemented,      // this platform has no such attribute
    attr_not_read,             // the attribute's group was not requested
    invalid_argument,          // bad pid, bad signal, bad option
    proc_root_unusable,        // the proc root is missing or is not a procfs
    parse_error,               // a system file held something we cannot read
    os_error,                  // anything else; the message carries errno text
};

const std::error_category& psi_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), psi_category()};
}

// The one exception type of the throwing path. what() names the pid and the
// attribute (or action) in public terms, e.g. "pid 42: exe: not available".
class Error : public std::system_error {
public:
    Error(std::error_code code, const std::string& what) : std::system_error(code, what) {}
};

}  // namespace psi

template <>
struct std::is_error_code_enum<psi::errc> : std::true_type {};
