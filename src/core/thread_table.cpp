// System::thread_table: every thread of every process, composed from the
// public pids() and threads() (its own file, like family.cpp: it needs
// nothing of the facade's internals, and it keeps system.cpp's hot table
// code as the compiler laid it out before).
#include <iterator>
#include <system_error>
#include <utility>
#include <vector>

#include "psi/system.hpp"

namespace psi {

std::vector<ProcessInfo> System::thread_table(Groups groups, std::error_code& ec) {
    std::vector<ProcessInfo> out;
    const std::vector<int> all = pids(ec);
    if (ec) return out;
    for (int pid : all) {
        std::vector<ProcessInfo> rows = threads(pid, groups, ec);
        // Only the backend's own refusal speaks for every process; anything
        // else concerns this one (gone, denied, a task-less zombie) and
        // leaves it out, as table() leaves out a process that exits.
        if (ec == errc::attr_not_implemented || ec == errc::proc_root_unusable) return {};
        ec.clear();
        std::move(rows.begin(), rows.end(), std::back_inserter(out));
    }
    return out;
}

std::vector<ProcessInfo> System::thread_table(Groups groups) {
    std::error_code ec;
    std::vector<ProcessInfo> out = thread_table(groups, ec);
    // std::system_error appends ": " + ec.message() itself.
    if (ec) throw Error(ec, "threads");
    return out;
}

}  // namespace psi
