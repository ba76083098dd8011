// Decoders for the Solaris /proc records described in layout.hpp. Each one
// checks the record length once against the layout, then copies fields out
// with memcpy (records are not necessarily aligned in our buffer, and
// memcpy into a fixed-size integer is never undefined behaviour).
#include "platform/solaris/parse.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "platform/solaris/layout.hpp"

namespace psi::solaris_proc {

namespace L = layout;

namespace {

template <class T>
T load(std::string_view rec, std::size_t off) {
    T v{};
    std::memcpy(&v, rec.data() + off, sizeof v);
    return v;
}

int load_int(std::string_view rec, std::size_t off) { return load<std::int32_t>(rec, off); }
std::uint32_t load_u32(std::string_view rec, std::size_t off) { return load<std::uint32_t>(rec, off); }
std::uint64_t load_u64(std::string_view rec, std::size_t off) { return load<std::uint64_t>(rec, off); }

Timestruc load_ts(std::string_view rec, std::size_t off) {
    return Timestruc{load<std::int64_t>(rec, off + L::timestruc_fields::sec), load<std::int64_t>(rec, off + L::timestruc_fields::nsec)};
}

// A char[n] field: up to its first NUL; all n bytes when the kernel filled
// it completely (pr_fname of a 16-character name has no NUL).
std::string load_chars(std::string_view rec, std::size_t off, std::size_t n) {
    std::string_view field = rec.substr(off, n);
    return std::string(field.substr(0, std::min(field.find('\0'), field.size())));
}

constexpr std::int64_t kBillion = 1'000'000'000;

}  // namespace

TimeSpec to_timespec(const Timestruc& t) {
    // Garbage must not overflow TimeSpec's normalisation: keep nsec within
    // a second and sec far from the int64 edges.
    constexpr std::int64_t kMaxSec = std::numeric_limits<std::int64_t>::max() / 4;
    std::int64_t sec = std::clamp(t.sec, -kMaxSec, kMaxSec);
    std::int64_t nsec = (t.nsec >= 0 && t.nsec < kBillion) ? t.nsec : 0;
    return TimeSpec(sec, nsec);
}

std::uint64_t start_ticks_from(const Timestruc& start) {
    if (start.sec < 0 || start.nsec < 0 || start.nsec >= kBillion) return 0;
    auto sec = static_cast<std::uint64_t>(start.sec);
    if (sec > (std::numeric_limits<std::uint64_t>::max() - static_cast<std::uint64_t>(kBillion)) / kBillion) return 0;
    return sec * kBillion + static_cast<std::uint64_t>(start.nsec);
}

bool Psinfo::has_tty() const { return ttydev != L::kPrNodev; }
bool Psinfo::is_system() const { return (static_cast<std::uint32_t>(flag) & L::kSsys) != 0; }
bool Psinfo::is_zombie() const { return sname == 'Z'; }
bool Pstatus::is_system() const { return (flags & L::kPrIssys) != 0; }

std::optional<Psinfo> parse_psinfo(std::string_view rec) {
    if (rec.size() < L::psinfo::size) return std::nullopt;
    namespace P = L::psinfo;
    Psinfo p;
    p.flag = load_int(rec, P::flag);
    p.nlwp = load_int(rec, P::nlwp);
    p.pid = load_int(rec, P::pid);
    p.ppid = load_int(rec, P::ppid);
    p.pgid = load_int(rec, P::pgid);
    p.sid = load_int(rec, P::sid);
    p.uid = load_u32(rec, P::uid);
    p.euid = load_u32(rec, P::euid);
    p.gid = load_u32(rec, P::gid);
    p.egid = load_u32(rec, P::egid);
    p.size_kb = load_u64(rec, P::size_kb);
    p.rssize_kb = load_u64(rec, P::rssize_kb);
    p.ttydev = load_u64(rec, P::ttydev);
    p.pctcpu = load<std::uint16_t>(rec, P::pctcpu);
    p.pctmem = load<std::uint16_t>(rec, P::pctmem);
    p.start = load_ts(rec, P::start);
    p.time = load_ts(rec, P::time);
    p.ctime = load_ts(rec, P::ctime);
    p.fname = load_chars(rec, P::fname, L::kPrfnsz);
    p.psargs = load_chars(rec, P::psargs, L::kPrargsz);
    p.wstat = load_int(rec, P::wstat);
    p.argc = load_int(rec, P::argc);
    p.argv = load_u64(rec, P::argv);
    p.envp = load_u64(rec, P::envp);
    p.dmodel = load<std::int8_t>(rec, P::dmodel);
    p.taskid = load_int(rec, P::taskid);
    p.projid = load_int(rec, P::projid);
    p.nzomb = load_int(rec, P::nzomb);
    p.poolid = load_int(rec, P::poolid);
    p.zoneid = load_int(rec, P::zoneid);
    p.contract = load_int(rec, P::contract);
    namespace W = L::lwpsinfo;
    p.lwp_state = load<std::int8_t>(rec, P::lwp + W::state);
    p.sname = load<char>(rec, P::lwp + W::sname);
    p.nice = load<std::int8_t>(rec, P::lwp + W::nice);
    p.pri = load_int(rec, P::lwp + W::pri);
    p.clname = load_chars(rec, P::lwp + W::clname, L::kPrclsz);
    p.onpro = load_int(rec, P::lwp + W::onpro);
    return p;
}

std::optional<Lwpsinfo> parse_lwpsinfo(std::string_view rec) {
    namespace W = L::lwpsinfo;
    if (rec.size() < W::size) return std::nullopt;
    Lwpsinfo w;
    w.lwpid = load_int(rec, W::lwpid);
    w.wchan = load_u64(rec, W::wchan);
    w.state = load<std::int8_t>(rec, W::state);
    w.sname = load<char>(rec, W::sname);
    w.nice = load<std::int8_t>(rec, W::nice);
    w.pri = load_int(rec, W::pri);
    w.start = load_ts(rec, W::start);
    w.time = load_ts(rec, W::time);
    w.clname = load_chars(rec, W::clname, L::kPrclsz);
    w.name = load_chars(rec, W::name, L::kPrfnsz);
    w.onpro = load_int(rec, W::onpro);
    return w;
}

std::optional<Pstatus> parse_pstatus(std::string_view rec) {
    if (rec.size() < L::pstatus::prefix) return std::nullopt;
    namespace S = L::pstatus;
    Pstatus s;
    s.flags = load_u32(rec, S::flags);
    s.nlwp = load_int(rec, S::nlwp);
    s.pid = load_int(rec, S::pid);
    s.ppid = load_int(rec, S::ppid);
    s.pgid = load_int(rec, S::pgid);
    s.sid = load_int(rec, S::sid);
    s.utime = load_ts(rec, S::utime);
    s.stime = load_ts(rec, S::stime);
    s.cutime = load_ts(rec, S::cutime);
    s.cstime = load_ts(rec, S::cstime);
    s.dmodel = load<std::int8_t>(rec, S::dmodel);
    s.taskid = load_int(rec, S::taskid);
    s.projid = load_int(rec, S::projid);
    s.nzomb = load_int(rec, S::nzomb);
    s.zoneid = load_int(rec, S::zoneid);
    return s;
}

std::optional<Prusage> parse_prusage(std::string_view rec) {
    if (rec.size() < L::prusage::size) return std::nullopt;
    namespace U = L::prusage;
    Prusage u;
    u.lwpid = load_int(rec, U::lwpid);
    u.count = load_int(rec, U::count);
    u.tstamp = load_ts(rec, U::tstamp);
    u.create = load_ts(rec, U::create);
    u.term = load_ts(rec, U::term);
    u.rtime = load_ts(rec, U::rtime);
    u.utime = load_ts(rec, U::utime);
    u.stime = load_ts(rec, U::stime);
    u.ttime = load_ts(rec, U::ttime);
    u.tftime = load_ts(rec, U::tftime);
    u.dftime = load_ts(rec, U::dftime);
    u.kftime = load_ts(rec, U::kftime);
    u.ltime = load_ts(rec, U::ltime);
    u.slptime = load_ts(rec, U::slptime);
    u.wtime = load_ts(rec, U::wtime);
    u.stoptime = load_ts(rec, U::stoptime);
    u.minf = load_u64(rec, U::minf);
    u.majf = load_u64(rec, U::majf);
    u.nswap = load_u64(rec, U::nswap);
    u.inblk = load_u64(rec, U::inblk);
    u.oublk = load_u64(rec, U::oublk);
    u.msnd = load_u64(rec, U::msnd);
    u.mrcv = load_u64(rec, U::mrcv);
    u.sigs = load_u64(rec, U::sigs);
    u.vctx = load_u64(rec, U::vctx);
    u.ictx = load_u64(rec, U::ictx);
    u.sysc = load_u64(rec, U::sysc);
    u.ioch = load_u64(rec, U::ioch);
    return u;
}

std::optional<Prcred> parse_prcred(std::string_view rec) {
    namespace C = L::prcred;
    if (rec.size() < C::groups) return std::nullopt;
    Prcred c;
    c.euid = load_u32(rec, C::euid);
    c.ruid = load_u32(rec, C::ruid);
    c.suid = load_u32(rec, C::suid);
    c.egid = load_u32(rec, C::egid);
    c.rgid = load_u32(rec, C::rgid);
    c.sgid = load_u32(rec, C::sgid);
    int ngroups = load_int(rec, C::ngroups);
    if (ngroups < 0) return std::nullopt;  // no kernel writes that: garbage
    std::size_t fits = (rec.size() - C::groups) / C::gid_size;
    auto n = std::min(static_cast<std::size_t>(ngroups), fits);
    c.groups_complete = n == static_cast<std::size_t>(ngroups);
    c.groups.reserve(n);
    for (std::size_t i = 0; i < n; ++i) c.groups.push_back(load_u32(rec, C::groups + i * C::gid_size));
    return c;
}

ProcStatus status_from_sname(char sname) {
    switch (sname) {
        case 'O':  // SONPROC: running on a processor
        case 'R':  // SRUN: runnable
        case 'W':  // SWAIT: runnable but held back by a CPU cap
            return ProcStatus::running;
        case 'S': return ProcStatus::sleeping;
        case 'T': return ProcStatus::stopped;
        case 'Z': return ProcStatus::zombie;
        case 'I': return ProcStatus::idle;  // SIDL: still being created by fork
        default: return ProcStatus::unknown;
    }
}

std::optional<int> nice_from(int pr_nice, std::string_view clname) {
    // prgetlwpsinfo reports nice + NZERO (20) for the classes whose
    // CL_DONICE succeeds; ps(1) prints "SY"/"RT" (no nice) for the others.
    // The record's pr_nice is a char, but the subtraction is done in 64 bits
    // so no caller's int can overflow it.
    if (clname == "TS" || clname == "IA" || clname == "FSS" || clname == "FX")
        return static_cast<int>(std::clamp<std::int64_t>(static_cast<std::int64_t>(pr_nice) - 20,
                                                          std::numeric_limits<int>::min(),
                                                          std::numeric_limits<int>::max()));
    return std::nullopt;
}

int rt_priority_from(int pri, std::string_view clname) {
    if (clname != "RT") return 0;
    // RT global priorities start at 100 (rt_globpri[0]); a damaged record can
    // hold any int, so subtract in 64 bits and keep the result in range.
    const std::int64_t rt = static_cast<std::int64_t>(pri) - 100;
    return static_cast<int>(std::clamp<std::int64_t>(rt, 0, std::numeric_limits<int>::max()));
}

std::optional<SchedPolicy> policy_from_class(std::string_view clname) {
    // The classes of priocntl(1); <sched.h> numbers them SCHED_OTHER 0 (TS),
    // SCHED_SYS 3, SCHED_IA 4, SCHED_FSS 5, SCHED_FX 6, which clash with
    // Linux's numbers, hence members of their own.
    if (clname == "TS") return SchedPolicy::other;
    if (clname == "SYS") return SchedPolicy::sys;
    if (clname == "IA") return SchedPolicy::interactive;
    if (clname == "FSS") return SchedPolicy::fair_share;
    if (clname == "FX") return SchedPolicy::fixed;
    return std::nullopt;
}

std::vector<std::string> split_psargs(std::string_view psargs) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < psargs.size()) {
        while (i < psargs.size() && psargs[i] == ' ') ++i;
        std::size_t j = psargs.find(' ', i);
        if (j == std::string_view::npos) j = psargs.size();
        if (j > i) out.emplace_back(psargs.substr(i, j - i));
        i = j;
    }
    return out;
}

