#include "outbuf.hpp"

#include <cerrno>
#include <unistd.h>

namespace psi_ps {

void OutBuf::flush() {
    const char* p = buf_.data();
    std::size_t left = buf_.size();
    while (err_ == 0 && left > 0) {
        ssize_t n = ::write(fd_, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            // The first error is the one reported (EPIPE: the reader is gone;
            // ENOSPC: /dev/full; EBADF: stdout closed); later output is
            // dropped.
            err_ = errno;
            break;
        }
        if (n == 0) {  // write(2) never does this for a non-empty buffer; do not spin
            err_ = EIO;
            break;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    buf_.clear();
}

int OutBuf::finish() {
    flush();
    if (fd_ < 0 && err_ == 0) err_ = EBADF;
    return err_;
}

}  // namespace psi_ps
