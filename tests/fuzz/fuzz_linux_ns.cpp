// libFuzzer target for parse_ns.cpp (w-ns): the /proc/PID/ns/* link
// targets. The first byte picks the entry name; the rest is the target.
// Checked beyond "no crash": an accepted target is exactly
// "TYPE:[decimal]" and its number prints back to the same digits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/linux/parse_ns.hpp"

namespace lp = psi::linux_proc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr std::string_view kNames[] = {"ipc",  "mnt",  "net", "pid", "pid_for_children", "time",
                                                  "time_for_children", "user", "uts", "cgroup", ""};
    const std::string_view name = kNames[data[0] % std::size(kNames)];
    const std::string_view link(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::string_view type = lp::ns_link_type(name);
    if (type.size() > name.size()) __builtin_trap();
    if (auto inode = lp::parse_ns_link(link, type)) {
        // Leading zeros are accepted, so compare the value, not the text.
        const std::string back = std::string(type) + ":[" + std::to_string(*inode) + "]";
        if (lp::parse_ns_link(back, type) != inode) __builtin_trap();
        if (link.size() < back.size()) __builtin_trap();
    }
    return 0;
}
