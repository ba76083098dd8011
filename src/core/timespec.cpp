#include <cmath>

#include "psi/timespec.hpp"

namespace psi {

TimeSpec TimeSpec::from_seconds(double seconds) {
    // floor keeps tv_nsec non-negative for negative inputs before normalising.
    double whole = std::floor(seconds);
    auto nsec = static_cast<std::int64_t>(std::llround((seconds - whole) * 1e9));
    return TimeSpec(static_cast<std::int64_t>(whole), nsec);
}

}  // namespace psi

#include <chrono>

#include "psi/system.hpp"

namespace psi {

TimeSpec now() {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return TimeSpec(0, ns.count());
}

}  // namespace psi
