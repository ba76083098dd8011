// Unit conversions of numbers read from the OS (kB or pages to bytes). A
// damaged or fake record can hold any count; the product saturates at the
// type's maximum instead of wrapping to a small, plausible-looking size.
#pragma once

#include <cstdint>
#include <limits>

namespace psi::detail {

constexpr std::uint64_t mul_saturating(std::uint64_t a, std::uint64_t b) {
    std::uint64_t r = 0;
    return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<std::uint64_t>::max() : r;
}

}  // namespace psi::detail
