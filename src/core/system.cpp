// psi::System: the facade over the one compiled backend. Owns the backend
// context and the name caches; decides which groups still need reading.
#include <algorithm>
#include <atomic>
#include <climits>
#include <new>
#include <cstdint>
#include <system_error>
#include <thread>
#include <utility>

#include "core/backend.hpp"
#include "core/names.hpp"
#include "core/status_attrs.hpp"
#include "psi/fields.hpp"
#include "psi/system.hpp"

namespace psi {

struct System::Impl {
    Options options;
    backend::ContextPtr ctx;
    detail::NameCache names;
    std::vector<int> pid_buffer;
};

namespace {

void throw_if(const std::error_code& ec, const std::string& what) {
    // std::system_error appends ": " + ec.message() itself.
    if (ec) throw Error(ec, what);
}

std::string pid_what(std::int64_t pid) { return "pid " + std::to_string(pid); }

// Fills the user/group (and zone) names from whichever ids were read.
void fill_names(detail::NameCache& names, backend::Context& ctx, ProcessInfo& p) {
    auto name_of = [](Attr<std::string>& out, const Attr<std::uint32_t>& id, auto&& lookup) {
        if (const auto* v = id.get()) out.set(lookup(*v));
        else out.fail(id.status(), id.os_error());
    };
    auto user = [&](std::uint32_t id) -> const std::string& { return names.user(id); };
    auto group = [&](std::uint32_t id) -> const std::string& { return names.group(id); };
    name_of(p.euser, p.euid, user);
    name_of(p.egroup, p.egid, group);
    if (p.groups_read.has(Group::creds)) {
        name_of(p.ruser, p.ruid, user);
        name_of(p.rgroup, p.rgid, group);
    }
    if (const int* zone = p.zoneid.get()) {
        const auto& [ec, name] =
            names.zone(*zone, [&](int id, std::string& out) { return backend::zone_name(ctx, id, out); });
        if (!ec) p.zonename.set(name);
        else p.zonename.fail(ec == errc::attr_not_implemented ? AttrStatus::not_implemented
                                                              : AttrStatus::not_available);
    } else {
        p.zonename.fail(p.zoneid.status(), p.zoneid.os_error());
    }
    detail::fill_status_names(names, p);  // w-status: suser sgroup fsuser fsgroup
    p.groups_read |= Group::names;
}

// The one pid check: what a backend is ever asked about is 0..INT_MAX.
bool valid_pid(std::int64_t pid) { return pid >= 0 && pid <= INT_MAX; }

// The liveness protocol (core/backend_process.hpp), the same for every
// backend: identity first, then the groups, then at most one re-check.
// With `expect` (a snapshot's start ticks), a pid that now names another
// process is no_such_process before anything is written to `out`.
std::error_code read_checked(backend::Context& ctx, int pid, Groups groups, ProcessInfo& out,
                             const std::uint64_t* expect) {
    // What a stat read fills as well (backend::stat_includes: the faults on
    // Linux and macOS) is read with stat, whichever of them was asked for.
    const Groups with_stat = backend::stat_includes(ctx);
    if (groups.has(Group::stat) || !(groups & with_stat).empty()) groups |= Groups(Group::stat) | with_stat;
    // Rates divide by the interval between two stat reads: stamp the row
    // right before its stat is read (identify reads it on Linux).
    const Instant at = groups.has(Group::stat) ? Instant::now() : Instant{};
    backend::Identity id;
    if (std::error_code ec = backend::identify(ctx, pid, expect, id)) return ec;
    if (expect && id.start_ticks != *expect) return make_error_code(errc::no_such_process);
    if (backend::read_groups(ctx, pid, groups, id, out)) {
        // A read failed as if the process had gone: it has only if its
        // identity record is gone too, or now shows another process.
        std::uint64_t now = 0;
        if (backend::start_ticks(ctx, pid, now, &id.start_ticks) || now != id.start_ticks)
            return make_error_code(errc::no_such_process);
    }
    out.pid = pid;
    out.start_ticks = id.start_ticks;
    out.is_kernel_thread = id.kind.kernel_thread;
    if (at.known()) out.read_at = at;
    // An attribute of a read group that the backend leaves unset does not
    // exist on this platform (exe_deleted is Linux's).
    if (groups.has(Group::exe) && out.exe_deleted.status() == AttrStatus::not_read)
        out.exe_deleted.fail(AttrStatus::not_implemented);
    // -- w-threads: the label is Linux's (macOS and Solaris leave it unset).
    if (groups.has(Group::label) && out.depth().label.status() == AttrStatus::not_read)
        out.depth().label.fail(AttrStatus::not_implemented);
    // -- w-io: the io, fds, smaps, oom, limits attributes a backend leaves
    // unset (macOS, Solaris) do not exist there --
    auto unset = [](auto& attr) {
        if (attr.status() == AttrStatus::not_read) attr.fail(AttrStatus::not_implemented);
    };
    if (groups.has(Group::io)) unset(out.depth().io_counters);
    if (groups.has(Group::fds)) unset(out.depth().num_fds);
    if (groups.has(Group::smaps)) { unset(out.depth().uss); unset(out.depth().pss); unset(out.depth().swap_pss); }
    if (groups.has(Group::oom)) { unset(out.depth().oom_score); unset(out.depth().oom_score_adj); }
    if (groups.has(Group::limits)) unset(out.depth().rlimits);
    detail::mark_status_attrs_unimplemented(out, groups);  // w-status
    out.groups_read |= groups;
    return {};
}

// -- w-threads: reading a row that may be a thread's --
// A thread row (tid != 0) is read through a context on its process's
// threads (backend::open_tasks), under the same protocol; its pid stays the
// process's.
std::error_code read_row(backend::Context& ctx, int pid, int tid, Groups groups, ProcessInfo& out,
                         const std::uint64_t* expect) {
    if (tid == 0) return read_checked(ctx, pid, groups, out, expect);
    std::error_code ec;
    backend::ContextPtr tasks = backend::open_tasks(ctx, pid, ec);
    if (!tasks) return ec;
    ec = read_checked(*tasks, tid, groups, out, expect);
    out.pid = pid;
    out.tid = tid;
    return ec;
}

// Which groups the backend must read (backend_groups) is the attribute
// registry's rule (psi/fields.hpp).

}  // namespace

System::System(Options options) {
    std::error_code ec;
    *this = System(std::move(options), ec);
    throw_if(ec, "proc root '" + impl_->options.proc_root + "'");
}

System::System(Options options, std::error_code& ec) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->ctx = backend::open(impl_->options, ec);
}

