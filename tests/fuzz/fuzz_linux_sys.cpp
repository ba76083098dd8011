// libFuzzer target for the decoders of the Linux system figures
// (src/platform/linux/sys_parse.cpp) and the pure arithmetic on their
// results (cpu_percent, CpuMax::cpus). The first byte picks the decoder;
// the rest is the file content. Checked beyond "no crash": the invariants
// each result promises.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/linux/sys_parse.hpp"

namespace ls = psi::linux_sys;

namespace {

void check_percent(const psi::CpuPercent& p) {
    for (double v : {p.busy, p.user, p.nice, p.system, p.idle, p.iowait, p.irq, p.softirq, p.steal, p.guest,
                     p.guest_nice})
        if (!(v >= 0 && v <= 100)) __builtin_trap();  // also catches NaN
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 6) {
        case 0: {
            auto all = ls::parse_stat_cpus(text, false);
            auto per = ls::parse_stat_cpus(text, true);
            if (all.size() > 1) __builtin_trap();
            for (const auto& t : per)
                if (t.cpu < 0) __builtin_trap();
            // Any two decoded rows, as two samples: shares stay in 0..100.
            if (!per.empty()) {
                auto a = ls::cpu_times_from_ticks(per.front(), 100), b = ls::cpu_times_from_ticks(per.back(), 100);
                check_percent(psi::cpu_percent(a, b));
                check_percent(psi::cpu_percent(b, a));
            }
            break;
        }
        case 1: {
            auto m = ls::parse_meminfo(text);
            if (auto mem = ls::memory_from_meminfo(m)) {
                if (mem->used > mem->total || mem->available > mem->total) __builtin_trap();
            }
            if (auto sw = ls::swap_from_meminfo(m))
                if (sw->used > sw->total) __builtin_trap();
            break;
        }
        case 2: (void)ls::parse_vmstat_swap(text); break;
        case 3: {
            if (auto p = ls::parse_pressure(text)) {
                for (double v : {p->some.avg10, p->some.avg60, p->some.avg300})
                    if (!(v >= 0) || std::isinf(v)) __builtin_trap();
                if (p->some.total.tv_sec < 0) __builtin_trap();
            }
            break;
        }
        case 4: {
            (void)ls::parse_cgroup_v2_path(text);
            if (auto c = ls::parse_cpu_max(text)) {
                if (c->period == 0) __builtin_trap();
                if (c->quota && psi::CpuMax{*c->quota, c->period, "/"}.cpus() < 1) __builtin_trap();
            }
            bool no_limit = false;
            (void)ls::parse_cgroup_bytes(text, &no_limit);
            (void)ls::has_word(text, "cpu");
            break;
        }
        case 5: {
            (void)ls::find_cgroup2_mount(text);
            if (auto a = ls::cgroup_ancestors(text)) {
                if (a->empty() || a->back() != "/") __builtin_trap();
            }
            break;
        }
    }
    return 0;
}
