// The Group::status attributes from /proc/PID/status; see status_fill.hpp.
#include "platform/linux/status_fill.hpp"

#include <utility>

namespace psi::backend {

namespace {

template <class T, class U>
void put_opt(Attr<T>& attr, const std::optional<U>& v) {
    if (v) attr.set(static_cast<T>(*v));
    else attr.fail(AttrStatus::not_available);
}

// The Vm*/Rss* lines are printed only for a task with an mm (task_mem in
// fs/proc/task_mmu.c): a kernel thread has none and uses no user memory,
// a zombie has dropped its mm (its sizes are gone, not zero).
void put_mem(Attr<std::uint64_t>& attr, const std::optional<std::uint64_t>& v, const detail::ProcessKind& kind) {
    if (v) attr.set(*v);
    else if (kind.kernel_thread) attr.set(0);
    else attr.fail(AttrStatus::not_available);
}

// Every status-group attribute, for one uniform failure.
template <class F>
void each_status_attr(ProcessInfo& o, F&& f) {
    f(o.depth().voluntary_ctxt_switches); f(o.depth().involuntary_ctxt_switches);
    f(o.depth().rss_peak); f(o.depth().vsz_peak); f(o.depth().swap); f(o.depth().rss_anon); f(o.depth().rss_file); f(o.depth().rss_shmem);
    f(o.depth().data_size); f(o.depth().stack_size); f(o.depth().text_size); f(o.depth().lib_size); f(o.depth().page_tables);
    f(o.depth().suid); f(o.depth().sgid); f(o.depth().fsuid); f(o.depth().fsgid); f(o.depth().supplementary_groups);
    f(o.depth().sigmask); f(o.depth().sigpending); f(o.depth().sigignore); f(o.depth().sigcatch);
    f(o.depth().ns_pid); f(o.depth().cpu_affinity);
}

}  // namespace

linux_proc::StatusFields status_fields_of(const linux_proc::StatusExt& x) {
    linux_proc::StatusFields f;
    if (x.uid) { f.have_uid = true; f.ruid = (*x.uid)[0]; f.euid = (*x.uid)[1]; }
    if (x.gid) { f.have_gid = true; f.rgid = (*x.gid)[0]; f.egid = (*x.gid)[1]; }
    // StatusExt holds bytes (kB * 1024, saturating); StatusFields kB.
    if (x.vm_rss) { f.have_rss = true; f.rss_kb = *x.vm_rss / 1024; }
    if (x.vm_lck) { f.have_locked = true; f.locked_kb = *x.vm_lck / 1024; }
    return f;
}

void fill_status_group(const linux_proc::StatusExt& x, const detail::ProcessKind& kind, ProcessInfo& out) {
    put_opt(out.depth().voluntary_ctxt_switches, x.voluntary_ctxt_switches);
    put_opt(out.depth().involuntary_ctxt_switches, x.nonvoluntary_ctxt_switches);
    put_mem(out.depth().rss_peak, x.vm_hwm, kind);
    put_mem(out.depth().vsz_peak, x.vm_peak, kind);
    put_mem(out.depth().swap, x.vm_swap, kind);
    put_mem(out.depth().rss_anon, x.rss_anon, kind);
    put_mem(out.depth().rss_file, x.rss_file, kind);
    put_mem(out.depth().rss_shmem, x.rss_shmem, kind);
    put_mem(out.depth().data_size, x.vm_data, kind);
    put_mem(out.depth().stack_size, x.vm_stk, kind);
    put_mem(out.depth().text_size, x.vm_exe, kind);
    put_mem(out.depth().lib_size, x.vm_lib, kind);
    put_mem(out.depth().page_tables, x.vm_pte, kind);
    // Uid:/Gid: are real, effective, saved set, file system.
    if (x.uid) { out.depth().suid.set((*x.uid)[2]); out.depth().fsuid.set((*x.uid)[3]); }
    else { out.depth().suid.fail(AttrStatus::not_available); out.depth().fsuid.fail(AttrStatus::not_available); }
    if (x.gid) { out.depth().sgid.set((*x.gid)[2]); out.depth().fsgid.set((*x.gid)[3]); }
    else { out.depth().sgid.fail(AttrStatus::not_available); out.depth().fsgid.fail(AttrStatus::not_available); }
    put_opt(out.depth().supplementary_groups, x.groups);
    // ps's BLOCKED is SigBlk and PENDING ShdPnd (procps readproc), the set
    // pending for the whole thread group, not SigPnd (one thread's).
    put_opt(out.depth().sigmask, x.sig_blk);
    put_opt(out.depth().sigpending, x.shd_pnd);
    put_opt(out.depth().sigignore, x.sig_ign);
    put_opt(out.depth().sigcatch, x.sig_cgt);
    put_opt(out.depth().ns_pid, x.ns_pid);
    if (x.cpus_allowed_list) put_opt(out.depth().cpu_affinity, linux_proc::parse_cpu_list(*x.cpus_allowed_list));
    else out.depth().cpu_affinity.fail(AttrStatus::not_available);
}

bool fail_status_group(int err, const detail::ProcessKind& kind, ProcessInfo& out) {
    bool gone = detail::record_attr_failure(out.depth().voluntary_ctxt_switches, err, kind);
    const AttrStatus st = out.depth().voluntary_ctxt_switches.status();
    each_status_attr(out, [&](auto& a) { a.fail(st, err); });
    return gone;
}

}  // namespace psi::backend