System::~System() = default;
System::System(System&&) noexcept = default;
System& System::operator=(System&&) noexcept = default;

const Options& System::options() const { return impl_->options; }

std::vector<int> System::pids(std::error_code& ec) {
    ec.clear();
    std::vector<int> out;
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return out; }
    backend::list_pids(*impl_->ctx, out, ec);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<int> System::pids() {
    std::error_code ec;
    auto out = pids(ec);
    throw_if(ec, "listing processes");
    return out;
}

ProcessInfo System::process(std::int64_t pid, Groups groups, std::error_code& ec) {
    ec.clear();
    ProcessInfo info;
    if (!valid_pid(pid)) { ec = make_error_code(errc::invalid_argument); return info; }
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return info; }
    ec = read_checked(*impl_->ctx, static_cast<int>(pid), backend_groups(groups, {}) | Group::stat, info, nullptr);
    if (!ec && groups.has(Group::names)) fill_names(impl_->names, *impl_->ctx, info);
    return info;
}

ProcessInfo System::process(std::int64_t pid, Groups groups) {
    std::error_code ec;
    ProcessInfo info = process(pid, groups, ec);
    throw_if(ec, pid_what(pid));
    return info;
}

void System::read_more(ProcessInfo& proc, Groups groups, std::error_code& ec) {
    ec.clear();
    Groups need = backend_groups(groups, proc.groups_read);
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return; }
    if (!need.empty()) {
        if (!valid_pid(proc.pid)) { ec = make_error_code(errc::invalid_argument); return; }
        // Into a copy: a process that turns out gone (or its pid reused)
        // only after some groups were read must leave `proc` as it was.
        // A reused pid is refused before any read; the copy covers the
        // rarer case the re-check catches.
        ProcessInfo work = proc;
        ec = read_row(*impl_->ctx, proc.pid, proc.tid, need, work, &proc.start_ticks);
        if (ec) return;
        proc = std::move(work);
    }
    if (groups.has(Group::names)) fill_names(impl_->names, *impl_->ctx, proc);
    // w-status: a snapshot whose names are read names the status group's
    // ids as soon as they are read, as fill_names would have.
    else if (proc.groups_read.has(Group::names) && need.has(Group::status)) detail::fill_status_names(impl_->names, proc);
}

