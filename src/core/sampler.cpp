// psi::Sampler (system.hpp): successive stat-group tables for monitors. The
// core lists and orders the pids and stamps each row; the backend keeps
// whatever makes a re-read cheap (core/backend_sampler.hpp).
#include <algorithm>
#include <array>
#include <chrono>
#include <new>
#include <utility>

#include "core/backend.hpp"
#include "core/backend_sampler.hpp"
#include "psi/system.hpp"

namespace psi {

struct Sampler::Impl {
    Options options;
    backend::ContextPtr ctx;
    backend::SamplerStatePtr state;
    std::vector<int> pids;
    // The storage of the last tables returned, to know a recycled one (a
    // monitor keeps two tables; four leaves room). Only compared, never
    // dereferenced.
    std::array<const ProcessInfo*, 4> issued{};
    std::size_t next_issued = 0;
};

Sampler::Sampler(Options options, bool raise_fd_limit, std::error_code& ec) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->ctx = backend::open(impl_->options, ec);
    if (impl_->ctx) impl_->state = backend::sampler_open(*impl_->ctx, raise_fd_limit);
}

Sampler::Sampler(Options options, bool raise_fd_limit) {
    std::error_code ec;
    *this = Sampler(std::move(options), raise_fd_limit, ec);
    if (ec) throw Error(ec, "proc root '" + impl_->options.proc_root + "'");
}

Sampler::~Sampler() = default;
Sampler::Sampler(Sampler&&) noexcept = default;
Sampler& Sampler::operator=(Sampler&&) noexcept = default;

namespace {

// The wall instant of a row, from its monotonic one and the table's pair:
// one clock read per row instead of two (each read is a vDSO call, ~0.1 us
// on a VM: a few per cent of a re-read). They differ from a separate
// CLOCK_REALTIME read only if the wall clock was stepped or slewed during
// the sample, which lasts milliseconds; intervals use the monotonic clock.
TimeSpec wall_at(const Instant& listed, std::chrono::steady_clock::time_point mono) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mono - listed.monotonic).count();
    return listed.wall + TimeSpec(ns / 1'000'000'000, ns % 1'000'000'000);
}

}  // namespace

ProcessTable Sampler::sample(std::error_code& ec) { return sample(ProcessTable(), ec); }

ProcessTable Sampler::sample(ProcessTable&& recycle, std::error_code& ec) {
    ec.clear();
    if (!impl_->ctx || !impl_->state) { ec = make_error_code(errc::proc_root_unusable); return {}; }
    auto& pids = impl_->pids;
    pids.clear();
    const Instant listed = Instant::now();
    backend::list_pids(*impl_->ctx, pids, ec);
    if (ec) return {};
    std::sort(pids.begin(), pids.end());
    backend::sampler_begin(*impl_->state, *impl_->ctx, pids);

    // Rows are reused only from a vector this sampler handed out, and only
    // when they hold nothing but what a sample writes: the identity, the
    // stat group (fill_stat sets or fails every one of its attributes) and
    // read_at. Anything else is reset, so the result is sample()'s.
    std::vector<ProcessInfo> procs = std::move(recycle).release();
    const bool ours = !procs.empty() && std::find(impl_->issued.begin(), impl_->issued.end(), procs.data()) !=
                                            impl_->issued.end();
    if (procs.size() > pids.size()) procs.resize(pids.size());
    for (ProcessInfo& p : procs)
        if (!ours || p.groups_read != Groups(Group::stat)) p = ProcessInfo();
    procs.resize(pids.size());

    std::size_t kept = 0;
    for (std::size_t i = 0; i < pids.size(); ++i) {
        ProcessInfo& p = procs[kept];
        // As System::table: one process that exits (or cannot be allocated
        // for) is left out, never fails the sample. A failed read writes
        // nothing into the row (sampler_read), which the next process takes.
        try {
            const auto at = std::chrono::steady_clock::now();
            if (backend::sampler_read(*impl_->state, *impl_->ctx, i, pids[i], p)) continue;
            p.read_at.monotonic = at;
            p.read_at.wall = wall_at(listed, at);
            ++kept;
        } catch (const std::bad_alloc&) {
            p = ProcessInfo();
        }
    }
    procs.resize(kept);
    if (!procs.empty()) {
        impl_->issued[impl_->next_issued] = procs.data();
        impl_->next_issued = (impl_->next_issued + 1) % impl_->issued.size();
    }
    return ProcessTable(std::move(procs), listed);
}

ProcessTable Sampler::sample() {
    std::error_code ec;
    ProcessTable t = sample(ec);
    if (ec) throw Error(ec, "process sample");
    return t;
}

ProcessTable Sampler::sample(ProcessTable&& recycle) {
    std::error_code ec;
    ProcessTable t = sample(std::move(recycle), ec);
    if (ec) throw Error(ec, "process sample");
    return t;
}

std::size_t Sampler::open_handles() const {
    return impl_->state ? backend::sampler_handles(*impl_->state) : 0;
}

}  // namespace psi
