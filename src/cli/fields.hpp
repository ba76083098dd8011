// fields.hpp - the field registry of psi-ps.
//
// Each output field names the registry attributes (psi/fields.hpp) it
// shows; their groups are what it reads, so a listing asks System::table()
// for exactly the union of the groups of its columns, sort keys and
// selection (htop keeps a similar per-column table).
// A field renders in two ways: as procps ps text (width, alignment, '-' for
// no value) and as a typed Value for --json, --csv and --sort.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <psi/psi.hpp>

#include "outbuf.hpp"

namespace psi_ps {

// Facts shared by every row, read once per run.
struct Env {
    psi::TimeSpec now;            // wall clock when the listing started
    std::int64_t now_sec = 0;     // its whole seconds (ps: time(NULL))
    psi::TimeSpec boot;           // boot instant, sub-second
    std::int64_t boot_sec = 0;    // its whole seconds (ps: /proc/stat btime)
    long hz = 100;                // clock ticks per second
    long page_kb = 4;             // page size in KiB
    std::uint64_t mem_total_kb = 0;
    std::uint64_t own_tty = 0;    // our controlling terminal's device, 0: none
    std::string_view forest;      // tree prefix of the current row, ps style:
                                  // one of ' ', '|', '+', 'L' per level
    char forest_type = 0;         // 'b' (--forest: ASCII art) or 'u' (-H: indent)
    // --interval: CPU use between a first snapshot and the listing; %cpu
    // and C show it instead of the lifetime share (nullptr: lifetime).
    const psi::TableRates* rates = nullptr;
    bool show_env = false;        // BSD e: command columns end with the environment
    // -- w-status: signal columns show 16 hex digits (widen_signal_columns) --
    bool wide_signals = false;
};

enum class Align : std::uint8_t {
    left,       // ps CF_LEFT
    right,      // ps CF_RIGHT
    user,       // ps CF_USER: a name, left aligned, '+' when cut
    unlimited,  // ps CF_UNLIMITED: text that may run past its width
};

// A typed cell for --json / --csv / --sort.
class Value {
public:
    enum class Type : std::uint8_t { null, integer, real, text, list };

    Value() = default;
    Value(const Value&) = delete;
    Value& operator=(const Value&) = delete;

    Type type() const { return type_; }
    std::int64_t integer() const { return i_; }
    double real() const { return d_; }
    std::string_view text() const { return own_ ? std::string_view(buf_, len_) : s_; }
    const std::vector<std::string>& list() const { return *list_; }

    void clear() { type_ = Type::null; own_ = false; }
    void set_int(std::int64_t v) { type_ = Type::integer; i_ = v; }
    void set_real(double v) { type_ = Type::real; d_ = v; }
    // The text must outlive the Value (a string of the ProcessInfo).
    void set_view(std::string_view v) { type_ = Type::text; s_ = v; own_ = false; }
    // Short computed text, copied in (at most sizeof buf_).
    void set_copy(std::string_view v);
    void set_list(const std::vector<std::string>& v) { type_ = Type::list; list_ = &v; }

private:
    Type type_ = Type::null;
    bool own_ = false;
    std::uint8_t len_ = 0;
    std::int64_t i_ = 0;
    double d_ = 0;
    std::string_view s_;
    const std::vector<std::string>* list_ = nullptr;
    char buf_[40] = {};
};

// Appends the cell text; `max_cells` is the room ps would give it (only
// names and unlimited text use it). Returns the screen cells appended.
using TextFn = int (*)(const Env&, const psi::ProcessInfo&, std::string& out, int max_cells);
using ValueFn = void (*)(const Env&, const psi::ProcessInfo&, Value& out);

// The registry attributes a field shows (psi/fields.hpp). A field never
// spells a group mask: its groups are those of its attributes.
class Shows {
public:
    static constexpr std::size_t kMax = 8;
    constexpr Shows() = default;
    constexpr Shows(std::initializer_list<psi::AttrId> ids) {
        // More than kMax ids fails to compile (the tables are constexpr).
        for (psi::AttrId id : ids) ids_[n_++] = id;
    }
    std::span<const psi::AttrId> ids() const { return {ids_.data(), n_}; }
    constexpr psi::Groups groups() const {
        psi::Groups g;
        for (std::size_t i = 0; i < n_; ++i) g |= psi::attr_groups(ids_[i]);
        return g;
    }

private:
    std::array<psi::AttrId, kMax> ids_{};
    std::size_t n_ = 0;
};

struct FieldDef {
    constexpr FieldDef(std::string_view name_, std::string_view header_, int width_, Align align_, bool pid_width_,
                       Shows shows_, TextFn text_, ValueFn value_, std::string_view help_)
        : name(name_), header(header_), width(width_), align(align_), pid_width(pid_width_), shows(shows_),
          needs(shows_.groups()), text(text_), value(value_), help(help_) {}

