// argv / envp read from a target's address space (/proc/PID/as) for both
// data models: pointers are 4 bytes in an ILP32 process and 8 in an LP64 one
// (pr_dmodel), whatever the reader's own model. The image is written here
// at absolute target addresses, independently of the decoder.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "platform/solaris/parse.hpp"

namespace sp = psi::solaris_proc;

namespace {
constexpr int kIlp32 = 1;  // PR_MODEL_ILP32, <sys/procfs_isa.h>
constexpr int kLp64 = 2;   // PR_MODEL_LP64
}  // namespace

namespace {

// Bytes mapped at `base`, written at absolute target addresses; pointers
// are 4 bytes for PR_MODEL_ILP32 and 8 for PR_MODEL_LP64.
struct Image {
    std::uint64_t base;
    int model;
    std::string bytes;
    Image(std::uint64_t b, int m, std::size_t n) : base(b), model(m), bytes(n, '\x5a') {}
    void ptr(std::uint64_t at, std::uint64_t v) {
        auto off = at - base;
        if (model == kIlp32) {
            auto v32 = static_cast<std::uint32_t>(v);
            std::memcpy(bytes.data() + off, &v32, 4);
        } else {
            std::memcpy(bytes.data() + off, &v, 8);
        }
    }
    std::uint64_t str(std::uint64_t at, const std::string& s, bool nul = true) {
        std::memcpy(bytes.data() + (at - base), s.data(), s.size());
        if (nul) bytes[at - base + s.size()] = '\0';
        return at;
    }
    std::uint64_t psize() const { return model == kIlp32 ? 4 : 8; }
};

struct ModelCase {
    int model;
    std::uint64_t base;
};

class SolarisAs : public ::testing::TestWithParam<ModelCase> {
protected:
    // argv {"/usr/bin/prog", "-x", <a 300-byte arg across a page boundary>}
    // NULL, then envp {"HOME=/root", "TERM=xterm"} NULL, as exec lays them out.
    Image make() {
        Image im(GetParam().base, GetParam().model, 3 * 4096);
        const std::uint64_t b = im.base, p = im.psize();
        argv = b + 0x100;
        envp = argv + 4 * p;
        im.ptr(argv, im.str(b + 0x800, "/usr/bin/prog"));
        im.ptr(argv + p, im.str(b + 0x820, "-x"));
        im.ptr(argv + 2 * p, im.str(b + 4096 - 100, std::string(300, 'L')));
        im.ptr(argv + 3 * p, 0);
        im.ptr(envp, im.str(b + 0x1400, "HOME=/root"));
        im.ptr(envp + p, im.str(b + 0x1420, "TERM=xterm"));
        im.ptr(envp + 2 * p, 0);
        return im;
    }
    std::uint64_t argv = 0, envp = 0;
};

}  // namespace

TEST_P(SolarisAs, ReadsArgvAndEnv) {
    Image im = make();
    sp::ImageAddressSpace as(im.base, im.bytes);
    auto a = sp::read_string_vector(as, argv, im.model, 3);
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->complete);
    EXPECT_EQ(a->items, (std::vector<std::string>{"/usr/bin/prog", "-x", std::string(300, 'L')}));
    auto e = sp::read_string_vector(as, envp, im.model, std::nullopt);
    ASSERT_TRUE(e);
    EXPECT_TRUE(e->complete);
    EXPECT_EQ(e->items, (std::vector<std::string>{"HOME=/root", "TERM=xterm"}));
    // pr_argc 2 of 3, and pr_argc 5 with the NULL after three.
    EXPECT_EQ(sp::read_string_vector(as, argv, im.model, 2)->items.size(), 2u);
    EXPECT_EQ(sp::read_string_vector(as, argv, im.model, 5)->items.size(), 3u);
    EXPECT_TRUE(sp::read_string_vector(as, argv, im.model, 0)->items.empty());
}

TEST_P(SolarisAs, UnreadableStartsGiveNothing) {
    Image im = make();
    sp::ImageAddressSpace as(im.base, im.bytes);
    EXPECT_FALSE(sp::read_string_vector(as, 0, im.model, 3));
    EXPECT_FALSE(sp::read_string_vector(as, argv, 0, 3));  // PR_MODEL_UNKNOWN
    EXPECT_FALSE(sp::read_string_vector(as, im.base + im.bytes.size(), im.model, 3));
    EXPECT_FALSE(sp::read_string_vector(as, im.base - 4096, im.model, std::nullopt));
}

