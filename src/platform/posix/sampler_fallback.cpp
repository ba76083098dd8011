// psi::Sampler on platforms without re-readable per-process files kept open
// (macOS: proc_pidinfo has no handle to keep; Solaris: /proc/PID/psinfo
// could be pread too, but that backend is compiled, never run, so it keeps
// the simple path): every sample reads each row afresh.
#include "core/backend_sampler.hpp"

namespace psi::backend {

struct SamplerState {};

void SamplerStateDeleter::operator()(SamplerState* s) const noexcept { delete s; }

SamplerStatePtr sampler_open(Context&, bool) { return SamplerStatePtr(new SamplerState); }

void sampler_begin(SamplerState&, Context&, const std::vector<int>&) {}

std::error_code sampler_read(SamplerState&, Context& ctx, std::size_t, int pid, ProcessInfo& out) {
    // A fresh read of the identity record and the stat group, as System
    // does (without its re-check: a sample that meets a gone process drops
    // the row).
    // A reused row starts clean: read_groups need not write every stat
    // attribute on every platform (backend_sampler.hpp's contract).
    out = ProcessInfo();
    Identity id;
    if (std::error_code ec = identify(ctx, pid, nullptr, id)) return ec;
    if (read_groups(ctx, pid, Group::stat, id, out)) return make_error_code(errc::no_such_process);
    out.pid = pid;
    out.start_ticks = id.start_ticks;
    out.is_kernel_thread = id.kind.kernel_thread;
    out.groups_read |= Group::stat;
    return {};
}

std::size_t sampler_handles(const SamplerState&) noexcept { return 0; }

}  // namespace psi::backend
