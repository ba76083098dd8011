#include "select.hpp"

#include <algorithm>
#include <memory>

namespace psi_ps {

using psi::ProcessInfo;

namespace {

template <class T, class U>
bool contains(const std::vector<T>& v, const U& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

template <class T, class U>
bool attr_in(const psi::Attr<T>& a, const std::vector<U>& v) {
    const T* x = a.get();
    return x && contains(v, *x);
}

// Orders two cells: no value first, then numbers, then text (bytewise).
int compare(const Value& a, const Value& b) {
    using T = Value::Type;
    auto rank = [](const Value& v) { return v.type() == T::null ? 0 : (v.type() == T::integer || v.type() == T::real) ? 1 : 2; };
    int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb ? -1 : 1;
    if (ra == 0) return 0;
    if (ra == 1) {
        if (a.type() == T::integer && b.type() == T::integer)
            return a.integer() < b.integer() ? -1 : a.integer() > b.integer() ? 1 : 0;
        double x = a.type() == T::integer ? static_cast<double>(a.integer()) : a.real();
        double y = b.type() == T::integer ? static_cast<double>(b.integer()) : b.real();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    auto text = [](const Value& v, std::string& tmp) -> std::string_view {
        if (v.type() == T::text) return v.text();
        tmp.clear();
        for (const std::string& s : v.list()) {
            if (!tmp.empty()) tmp.push_back(' ');
            tmp += s;
        }
        return tmp;
    };
    std::string ta, tb;
    int c = text(a, ta).compare(text(b, tb));
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// Sorts with each key's values computed once per row.
void sort_by(std::vector<const ProcessInfo*>& rows, const std::vector<SortKey>& keys, const Env& env) {
    const std::size_t n = rows.size(), k = keys.size();
    if (n < 2 || k == 0) return;
    std::unique_ptr<Value[]> cells(new Value[n * k]);
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) {
        order[i] = i;
        for (std::size_t j = 0; j < k; ++j) keys[j].def->value(env, *rows[i], cells[i * k + j]);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        for (std::size_t j = 0; j < k; ++j) {
            int c = compare(cells[a * k + j], cells[b * k + j]);
            if (c) return keys[j].descending ? c > 0 : c < 0;
        }
        return false;
    });
    std::vector<const ProcessInfo*> sorted(n);
    for (std::size_t i = 0; i < n; ++i) sorted[i] = rows[order[i]];
    rows.swap(sorted);
}

int ppid_of(const ProcessInfo* p) { return p->ppid.value_or(-1); }

}  // namespace

psi::Groups Selector::needs() const {
    // The groups of the attributes each test reads (psi/fields.hpp).
    using A = psi::AttrId;
    using psi::attr_groups;
    psi::Groups g;
    if (r_.quick) return g;
    if (r_.running_only) g |= attr_groups(A::status_letter);
    if (r_.all || (r_.bsd_a && r_.bsd_x)) return g;
    // The simple selections (ps/select.c simple_accept): euid, terminal,
    // session leadership.
    if (!r_.has_selection() || r_.bsd_x) g |= attr_groups(A::euid);
    if (!r_.has_selection() || r_.bsd_a || r_.unix_a) g |= attr_groups(A::tty_dev);
    if (r_.unix_a || r_.unix_d) g |= attr_groups(A::sid);
    if (!r_.ppids.empty()) g |= attr_groups(A::ppid);
    if (!r_.names.empty()) g |= attr_groups(A::name);
    if (!r_.sids.empty()) g |= attr_groups(A::sid);
    if (!r_.ttys.empty()) g |= attr_groups(A::tty_dev);
    if (!r_.euids.empty()) g |= attr_groups(A::euid);
    if (!r_.egids.empty()) g |= attr_groups(A::egid);
    if (!r_.ruids.empty()) g |= attr_groups(A::ruid);
    if (!r_.rgids.empty()) g |= attr_groups(A::rgid);
    return g;
}

bool Selector::pids_only() const {
    if (r_.quick) return true;
    return !r_.negate && !r_.all && !r_.bsd_a && !r_.bsd_x && !r_.unix_a && !r_.unix_d && !r_.pids.empty() &&
           r_.ppids.empty() && r_.euids.empty() && r_.ruids.empty() && r_.names.empty() && r_.sids.empty() &&
           r_.ttys.empty() && r_.egids.empty() && r_.rgids.empty();
}

// ps/select.c simple_accept with select_setup's flags: the default
// selection, -a, -d and BSD a and x (a with x is "all", handled before).
bool Selector::simple_accept(const ProcessInfo& p) const {
    const std::uint32_t* euid = p.euid.get();
    const std::uint64_t* tty = p.tty_dev.get();
    const int* sid = p.sid.get();
    bool my_euid = false, my_tty = false, has_tty = false, no_leader = false;
    if (!r_.unix_a && !r_.unix_d && !r_.bsd_a && !r_.bsd_x) {
        // No simple selection: ours, on our terminal (BSD: on any terminal).
        my_euid = true;
        (r_.prefer_bsd ? has_tty : my_tty) = true;
    } else if (r_.unix_a || r_.unix_d) {
        no_leader = true;
        has_tty = r_.unix_a && !r_.unix_d;
    } else if (r_.bsd_a) {
        has_tty = true;
    } else {
        my_euid = true;
    }
    if (my_euid && !(euid && *euid == my_euid_)) return false;
    if (my_tty && !(tty && *tty == my_tty_)) return false;
    if (has_tty && !(tty && *tty != 0)) return false;
    if (no_leader && !(sid && *sid != p.pid)) return false;
    return true;
}

bool Selector::listed(const ProcessInfo& p) const {
    return contains(r_.pids, p.pid) || attr_in(p.ppid, r_.ppids) || attr_in(p.euid, r_.euids) ||
           attr_in(p.ruid, r_.ruids) || attr_in(p.sid, r_.sids) || attr_in(p.tty_dev, r_.ttys) ||
           attr_in(p.egid, r_.egids) || attr_in(p.rgid, r_.rgids) || name_listed(p);
}

// ps -C: the accounting name is at most 15 bytes, so a longer name given
// matches on its first 15 (ps/select.c proc_was_listed SEL_COMM).
bool Selector::name_listed(const ProcessInfo& p) const {
    const std::string* name = p.name.get();
    if (!name || r_.names.empty()) return false;
    for (const std::string& n : r_.names) {
        if (n == *name) return true;
        if (name->size() == 15 && n.size() >= 15 && n.compare(0, 15, *name) == 0) return true;
    }
    return false;
}

// ps/select.c want_this_proc: -e, else the simple selection (when there is
// one or no list at all), else the lists; then BSD r; then -N.
bool Selector::wants(const ProcessInfo& p) const {
    if (r_.quick) return contains(r_.pids, p.pid);  // -q: the listed pids, nothing else
    bool accepted = r_.all || (r_.bsd_a && r_.bsd_x);
    if (!accepted && (r_.unix_a || r_.unix_d || r_.bsd_a || r_.bsd_x || !r_.has_list())) accepted = simple_accept(p);
    if (!accepted) accepted = listed(p);
    if (accepted && r_.running_only) {
        // procps 4: runnable or in uninterruptible (disk) sleep.
        const char st = p.status_letter.value_or('?');
        accepted = st == 'R' || st == 'D';
    }
    return r_.negate ? !accepted : accepted;
}

void sort_rows(std::vector<const ProcessInfo*>& rows, const std::vector<SortKey>& keys, const Env& env) {
    sort_by(rows, keys, env);
}

std::vector<TreeRow> forest_rows(std::vector<const ProcessInfo*> rows, const std::vector<SortKey>& keys,
                                 char forest_type, const Env& env) {
    std::vector<SortKey> all{{find_field("ppid"), false}};
    if (keys.empty()) all.push_back({find_field("start_time"), false});
    else all.insert(all.end(), keys.begin(), keys.end());
    sort_by(rows, all, env);

    std::vector<int> pids;
    pids.reserve(rows.size());
    for (const ProcessInfo* p : rows) pids.push_back(p->pid);
    std::sort(pids.begin(), pids.end());

    // ps show_tree() recurses once per level; a 60,000-deep ppid chain (a
    // hostile or fixture proc root can hold one) overflowed the stack, and a
    // prefix string copied per row made memory quadratic in the depth. The
    // same pre-order walk with an explicit stack: one frame per level, the
    // children of a row being the run of rows sorted under its pid.
    struct Frame {
        std::size_t next, end;  // children still to show: rows[next, end)
        std::uint32_t level;    // the level they are shown at
    };
    std::vector<Frame> stack;
    std::vector<TreeRow> out;
    out.reserve(rows.size());
    auto show = [&](std::size_t self, std::uint32_t level, bool have_sibling) {
        out.push_back({rows[self], level, have_sibling});
        const int self_pid = rows[self]->pid;
        if (self_pid <= 0) return;
        auto first = std::lower_bound(rows.begin(), rows.end(), self_pid,
                                      [](const ProcessInfo* p, int pid) { return ppid_of(p) < pid; });
        auto last = std::upper_bound(first, rows.end(), self_pid,
                                     [](int pid, const ProcessInfo* p) { return pid < ppid_of(p); });
        if (first == last) return;
        // With --forest the children of pid 1 stay at pid 1's level.
        const std::uint32_t child_level = (self_pid == 1 && forest_type != 'u') ? level : level + 1;
        stack.push_back({static_cast<std::size_t>(first - rows.begin()), static_cast<std::size_t>(last - rows.begin()),
                         child_level});
    };
    // A root is a row whose parent is not listed; ps visits them backwards.
    // A row whose ancestry loops has no root and is never reached.
    for (std::size_t i = rows.size(); i-- > 0;) {
        if (std::binary_search(pids.begin(), pids.end(), ppid_of(rows[i]))) continue;
        show(i, 0, false);
        while (!stack.empty()) {
            Frame& f = stack.back();
            if (f.next == f.end) {
                stack.pop_back();
                continue;
            }
            const std::size_t child = f.next++;
            const bool more = f.next != f.end;
            show(child, f.level, more);  // may grow the stack: f is not used after this
        }
    }
    return out;
}

std::string_view ForestPrefix::next(const TreeRow& row) {
    // One buffer for the whole listing, as ps's forest_prefix: rows come in
    // pre-order, so a row is at most one level deeper than the previous one
    // and positions 0..level-2 already hold its ancestors' marks. Each row
    // costs O(1) here, whatever its depth.
    if (pending_ > 0) buf_[pending_ - 1] = pending_mark_;
    const std::size_t level = row.level;
    buf_.resize(level);
    pending_ = level;
    if (level == 0) return {};
    buf_[level - 1] = row.have_sibling ? '+' : 'L';
    // What its descendants see at this level ('|' while siblings follow),
    // set on the next call so the returned view shows '+' or 'L'.
    pending_mark_ = row.have_sibling ? '|' : ' ';
    return {buf_.data(), level};
}

}  // namespace psi_ps
