// The system-facts half of the backend contract (the process half is
// backend_process.hpp): machine, load, clocks, mounts and the figures of
// psi/sysinfo.hpp. Implemented in src/platform/<os>/system_info.cpp and
// sys_figures.cpp, which a test of the process reader does not link.
#pragma once

#include <chrono>
#include <string>
#include <system_error>
#include <vector>

#include "core/backend_process.hpp"
#include "psi/system.hpp"

namespace psi::backend {

ArchInfo arch(Context& ctx);
// ArchInfo::pid_max; attr_not_available when it cannot be read.
std::error_code pid_max(Context& ctx, int& out);
std::error_code loadavg(Context& ctx, LoadAvg& out);
std::error_code boot_time(Context& ctx, TimeSpec& out);
std::error_code uptime(Context& ctx, TimeSpec& out);
// `slow_timeout`: what System::mounts' timeout says (a non-negative value).
std::error_code mounts(Context& ctx, bool include_remote, std::chrono::milliseconds slow_timeout,
                       std::vector<MountInfo>& out);

// System figures (psi/sysinfo.hpp). Unsupported on a platform:
// attr_not_implemented. cpu_times fills the sum over all CPUs (cpu -1),
// or one entry per online CPU with `percpu`.
std::error_code cpu_times(Context& ctx, bool percpu, std::vector<CpuTimes>& out);
std::error_code memory(Context& ctx, MemoryInfo& out);
std::error_code swap(Context& ctx, SwapInfo& out);
std::error_code pressure(Context& ctx, Pressure& out);
// `cgroup_root`: Options::cgroup_root ("" = find the cgroup2 mount).
std::error_code cgroup_limits(Context& ctx, const std::string& cgroup_root, CgroupLimits& out);
// CPUs in the calling process's affinity mask; 0 when unknown.
int affinity_cpu_count(Context& ctx);

}  // namespace psi::backend
