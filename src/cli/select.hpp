// select.hpp - which processes a listing shows, and in which order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"

namespace psi_ps {

// The process selection of a Request. Kinds of selection are OR'ed, as in
// procps; without any, ps's POSIX default: the processes with our effective
// uid on our controlling terminal (or, like ours, on none).
class Selector {
public:
    Selector(const Request& r, std::uint32_t my_euid, std::uint64_t my_tty)
        : r_(r), my_euid_(my_euid), my_tty_(my_tty) {}
    // Groups the selection reads.
    psi::Groups needs() const;
    bool wants(const psi::ProcessInfo& p) const;
    // True when only -p lists were given: the listed pids can be read one by
    // one instead of reading the whole table.
    bool pids_only() const;

private:
    bool simple_accept(const psi::ProcessInfo& p) const;
    bool listed(const psi::ProcessInfo& p) const;
    bool name_listed(const psi::ProcessInfo& p) const;

    const Request& r_;
    std::uint32_t my_euid_;
    std::uint64_t my_tty_;
};

// Sorts rows by --sort keys; ties keep their order (pid order from the table).
void sort_rows(std::vector<const psi::ProcessInfo*>& rows, const std::vector<SortKey>& keys, const Env& env);

struct TreeRow {
    const psi::ProcessInfo* proc;
    std::uint32_t level;  // depth in the tree (0: a root)
    bool have_sibling;    // more children of the same parent follow
};

// The forest prefix of each row, ps style (one of ' ', '|', '+', 'L' per
// level), rebuilt incrementally from the rows of forest_rows() given in
// order: constant work and memory per row, whatever the depth (a stored
// prefix per row is quadratic in the depth of a chain).
class ForestPrefix {
public:
    // The prefix of `row`; valid until the next call.
    std::string_view next(const TreeRow& row);

private:
    std::string buf_;
    std::size_t pending_ = 0;  // level of the previous row
    char pending_mark_ = ' ';  // its mark for its descendants
};

// ps --forest / -H order (ps/display.c show_forest): rows sorted by ppid,
// then by the sort keys (start time by default); trees are walked from the
// last root to the first, children in sort order. With --forest, the
// children of pid 1 are not indented.
std::vector<TreeRow> forest_rows(std::vector<const psi::ProcessInfo*> rows, const std::vector<SortKey>& keys,
                                 char forest_type, const Env& env);

}  // namespace psi_ps
