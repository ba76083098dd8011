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
    std::vector<int> pids;                // the rows of the last sample, ascending
    std::vector<std::uint64_t> starts;    // their start ticks (resample's identity check)
    std::vector<int> next_pids;           // reused between samples
    std::vector<std::uint64_t> next_starts;
    bool sampled = false;                 // pids holds a sample's rows
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

// One sample. `list`: list /proc anew (sample()); otherwise re-read the
// rows of the last sample (resample()), dropping any whose start differs.
ProcessTable take(Sampler::Impl& impl, ProcessTable&& recycle, bool list, std::error_code& ec) {
    ec.clear();
    if (!impl.ctx || !impl.state) { ec = make_error_code(errc::proc_root_unusable); return {}; }
    auto& pids = impl.pids;
    const Instant listed = Instant::now();
    if (list || !impl.sampled) {
        list = true;
        pids.clear();
        backend::list_pids(*impl.ctx, pids, ec);
        if (ec) { impl.sampled = false; return {}; }
        std::sort(pids.begin(), pids.end());
        backend::sampler_begin(*impl.state, *impl.ctx, pids);
    }

    // A row holds the stat group and what a stat read fills as well (the
    // faults, Group::usage, on Linux and macOS), as System::table's rows.
    const Groups sampled = Groups(Group::stat) | backend::stat_includes(*impl.ctx);
    // Rows are reused only from a vector this sampler handed out, and only
    // when they hold nothing but what a sample writes: the identity, the
    // stat group (fill_stat sets or fails every one of its attributes) and
    // read_at. Anything else is reset, so the result is sample()'s.
    std::vector<ProcessInfo> procs = std::move(recycle).release();
    const bool ours = !procs.empty() && std::find(impl.issued.begin(), impl.issued.end(), procs.data()) !=
                                            impl.issued.end();
    if (procs.size() > pids.size()) procs.resize(pids.size());
    for (ProcessInfo& p : procs)
        if (!ours || p.groups_read != sampled) p = ProcessInfo();
    procs.resize(pids.size());

    auto& kept_pids = impl.next_pids;
    auto& kept_starts = impl.next_starts;
    kept_pids.clear();
    kept_starts.clear();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < pids.size(); ++i) {
        ProcessInfo& p = procs[kept];
        // As System::table: one process that exits (or cannot be allocated
        // for) is left out, never fails the sample. A failed read writes
        // nothing into the row (sampler_read), which the next process takes;
        // so does a success for another process under a reused pid, whose
        // every stat attribute the next success overwrites.
        try {
            const auto at = std::chrono::steady_clock::now();
            if (backend::sampler_read(*impl.state, *impl.ctx, i, pids[i], p)) continue;
            if (!list && p.start_ticks != impl.starts[i]) continue;
            p.groups_read |= sampled;
            p.read_at.monotonic = at;
            p.read_at.wall = wall_at(listed, at);
            kept_pids.push_back(pids[i]);
            kept_starts.push_back(p.start_ticks);
            ++kept;
        } catch (const std::bad_alloc&) {
            p = ProcessInfo();
        }
    }
    procs.resize(kept);
    // The backend's slot i belongs to pids[i]: when rows were left out,
    // realign it to the kept ones (closing the descriptors of the others),
    // so a resample() reads exactly this table's processes.
    if (kept != pids.size()) backend::sampler_begin(*impl.state, *impl.ctx, kept_pids);
    pids.swap(kept_pids);
    impl.starts.swap(kept_starts);
    impl.sampled = true;
    if (!procs.empty()) {
        impl.issued[impl.next_issued] = procs.data();
        impl.next_issued = (impl.next_issued + 1) % impl.issued.size();
    }
    return ProcessTable(std::move(procs), listed);
}

}  // namespace

ProcessTable Sampler::sample(std::error_code& ec) { return take(*impl_, ProcessTable(), true, ec); }

ProcessTable Sampler::sample(ProcessTable&& recycle, std::error_code& ec) {
    return take(*impl_, std::move(recycle), true, ec);
}

ProcessTable Sampler::resample(ProcessTable&& recycle, std::error_code& ec) {
    return take(*impl_, std::move(recycle), false, ec);
}

ProcessTable Sampler::resample(ProcessTable&& recycle) {
    std::error_code ec;
    ProcessTable t = resample(std::move(recycle), ec);
    if (ec) throw Error(ec, "process resample");
    return t;
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
