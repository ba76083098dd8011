#include "data_out.hpp"

#include <charconv>
#include <climits>
#include <cmath>

#include "escape.hpp"

namespace psi_ps {

namespace {

void append_real(std::string& o, double d) {
    if (!std::isfinite(d)) {
        o += "null";
        return;
    }
    char tmp[32];
    auto res = std::to_chars(tmp, tmp + sizeof tmp, d);  // shortest round-trip form
    o.append(tmp, res.ptr);
}

void json_value(std::string& o, const Value& v) {
    switch (v.type()) {
    case Value::Type::null: o += "null"; break;
    case Value::Type::integer: append_int(o, v.integer()); break;
    case Value::Type::real: append_real(o, v.real()); break;
    case Value::Type::text: append_json_string(o, v.text()); break;
    case Value::Type::list: {
        o.push_back('[');
        bool first = true;
        for (const std::string& s : v.list()) {
            if (!first) o.push_back(',');
            first = false;
            append_json_string(o, s);
        }
        o.push_back(']');
        break;
    }
    }
}

void csv_value(std::string& o, const Value& v) {
    static std::string tmp;
    tmp.clear();
    switch (v.type()) {
    case Value::Type::null: return;
    case Value::Type::integer: append_int(o, v.integer()); return;
    case Value::Type::real: append_real(tmp, v.real()); break;
    case Value::Type::text: {
        // The kernel's strings hold no NUL, but a crafted proc root can put
        // one in a state byte: '?' there, rather than an early end of the
        // cell that would drop the rest (stat's flag letters).
        std::string_view t = v.text();
        for (std::size_t z; (z = t.find('\0')) != std::string_view::npos; t.remove_prefix(z + 1)) {
            append_ps_escaped(tmp, t.substr(0, z), INT_MAX);
            tmp.push_back('?');
        }
        append_ps_escaped(tmp, t, INT_MAX);
        break;
    }
    case Value::Type::list: {
        std::string joined;
        for (const std::string& s : v.list()) {
            if (!joined.empty()) joined.push_back(' ');
            joined += s;
        }
        for (char& c : joined)
            if (c == '\n') c = ' ';  // as the text output does
        append_ps_escaped(tmp, joined, INT_MAX);
        break;
    }
    }
    append_csv_field(o, tmp);
}

// Columns whose key has not appeared before (JSON objects need unique keys).
std::vector<std::size_t> unique_columns(const std::vector<Column>& cols) {
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        bool seen = false;
        for (std::size_t j : keep) seen = seen || cols[j].def->name == cols[i].def->name;
        if (!seen) keep.push_back(i);
    }
    return keep;
}

}  // namespace

void write_json(const std::vector<Column>& proc_cols, const std::vector<const psi::ProcessInfo*>& rows,
                const Env& env, OutBuf& out, const std::vector<Column>* thread_cols) {
    const std::vector<Column>& cols = proc_cols;
    std::string& o = out.str();
    const std::vector<std::size_t> keep = unique_columns(cols);
    Value v;
    o.push_back('[');
    bool first_row = true;
    for (const psi::ProcessInfo* p : rows) {
        const std::vector<Column>& row_cols = thread_cols && p->tid != 0 ? *thread_cols : cols;  // x-threads
        o += first_row ? "\n{" : ",\n{";
        first_row = false;
        bool first = true;
        for (std::size_t i : keep) {
            if (!first) o.push_back(',');
            first = false;
            append_json_string(o, cols[i].def->name);
            o.push_back(':');
            v.clear();
            row_cols[i].def->value(env, *p, v);
            json_value(o, v);
        }
        o.push_back('}');
        out.maybe_flush();
    }
    o += first_row ? "]\n" : "\n]\n";
}

void write_csv(const std::vector<Column>& cols, const std::vector<const psi::ProcessInfo*>& rows, const Env& env,
               bool headers, OutBuf& out, const std::vector<Column>* thread_cols) {
    std::string& o = out.str();
    if (headers) {
        for (std::size_t i = 0; i < cols.size(); ++i) {
            if (i) o.push_back(',');
            std::string h;
            bool own = cols[i].header_set && !cols[i].header.empty();
            append_escaped(h, own ? std::string_view(cols[i].header) : cols[i].def->name, INT_MAX);
            append_csv_field(o, h);
        }
        o += "\r\n";
    }
    Value v;
    for (const psi::ProcessInfo* p : rows) {
        const std::vector<Column>& row_cols = thread_cols && p->tid != 0 ? *thread_cols : cols;  // x-threads
        for (std::size_t i = 0; i < cols.size(); ++i) {
            if (i) o.push_back(',');
            v.clear();
            row_cols[i].def->value(env, *p, v);
            csv_value(o, v);
        }
        o += "\r\n";
        out.maybe_flush();
    }
}

}  // namespace psi_ps
