// psi/timespec.hpp - an exact (seconds, nanoseconds) instant or duration.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace psi {

// POSIX-style timespec, always normalised so that 0 <= tv_nsec < 1e9.
// A negative duration therefore has a negative tv_sec and a non-negative
// tv_nsec: -0.25 s is {-1, 750000000}. Ordering is lexicographic, which is
// the numeric order because of that normalisation.
struct TimeSpec {
    std::int64_t tv_sec = 0;
    std::int64_t tv_nsec = 0;

    constexpr TimeSpec() = default;
    constexpr TimeSpec(std::int64_t sec, std::int64_t nsec) : tv_sec(sec), tv_nsec(nsec) {
        normalise();
    }

    // Nearest TimeSpec to a float number of seconds.
    static TimeSpec from_seconds(double seconds);
    // Exact conversion from a count of ticks of `hz` per second.
    static constexpr TimeSpec from_ticks(std::uint64_t ticks, std::uint64_t hz) {
        return TimeSpec(static_cast<std::int64_t>(ticks / hz),
                        static_cast<std::int64_t>((ticks % hz) * 1'000'000'000ULL / hz));
    }

    double seconds() const {
        // Below 2^53 ns (~104 days) the nanosecond count is exact in a double
        // and one division rounds correctly (1.68 s prints as 1.68, not as
        // 1 + 0.68 = 1.6800000000000002); beyond, seconds plus fraction.
        constexpr std::int64_t kExact = std::int64_t{1} << 53;
        if (tv_sec > -kExact / 1'000'000'000 && tv_sec < kExact / 1'000'000'000)
            return static_cast<double>(total_nanoseconds()) / 1e9;
        return static_cast<double>(tv_sec) + static_cast<double>(tv_nsec) / 1e9;
    }
    constexpr std::int64_t total_nanoseconds() const { return tv_sec * 1'000'000'000LL + tv_nsec; }

    friend constexpr auto operator<=>(const TimeSpec&, const TimeSpec&) = default;
    friend constexpr bool operator==(const TimeSpec&, const TimeSpec&) = default;
    // Sums and differences saturate like normalise(): a start time decoded
    // from a damaged record must not make "now - start" undefined.
    friend constexpr TimeSpec operator+(TimeSpec a, TimeSpec b) {
        std::int64_t sec = 0;
        if (__builtin_add_overflow(a.tv_sec, b.tv_sec, &sec)) return saturated(b.tv_sec > 0);
        return TimeSpec(sec, a.tv_nsec + b.tv_nsec);
    }
    friend constexpr TimeSpec operator-(TimeSpec a, TimeSpec b) {
        std::int64_t sec = 0;
        if (__builtin_sub_overflow(a.tv_sec, b.tv_sec, &sec)) return saturated(b.tv_sec < 0);
        return TimeSpec(sec, a.tv_nsec - b.tv_nsec);
    }

private:
    static constexpr TimeSpec saturated(bool positive) {
        TimeSpec t;
        t.tv_sec = positive ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
        return t;
    }
    constexpr void normalise() {
        constexpr std::int64_t kBillion = 1'000'000'000;
        std::int64_t carry = tv_nsec / kBillion;
        tv_nsec %= kBillion;
        if (tv_nsec < 0) {
            tv_nsec += kBillion;
            carry -= 1;
        }
        // Values decoded from a damaged record can be anything: saturate
        // rather than overflow (signed overflow is undefined behaviour).
        if (__builtin_add_overflow(tv_sec, carry, &tv_sec))
            tv_sec = carry > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    }
};

}  // namespace psi
