// psi/attr.hpp - one attribute of a snapshot together with its own status.
//
// PSI's design, kept: a snapshot never fails as a whole because one field
// could not be read. Each attribute says whether it holds a value, and if not,
// why not; the throwing accessor turns that reason into a psi::Error.
#pragma once

#include <cstdint>
#include <utility>

#include "psi/error.hpp"

namespace psi {

enum class AttrStatus : std::uint8_t {
    not_read = 0,        // its group was not requested (yet)
    ok,                  // value() holds the attribute
    not_available,       // e.g. a kernel thread's exe, a zombie's cwd
    insufficient_privs,  // EACCES / EPERM from the OS
    not_implemented,     // this platform has no such attribute
};

// The psi::errc matching a non-ok status.
errc to_errc(AttrStatus status) noexcept;
const char* to_string(AttrStatus status) noexcept;

// Thrown by Attr::value(): carries the status; what() names the attribute.
[[noreturn]] void throw_attr_error(AttrStatus status, const char* attribute, int pid);

template <class T>
class Attr {
public:
    Attr() = default;

    bool ok() const noexcept { return status_ == AttrStatus::ok; }
    explicit operator bool() const noexcept { return ok(); }
    AttrStatus status() const noexcept { return status_; }
    // The errno the OS gave when status is not ok (0 when there was none).
    int os_error() const noexcept { return os_error_; }

    // Pointer to the value, or nullptr when there is none. Never throws.
    const T* get() const noexcept { return ok() ? &value_ : nullptr; }
    T value_or(T fallback) const { return ok() ? value_ : std::move(fallback); }
    // The value; throws psi::Error naming `attribute` and `pid` otherwise.
    const T& value(const char* attribute = "attribute", int pid = -1) const {
        if (!ok()) throw_attr_error(status_, attribute, pid);
        return value_;
    }

    void set(T v) {
        value_ = std::move(v);
        status_ = AttrStatus::ok;
        os_error_ = 0;
    }
    // Mutable access for in-place filling by readers; marks the value ok.
    T& emplace() {
        status_ = AttrStatus::ok;
        os_error_ = 0;
        return value_;
    }
    void fail(AttrStatus status, int os_error = 0) {
        value_ = T{};
        status_ = status;
        // errno values are small (Linux < 140, macOS < 110, illumos < 160);
        // 16 bits keep an Attr<int> at 8 bytes, which every row has dozens of.
        os_error_ = static_cast<std::int16_t>(os_error < INT16_MIN ? INT16_MIN : os_error > INT16_MAX ? INT16_MAX : os_error);
    }

private:
    T value_{};
    AttrStatus status_ = AttrStatus::not_read;
    std::int16_t os_error_ = 0;
};

}  // namespace psi