void System::read_more(ProcessInfo& proc, Groups groups) {
    std::error_code ec;
    read_more(proc, groups, ec);
    throw_if(ec, pid_what(proc.pid));
}

void System::refresh(ProcessInfo& proc, std::error_code& ec) {
    ec.clear();
    if (!valid_pid(proc.pid)) { ec = make_error_code(errc::invalid_argument); return; }
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return; }
    ProcessInfo fresh;
    Groups wanted = proc.groups_read | Group::stat;
    ec = read_row(*impl_->ctx, proc.pid, proc.tid, backend_groups(wanted, {}), fresh, &proc.start_ticks);
    if (ec) return;
    if (wanted.has(Group::names)) fill_names(impl_->names, *impl_->ctx, fresh);
    proc = std::move(fresh);
}

void System::refresh(ProcessInfo& proc) {
    std::error_code ec;
    refresh(proc, ec);
    throw_if(ec, pid_what(proc.pid));
}

namespace {

// Reads procs[first, last) (pids already stored in .pid); a process that
// fails to read (exited, hidden from us) gets pid -1 and is dropped later:
// no single process may fail the table.
// `skip`: a row another thread reads (the caller's own, see backend::self_pid).
void read_slice(backend::Context& ctx, Groups need, std::vector<ProcessInfo>& procs, std::size_t first,
                std::size_t last, std::size_t skip = SIZE_MAX) {
    for (std::size_t i = first; i < last; ++i) {
        if (i == skip) continue;
        ProcessInfo& p = procs[i];
        // The backend turns an allocation failure inside one attribute into
        // that attribute's status (ENOMEM); one escaping from elsewhere (a
        // name string, the row itself) drops this row only. Never out of a
        // reader thread: std::thread would call std::terminate.
        try {
            if (read_checked(ctx, p.pid, need, p, nullptr)) p.pid = -1;
        } catch (const std::bad_alloc&) {
            p = ProcessInfo();
            p.pid = -1;
        }
    }
}

// Workers claim small chunks from a shared counter instead of owning a fixed
// slice: on a VM whose vCPUs the host preempts, one stalled thread would
// otherwise hold the whole table back, and kernel threads (cheap: no mm)
// cluster at low pids. 32 rows are ~0.3 ms of work, so the counter is touched
// a few dozen times per 1,000 processes.
constexpr std::size_t kChunk = 32;

void read_chunks(backend::Context& ctx, Groups need, std::vector<ProcessInfo>& procs,
                 std::atomic<std::size_t>& next, std::size_t skip) {
    const std::size_t n = procs.size();
    for (;;) {
        std::size_t first = next.fetch_add(kChunk, std::memory_order_relaxed);
        if (first >= n) return;
        read_slice(ctx, need, procs, first, std::min(n, first + kChunk), skip);
    }
}

}  // namespace

