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
    return read_process(ctx, pid, Group::stat, out, nullptr);
}

std::size_t sampler_handles(const SamplerState&) noexcept { return 0; }

}  // namespace psi::backend
