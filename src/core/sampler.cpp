// psi::Sampler (system.hpp): successive stat-group tables for monitors. The
// core lists and orders the pids and stamps each row; the backend keeps
// whatever makes a re-read cheap (core/backend_sampler.hpp).
#include <algorithm>
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

ProcessTable Sampler::sample(std::error_code& ec) {
    ec.clear();
    if (!impl_->ctx || !impl_->state) { ec = make_error_code(errc::proc_root_unusable); return {}; }
    auto& pids = impl_->pids;
    pids.clear();
    const Instant listed = Instant::now();
    backend::list_pids(*impl_->ctx, pids, ec);
    if (ec) return {};
    std::sort(pids.begin(), pids.end());
    backend::sampler_begin(*impl_->state, *impl_->ctx, pids);
    std::vector<ProcessInfo> procs(pids.size());
    std::size_t kept = 0;
    for (std::size_t i = 0; i < pids.size(); ++i) {
        ProcessInfo& p = procs[kept];
        // As System::table: one process that exits (or cannot be allocated
        // for) is left out, never fails the sample.
        try {
            const Instant at = Instant::now();
            if (backend::sampler_read(*impl_->state, *impl_->ctx, i, pids[i], p)) {
                p = ProcessInfo();
                continue;
            }
            p.read_at = at;
            ++kept;
        } catch (const std::bad_alloc&) {
            p = ProcessInfo();
        }
    }
    procs.resize(kept);
    return ProcessTable(std::move(procs), listed);
}

ProcessTable Sampler::sample() {
    std::error_code ec;
    ProcessTable t = sample(ec);
    if (ec) throw Error(ec, "process sample");
    return t;
}

std::size_t Sampler::open_handles() const {
    return impl_->state ? backend::sampler_handles(*impl_->state) : 0;
}

}  // namespace psi
