// The merged field table and the helpers the field files share.
#include "fields.hpp"

#include <algorithm>

#include "escape.hpp"

namespace psi_ps {

void Value::set_copy(std::string_view v) {
    std::size_t n = std::min(v.size(), sizeof buf_);
    std::copy_n(v.data(), n, buf_);
    len_ = static_cast<std::uint8_t>(n);
    own_ = true;
    type_ = Type::text;
}

int text_dash(std::string& out) {
    out.push_back('-');
    return 1;
}

int text_percent(std::string& out, double pct) {
    auto tenths = static_cast<std::uint64_t>(pct * 10);
    std::size_t start = out.size();
    // Two branches: GCC 12 misreads one shared append_int call
    // (-Wmaybe-uninitialized).
    if (tenths > 999) {
        append_int(out, static_cast<std::int64_t>(tenths / 10));
    } else {
        append_int(out, static_cast<std::int64_t>(tenths / 10));
        out.push_back('.');
        append_int(out, static_cast<std::int64_t>(tenths % 10));
    }
    return static_cast<int>(out.size() - start);
}

int text_cpu_whole(std::string& out, double pct) {
    auto whole = static_cast<std::uint64_t>(pct);
    if (whole > 99) whole = 99;
    if (whole < 10) out.push_back(' ');
    append_int(out, static_cast<std::int64_t>(whole));
    return 2;
}

int text_escaped(std::string& out, std::string_view s, int max_cells) { return append_escaped(out, s, max_cells); }

std::span<const FieldDef> all_fields() {
    static const std::vector<FieldDef> table = [] {
        std::vector<FieldDef> v;
        for (auto part : {id_fields(), state_fields(), usage_fields(), cmd_fields(), ns_fields(), thread_fields(),
                          io_fields(), status_fields()})
            v.insert(v.end(), part.begin(), part.end());
        std::sort(v.begin(), v.end(), [](const FieldDef& a, const FieldDef& b) { return a.name < b.name; });
        return v;
    }();
    return table;
}

const FieldDef* find_field(std::string_view name) {
    auto fields = all_fields();
    auto it = std::lower_bound(fields.begin(), fields.end(), name,
                               [](const FieldDef& f, std::string_view n) { return f.name < n; });
    return (it != fields.end() && it->name == name) ? &*it : nullptr;
}

}  // namespace psi_ps
