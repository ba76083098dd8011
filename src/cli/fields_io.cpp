// I/O counters, USS/PSS and the OOM score (issue 12): procps ps's rops wops
// rbytes wbytes rchars wchars wcbytes uss pss oom oomadj. Each reads only
// its group (io, smaps, oom), never a default one.
#include "fields.hpp"

namespace psi_ps {

using psi::ProcessInfo;

namespace {

using A = psi::AttrId;
constexpr Align R = Align::right;

// ps leaves a counter at 0 when its file cannot be read (readproc.c fills
// the proc_t only on success; no ptrace access, kernel thread without mm),
// so an unavailable counter prints 0 here too, not "-".
template <std::uint64_t psi::IoCounters::*M>
std::uint64_t io_value(const ProcessInfo& p) {
    const psi::IoCounters* c = p.depth().io_counters.get();
    return c ? (*c).*M : 0;
}
template <std::uint64_t psi::IoCounters::*M>
int t_io(const Env&, const ProcessInfo& p, std::string& o, int) {
    // %lu in ps: counters above INT64_MAX do not occur (they count bytes).
    return append_int(o, static_cast<std::int64_t>(io_value<M>(p)));
}
template <std::uint64_t psi::IoCounters::*M>
void v_io(const Env&, const ProcessInfo& p, Value& v) {
    if (p.depth().io_counters.get()) v.set_int(static_cast<std::int64_t>(io_value<M>(p)));
    else v.clear();
}

// KiB of an smaps size, 0 when unreadable (as ps).
template <psi::Attr<std::uint64_t> psi::ProcessDepth::*M>
int t_kib0(const Env&, const ProcessInfo& p, std::string& o, int) {
    const std::uint64_t* b = (p.depth().*M).get();
    return append_int(o, b ? static_cast<std::int64_t>(*b / 1024) : 0);
}
template <psi::Attr<std::uint64_t> psi::ProcessDepth::*M>
void v_kib0(const Env&, const ProcessInfo& p, Value& v) {
    const std::uint64_t* b = (p.depth().*M).get();
    if (b) v.set_int(static_cast<std::int64_t>(*b / 1024));
    else v.clear();
}

template <psi::Attr<int> psi::ProcessDepth::*M>
int t_int0(const Env&, const ProcessInfo& p, std::string& o, int) {
    const int* x = (p.depth().*M).get();
    return append_int(o, x ? *x : 0);
}
template <psi::Attr<int> psi::ProcessDepth::*M>
void v_int(const Env&, const ProcessInfo& p, Value& v) {
    value_attr(v, p.depth().*M);
}

using IC = psi::IoCounters;
constexpr FieldDef kFields[] = {
    {"oom", "OOM", 4, R, false, {A::oom_score}, t_int0<&psi::ProcessDepth::oom_score>, v_int<&psi::ProcessDepth::oom_score>,
     "OOM killer score (oom_score)"},
    {"oomadj", "OOMADJ", 5, R, false, {A::oom_score_adj}, t_int0<&psi::ProcessDepth::oom_score_adj>,
     v_int<&psi::ProcessDepth::oom_score_adj>, "OOM killer adjustment (oom_score_adj)"},
    {"pss", "PSS", 5, R, false, {A::pss}, t_kib0<&psi::ProcessDepth::pss>, v_kib0<&psi::ProcessDepth::pss>,
     "proportional set size, KiB (smaps_rollup)"},
    {"rbytes", "RBYTES", 5, R, false, {A::io_counters}, t_io<&IC::read_bytes>, v_io<&IC::read_bytes>,
     "bytes read from storage"},
    {"rchars", "RCHARS", 5, R, false, {A::io_counters}, t_io<&IC::read_chars>, v_io<&IC::read_chars>,
     "bytes read by read calls"},
    {"rops", "ROPS", 5, R, false, {A::io_counters}, t_io<&IC::read_count>, v_io<&IC::read_count>,
     "read system calls"},
    {"uss", "USS", 5, R, false, {A::uss}, t_kib0<&psi::ProcessDepth::uss>, v_kib0<&psi::ProcessDepth::uss>,
     "unique set size, KiB (smaps_rollup)"},
    {"wbytes", "WBYTES", 5, R, false, {A::io_counters}, t_io<&IC::write_bytes>, v_io<&IC::write_bytes>,
     "bytes written to storage"},
    {"wcbytes", "WCBYTES", 5, R, false, {A::io_counters}, t_io<&IC::cancelled_write_bytes>,
     v_io<&IC::cancelled_write_bytes>, "written bytes cancelled before write-back"},
    {"wchars", "WCHARS", 5, R, false, {A::io_counters}, t_io<&IC::write_chars>, v_io<&IC::write_chars>,
     "bytes written by write calls"},
    {"wops", "WOPS", 5, R, false, {A::io_counters}, t_io<&IC::write_count>, v_io<&IC::write_count>,
     "write system calls"},
};

}  // namespace

std::span<const FieldDef> io_fields() { return kFields; }

}  // namespace psi_ps
