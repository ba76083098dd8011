// outbuf.hpp - the one output buffer of psi-ps.
//
// Rows are built into a std::string and handed to write(2) in large chunks:
// no iostreams, no stdio locking per field. A listing of 1000 processes is a
// handful of syscalls instead of thousands of fwrite calls.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace psi_ps {

class OutBuf {
public:
    // fd < 0: standard output was closed when we started; every write fails
    // with EBADF, as it would for ps.
    explicit OutBuf(int fd) : fd_(fd) { buf_.reserve(kChunk * 2); }
    OutBuf(const OutBuf&) = delete;
    OutBuf& operator=(const OutBuf&) = delete;
    ~OutBuf() { flush(); }

    std::string& str() { return buf_; }
    void append(std::string_view s) { buf_.append(s); }
    void push(char c) { buf_.push_back(c); }
    void spaces(int n) {
        if (n > 0) buf_.append(static_cast<std::size_t>(n), ' ');
    }
    // Writes out what has accumulated once it is worth a syscall.
    void maybe_flush() {
        if (buf_.size() >= kChunk) flush();
    }
    void flush();
    // False once a write failed (EPIPE on a closed pipe, EBADF, ENOSPC...).
    bool ok() const { return err_ == 0; }
    // Flushes; then the errno of the first failed write, or 0. A closed
    // standard output is an error even when nothing was written (ps's
    // close_stdout() reports it at exit the same way).
    int finish();

private:
    static constexpr std::size_t kChunk = 64 * 1024;
    std::string buf_;
    int fd_;
    int err_ = 0;
};

// Appends the decimal form of v; returns the number of characters added.
inline int append_int(std::string& out, std::int64_t v) {
    char tmp[24];
    auto res = std::to_chars(tmp, tmp + sizeof tmp, v);
    out.append(tmp, res.ptr);
    return static_cast<int>(res.ptr - tmp);
}

// Appends v zero-padded to at least `digits` digits (v >= 0).
inline void append_padded(std::string& out, std::int64_t v, int digits) {
    char tmp[24];
    auto res = std::to_chars(tmp, tmp + sizeof tmp, v);
    for (int n = static_cast<int>(res.ptr - tmp); n < digits; ++n) out.push_back('0');
    out.append(tmp, res.ptr);
}

}  // namespace psi_ps
