#include "outbuf.hpp"

#include <cerrno>
#include <unistd.h>

namespace psi_ps {

void OutBuf::flush() {
    const char* p = buf_.data();
    std::size_t left = buf_.size();
    while (ok_ && left > 0) {
        ssize_t n = ::write(fd_, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            // EPIPE and friends: the reader is gone; stop writing quietly
            // (SIGPIPE, if not ignored, has already ended us like it ends ps).
            ok_ = false;
            break;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    buf_.clear();
}

}  // namespace psi_ps
