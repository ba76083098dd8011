// The single translation point from "errno + what failed" to what it means
// for the caller (psutil's lesson: decide gone / zombie / denied / not
// available in one place, not at every read).
#pragma once

#include <system_error>

#include "psi/attr.hpp"

namespace psi::detail {

// What we know about the process when one of its reads failed.
struct ProcessKind {
    bool kernel_thread = false;
    bool zombie = false;
};

enum class Verdict {
    attr_status,   // record `status` on the attribute and carry on
    maybe_gone,    // the process may have exited: check liveness once
};

struct Classified {
    Verdict verdict;
    AttrStatus status;
};

// err: the errno of the failed read (0 for "read returned nothing").
Classified classify_attr_error(int err, ProcessKind kind) noexcept;

// Records a failed read of one attribute: its status and errno. Returns true
// when the failure may mean the process has exited (the backend then checks
// once whether the process is still there before it believes the values).
template <class T>
bool record_attr_failure(Attr<T>& attr, int err, const ProcessKind& kind) {
    Classified c = classify_attr_error(err, kind);
    attr.fail(c.status, err);
    return c.verdict == Verdict::maybe_gone;
}

// For the read that defines existence (Linux: /proc/PID/stat): ENOENT and
// ESRCH mean no_such_process; EACCES insufficient_privs; others os_error.
std::error_code classify_process_error(int err) noexcept;

}  // namespace psi::detail
