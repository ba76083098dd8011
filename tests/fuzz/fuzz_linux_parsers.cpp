// libFuzzer target for every Linux /proc text parser. The first byte picks
// the parser so one corpus covers them all; the rest is the file content.
// Build and run: bash tests/fuzz/run_smoke.sh (clang, -DPSI_BUILD_FUZZERS=ON).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/linux/parse.hpp"

namespace lp = psi::linux_proc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 10) {
        case 0: {
            auto st = lp::parse_stat(text);
            // The name must lie inside the input: it is a view into it.
            if (st && !st->comm.empty() &&
                (st->comm.data() < text.data() || st->comm.data() + st->comm.size() > text.data() + text.size()))
                __builtin_trap();
            break;
        }
        case 1: (void)lp::parse_statm_resident(text); (void)lp::parse_wchan(text); break;
        case 2: (void)lp::parse_status(text); break;
        case 3: {
            auto args = lp::split_cmdline(text);
            std::size_t total = 0;
            for (auto& a : args) total += a.size();
            if (total > text.size()) __builtin_trap();
            break;
        }
        case 4: (void)lp::split_environ(text); break;
        case 5: (void)lp::parse_loadavg(text); break;
        case 6: (void)lp::parse_statm_resident(text); (void)lp::tty_path_from_dev(size); break;
        case 7: {
            for (auto& m : lp::parse_mounts(text)) (void)lp::is_remote_mount(m.fstype);
            break;
        }
        case 8: {
            auto drivers = lp::parse_tty_drivers(text);
            for (std::uint64_t dev : {0x8800ull, 0x401ull, 0x440ull, 0x501ull, 0x12345ull})
                (void)lp::tty_path_from_drivers(dev, drivers);
            break;
        }
        case 9: (void)lp::strip_deleted_suffix(text); break;
    }
    return 0;
}
