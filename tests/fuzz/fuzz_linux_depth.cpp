// libFuzzer target for issue 12's Linux parsers (src/platform/linux/
// parse_{io,status_ext,smaps,cgroup,limits}.cpp). The first byte picks the
// parser; the rest is the file content. Checked beyond "no crash": the
// bounds and invariants each parser promises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/linux/parse_cgroup.hpp"
#include "platform/linux/parse_io.hpp"
#include "platform/linux/parse_limits.hpp"
#include "platform/linux/parse_smaps.hpp"
#include "platform/linux/parse_status_ext.hpp"

namespace lp = psi::linux_proc;

namespace {

// A view the parser returned must lie inside the input.
void inside(std::string_view v, std::string_view text) {
    if (v.empty()) return;
    if (v.data() < text.data() || v.data() + v.size() > text.data() + text.size()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 7) {
        case 0: (void)lp::parse_io(text); break;
        case 1: {
            auto fi = lp::parse_fdinfo(text);
            if (fi.mnt_id && *fi.mnt_id < 0) __builtin_trap();
            if (fi.flags) (void)lp::fd_mode_from_flags(*fi.flags);
            break;
        }
        case 2: {
            auto st = lp::parse_status_ext(text);
            if (st.groups && st.groups->size() > lp::kMaxGroups) __builtin_trap();
            if (st.ns_pid && (*st.ns_pid < 0 || st.ns_depth < 1)) __builtin_trap();
            if (st.cpus_allowed_list) {
                inside(*st.cpus_allowed_list, text);
                (void)lp::parse_cpu_list(*st.cpus_allowed_list);
            }
            break;
        }
        case 3: {
            auto cpus = lp::parse_cpu_list(text);
            if (cpus) {
                if (cpus->size() > lp::kMaxCpuListEntries) __builtin_trap();
                for (std::size_t i = 1; i < cpus->size(); ++i)
                    if ((*cpus)[i] <= (*cpus)[i - 1]) __builtin_trap();  // strictly ascending
                if (!cpus->empty() && cpus->front() < 0) __builtin_trap();
            }
            auto ex = lp::parse_stat_extra(text);
            if (ex && (ex->fields < 3 || ex->fields > 27)) __builtin_trap();
            break;
        }
        case 4: {
            auto s = lp::parse_smaps_rollup(text);
            if (s.uss() && s.uss_procps() && *s.uss() < *s.uss_procps()) __builtin_trap();
            break;
        }
        case 5: {
            auto info = lp::parse_cgroup(text);
            if (info.v1.size() > lp::kMaxCgroupLines) __builtin_trap();
            if (info.unified) inside(*info.unified, text);
            for (const auto& h : info.v1) {
                inside(h.controllers, text);
                inside(h.path, text);
            }
            auto c = lp::detect_container(info);
            inside(c.id, text);
            if ((c.runtime == lp::ContainerRuntime::none) != (c.id.empty() && c.pod_uid.empty())) __builtin_trap();
            if (!c.pod_uid.empty() && c.pod_uid.size() != 32 && c.pod_uid.size() != 36) __builtin_trap();
            // The whole input as one path, too.
            auto whole = lp::detect_container(text);
            inside(whole.id, text);
            if (auto lxc = lp::procps_lxc_name(text)) {
                inside(*lxc, text);
                if (lxc->find('/') != std::string_view::npos || lxc->find('\n') != std::string_view::npos)
                    __builtin_trap();
            }
            break;
        }
        case 6: {
            auto l = lp::parse_limits(text);
            (void)l;
            break;
        }
    }
    return 0;
}