ProcessTable System::table(Groups groups, std::error_code& ec) {
    ec.clear();
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return ProcessTable(); }
    auto& pids = impl_->pid_buffer;
    pids.clear();
    const Instant listed = Instant::now();
    backend::list_pids(*impl_->ctx, pids, ec);
    if (ec) return ProcessTable();
    std::sort(pids.begin(), pids.end());
    std::vector<ProcessInfo> procs(pids.size());
    for (std::size_t i = 0; i < pids.size(); ++i) procs[i].pid = pids[i];
    Groups need = backend_groups(groups, {});

    // Auto: two threads per CPU. A /proc read spends part of its time off
    // the CPU (measured on a 2-vCPU VM: psi-ps with 4 threads beat 2 threads
    // by ~25 % on 1,000 processes, 8 threads gained nothing more).
    std::size_t workers = impl_->options.threads <= 0 ? 2 * std::max(1u, std::thread::hardware_concurrency())
                                                      : static_cast<std::size_t>(impl_->options.threads);
    workers = std::min<std::size_t>({workers, 64, std::max<std::size_t>(1, procs.size() / 128)});
    if (workers <= 1) {
        read_slice(*impl_->ctx, need, procs, 0, procs.size());
    } else {
        // Each worker has its own backend context (fd, buffers); rows land
        // at their index, so the result stays in pid order.
        std::atomic<std::size_t> next{0};
        // Our own row is read here, before this thread can wait for the
        // workers: only then does it show us running (backend::self_pid).
        std::size_t self = SIZE_MAX;
        const int me = backend::self_pid(*impl_->ctx);
        if (auto it = std::lower_bound(pids.begin(), pids.end(), me); it != pids.end() && *it == me) {
            self = static_cast<std::size_t>(it - pids.begin());
            read_slice(*impl_->ctx, need, procs, self, self + 1);
        }
        std::vector<std::thread> threads;
        for (std::size_t w = 1; w < workers; ++w) {
            // No thread (threads-max, RLIMIT_NPROC) or no context (fd limit):
            // the threads that exist, at least this one, do the work.
            try {
                threads.emplace_back([&] {
                    // No context (no memory for one): the other threads
                    // take the chunks this one would have read.
                    try {
                        std::error_code wec;
                        backend::ContextPtr ctx = backend::open_worker(*impl_->ctx, wec);
                        if (ctx) read_chunks(*ctx, need, procs, next, self);
                    } catch (const std::bad_alloc&) {
                    }
                });
            } catch (const std::system_error&) {
                break;
            }
        }
        read_chunks(*impl_->ctx, need, procs, next, self);
        for (auto& t : threads) t.join();
    }
    std::erase_if(procs, [](const ProcessInfo& p) { return p.pid < 0; });
    if (groups.has(Group::names))
        for (auto& p : procs) fill_names(impl_->names, *impl_->ctx, p);
    return ProcessTable(std::move(procs), listed);
}

ProcessTable System::table(Groups groups) {
    std::error_code ec;
    ProcessTable t = table(groups, ec);
    throw_if(ec, "process table");
    return t;
}

// -- w-threads: the threads of one process --
std::vector<ProcessInfo> System::threads(std::int64_t pid, Groups groups, std::error_code& ec) {
    ec.clear();
    std::vector<ProcessInfo> out;
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return out; }
    if (!valid_pid(pid)) { ec = make_error_code(errc::invalid_argument); return out; }
    backend::ContextPtr tasks = backend::open_tasks(*impl_->ctx, static_cast<int>(pid), ec);
    if (!tasks) return out;
    std::vector<int> tids;
    backend::list_pids(*tasks, tids, ec);
    if (ec) return out;
    std::sort(tids.begin(), tids.end());
    // stat always, as for process(): it is the identity record.
    const Groups need = backend_groups(groups, {}) | Group::stat;
    out.reserve(tids.size());
    for (int tid : tids) {
        ProcessInfo row;
        // A thread that ended since the listing is left out, like a
        // process in table().
        if (read_checked(*tasks, tid, need, row, nullptr)) continue;
        row.pid = static_cast<int>(pid);
        row.tid = tid;
        if (groups.has(Group::names)) fill_names(impl_->names, *impl_->ctx, row);
        out.push_back(std::move(row));
    }
    // Even a zombie keeps its leader's task entry: none at all means the
    // directory we opened belonged to a process that has since been reaped.
    if (out.empty()) ec = make_error_code(errc::no_such_process);
    // The leader first, then by start time: the kernel's own order of
    // /proc/PID/task (the thread list, in creation order), which ps -L
    // shows. Ascending tids would differ once the pid counter wraps
    // (pid_max is 32768 on many systems): a new thread then gets a lower
    // tid than its leader. Same-tick ties keep tid order.
    std::stable_sort(out.begin(), out.end(), [pid](const ProcessInfo& a, const ProcessInfo& b) {
        const bool a_leader = a.tid == pid, b_leader = b.tid == pid;
        if (a_leader != b_leader) return a_leader;
        return a.start_ticks < b.start_ticks;
    });
    return out;
}