    std::string_view name;
    std::string_view header;
    int width;
    Align align;
    bool pid_width;  // ps CF_PIDMAX: as wide as pid_max's digits
    Shows shows;
    psi::Groups needs;  // the groups of `shows`, computed at compile time
    TextFn text;
    ValueFn value;
    std::string_view help;
};

// All fields, sorted by name (aliases included).
std::span<const FieldDef> all_fields();
const FieldDef* find_field(std::string_view name);

// The fields of each domain, defined in fields_ids.cpp, fields_state.cpp,
// fields_usage.cpp and fields_cmd.cpp; all_fields() merges them.
std::span<const FieldDef> id_fields();
std::span<const FieldDef> state_fields();
std::span<const FieldDef> usage_fields();  // times, CPU, memory
std::span<const FieldDef> cmd_fields();
std::span<const FieldDef> ns_fields();  // -- w-ns: cgroups, containers, namespaces (fields_ns.cpp)
// -- w-threads: thread ids (fields_threads.cpp) --
std::span<const FieldDef> thread_fields();
// -- w-io: I/O counters, USS/PSS, OOM (fields_io.cpp) --
std::span<const FieldDef> io_fields();
// -- w-status: issue 12's stat and status columns (fields_status.cpp) --
std::span<const FieldDef> status_fields();
// -- x-bsd: the variant of a field that BSD c, n or S (the modifier's
// letter) shows in its place, same name, header and width (fields_bsd.cpp);
// nullptr when the modifier leaves the field alone --
const FieldDef* modified_field(const FieldDef& f, char modifier);
// ps do_pr_name() for a name column (fields_ids.cpp): the name, cut with
// '+' to max_cells, or the decimal id.
int name_text(std::string& o, const psi::Attr<std::string>& name, const psi::Attr<std::uint32_t>& id, int max_cells);

// Small helpers shared by the field files.
int text_dash(std::string& out);
// ps's %CPU / %MEM text: "%u.%u" below 100, "%u" from 100 on.
int text_percent(std::string& out, double pct);
// ps's C column text: "%2u", at most 99.
int text_cpu_whole(std::string& out, double pct);
// ps's lifetime CPU share: cpu * 100 / the time since the process started
// (fields_usage.cpp); false when the start time is unread.
bool lifetime_percent(const Env& env, const psi::ProcessInfo& p, const psi::TimeSpec& cpu, double& pct);
template <class T>
int text_attr_int(std::string& out, const psi::Attr<T>& a) {
    if (const T* p = a.get()) return append_int(out, static_cast<std::int64_t>(*p));
    return text_dash(out);
}
template <class T>
void value_attr(Value& v, const psi::Attr<T>& a) {
    if (const T* p = a.get()) v.set_int(static_cast<std::int64_t>(*p));
    else v.clear();
}
// Text made terminal-safe and cut to max_cells the way ps does it.
int text_escaped(std::string& out, std::string_view s, int max_cells);
// The room ps gives a fixed-width cell's text (COLWID in ps/output.c).
inline constexpr int kCellRoom = 240;

// -- x-threads: -m and m, each process followed by its threads --
// Which rows show a field (procps's PO / TO / ET marks, fields_threads.cpp):
// a process-only field prints '-' in thread rows, a thread-only field '-'
// in process rows.
enum class RowScope : std::uint8_t { every, process, thread };
RowScope row_scope(std::string_view field_name);

}  // namespace psi_ps
