// Parent and children of a process (psi/family.hpp): the pid-reuse guards
// live here once, for the C++ API, the Python bindings and anyone else.
#include "psi/family.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace psi {

std::optional<ProcessInfo> parent(System& sys, const ProcessInfo& child, Groups groups, std::error_code& ec) {
    ec.clear();
    const Attr<int>* ppid = &child.ppid;
    ProcessInfo reread;
    if (ppid->status() == AttrStatus::not_read) {
        // read_more checks the snapshot still describes a live process.
        reread = child;
        sys.read_more(reread, Group::stat, ec);
        if (ec) return std::nullopt;
        ppid = &reread.ppid;
    }
    const int* pp = ppid->get();
    // ppid 0: init, kernel threads' roots (kthreadd), macOS launchd's and
    // Solaris sched's parent. None has a parent process to read.
    if (!pp || *pp <= 0) return std::nullopt;
    ProcessInfo candidate = sys.process(*pp, groups | Group::stat, ec);
    if (ec == errc::no_such_process || ec == errc::invalid_argument) {
        ec.clear();
        return std::nullopt;
    }
    if (ec) return std::nullopt;
    // A parent cannot start after its child: one that did took the pid
    // after the real parent exited (the child was reparented meanwhile,
    // which this snapshot of it does not show).
    if (candidate.start_ticks > child.start_ticks) return std::nullopt;
    return candidate;
}

std::optional<ProcessInfo> parent(System& sys, const ProcessInfo& child, Groups groups) {
    std::error_code ec;
    std::optional<ProcessInfo> p = parent(sys, child, groups, ec);
    if (ec) throw Error(ec, "pid " + std::to_string(child.pid) + ": parent");
    return p;
}

std::vector<ProcessInfo> children(System& sys, const ProcessInfo& proc, Groups groups, bool recursive,
                                  std::error_code& ec) {
    ec.clear();
    std::vector<ProcessInfo> all = sys.table(groups | Group::stat, ec).release();
    if (ec) return {};
    // The table is sorted by pid: is proc in it, and still the same process?
    auto self = std::lower_bound(all.begin(), all.end(), proc.pid,
                                 [](const ProcessInfo& p, int pid) { return p.pid < pid; });
    const bool listed = self != all.end() && self->pid == proc.pid;
    if ((listed && self->start_ticks != proc.start_ticks) || (!listed && !sys.exists(proc))) {
        ec = make_error_code(errc::no_such_process);
        return {};
    }

    // (ppid, index) pairs sorted by ppid: the children of any pid are one
    // equal range, so a whole subtree costs one sort of the table.
    std::vector<std::pair<int, std::size_t>> by_ppid;
    by_ppid.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (const int* pp = all[i].ppid.get(); pp && all[i].pid != proc.pid) by_ppid.emplace_back(*pp, i);
    }
    std::sort(by_ppid.begin(), by_ppid.end());

    std::vector<bool> taken(all.size(), false);
    std::vector<std::size_t> found;
    // Parents whose children are still to be collected: (pid, start ticks).
    std::vector<std::pair<int, std::uint64_t>> pending{{proc.pid, proc.start_ticks}};
    while (!pending.empty()) {
        const auto [pid, ticks] = pending.back();
        pending.pop_back();
        auto range = std::equal_range(by_ppid.begin(), by_ppid.end(), std::pair<int, std::size_t>{pid, 0},
                                      [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto it = range.first; it != range.second; ++it) {
            const std::size_t i = it->second;
            // Visited once: a cycle of ppids (only a damaged or crafted proc
            // tree has one) ends here. A child older than its parent belongs
            // to an earlier process that had the parent's pid.
            if (taken[i] || all[i].start_ticks < ticks) continue;
            taken[i] = true;
            found.push_back(i);
            if (recursive) pending.emplace_back(all[i].pid, all[i].start_ticks);
        }
    }
    std::sort(found.begin(), found.end());
    std::vector<ProcessInfo> out;
    out.reserve(found.size());
    for (std::size_t i : found) out.push_back(std::move(all[i]));
    return out;
}

std::vector<ProcessInfo> children(System& sys, const ProcessInfo& proc, Groups groups, bool recursive) {
    std::error_code ec;
    std::vector<ProcessInfo> out = children(sys, proc, groups, recursive, ec);
    if (ec) throw Error(ec, "pid " + std::to_string(proc.pid) + ": children");
    return out;
}

}  // namespace psi
