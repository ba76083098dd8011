// The backend half of psi::Sampler (system.hpp): re-reading the stat group
// of the processes of the previous sample cheaply. Linux keeps one
// descriptor per process (src/platform/linux/sampler.cpp); macOS and
// Solaris read each row afresh (src/platform/posix/sampler_fallback.cpp).
#pragma once

#include <cstddef>
#include <memory>
#include <system_error>
#include <vector>

#include "core/backend.hpp"

namespace psi::backend {

struct SamplerState;
struct SamplerStateDeleter {
    void operator()(SamplerState* s) const noexcept;
};
using SamplerStatePtr = std::unique_ptr<SamplerState, SamplerStateDeleter>;

SamplerStatePtr sampler_open(Context& ctx, bool raise_fd_limit);

// A new listing, ascending: handles of pids no longer listed are closed,
// and slot i of the state belongs to pids[i] until the next call.
void sampler_begin(SamplerState& s, Context& ctx, const std::vector<int>& pids);

// Reads the stat group of pids[index] (as read_process(ctx, pid,
// Group::stat, out, nullptr) would) into `out`; no_such_process when gone.
// `out` may be a row of an earlier sample, reused (Sampler::sample with a
// recycled table): a success writes the identity and every attribute of
// the stat group; a failure writes nothing that a later success into the
// same row would not overwrite.
std::error_code sampler_read(SamplerState& s, Context& ctx, std::size_t index, int pid, ProcessInfo& out);

std::size_t sampler_handles(const SamplerState& s) noexcept;

}  // namespace psi::backend
