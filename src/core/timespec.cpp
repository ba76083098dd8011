// TimeSpec value arithmetic that needs <cmath> (the rest is inline in
// psi/timespec.hpp). Reading clocks: environment.cpp.
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
