// Usage records and lwps (threads) on Solaris/illumos, proc(5):
// /proc/PID/lwp/ has one directory per lwp, named by its lwp id, holding
// lwpsinfo (lwpsinfo_t, world-readable like psinfo), lwpstatus and lwpusage
// (prusage_t of that lwp alone). Written against the documented records and
// the illumos kernel's prgetlwpsinfo/prgetusage; it has never run on Solaris
// (docs/solaris.md).
#include "platform/solaris/lwp.hpp"

#include <cerrno>
#include <cstdio>

#include "core/classify.hpp"
#include "core/saturate.hpp"

namespace psi::solaris_proc {

const UsageRead& read_usage(backend::Context& ctx, const char* rel, UsageRead& u) {
    if (u.tried) return u;
    u.tried = true;
    auto r = read_file(ctx, rel);
    if (r.err) u.err = r.err;
    else if (!(u.rec = parse_prusage(r.data))) u.err = EIO;  // a short record counts as unreadable
    return u;
}

bool fill_usage(const UsageRead& u, const detail::ProcessKind& kind,
                std::initializer_list<std::pair<Attr<std::uint64_t>*, std::uint64_t Prusage::*>> fields) {
    bool gone = false;
    for (const auto& [attr, member] : fields) {
        if (u.rec) attr->set((*u.rec).*member);
        else gone |= detail::record_attr_failure(*attr, u.err, kind);
    }
    return gone;
}

void format_lwp_path(char* out, int pid, int lwpid, const char* name) {
    std::snprintf(out, posix::kPathMax, "%d/lwp/%d/%s", pid, lwpid, name);
}

void fill_process_wide(backend::Context& ctx, const Psinfo& ps, ProcessInfo& out) {
    out.ppid.set(ps.ppid);
    out.pgrp.set(ps.pgid);
    out.sid.set(ps.sid);
    // psinfo_t has no foreground process group; tcgetpgrp would need the
    // terminal opened, which a process lister must not do.
    out.tpgid.fail(AttrStatus::not_implemented);
    out.tty_dev.set(ps.has_tty() ? ps.ttydev : 0);
    if (!ps.has_tty()) out.terminal.set(std::string());
    else if (const std::string* path = terminal_path(ctx, ps.ttydev)) out.terminal.set(*path);
    else out.terminal.fail(AttrStatus::not_available);
    out.nthreads.set(ps.nlwp);
    out.zoneid.set(ps.zoneid);
    // Linux-only: clock ticks since boot. Solaris gives pr_start as an
    // absolute timestruc instead (start_time).
    out.jiffies.fail(AttrStatus::not_implemented);
    out.vsz.set(detail::mul_saturating(ps.size_kb, 1024));
}

void fill_lwp_state(char sname, int nice, int pri, const std::string& clname, int onpro, ProcessInfo& out) {
    out.status_letter.set(sname);
    out.status.set(status_from_sname(sname));
    if (auto n = nice_from(nice, clname)) out.nice.set(*n);
    else out.nice.fail(AttrStatus::not_available);
    out.priority.set(rt_priority_from(pri, clname));
    if (auto pol = policy_from_class(clname)) out.policy.set(*pol);
    else out.policy.fail(AttrStatus::not_available);
    out.kernel_priority.set(pri);
    out.processor.set(onpro);
}

namespace {

std::optional<Lwpsinfo> read_lwpsinfo(backend::Context& ctx, int lwpid, std::error_code& ec) {
    char path[posix::kPathMax];
    format_lwp_path(path, ctx.tasks_pid, lwpid, "lwpsinfo");
    auto r = read_file(ctx, path);
    // ENOENT: the lwp has exited and been reaped (or the process has gone).
    if (r.err) { ec = detail::classify_process_error(r.err); return std::nullopt; }
    auto w = parse_lwpsinfo(r.data);
    if (!w) ec = make_error_code(errc::parse_error);
    return w;
}

}  // namespace

// An lwp's identity: its pr_start. prgetlwpsinfo fills whole seconds only
// (t_start is a time_t), so two lwps of one process created in the same
// second share it; the lwp id tells them apart, and illumos does not reuse
// an lwp id within a process until its 2^31 ids have been used.
std::error_code lwp_start_ticks(backend::Context& ctx, int lwpid, std::uint64_t& ticks) {
    std::error_code ec;
    auto w = read_lwpsinfo(ctx, lwpid, ec);
    if (!w) return ec;
    ticks = start_ticks_from(w->start);
    return {};
}

std::error_code lwp_identify(backend::Context& ctx, int lwpid, backend::Identity& out) {
    std::error_code ec;
    auto w = read_lwpsinfo(ctx, lwpid, ec);
    if (!w) return ec;
    out.start_ticks = start_ticks_from(w->start);
    // The lwps of a system process (sched, zpool-*) are kernel threads; an
    // lwp that has exited but not been joined shows 'Z'.
    out.kind.kernel_thread = ctx.psinfo.is_system();
    out.kind.zombie = w->is_zombie() || ctx.psinfo.is_zombie();
    ctx.lwp = std::move(*w);
    return {};
}

bool fill_lwp_stat(backend::Context& ctx, const Lwpsinfo& lwp, const Psinfo& ps, const detail::ProcessKind& kind,
                   const UsageRead& usage, ProcessInfo& out) {
    // pr_name is the lwp's own name where the kernel sets one (illumos's
    // prgetlwpsinfo zeroes it); an unnamed lwp is shown with the process's
    // name, as Linux's threads inherit their process's comm.
    if (!lwp.name.empty()) out.name.set(lwp.name);
    else if (!ps.fname.empty()) out.name.set(ps.fname);
    else out.name.fail(AttrStatus::not_available);
    fill_process_wide(ctx, ps, out);
    fill_lwp_state(lwp.sname, lwp.nice, lwp.pri, lwp.clname, lwp.onpro, out);
    out.start_time.set(to_timespec(lwp.start));
    // lwpstatus_t's pr_flags would be a fourth file per lwp; the process's
    // flags are in its own row.
    out.flags.fail(AttrStatus::not_available);
    // Children are the process's, not an lwp's.
    out.children_utime.fail(AttrStatus::not_available);
    out.children_stime.fail(AttrStatus::not_available);
    if (!usage.rec) {
        bool gone = detail::record_attr_failure(out.utime, usage.err, kind);
        out.stime.fail(out.utime.status(), usage.err);
        return gone;
    }
    // prusage_t splits microstates: trap time (pr_ttime) is system time in
    // lwpsinfo's pr_time (prgetlwpsinfo adds LMS_SYSTEM and LMS_TRAP) and in
    // ps, so it is counted in stime here too: utime + stime == pr_time.
    out.utime.set(to_timespec(usage.rec->utime));
    // (to_timespec bounds each part to a quarter of the range: no overflow.)
    out.stime.set(to_timespec(usage.rec->stime) + to_timespec(usage.rec->ttime));
    return false;
}

}  // namespace psi::solaris_proc
