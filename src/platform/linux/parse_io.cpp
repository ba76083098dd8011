// /proc/PID/io and /proc/PID/fdinfo/N; see parse_io.hpp.
#include "platform/linux/parse_io.hpp"

#include "platform/linux/parse_depth_util.hpp"

namespace psi::linux_proc {

// Qualified, not a using-directive: the unity build (cmake/PsiFastBuild.cmake)
// puts parse.cpp, whose helpers share these names, in the same TU.
namespace dd = depth_detail;

IoCounters parse_io(std::string_view text) {
    IoCounters io;
    struct Key {
        std::string_view name;
        std::optional<std::uint64_t> IoCounters::*field;
    };
    // proc_pid_io_accounting (fs/proc/base.c) prints these, in this order.
    static constexpr Key keys[] = {
        {"rchar", &IoCounters::rchar},           {"wchar", &IoCounters::wchar},
        {"syscr", &IoCounters::syscr},           {"syscw", &IoCounters::syscw},
        {"read_bytes", &IoCounters::read_bytes}, {"write_bytes", &IoCounters::write_bytes},
        {"cancelled_write_bytes", &IoCounters::cancelled_write_bytes},
    };
    std::string_view line, key, rest;
    while (dd::next_line(text, line)) {
        if (!dd::split_key(line, key, rest)) continue;
        for (const auto& k : keys) {
            if (key != k.name) continue;
            // A repeated key (damaged file) keeps its first value.
            if (!(io.*k.field)) io.*k.field = dd::to_unsigned(dd::trim(rest));
            break;
        }
    }
    return io;
}

FdInfo parse_fdinfo(std::string_view text) {
    FdInfo fi;
    std::string_view line, key, rest;
    // seq_show (fs/proc/fd.c) prints pos, flags, mnt_id, ino first; the
    // file's own show_fdinfo lines follow and may contain any key, so only
    // the first occurrence of each of ours counts.
    while (dd::next_line(text, line)) {
        if (!dd::split_key(line, key, rest)) continue;
        std::string_view v = dd::trim(rest);
        if (key == "pos") {
            if (!fi.pos) fi.pos = dd::to_signed(v);
        } else if (key == "flags") {
            if (!fi.flags) fi.flags = dd::to_unsigned<std::uint32_t>(v, 8);
        } else if (key == "mnt_id") {
            if (!fi.mnt_id) {
                auto m = dd::to_signed(v);
                if (m && *m >= 0 && *m <= std::numeric_limits<int>::max()) fi.mnt_id = static_cast<int>(*m);
            }
        } else if (key == "ino") {
            if (!fi.ino) fi.ino = dd::to_unsigned(v);
        }
    }
    return fi;
}

const char* fd_mode_from_flags(std::uint32_t flags) {
    constexpr std::uint32_t kAccMode = 03, kWrOnly = 01, kRdWr = 02, kAppend = 02000;
    bool append = (flags & kAppend) != 0;
    switch (flags & kAccMode) {
        case 0: return "r";
        case kWrOnly: return append ? "a" : "w";
        case kRdWr: return append ? "a+" : "r+";
        default: return nullptr;
    }
}

}  // namespace psi::linux_proc
