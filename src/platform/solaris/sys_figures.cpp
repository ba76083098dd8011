// System figures on Solaris/illumos, built for Solaris only (libkstat,
// swapctl(2)); the decoders are sys_parse.cpp, unit tested on Linux. This
// file has been compiled against illumos headers (tests/cross/
// check_solaris.sh) and never run: see docs/solaris.md.
//
// - cpu_times: the "cpu:N:sys" kstats (kstat(3KSTAT), one per CPU the
//   kernel has a cpu_t for), clock ticks by sysconf(_SC_CLK_TCK).
// - memory: sysconf(3C) _SC_PHYS_PAGES and _SC_AVPHYS_PAGES (freemem).
// - swap: swapctl(2) SC_LIST, as swap -l; pages swapped in and out from
//   the "cpu:N:vm" kstats pgswapin, pgswapout.
// Pressure stall information and cgroups are Linux facilities.
#include <kstat.h>
#include <sys/param.h>
#include <sys/swap.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/backend_system.hpp"
#include "platform/solaris/context.hpp"
#include "platform/solaris/sys_parse.hpp"

namespace psi::backend {

namespace {

namespace ss = solaris_sys;

struct KstatCloser {
    void operator()(kstat_ctl_t* kc) const noexcept { kstat_close(kc); }
};
using KstatCtl = std::unique_ptr<kstat_ctl_t, KstatCloser>;

// The numeric values of a named kstat, read now. false when it cannot be
// read (a CPU going offline meanwhile: its kstat is skipped).
bool read_named(kstat_ctl_t* kc, kstat_t* ks, ss::KstatValues& out) {
    if (ks->ks_type != KSTAT_TYPE_NAMED || kstat_read(kc, ks, nullptr) == -1 || !ks->ks_data) return false;
    const auto* kn = static_cast<const kstat_named_t*>(ks->ks_data);
    for (uint_t i = 0; i < ks->ks_ndata; ++i) {
        const kstat_named_t& n = kn[i];
        std::string name(n.name, strnlen(n.name, KSTAT_STRLEN));
        switch (n.data_type) {
            case KSTAT_DATA_INT32:
                if (n.value.i32 >= 0) out[name] = static_cast<std::uint64_t>(n.value.i32);
                break;
            case KSTAT_DATA_UINT32: out[name] = n.value.ui32; break;
            case KSTAT_DATA_INT64:
                if (n.value.i64 >= 0) out[name] = static_cast<std::uint64_t>(n.value.i64);
                break;
            case KSTAT_DATA_UINT64: out[name] = n.value.ui64; break;
            default: break;  // strings and chars: no counter
        }
    }
    return true;
}

// Calls f(instance, values) for each "cpu:N:<name>" kstat that reads.
template <class F>
std::error_code each_cpu(const char* name, F&& f) {
    KstatCtl kc(kstat_open());
    if (!kc) return make_error_code(errc::os_error);
    for (kstat_t* ks = kc->kc_chain; ks; ks = ks->ks_next) {
        if (std::strcmp(ks->ks_module, "cpu") != 0 || std::strcmp(ks->ks_name, name) != 0) continue;
        ss::KstatValues v;
        if (read_named(kc.get(), ks, v)) f(ks->ks_instance, v);
    }
    return {};
}

}  // namespace

std::error_code cpu_times(Context& ctx, bool percpu, std::vector<CpuTimes>& out) {
    std::vector<CpuTimes> cpus;
    if (auto ec = each_cpu("sys", [&](int cpu, const ss::KstatValues& v) {
            if (auto t = ss::cpu_times_from_sys(v, cpu, ctx.clk_tck)) cpus.push_back(*t);
        }))
        return ec;
    if (cpus.empty()) return make_error_code(errc::attr_not_available);
    std::sort(cpus.begin(), cpus.end(), [](const CpuTimes& a, const CpuTimes& b) { return a.cpu < b.cpu; });
    if (percpu) out = std::move(cpus);
    else out.assign(1, ss::sum_cpu_times(cpus));
    return {};
}

std::error_code memory(Context& ctx, MemoryInfo& out) {
    const long phys = ::sysconf(_SC_PHYS_PAGES), avail = ::sysconf(_SC_AVPHYS_PAGES);
    if (phys <= 0 || avail < 0 || ctx.page_size <= 0) return make_error_code(errc::os_error);
    out = ss::memory_from_pages(static_cast<std::uint64_t>(phys), static_cast<std::uint64_t>(avail),
                                static_cast<std::uint64_t>(ctx.page_size));
    return {};
}

namespace {

// swapctl(SC_LIST): a swaptbl_t of n entries, each with a path buffer of
// its own (the kernel copies each device's path there). Retried when a
// device was added between SC_GETNSWP and SC_LIST (ENOMEM).
std::error_code swap_devices(std::vector<ss::SwapDevice>& out) {
    for (int attempt = 0; attempt < 4; ++attempt) {
        const int n = ::swapctl(SC_GETNSWP, nullptr);
        if (n < 0) return make_error_code(errc::os_error);
        out.clear();
        if (n == 0) return {};
        // swaptbl_t ends with swt_ent[1]: room for n entries, 8-byte aligned.
        const std::size_t bytes = sizeof(swaptbl_t) + static_cast<std::size_t>(n) * sizeof(swapent_t);
        std::vector<std::uint64_t> buf((bytes + 7) / 8);
        auto* tbl = reinterpret_cast<swaptbl_t*>(buf.data());
        std::vector<char> paths(static_cast<std::size_t>(n) * MAXPATHLEN);
        tbl->swt_n = n;
        swapent_t* ent = tbl->swt_ent;
        for (int i = 0; i < n; ++i) ent[i].ste_path = paths.data() + static_cast<std::size_t>(i) * MAXPATHLEN;
        const int got = ::swapctl(SC_LIST, tbl);
        if (got < 0) {
            if (errno == ENOMEM) continue;
            return make_error_code(errc::os_error);
        }
        for (int i = 0; i < std::min(got, n); ++i) {
            if (ent[i].ste_pages < 0 || ent[i].ste_free < 0) continue;
            out.push_back({static_cast<std::uint64_t>(ent[i].ste_pages), static_cast<std::uint64_t>(ent[i].ste_free)});
        }
        return {};
    }
    return make_error_code(errc::attr_not_available);  // the device list kept changing
}

}  // namespace

std::error_code swap(Context& ctx, SwapInfo& out) {
    std::vector<ss::SwapDevice> devices;
    if (auto ec = swap_devices(devices)) return ec;
    std::uint64_t in = 0, outp = 0;
    bool any = false;
    if (auto ec = each_cpu("vm", [&](int, const ss::KstatValues& v) {
            auto i = v.find("pgswapin"), o = v.find("pgswapout");
            if (i == v.end() || o == v.end()) return;
            any = true;
            in += i->second;
            outp += o->second;
        }))
        return ec;
    // Without the counters sin/sout would be made-up zeros.
    if (!any || ctx.page_size <= 0) return make_error_code(errc::attr_not_available);
    out = ss::swap_from(devices, static_cast<std::uint64_t>(ctx.page_size), in, outp);
    return {};
}

std::error_code pressure(Context&, Pressure&) { return make_error_code(errc::attr_not_implemented); }
std::error_code cgroup_limits(Context&, const std::string&, CgroupLimits&) {
    return make_error_code(errc::attr_not_implemented);
}
// Processor sets and pset_bind(2) could narrow this; not read: 0 lets the
// core use the online CPU count.
int affinity_cpu_count(Context&) { return 0; }

}  // namespace psi::backend