// ---- argv / envp from the target's address space --------------------------

std::size_t ImageAddressSpace::read(std::uint64_t addr, char* buf, std::size_t len) {
    if (addr < base_ || addr - base_ >= image_.size()) return 0;
    auto off = static_cast<std::size_t>(addr - base_);
    std::size_t n = std::min(len, image_.size() - off);
    std::memcpy(buf, image_.data() + off, n);
    return n;
}

namespace {

// Reads never cross a 4 KiB boundary (the smallest page of the ISAs Solaris
// runs on, and a divisor of the larger ones): a pread of /proc/PID/as that
// runs into an unmapped page may fail whole, losing the mapped part.
constexpr std::uint64_t kPage = 4096;

std::size_t in_page(std::uint64_t addr, std::size_t want) {
    return static_cast<std::size_t>(std::min<std::uint64_t>(want, kPage - addr % kPage));
}

// Exactly len bytes at addr, or false.
bool read_exact(AddressSpace& as, std::uint64_t addr, char* out, std::size_t len) {
    while (len) {
        if (addr > std::numeric_limits<std::uint64_t>::max() - len) return false;
        std::size_t n = in_page(addr, len);
        if (as.read(addr, out, n) != n) return false;
        addr += n;
        out += n;
        len -= n;
    }
    return true;
}

enum class StrRead { whole, partial, unreadable };

// The NUL-terminated string at addr, at most `budget` bytes (decremented).
StrRead read_cstring(AddressSpace& as, std::uint64_t addr, std::size_t& budget, std::string& out) {
    char buf[kPage];
    bool first = true;
    for (;;) {
        if (budget == 0) return StrRead::partial;
        std::size_t want = in_page(addr, std::min<std::size_t>(budget, kPage));
        std::size_t got = std::min(as.read(addr, buf, want), want);
        if (got == 0) return first ? StrRead::unreadable : StrRead::partial;
        const void* nul = std::memchr(buf, '\0', got);
        std::size_t take = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - buf) : got;
        out.append(buf, take);
        budget -= take;
        if (nul) return StrRead::whole;
        if (got < want) return StrRead::partial;  // the mapping ends without a NUL
        if (addr > std::numeric_limits<std::uint64_t>::max() - got) return StrRead::partial;
        addr += got;
        first = false;
    }
}

}  // namespace