TEST_P(SolarisAs, BadPointersAndMissingNul) {
    Image im = make();
    const std::uint64_t p = im.psize(), end = im.base + im.bytes.size();
    im.ptr(argv + p, end + 64);  // argv[1] points outside every mapping
    // envp[1]: a string running into the end of the image with no NUL.
    im.ptr(envp + p, im.str(end - 6, "TAIL=x", false));
    sp::ImageAddressSpace as(im.base, im.bytes);
    auto a = sp::read_string_vector(as, argv, im.model, 3);
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->complete);
    EXPECT_EQ(a->items, (std::vector<std::string>{"/usr/bin/prog"}));
    auto e = sp::read_string_vector(as, envp, im.model, std::nullopt);
    ASSERT_TRUE(e);
    EXPECT_FALSE(e->complete);
    EXPECT_EQ(e->items, (std::vector<std::string>{"HOME=/root", "TAIL=x"}));
}

TEST_P(SolarisAs, ArrayRunningOffTheImageAndLimits) {
    Image im = make();
    const std::uint64_t p = im.psize(), end = im.base + im.bytes.size();
    // An envp array whose last slot is the image's last bytes, with no NULL.
    const std::uint64_t arr = end - 2 * p;
    im.ptr(arr, im.str(im.base + 0x1500, "A=1"));
    im.ptr(arr + p, im.str(im.base + 0x1510, "B=2"));
    sp::ImageAddressSpace as(im.base, im.bytes);
    auto e = sp::read_string_vector(as, arr, im.model, std::nullopt);
    ASSERT_TRUE(e);
    EXPECT_FALSE(e->complete);
    EXPECT_EQ(e->items, (std::vector<std::string>{"A=1", "B=2"}));
    sp::VectorLimits few;
    few.max_items = 1;
    auto one = sp::read_string_vector(as, envp, im.model, std::nullopt, few);
    EXPECT_FALSE(one->complete);
    EXPECT_EQ(one->items, (std::vector<std::string>{"HOME=/root"}));
    sp::VectorLimits small;
    small.max_bytes = 16;  // "/usr/bin/prog" (13) + "-x" (2) + 1 byte of the third
    auto cut = sp::read_string_vector(as, argv, im.model, 3, small);
    EXPECT_FALSE(cut->complete);
    EXPECT_EQ(cut->items, (std::vector<std::string>{"/usr/bin/prog", "-x", "L"}));
}

// Where exec puts the vectors: an ILP32 process's stack, and the top of a
// 64-bit stack on x86_64 (below 0xFFFFFD7FFFE00000) and on SPARC v9 (the
// image ends exactly at 0xFFFFFFFF80000000, USERLIMIT there).
INSTANTIATE_TEST_SUITE_P(Models, SolarisAs,
                         ::testing::Values(ModelCase{kIlp32, 0x08040000u}, ModelCase{kLp64, 0xfffffd7fffdf0000ULL},
                                           ModelCase{kLp64, 0xffffffff7fffd000ULL}),
                         [](const auto& c) {
                             return c.param.model == kIlp32 ? "ILP32" : c.param.base >> 40 == 0xfffffd ? "LP64_x86_64" : "LP64_sparcv9";
                         });

// The pread offset of an address in /proc/PID/as: the address's 64 bits.
// Addresses at or above 2^63 (every 64-bit stack) become negative offsets,
// which Solaris's /proc takes as they are; nothing is refused or clamped.
TEST(SolarisAsOffset, IsTheAddressBits) {
    static_assert(sp::as_file_offset(0x08047000) == 0x08047000);
    EXPECT_EQ(sp::as_file_offset(0), 0);
    EXPECT_EQ(sp::as_file_offset(0x7fffffffffffffffULL), INT64_MAX);
    EXPECT_EQ(sp::as_file_offset(0x8000000000000000ULL), INT64_MIN);
    EXPECT_EQ(sp::as_file_offset(0xfffffd7fffdffe00ULL), -0x0000028000200200LL);
    EXPECT_EQ(sp::as_file_offset(0xffffffff7ffffe00ULL), -0x0000000080000200LL);
    EXPECT_EQ(sp::as_file_offset(~std::uint64_t{0}), -1);
    for (std::uint64_t a : {0xfffffd7fffdffe00ULL, 0xffffffff7ffffe00ULL, 0x400100ULL}) {
        std::int64_t off = sp::as_file_offset(a);
        std::uint64_t back;
        std::memcpy(&back, &off, sizeof back);
        EXPECT_EQ(back, a);
    }
}
