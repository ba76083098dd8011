// TimeSpec: normalisation, ordering, arithmetic, conversions. The header
// promises 0 <= tv_nsec < 1e9 always, with negative durations carried by
// tv_sec (-0.25 s == {-1, 750000000}); everything here follows from that.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "psi/timespec.hpp"

using psi::TimeSpec;

namespace {

void expect_ts(const TimeSpec& t, std::int64_t sec, std::int64_t nsec) {
    EXPECT_EQ(t.tv_sec, sec);
    EXPECT_EQ(t.tv_nsec, nsec);
}

// Constructors and operators are constexpr: usable for compile-time constants.
static_assert(TimeSpec(0, 1'500'000'000).tv_sec == 1);
static_assert(TimeSpec(0, -1).tv_nsec == 999'999'999);
static_assert(TimeSpec::from_ticks(250, 100) == TimeSpec(2, 500'000'000));
static_assert(TimeSpec(1, 0) - TimeSpec(0, 1) == TimeSpec(0, 999'999'999));

TEST(TimeSpec, DefaultIsZero) {
    TimeSpec t;
    expect_ts(t, 0, 0);
    EXPECT_EQ(t.total_nanoseconds(), 0);
    EXPECT_EQ(t.seconds(), 0.0);
}

TEST(TimeSpec, NormalisesNanosecondOverflow) {
    expect_ts(TimeSpec(0, 1'500'000'000), 1, 500'000'000);
    expect_ts(TimeSpec(2, 3'000'000'000), 5, 0);
    expect_ts(TimeSpec(0, 999'999'999), 0, 999'999'999);
    expect_ts(TimeSpec(0, 1'000'000'000), 1, 0);
}

// A damaged record can decode to any pair of numbers; the carry out of the
// nanoseconds must saturate the seconds, not overflow them (UB, which the
// UBSan run of this suite reports).
TEST(TimeSpec, CarrySaturatesAtTheLimits) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    expect_ts(TimeSpec(kMax, 2'500'000'000), kMax, 500'000'000);
    expect_ts(TimeSpec(kMin, -1), kMin, 999'999'999);
    expect_ts(TimeSpec(kMax - 1, 1'000'000'000), kMax, 0);
    expect_ts(TimeSpec(kMin + 1, -1), kMin, 999'999'999);
}

// "now - start" and "boot + ticks" with a start decoded from garbage.
TEST(TimeSpec, SumsAndDifferencesSaturate) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    expect_ts(TimeSpec(kMax, 0) + TimeSpec(1, 0), kMax, 0);
    expect_ts(TimeSpec(kMin, 0) + TimeSpec(-1, 0), kMin, 0);
    expect_ts(TimeSpec(100, 0) - TimeSpec(kMin, 0), kMax, 0);
    expect_ts(TimeSpec(-100, 0) - TimeSpec(kMax, 0), kMin, 0);
    expect_ts(TimeSpec(kMax - 1, 0) + TimeSpec(0, 1'500'000'000), kMax, 500'000'000);
    // Ordinary values are untouched by the overflow checks.
    expect_ts(TimeSpec(5, 700'000'000) + TimeSpec(1, 600'000'000), 7, 300'000'000);
    expect_ts(TimeSpec(5, 200'000'000) - TimeSpec(1, 600'000'000), 3, 600'000'000);
}

TEST(TimeSpec, NormalisesNegativeNanoseconds) {
    expect_ts(TimeSpec(0, -1), -1, 999'999'999);
    expect_ts(TimeSpec(0, -250'000'000), -1, 750'000'000);
    expect_ts(TimeSpec(0, -1'000'000'000), -1, 0);
    expect_ts(TimeSpec(0, -1'500'000'000), -2, 500'000'000);
    expect_ts(TimeSpec(5, -2'000'000'001), 2, 999'999'999);
    expect_ts(TimeSpec(-3, 0), -3, 0);
}

TEST(TimeSpec, TotalNanosecondsAndSeconds) {
    EXPECT_EQ(TimeSpec(-1, 750'000'000).total_nanoseconds(), -250'000'000);
    EXPECT_EQ(TimeSpec(12, 345).total_nanoseconds(), 12'000'000'345);
    EXPECT_DOUBLE_EQ(TimeSpec(-1, 750'000'000).seconds(), -0.25);
    EXPECT_DOUBLE_EQ(TimeSpec(3, 500'000'000).seconds(), 3.5);
    // Exactly the double nearest to the decimal value (what Python's float
    // of "1.68" is), not the sum of two rounded parts: psi-ps --json prints
    // cputimes like this one.
    EXPECT_EQ(TimeSpec(1, 680'000'000).seconds(), 1.68);
    EXPECT_EQ(TimeSpec(0, 100'000'000).seconds(), 0.1);
    EXPECT_EQ(TimeSpec(-2, 700'000'000).seconds(), -1.3);
    // Epoch instants (beyond 2^53 ns) keep sub-microsecond precision.
    EXPECT_NEAR(TimeSpec(1'795'000'000, 123'456'789).seconds(), 1'795'000'000.123456789, 1e-6);
}

TEST(TimeSpec, OrderIsNumericOrder) {
    const TimeSpec values[] = {TimeSpec(-2, 500'000'000), TimeSpec(-1, 0), TimeSpec(0, -1),
                               TimeSpec(0, 0),            TimeSpec(0, 1),  TimeSpec(0, 999'999'999),
                               TimeSpec(1, 0),            TimeSpec(1, 1)};
    for (std::size_t i = 0; i < std::size(values); ++i) {
        for (std::size_t j = 0; j < std::size(values); ++j) {
            const auto ni = values[i].total_nanoseconds();
            const auto nj = values[j].total_nanoseconds();
            EXPECT_EQ(values[i] < values[j], ni < nj) << i << " vs " << j;
            EXPECT_EQ(values[i] == values[j], ni == nj) << i << " vs " << j;
            EXPECT_EQ(values[i] >= values[j], ni >= nj) << i << " vs " << j;
        }
    }
}

TEST(TimeSpec, AdditionCarries) {
    expect_ts(TimeSpec(1, 600'000'000) + TimeSpec(2, 700'000'000), 4, 300'000'000);
    expect_ts(TimeSpec(-1, 750'000'000) + TimeSpec(0, 250'000'000), 0, 0);
    expect_ts(TimeSpec(-1, 750'000'000) + TimeSpec(-1, 750'000'000), -1, 500'000'000);
}

TEST(TimeSpec, SubtractionBorrows) {
    expect_ts(TimeSpec(3, 100'000'000) - TimeSpec(1, 200'000'000), 1, 900'000'000);
    expect_ts(TimeSpec(0, 0) - TimeSpec(0, 250'000'000), -1, 750'000'000);
    expect_ts(TimeSpec(1, 0) - TimeSpec(3, 500'000'000), -3, 500'000'000);
    const TimeSpec a(1234, 567'890'123), b(98, 765'432'109);
    EXPECT_EQ((a - b) + b, a);
    EXPECT_EQ((a - b).total_nanoseconds(), a.total_nanoseconds() - b.total_nanoseconds());
}

TEST(TimeSpec, FromTicksIsExact) {
    expect_ts(TimeSpec::from_ticks(0, 100), 0, 0);
    expect_ts(TimeSpec::from_ticks(250, 100), 2, 500'000'000);
    expect_ts(TimeSpec::from_ticks(1, 3), 0, 333'333'333);
    expect_ts(TimeSpec::from_ticks(7, 1000), 0, 7'000'000);
    // Starttime of a process after years of uptime at HZ 100 stays exact.
    expect_ts(TimeSpec::from_ticks(99'999'999'999ULL, 100), 999'999'999, 990'000'000);
}

TEST(TimeSpec, FromSecondsRoundsToNearest) {
    expect_ts(TimeSpec::from_seconds(1.5), 1, 500'000'000);
    expect_ts(TimeSpec::from_seconds(0.0), 0, 0);
    expect_ts(TimeSpec::from_seconds(-0.25), -1, 750'000'000);
    expect_ts(TimeSpec::from_seconds(-1.5), -2, 500'000'000);
    expect_ts(TimeSpec::from_seconds(2.0000000004), 2, 0);
    expect_ts(TimeSpec::from_seconds(2.0000000006), 2, 1);
    // Rounding up to a whole second must still be normalised, never
    // {0, 1000000000}.
    expect_ts(TimeSpec::from_seconds(0.9999999999), 1, 0);
    expect_ts(TimeSpec::from_seconds(-0.9999999999), -1, 0);
    expect_ts(TimeSpec::from_seconds(1e-10), 0, 0);
    const TimeSpec t = TimeSpec::from_seconds(1700000000.123456);
    EXPECT_EQ(t.tv_sec, 1700000000);
    // A double holds ~16 significant digits: at 1.7e9 s that is ~0.2 us.
    EXPECT_NEAR(static_cast<double>(t.tv_nsec), 123'456'000.0, 500.0);
}

TEST(TimeSpec, FromSecondsRoundTrip) {
    for (double s : {0.001, 0.5, 1.25, 59.999, 86400.0, -3.75, 1234.000001}) {
        const TimeSpec t = TimeSpec::from_seconds(s);
        EXPECT_GE(t.tv_nsec, 0);
        EXPECT_LT(t.tv_nsec, 1'000'000'000);
        EXPECT_NEAR(t.seconds(), s, 1e-9) << s;
    }
}

}  // namespace
