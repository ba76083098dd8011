#include "select.hpp"

#include <algorithm>
#include <memory>

namespace psi_ps {

using psi::Group;
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

struct Forest {
    const std::vector<const ProcessInfo*>& rows;  // sorted by ppid first
    char type;
    std::vector<TreeRow> out;
    std::string prefix;

    // ps show_tree(): self, then its children, each one level deeper (but
    // the children of pid 1 stay at pid 1's level with --forest).
    void show(std::size_t self, std::size_t level, bool have_sibling) {
        if (level) {
            prefix.resize(level);
            prefix[level - 1] = have_sibling ? '+' : 'L';
        }
        out.push_back({rows[self], prefix.substr(0, level)});
        const int self_pid = rows[self]->pid;
        auto first = std::lower_bound(rows.begin(), rows.end(), self_pid,
                                      [](const ProcessInfo* p, int pid) { return ppid_of(p) < pid; });
        if (first == rows.end() || ppid_of(*first) != self_pid || self_pid <= 0) return;
        if (level) {
            prefix.resize(level);
            prefix[level - 1] = have_sibling ? '|' : ' ';
        }
        for (auto it = first; it != rows.end() && ppid_of(*it) == self_pid; ++it) {
            bool more = (it + 1) != rows.end() && ppid_of(*(it + 1)) == self_pid;
            std::size_t child = static_cast<std::size_t>(it - rows.begin());
            show(child, (self_pid == 1 && type != 'u') ? level : level + 1, more);
            prefix.resize(level);
        }
    }
};

}  // namespace

psi::Groups Selector::needs() const {
    psi::Groups g;
    if (!r_.has_selection()) return Group::owner | Group::stat;
    if (r_.running_only) g |= Group::stat;
    if (r_.all || (r_.bsd_a && r_.bsd_x)) return g;
    if (r_.bsd_a || !r_.ppids.empty() || !r_.names.empty()) g |= Group::stat;
    if (r_.bsd_x) g |= Group::owner;
    if (!r_.euids.empty()) g |= Group::owner;
    if (!r_.ruids.empty()) g |= Group::creds;
    return g;
}

bool Selector::pids_only() const {
    return !r_.all && !r_.bsd_a && !r_.bsd_x && !r_.pids.empty() && r_.ppids.empty() && r_.euids.empty() &&
           r_.ruids.empty() && r_.names.empty();
}

bool Selector::wants(const ProcessInfo& p) const {
    // BSD r: only runnable processes, whatever selected them.
    if (r_.running_only && p.status_letter.value_or('?') != 'R') return false;
    if (!r_.has_selection()) {
        const std::uint32_t* euid = p.euid.get();
        const std::uint64_t* tty = p.tty_dev.get();
        // With BSD words (ps u): BSD's "only yourself" and "must have a
        // terminal", any terminal; else POSIX's: ours on our terminal.
        if (r_.bsd_format) return euid && tty && *euid == my_euid_ && *tty != 0;
        return euid && tty && *euid == my_euid_ && *tty == my_tty_;
    }
    if (r_.all || (r_.bsd_a && r_.bsd_x) || contains(r_.pids, p.pid)) return true;
    // ps(1): a = every user's processes on a terminal; x = ours, with or
    // without one.
    if (r_.bsd_a) {
        const std::uint64_t* tty = p.tty_dev.get();
        if (tty && *tty != 0) return true;
    }
    if (r_.bsd_x) {
        const std::uint32_t* euid = p.euid.get();
        if (euid && *euid == my_euid_) return true;
    }
    if (attr_in(p.ppid, r_.ppids) || attr_in(p.euid, r_.euids) || attr_in(p.ruid, r_.ruids)) return true;
    const std::string* name = p.name.get();
    return name && contains(r_.names, *name);
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

    Forest f{rows, forest_type, {}, {}};
    f.out.reserve(rows.size());
    // A root is a row whose parent is not listed; ps visits them backwards.
    for (std::size_t i = rows.size(); i-- > 0;) {
        if (!std::binary_search(pids.begin(), pids.end(), ppid_of(rows[i]))) {
            f.prefix.clear();
            f.show(i, 0, false);
        }
    }
    return std::move(f.out);
}

}  // namespace psi_ps
