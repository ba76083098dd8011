// Times, CPU and memory use.
#include <ctime>

#include "fields.hpp"

namespace psi_ps {

using psi::ProcessInfo;
using psi::TimeSpec;

namespace {

// Month and weekday names of the C/POSIX locale, which is what ps prints in
// C and C.UTF-8 (ps localises them under other LC_TIME settings; we do not).
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

const TimeSpec* cputime(const ProcessInfo& p, TimeSpec& tmp) {
    const TimeSpec* u = p.utime.get();
    const TimeSpec* s = p.stime.get();
    if (!u || !s) return nullptr;
    tmp = *u + *s;
    return &tmp;
}

// Elapsed time since start, never negative (ps clamps the same way).
const TimeSpec* elapsed(const Env& env, const ProcessInfo& p, TimeSpec& tmp) {
    const TimeSpec* st = p.start_time.get();
    if (!st) return nullptr;
    tmp = env.now - *st;
    if (tmp.tv_sec < 0) tmp = TimeSpec();
    return &tmp;
}

// ps: [dd-]hh:mm:ss for cumulative CPU time.
int fmt_time(std::string& o, std::int64_t t) {
    std::size_t start = o.size();
    std::int64_t ss = t % 60, mm = t / 60 % 60, hh = t / 3600 % 24, dd = t / 86400;
    if (dd) {
        append_int(o, dd);
        o.push_back('-');
    }
    append_padded(o, hh, 2);
    o.push_back(':');
    append_padded(o, mm, 2);
    o.push_back(':');
    append_padded(o, ss, 2);
    return static_cast<int>(o.size() - start);
}

// ps: [[dd-]hh:]mm:ss for elapsed time.
int fmt_etime(std::string& o, std::int64_t t) {
    std::size_t start = o.size();
    std::int64_t ss = t % 60, mm = t / 60 % 60, hh = t / 3600 % 24, dd = t / 86400;
    if (dd) {
        append_int(o, dd);
        o.push_back('-');
    }
    if (dd || hh) {
        append_padded(o, hh, 2);
        o.push_back(':');
    }
    append_padded(o, mm, 2);
    o.push_back(':');
    append_padded(o, ss, 2);
    return static_cast<int>(o.size() - start);
}

int t_time(const Env&, const ProcessInfo& p, std::string& o, int) {
    TimeSpec tmp;
    const TimeSpec* c = cputime(p, tmp);
    return c ? fmt_time(o, c->tv_sec) : text_dash(o);
}
int t_times(const Env&, const ProcessInfo& p, std::string& o, int) {
    TimeSpec tmp;
    const TimeSpec* c = cputime(p, tmp);
    return c ? append_int(o, c->tv_sec) : text_dash(o);
}
void v_time(const Env&, const ProcessInfo& p, Value& v) {
    TimeSpec tmp;
    if (const TimeSpec* c = cputime(p, tmp)) v.set_real(c->seconds());
    else v.clear();
}
int t_bsdtime(const Env&, const ProcessInfo& p, std::string& o, int) {
    TimeSpec tmp;
    const TimeSpec* c = cputime(p, tmp);
    if (!c) return text_dash(o);
    std::size_t start = o.size();
    std::int64_t m = c->tv_sec / 60;
    for (int n = m < 10 ? 2 : m < 100 ? 1 : 0; n > 0; --n) o.push_back(' ');
    append_int(o, m);
    o.push_back(':');
    append_padded(o, c->tv_sec % 60, 2);
    return static_cast<int>(o.size() - start);
}

int t_etime(const Env& env, const ProcessInfo& p, std::string& o, int) {
    TimeSpec tmp;
    const TimeSpec* e = elapsed(env, p, tmp);
    return e ? fmt_etime(o, e->tv_sec) : text_dash(o);
}
int t_etimes(const Env& env, const ProcessInfo& p, std::string& o, int) {
    TimeSpec tmp;
    const TimeSpec* e = elapsed(env, p, tmp);
    return e ? append_int(o, e->tv_sec) : text_dash(o);
}
void v_etime(const Env& env, const ProcessInfo& p, Value& v) {
    TimeSpec tmp;
    if (const TimeSpec* e = elapsed(env, p, tmp)) v.set_real(e->seconds());
    else v.clear();
}
void v_etimes(const Env& env, const ProcessInfo& p, Value& v) {
    TimeSpec tmp;
    if (const TimeSpec* e = elapsed(env, p, tmp)) v.set_int(e->tv_sec);
    else v.clear();
}

// ps computes start times as /proc/stat btime (whole seconds) + start ticks
// / HZ (integer division), not from the exact boot instant; we do the same
// in text so the clock fields match ps to the second. --json carries the
// exact start_time.
bool start_tm(const Env& env, const ProcessInfo& p, std::tm& tm, std::time_t& t) {
    if (const std::uint64_t* j = p.jiffies.get()) {
        t = static_cast<std::time_t>(env.boot_sec + static_cast<std::int64_t>(*j / static_cast<std::uint64_t>(env.hz)));
    } else if (const TimeSpec* st = p.start_time.get()) {
        t = static_cast<std::time_t>(st->tv_sec);
    } else {
        return false;
    }
    return localtime_r(&t, &tm) != nullptr;
}
void hh_mm(std::string& o, const std::tm& tm) {
    append_padded(o, tm.tm_hour, 2);
    o.push_back(':');
    append_padded(o, tm.tm_min, 2);
}

int t_start(const Env& env, const ProcessInfo& p, std::string& o, int) {
    std::tm tm{};
    std::time_t t = 0;
    if (!start_tm(env, p, tm, t)) return text_dash(o);
    if (t + 86400 > env.now_sec) {  // less than a day ago: HH:MM:SS
        hh_mm(o, tm);
        o.push_back(':');
        append_padded(o, tm.tm_sec, 2);
    } else {  // "  Mon DD", day zero-padded
        o += "  ";
        o += kMonths[tm.tm_mon];
        o.push_back(' ');
        append_padded(o, tm.tm_mday, 2);
    }
    return 8;
}
int t_lstart(const Env& env, const ProcessInfo& p, std::string& o, int) {
    std::tm tm{};
    std::time_t t = 0;
    if (!start_tm(env, p, tm, t)) return text_dash(o);
    std::size_t start = o.size();
    o += kDays[tm.tm_wday];  // "%a %b %e %H:%M:%S %Y"
    o.push_back(' ');
    o += kMonths[tm.tm_mon];
    o.push_back(' ');
    if (tm.tm_mday < 10) o.push_back(' ');
    append_int(o, tm.tm_mday);
    o.push_back(' ');
    hh_mm(o, tm);
    o.push_back(':');
    append_padded(o, tm.tm_sec, 2);
    o.push_back(' ');
    append_int(o, tm.tm_year + 1900);
    return static_cast<int>(o.size() - start);
}
int t_stime(const Env& env, const ProcessInfo& p, std::string& o, int) {
    std::tm tm{};
    std::time_t t = 0;
    if (!start_tm(env, p, tm, t)) return text_dash(o);
    std::tm now{};
    std::time_t now_t = static_cast<std::time_t>(env.now_sec);
    localtime_r(&now_t, &now);
    std::size_t start = o.size();
    if (now.tm_year != tm.tm_year) {
        append_int(o, tm.tm_year + 1900);
    } else if (now.tm_yday != tm.tm_yday) {
        o += kMonths[tm.tm_mon];
        append_padded(o, tm.tm_mday, 2);
    } else {
        hh_mm(o, tm);
    }
    return static_cast<int>(o.size() - start);
}
int t_bsdstart(const Env& env, const ProcessInfo& p, std::string& o, int) {
    std::tm tm{};
    std::time_t t = 0;
    if (!start_tm(env, p, tm, t)) return text_dash(o);
    if (env.now_sec - t > 86400) {  // ctime()+4, 6 chars: "Mon dd"
        o += kMonths[tm.tm_mon];
        o.push_back(' ');
        if (tm.tm_mday < 10) o.push_back(' ');
        append_int(o, tm.tm_mday);
    } else {  // ctime()+10, 6 chars: " HH:MM"
        o.push_back(' ');
        hh_mm(o, tm);
    }
    return 6;
}
void v_start(const Env&, const ProcessInfo& p, Value& v) {
    if (const TimeSpec* st = p.start_time.get()) v.set_real(st->seconds());
    else v.clear();
}

// ps: utilisation = CPU time / elapsed time, over the whole life. With
// --interval: over the interval (psi/rates.hpp); a process that started
// during the interval has no rate, and its lifetime share is exactly its
// share of the part of the interval it existed.
bool pcpu(const Env& env, const ProcessInfo& p, double& pct) {
    if (env.rates) {
        const psi::ProcessRates* r = env.rates->find(p.pid);
        if (r && r->id.start_ticks == p.start_ticks) {
            if (const double* v = r->cpu_percent.get()) {
                pct = *v;
                return true;
            }
            return false;
        }
    }
    TimeSpec a;
    const TimeSpec* c = cputime(p, a);
    return c && lifetime_percent(env, p, *c, pct);
}
int t_pcpu(const Env& env, const ProcessInfo& p, std::string& o, int) {
    double pct = 0;
    if (!pcpu(env, p, pct)) return text_dash(o);
    return text_percent(o, pct);
}
int t_c(const Env& env, const ProcessInfo& p, std::string& o, int) {  // "%2u", max 99
    double pct = 0;
    if (!pcpu(env, p, pct)) return text_dash(o);
    return text_cpu_whole(o, pct);
}
void v_pcpu(const Env& env, const ProcessInfo& p, Value& v) {
    double pct = 0;
    if (pcpu(env, p, pct)) v.set_real(pct);
    else v.clear();
}
void v_c(const Env& env, const ProcessInfo& p, Value& v) {
    double pct = 0;
    if (pcpu(env, p, pct)) v.set_int(pct > 99 ? 99 : static_cast<std::int64_t>(pct));
    else v.clear();
}

template <int Shift>
int t_kib(const Env&, const ProcessInfo& p, std::string& o, int) {
    const std::uint64_t* b = Shift == 0 ? p.rss.get() : p.vsz.get();
    return b ? append_int(o, static_cast<std::int64_t>(*b / 1024)) : text_dash(o);
}
template <int Shift>
void v_kib(const Env&, const ProcessInfo& p, Value& v) {
    const std::uint64_t* b = Shift == 0 ? p.rss.get() : p.vsz.get();
    if (b) v.set_int(static_cast<std::int64_t>(*b / 1024));
    else v.clear();
}
int t_sz(const Env& env, const ProcessInfo& p, std::string& o, int) {  // pages
    const std::uint64_t* b = p.vsz.get();
    return b ? append_int(o, static_cast<std::int64_t>(*b / 1024 / static_cast<std::uint64_t>(env.page_kb)))
             : text_dash(o);
}
void v_sz(const Env& env, const ProcessInfo& p, Value& v) {
    if (const std::uint64_t* b = p.vsz.get())
        v.set_int(static_cast<std::int64_t>(*b / 1024 / static_cast<std::uint64_t>(env.page_kb)));
    else v.clear();
}
int t_pmem(const Env& env, const ProcessInfo& p, std::string& o, int) {  // "%2u.%u"
    const std::uint64_t* b = p.rss.get();
    if (!b || env.mem_total_kb == 0) return text_dash(o);
    std::uint64_t permille = *b / 1024 * 1000 / env.mem_total_kb;
    if (permille > 999) permille = 999;
    std::size_t start = o.size();
    if (permille < 100) o.push_back(' ');
    append_int(o, static_cast<std::int64_t>(permille / 10));
    o.push_back('.');
    append_int(o, static_cast<std::int64_t>(permille % 10));
    return static_cast<int>(o.size() - start);
}
void v_pmem(const Env& env, const ProcessInfo& p, Value& v) {
    const std::uint64_t* b = p.rss.get();
    if (b && env.mem_total_kb) v.set_real(static_cast<double>(*b) / 1024.0 * 100.0 / static_cast<double>(env.mem_total_kb));
    else v.clear();
}

constexpr Align R = Align::right;

using A = psi::AttrId;

constexpr FieldDef kFields[] = {
    {"%cpu", "%CPU", 4, R, false, {A::pcpu}, t_pcpu, v_pcpu, "CPU time / elapsed time, percent"},
    {"%mem", "%MEM", 4, R, false, {A::rss}, t_pmem, v_pmem, "resident set / physical memory, percent"},
    {"bsdstart", "START", 6, R, false, {A::start_time}, t_bsdstart, v_start, "start time, BSD style"},
    {"bsdtime", "TIME", 6, R, false, {A::cputime}, t_bsdtime, v_time, "CPU time, mmm:ss"},
    {"c", "C", 2, R, false, {A::pcpu}, t_c, v_c, "integer %cpu, at most 99"},
    {"cputime", "TIME", 8, R, false, {A::cputime}, t_time, v_time, "CPU time (user + system)"},
    {"cputimes", "TIME", 8, R, false, {A::cputime}, t_times, v_time, "CPU time in seconds"},
    {"etime", "ELAPSED", 11, R, false, {A::start_time, A::jiffies}, t_etime, v_etime, "time since start, [[dd-]hh:]mm:ss"},
    {"etimes", "ELAPSED", 7, R, false, {A::start_time, A::jiffies}, t_etimes, v_etimes, "time since start, seconds"},
    {"lstart", "STARTED", 24, R, false, {A::start_time}, t_lstart, v_start, "start time, full date"},
    {"pcpu", "%CPU", 4, R, false, {A::pcpu}, t_pcpu, v_pcpu, "CPU time / elapsed time, percent"},
    {"pmem", "%MEM", 4, R, false, {A::rss}, t_pmem, v_pmem, "resident set / physical memory, percent"},
    {"rss", "RSS", 5, R, false, {A::rss}, t_kib<0>, v_kib<0>, "resident set size, KiB"},
    {"rssize", "RSS", 5, R, false, {A::rss}, t_kib<0>, v_kib<0>, "resident set size, KiB"},
    {"rsz", "RSZ", 5, R, false, {A::rss}, t_kib<0>, v_kib<0>, "resident set size, KiB"},
    {"start", "STARTED", 8, R, false, {A::start_time}, t_start, v_start, "start time (date if over a day ago)"},
    {"start_time", "START", 5, R, false, {A::start_time}, t_stime, v_start, "start time, HH:MM, MonDD or year"},
    {"stime", "STIME", 5, R, false, {A::start_time}, t_stime, v_start, "start time, HH:MM, MonDD or year"},
    {"sz", "SZ", 5, R, false, {A::vsz}, t_sz, v_sz, "virtual size in pages"},
    {"time", "TIME", 8, R, false, {A::cputime}, t_time, v_time, "CPU time, [dd-]hh:mm:ss"},
    {"times", "TIME", 8, R, false, {A::cputime}, t_times, v_time, "CPU time in seconds"},
    {"vsize", "VSZ", 6, R, false, {A::vsz}, t_kib<1>, v_kib<1>, "virtual memory size, KiB"},
    {"vsz", "VSZ", 6, R, false, {A::vsz}, t_kib<1>, v_kib<1>, "virtual memory size, KiB"},
};

}  // namespace

bool lifetime_percent(const Env& env, const ProcessInfo& p, const TimeSpec& cpu, double& pct) {
    TimeSpec tmp;
    const TimeSpec* e = elapsed(env, p, tmp);
    if (!e) return false;
    double secs = e->seconds();
    pct = secs > 0 ? cpu.seconds() * 100.0 / secs : 0.0;
    return true;
}

std::span<const FieldDef> usage_fields() { return kFields; }

}  // namespace psi_ps