std::optional<StringVector> read_string_vector(AddressSpace& as, std::uint64_t array, int dmodel,
                                               std::optional<std::size_t> count, const VectorLimits& limits) {
    const std::size_t psize = L::pointer_size(dmodel);
    if (psize == 0 || array == 0) return std::nullopt;
    StringVector out;
    std::size_t budget = limits.max_bytes;
    // Pointers are fetched a page-bounded window at a time, not one pread each.
    char window[kPage];
    std::uint64_t win_addr = 0;
    std::size_t win_len = 0;
    const std::size_t max_items = count ? std::min(*count, limits.max_items) : limits.max_items;
    for (std::size_t i = 0;; ++i) {
        if (i == max_items) {
            // argv: pr_argc entries read (or the item limit hit); envp:
            // the limit came before the NULL terminator.
            out.complete = count ? i == *count : false;
            break;
        }
        if (i > (std::numeric_limits<std::uint64_t>::max() - array) / psize) { out.complete = false; break; }
        std::uint64_t at = array + i * psize;
        char raw[8];
        if (at >= win_addr && at - win_addr + psize <= win_len) {
            std::memcpy(raw, window + (at - win_addr), psize);
        } else {
            win_addr = at;
            win_len = std::min(as.read(at, window, in_page(at, kPage)), sizeof window);
            if (win_len >= psize) std::memcpy(raw, window, psize);
            else if (!read_exact(as, at, raw, psize)) {  // unreadable, or straddles a page
                if (i == 0) return std::nullopt;
                out.complete = false;
                break;
            }
        }
        std::uint64_t ptr = psize == 4 ? load_u32(std::string_view(raw, 4), 0) : load_u64(std::string_view(raw, 8), 0);
        if (ptr == 0) break;  // the vector's NULL terminator
        std::string s;
        StrRead r = read_cstring(as, ptr, budget, s);
        if (r == StrRead::unreadable) { out.complete = false; break; }
        out.items.push_back(std::move(s));
        if (r == StrRead::partial) { out.complete = false; break; }
    }
    return out;
}

Environment split_environ(const std::vector<std::string>& strings) {
    Environment env;
    env.reserve(strings.size());
    for (const auto& s : strings) {
        auto eq = s.find('=');
        if (eq == std::string::npos) env.emplace_back(s, std::string());
        else env.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    }
    return env;
}

bool is_remote_mount(std::string_view fstype) {
    return fstype == "nfs" || fstype == "autofs" || fstype == "smbfs" || fstype == "cachefs";
}

}  // namespace psi::solaris_proc
