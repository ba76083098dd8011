// System figures on Solaris/illumos: none yet (attr_not_implemented).
//
// CPU times would come from kstat cpu:N:sys (cpu_ticks_user, _kernel,
// _idle, _wait) and swap from swapctl(2) SC_AINFO / anoninfo: both need
// libkstat or interfaces whose exact accounting (swap -s versus swap -l)
// we cannot check on a machine that has never run this backend. An
// unchecked figure would be worse than none. Pressure stall information
// and cgroups are Linux facilities.
#include "core/backend_system.hpp"
#include "platform/solaris/context.hpp"

namespace psi::backend {

std::error_code cpu_times(Context&, bool, std::vector<CpuTimes>&) { return make_error_code(errc::attr_not_implemented); }
std::error_code memory(Context&, MemoryInfo&) { return make_error_code(errc::attr_not_implemented); }
std::error_code swap(Context&, SwapInfo&) { return make_error_code(errc::attr_not_implemented); }
std::error_code pressure(Context&, Pressure&) { return make_error_code(errc::attr_not_implemented); }
std::error_code cgroup_limits(Context&, const std::string&, CgroupLimits&) {
    return make_error_code(errc::attr_not_implemented);
}
// Processor sets and pset_bind(2) could narrow this; not read: 0 lets the
// core use the online CPU count.
int affinity_cpu_count(Context&) { return 0; }

}  // namespace psi::backend
