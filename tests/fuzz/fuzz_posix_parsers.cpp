// libFuzzer target for the OS-free helpers all backends share
// (src/platform/posix/parse.cpp): a uname release and a mount device as a
// crafted proc root, mnttab or statfs could hold them.
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/posix/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    // Every number comes from at least one digit of the input, and none is
    // negative (they saturate, never wrap).
    const auto numbers = psi::posix::release_numbers(text);
    if (numbers.size() > text.size()) __builtin_trap();
    for (int n : numbers) {
        if (n < 0) __builtin_trap();
    }
    if (auto v = psi::posix::decimal_value(text); v && *v < 0) __builtin_trap();
    // The host is a piece of the device, and never holds the user part.
    const std::string host = psi::posix::mount_host(text);
    if (host.size() > text.size()) __builtin_trap();
    if (!host.empty() && text.find(host) == std::string_view::npos) __builtin_trap();
    if (host.find('@') != std::string::npos) __builtin_trap();
    return 0;
}
