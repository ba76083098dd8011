// errno -> meaning, in one place. Linux proc(5) behaviour this encodes:
// - reading environ/cmdline of a kernel thread or exiting task can fail with
//   ESRCH (no mm) while the task is still listed: that is "not available",
//   never "gone" (PSI 0.3 treated it as fatal and could not build a table);
// - exe/cwd of kernel threads and zombies give ENOENT: not available;
// - EACCES/EPERM: the kernel's ptrace access check refused us;
// - ENOENT/ESRCH for a normal process can mean it exited between reads, so
//   the caller re-checks existence once (only stat decides "gone").
#include "core/classify.hpp"

#include <cerrno>

namespace psi::detail {

Classified classify_attr_error(int err, ProcessKind kind) noexcept {
    switch (err) {
        case EACCES:
        case EPERM:
            return {Verdict::attr_status, AttrStatus::insufficient_privs};
        case 0:  // an empty read where the data should exist
            return {Verdict::attr_status, AttrStatus::not_available};
        case ENOENT:
        case ESRCH:
            if (kind.kernel_thread || kind.zombie)
                return {Verdict::attr_status, AttrStatus::not_available};
            return {Verdict::maybe_gone, AttrStatus::not_available};
        case ENOSYS:
        case ENOTSUP:
            return {Verdict::attr_status, AttrStatus::not_implemented};
        default:
            return {Verdict::attr_status, AttrStatus::not_available};
    }
}

std::error_code classify_process_error(int err) noexcept {
    switch (err) {
        case ENOENT:
        case ESRCH:
        case ENOTDIR:
            return make_error_code(errc::no_such_process);
        case EACCES:
        case EPERM:
            return make_error_code(errc::insufficient_privs);
        case EINVAL:
            return make_error_code(errc::invalid_argument);
        default:
            return make_error_code(errc::os_error);
    }
}

}  // namespace psi::detail