std::vector<ProcessInfo> System::threads(std::int64_t pid, Groups groups) {
    std::error_code ec;
    std::vector<ProcessInfo> out = threads(pid, groups, ec);
    throw_if(ec, pid_what(pid) + ": threads");
    return out;
}

bool System::exists(const ProcessInfo& proc) {
    if (!impl_->ctx || !valid_pid(proc.pid)) return false;
    if (proc.tid != 0) {  // a thread row: that thread, with its own start
        std::error_code ec;
        backend::ContextPtr tasks = backend::open_tasks(*impl_->ctx, proc.pid, ec);
        std::uint64_t ticks = 0;
        return tasks && !backend::start_ticks(*tasks, proc.tid, ticks, &proc.start_ticks) &&
               ticks == proc.start_ticks;
    }
    std::uint64_t ticks = 0;
    return !backend::start_ticks(*impl_->ctx, proc.pid, ticks, &proc.start_ticks) && ticks == proc.start_ticks;
}

ProcessHandle& ProcessHandle::operator=(ProcessHandle&& other) noexcept {
    if (this != &other) {
        backend::close_handle(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

ProcessHandle::~ProcessHandle() { backend::close_handle(fd_); }

ProcessHandle System::pin(const ProcessInfo& proc, std::error_code& ec) {
    ec.clear();
    ProcessHandle h;
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return h; }
    h.fd_ = backend::open_handle(*impl_->ctx, proc.pid, ec);
    if (ec) return h;
    // The handle names whichever process had the pid when it was opened.
    // The start time is read after that: a pid is not reused while its
    // process exists (zombies included), so if the pid still has proc's
    // start, the process the handle names has it too and is the one that
    // was read. Without a handle the same check is the best there is.
    if (!exists(proc)) {
        h = ProcessHandle();
        ec = make_error_code(errc::no_such_process);
    }
    return h;
}

ProcessHandle System::pin(const ProcessInfo& proc) {
    std::error_code ec;
    ProcessHandle h = pin(proc, ec);
    throw_if(ec, pid_what(proc.pid));
    return h;
}

void System::kill(const ProcessInfo& proc, const ProcessHandle& handle, int sig, std::error_code& ec) {
    ec.clear();
    if (sig < 0 || sig > 64) { ec = make_error_code(errc::invalid_argument); return; }
    if (handle.pinned()) {
        ec = backend::signal_handle(handle.fd_, sig);
        return;
    }
    kill(proc, sig, ec);
}

void System::kill(const ProcessInfo& proc, const ProcessHandle& handle, int sig) {
    std::error_code ec;
    kill(proc, handle, sig, ec);
    throw_if(ec, pid_what(proc.pid) + ": kill(" + std::to_string(sig) + ")");
}

void System::kill(const ProcessInfo& proc, int sig, std::error_code& ec) {
    ec.clear();
    if (sig < 0 || sig > 64) { ec = make_error_code(errc::invalid_argument); return; }
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return; }
    // A pidfd taken now and checked against the start time: the signal
    // reaches the process that was read or none, whatever happens to the
    // pid between the check and the signal.
    ProcessHandle h = pin(proc, ec);
    if (ec) return;
    if (h.pinned()) {
        ec = backend::signal_handle(h.fd_, sig);
        return;
    }
    // No pidfd (another OS, an old kernel, a foreign root: send_signal
    // refuses that): check identity, then kill(2). Between the two the
    // process may exit and its pid be reused (docs/limits.md).
    if (!exists(proc)) { ec = make_error_code(errc::no_such_process); return; }
    ec = backend::send_signal(*impl_->ctx, proc.pid, sig);
}

void System::kill(const ProcessInfo& proc, int sig) {
    std::error_code ec;
    kill(proc, sig, ec);
    throw_if(ec, pid_what(proc.pid) + ": kill(" + std::to_string(sig) + ")");
}

// Without a context (the non-throwing constructor failed) there is no
// backend to ask: the documented empty ArchInfo (include/psi/system.hpp).
ArchInfo System::arch() { return impl_->ctx ? backend::arch(*impl_->ctx) : ArchInfo(); }

int System::pid_max(std::error_code& ec) {
    int out = 0;
    ec = impl_->ctx ? backend::pid_max(*impl_->ctx, out) : make_error_code(errc::proc_root_unusable);
    return ec ? 0 : out;
}

LoadAvg System::loadavg(std::error_code& ec) {
    LoadAvg out;
    ec = impl_->ctx ? backend::loadavg(*impl_->ctx, out) : make_error_code(errc::proc_root_unusable);
    return out;
}
LoadAvg System::loadavg() {
    std::error_code ec;
    LoadAvg out = loadavg(ec);
    throw_if(ec, "loadavg");
    return out;
}

TimeSpec System::boot_time(std::error_code& ec) {
    TimeSpec out;
    ec = impl_->ctx ? backend::boot_time(*impl_->ctx, out) : make_error_code(errc::proc_root_unusable);
    return out;
}
TimeSpec System::boot_time() {
    std::error_code ec;
    TimeSpec out = boot_time(ec);
    throw_if(ec, "boot time");
    return out;
}

TimeSpec System::uptime(std::error_code& ec) {
    TimeSpec out;
    ec = impl_->ctx ? backend::uptime(*impl_->ctx, out) : make_error_code(errc::proc_root_unusable);
    return out;
}
TimeSpec System::uptime() {
    std::error_code ec;
    TimeSpec out = uptime(ec);
    throw_if(ec, "uptime");
    return out;
}

std::vector<MountInfo> System::mounts(bool include_remote, std::chrono::milliseconds timeout, std::error_code& ec) {
    std::vector<MountInfo> out;
    // A negative wait is no wait.
    timeout = std::max(timeout, std::chrono::milliseconds::zero());
    ec = impl_->ctx ? backend::mounts(*impl_->ctx, include_remote, timeout, out)
                    : make_error_code(errc::proc_root_unusable);
    return out;
}
std::vector<MountInfo> System::mounts(bool include_remote, std::error_code& ec) {
    return mounts(include_remote, kDefaultMountTimeout, ec);
}
std::vector<MountInfo> System::mounts(bool include_remote, std::chrono::milliseconds timeout) {
    std::error_code ec;
    auto out = mounts(include_remote, timeout, ec);
    throw_if(ec, "mounts");
    return out;
}

// ---- system figures: each a backend call behind the two error styles ----

namespace {

template <class T, class F>
T figure(System::Impl& impl, std::error_code& ec, F&& read) {
    T out{};
    ec = impl.ctx ? read(*impl.ctx, out) : make_error_code(errc::proc_root_unusable);
    return out;
}

}  // namespace

std::vector<CpuTimes> System::cpu_times(bool percpu, std::error_code& ec) {
    return figure<std::vector<CpuTimes>>(*impl_, ec, [&](backend::Context& c, std::vector<CpuTimes>& out) {
        return backend::cpu_times(c, percpu, out);
    });
}
std::vector<CpuTimes> System::cpu_times(bool percpu) {
    std::error_code ec;
    auto out = cpu_times(percpu, ec);
    throw_if(ec, "cpu times");
    return out;
}

MemoryInfo System::memory(std::error_code& ec) {
    return figure<MemoryInfo>(*impl_, ec, [](backend::Context& c, MemoryInfo& out) { return backend::memory(c, out); });
}
MemoryInfo System::memory() {
    std::error_code ec;
    auto out = memory(ec);
    throw_if(ec, "memory");
    return out;
}

SwapInfo System::swap(std::error_code& ec) {
    return figure<SwapInfo>(*impl_, ec, [](backend::Context& c, SwapInfo& out) { return backend::swap(c, out); });
}
SwapInfo System::swap() {
    std::error_code ec;
    auto out = swap(ec);
    throw_if(ec, "swap");
    return out;
}

Pressure System::pressure(std::error_code& ec) {
    return figure<Pressure>(*impl_, ec, [](backend::Context& c, Pressure& out) { return backend::pressure(c, out); });
}
Pressure System::pressure() {
    std::error_code ec;
    auto out = pressure(ec);
    throw_if(ec, "pressure");
    return out;
}

CgroupLimits System::cgroup_limits(std::error_code& ec) {
    return figure<CgroupLimits>(*impl_, ec, [&](backend::Context& c, CgroupLimits& out) {
        return backend::cgroup_limits(c, impl_->options.cgroup_root, out);
    });
}
CgroupLimits System::cgroup_limits() {
    std::error_code ec;
    auto out = cgroup_limits(ec);
    throw_if(ec, "cgroup limits");
    return out;
}

int System::effective_cpu_count() {
    int n = impl_->ctx ? backend::affinity_cpu_count(*impl_->ctx) : 0;
    if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
    if (n <= 0) n = 1;
    std::error_code ec;
    CgroupLimits limits = cgroup_limits(ec);
    if (!ec && limits.cpu_max) n = std::min(n, limits.cpu_max->cpus());
    return std::max(n, 1);
}

const std::string& System::user_name(std::uint32_t uid) { return impl_->names.user(uid); }
const std::string& System::group_name(std::uint32_t gid) { return impl_->names.group(gid); }

const ProcessInfo* ProcessTable::find(int pid) const {
    auto it = std::lower_bound(procs_.begin(), procs_.end(), pid,
                               [](const ProcessInfo& p, int v) { return p.pid < v; });
    return it != procs_.end() && it->pid == pid ? &*it : nullptr;
}

// -- x-openfiles: the regular files a process has open --
namespace {

// The identity is checked on both sides of the read: before, so a reused
// pid is refused at once; after, so a list read while the process exited
// (its descriptors vanishing one by one, which reads as "closed, left
// out") or while its pid went to another process is never returned as if
// it were whole.
std::error_code open_files_checked(backend::Context& ctx, int pid, const std::uint64_t* expect,
                                   std::vector<OpenFile>& out) {
    std::uint64_t before = 0;
    if (std::error_code ec = backend::start_ticks(ctx, pid, before, expect)) return ec;
    if (expect && before != *expect) return make_error_code(errc::no_such_process);
    std::error_code ec = backend::open_files(ctx, pid, out);
    std::uint64_t after = 0;
    if (backend::start_ticks(ctx, pid, after, &before) || after != before)
        ec = make_error_code(errc::no_such_process);
    if (ec) {
        out.clear();
        return ec;
    }
    std::sort(out.begin(), out.end(), [](const OpenFile& a, const OpenFile& b) { return a.fd < b.fd; });
    return {};
}

}  // namespace

std::vector<OpenFile> System::open_files(const ProcessInfo& proc, std::error_code& ec) {
    ec.clear();
    std::vector<OpenFile> out;
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return out; }
    if (!valid_pid(proc.pid)) { ec = make_error_code(errc::invalid_argument); return out; }
    if (proc.tid == 0) {
        ec = open_files_checked(*impl_->ctx, proc.pid, &proc.start_ticks, out);
        return out;
    }
    backend::ContextPtr tasks = backend::open_tasks(*impl_->ctx, proc.pid, ec);
    if (tasks) ec = open_files_checked(*tasks, proc.tid, &proc.start_ticks, out);
    return out;
}

std::vector<OpenFile> System::open_files(const ProcessInfo& proc) {
    std::error_code ec;
    std::vector<OpenFile> out = open_files(proc, ec);
    throw_if(ec, pid_what(proc.pid) + ": open_files");
    return out;
}

std::vector<OpenFile> System::open_files(std::int64_t pid, std::error_code& ec) {
    ec.clear();
    std::vector<OpenFile> out;
    if (!valid_pid(pid)) { ec = make_error_code(errc::invalid_argument); return out; }
    if (!impl_->ctx) { ec = make_error_code(errc::proc_root_unusable); return out; }
    ec = open_files_checked(*impl_->ctx, static_cast<int>(pid), nullptr, out);
    return out;
}

std::vector<OpenFile> System::open_files(std::int64_t pid) {
    std::error_code ec;
    std::vector<OpenFile> out = open_files(pid, ec);
    throw_if(ec, pid_what(pid) + ": open_files");
    return out;
}

}  // namespace psi
