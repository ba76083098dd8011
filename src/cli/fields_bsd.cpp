// -- x-bsd: the fields BSD c, n and S show instead of the usual ones --
//
// procps checks bsd_c_option, user_is_number and include_dead_children in
// the print functions of the columns concerned, every cell. psi-ps instead
// swaps a variant FieldDef (same name, header and width) into the format
// once per listing (format.cpp effective_format), so the rows of a listing
// without these letters cost exactly what they did.
#include <deque>
#include <initializer_list>
#include <string_view>

#include "fields.hpp"

namespace psi_ps {

using psi::ProcessInfo;
using psi::TimeSpec;

namespace {

// -- S (ps/output.c pr_bsdtime, pr_pcpu, pr_c, pr_majflt, pr_minflt with
// include_dead_children): libproc2's TICS_ALL_C and FLT_M*_C add the
// waited-for children's times and faults (stat 11, 13, 16, 17) --

const TimeSpec* cputime_with_children(const ProcessInfo& p, TimeSpec& tmp) {
    const TimeSpec *u = p.utime.get(), *s = p.stime.get();
    const TimeSpec *cu = p.children_utime.get(), *cs = p.children_stime.get();
    if (!u || !s || !cu || !cs) return nullptr;
    tmp = *u + *s + *cu + *cs;
    return &tmp;
}

int t_bsdtime_c(const Env&, const ProcessInfo& p, std::string& o, int) {
    TimeSpec tmp;
    const TimeSpec* c = cputime_with_children(p, tmp);
    if (!c) return text_dash(o);
    std::size_t start = o.size();  // "%3u:%02u", minutes and seconds
    std::int64_t m = c->tv_sec / 60;
    for (int n = m < 10 ? 2 : m < 100 ? 1 : 0; n > 0; --n) o.push_back(' ');
    append_int(o, m);
    o.push_back(':');
    append_padded(o, c->tv_sec % 60, 2);
    return static_cast<int>(o.size() - start);
}
void v_time_c(const Env&, const ProcessInfo& p, Value& v) {
    TimeSpec tmp;
    if (const TimeSpec* c = cputime_with_children(p, tmp)) v.set_real(c->seconds());
    else v.clear();
}

// The lifetime share of the time with the children's.
bool pcpu_c(const Env& env, const ProcessInfo& p, double& pct) {
    TimeSpec a;
    const TimeSpec* c = cputime_with_children(p, a);
    return c && lifetime_percent(env, p, *c, pct);
}
int t_pcpu_c(const Env& env, const ProcessInfo& p, std::string& o, int) {  // "%u.%u", or "%u" from 100
    double pct = 0;
    if (!pcpu_c(env, p, pct)) return text_dash(o);
    return text_percent(o, pct);
}
void v_pcpu_c(const Env& env, const ProcessInfo& p, Value& v) {
    double pct = 0;
    if (pcpu_c(env, p, pct)) v.set_real(pct);
    else v.clear();
}
int t_c_c(const Env& env, const ProcessInfo& p, std::string& o, int) {  // "%2u", at most 99
    double pct = 0;
    if (!pcpu_c(env, p, pct)) return text_dash(o);
    return text_cpu_whole(o, pct);
}
void v_c_c(const Env& env, const ProcessInfo& p, Value& v) {
    double pct = 0;
    if (pcpu_c(env, p, pct)) v.set_int(pct > 99 ? 99 : static_cast<std::int64_t>(pct));
    else v.clear();
}

template <psi::Attr<std::uint64_t> ProcessInfo::*Own, psi::Attr<std::uint64_t> ProcessInfo::*Children>
bool faults_c(const ProcessInfo& p, std::uint64_t& n) {
    const std::uint64_t *own = (p.*Own).get(), *kids = (p.*Children).get();
    if (!own || !kids) return false;
    n = *own + *kids;
    return true;
}
template <psi::Attr<std::uint64_t> ProcessInfo::*Own, psi::Attr<std::uint64_t> ProcessInfo::*Children>
int t_faults_c(const Env&, const ProcessInfo& p, std::string& o, int) {
    std::uint64_t n = 0;
    return faults_c<Own, Children>(p, n) ? append_int(o, static_cast<std::int64_t>(n)) : text_dash(o);
}
template <psi::Attr<std::uint64_t> ProcessInfo::*Own, psi::Attr<std::uint64_t> ProcessInfo::*Children>
void v_faults_c(const Env&, const ProcessInfo& p, Value& v) {
    std::uint64_t n = 0;
    if (faults_c<Own, Children>(p, n)) v.set_int(static_cast<std::int64_t>(n));
    else v.clear();
}
constexpr auto kMaj = &ProcessInfo::major_faults;
constexpr auto kMajC = &ProcessInfo::children_major_faults;
constexpr auto kMin = &ProcessInfo::minor_faults;
constexpr auto kMinC = &ProcessInfo::children_minor_faults;

using A = psi::AttrId;
constexpr Shows kTimeC{A::utime, A::stime, A::children_utime, A::children_stime};
constexpr Shows kPcpuC{A::utime, A::stime, A::children_utime, A::children_stime, A::start_time};

struct Cumulative {
    std::string_view name;
    Shows shows;
    TextFn text;
    ValueFn value;
};
constexpr Cumulative kCumulative[] = {
    {"%cpu", kPcpuC, t_pcpu_c, v_pcpu_c},
    {"bsdtime", kTimeC, t_bsdtime_c, v_time_c},
    {"c", kPcpuC, t_c_c, v_c_c},
    {"maj_flt", {A::major_faults, A::children_major_faults}, t_faults_c<kMaj, kMajC>, v_faults_c<kMaj, kMajC>},
    {"majflt", {A::major_faults, A::children_major_faults}, t_faults_c<kMaj, kMajC>, v_faults_c<kMaj, kMajC>},
    {"min_flt", {A::minor_faults, A::children_minor_faults}, t_faults_c<kMin, kMinC>, v_faults_c<kMin, kMinC>},
    {"minflt", {A::minor_faults, A::children_minor_faults}, t_faults_c<kMin, kMinC>, v_faults_c<kMin, kMinC>},
    {"pcpu", kPcpuC, t_pcpu_c, v_pcpu_c},
};

// -- n (ps/output.c do_pr_name with user_is_number): a user or group name
// column prints the id instead; its CF_USER alignment then right-aligns,
// header included. The id field whose text each name column takes: --
struct NumericName {
    std::string_view name, id_field;
};
constexpr NumericName kNumericNames[] = {
    {"egroup", "egid"}, {"euser", "uid"},  {"fgroup", "fgid"}, {"fuser", "fuid"},  {"group", "egid"},
    {"rgroup", "rgid"}, {"ruser", "ruid"}, {"uid_hack", "uid"}, {"uname", "uid"}, {"user", "uid"},
};

// Variants live as long as the program, at stable addresses; each is made
// once (--watch builds the format again for every listing).
struct Variant {
    const FieldDef* of;
    char modifier;
    FieldDef def;
};
std::deque<Variant>& variants() {
    static std::deque<Variant> v;
    return v;
}

// A variant keeps its field's name, header, width and alignment and takes
// what another field reads and prints.
void read_like(FieldDef& v, const FieldDef& from) {
    v.shows = from.shows;
    v.needs = from.needs;
    v.text = from.text;
    v.value = from.value;
}

const FieldDef* make_variant(const FieldDef& f, char modifier) {
    FieldDef v = f;
    switch (modifier) {
    case 'c': {
        // ps/output.c pr_args with bsd_c_option (procps 4.0.2 as Debian
        // ships it, with upstream's fix for Debian bug 1026326): the
        // command name instead of the command line; forest art and BSD e's
        // environment as before. A zombie shows no " <defunct>".
        if (f.name != "args" && f.name != "cmd" && f.name != "command") return nullptr;
        read_like(v, *find_field("comm"));
        break;
    }
    case 'n': {
        // ps/output.c show_one_proc: CF_WCHAN right-aligns with
        // wchan_is_number; 4.0.2 still prints the name, cut to the column.
        if (f.name == "wchan") {
            v.align = Align::right;
            break;
        }
        if (f.align != Align::user) return nullptr;
        v.align = Align::right;
        for (const NumericName& n : kNumericNames)
            if (n.name == f.name) read_like(v, *find_field(n.id_field));
        break;
    }
    case 'S': {
        const Cumulative* found = nullptr;
        for (const Cumulative& c : kCumulative)
            if (c.name == f.name) found = &c;
        if (!found) return nullptr;
        v.shows = found->shows;
        v.needs = found->shows.groups();
        v.text = found->text;
        v.value = found->value;
        break;
    }
    default: return nullptr;
    }
    variants().push_back({&f, modifier, v});
    return &variants().back().def;
}

}  // namespace

const FieldDef* modified_field(const FieldDef& f, char modifier) {
    for (const Variant& v : variants())
        if (v.of == &f && v.modifier == modifier) return &v.def;
    return make_variant(f, modifier);
}

}  // namespace psi_ps
