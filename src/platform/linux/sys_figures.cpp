// System figures on Linux: /proc/stat, /proc/meminfo, /proc/vmstat,
// /proc/pressure/* (read under the proc root, so a fixture tree or a host's
// proc mounted in a container answers for its system), and the cgroup v2
// files of the calling process's cgroup. The decoding is in sys_parse.cpp.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "core/backend_system.hpp"
#include "platform/linux/context.hpp"
#include "platform/linux/sys_parse.hpp"

namespace psi::backend {

using linux_proc::read_file;

namespace {

// The error for a system-wide file under the root that cannot be read: a
// root without it is not a usable proc (every procfs since 2.6 has stat,
// meminfo and vmstat).
std::error_code read_error(int err) {
    return make_error_code(err == ENOENT ? errc::proc_root_unusable : errc::os_error);
}

// A small file outside the proc root (cgroupfs), whole. errno on failure.
// cgroup interface files are a line or a few (cgroup-v2.rst); 64 KiB
// bounds a damaged or hostile mount.
int read_small(const std::string& path, std::string& out) {
    out.clear();
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return errno;
    char buf[4096];
    int err = 0;
    while (out.size() < (std::size_t{64} << 10)) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return err;
}

}  // namespace

std::error_code cpu_times(Context& ctx, bool percpu, std::vector<CpuTimes>& out) {
    // /proc/stat's values are in USER_HZ, which is what sysconf(_SC_CLK_TCK)
    // reports (proc(5)).
    auto r = read_file(ctx, "stat", false);
    if (r.err) return read_error(r.err);
    auto rows = linux_sys::parse_stat_cpus(r.data, percpu);
    if (rows.empty()) return make_error_code(errc::parse_error);
    out.clear();
    for (const auto& t : rows) out.push_back(linux_sys::cpu_times_from_ticks(t, static_cast<std::uint64_t>(ctx.clk_tck)));
    return {};
}

std::error_code memory(Context& ctx, MemoryInfo& out) {
    auto r = read_file(ctx, "meminfo", false);
    if (r.err) return read_error(r.err);
    auto m = linux_sys::memory_from_meminfo(linux_sys::parse_meminfo(r.data));
    if (!m) return make_error_code(errc::parse_error);
    out = *m;
    return {};
}

std::error_code swap(Context& ctx, SwapInfo& out) {
    auto r = read_file(ctx, "meminfo", false);
    if (r.err) return read_error(r.err);
    auto s = linux_sys::swap_from_meminfo(linux_sys::parse_meminfo(r.data));
    if (!s) return make_error_code(errc::parse_error);
    // pswpin/pswpout count pages (mm/page_io.c counts each swapped page);
    // psutil multiplies by the page size too. A kernel without
    // CONFIG_VM_EVENT_COUNTERS has no such lines: 0.
    r = read_file(ctx, "vmstat", false);
    if (!r.err) {
        auto pages = linux_sys::parse_vmstat_swap(r.data);
        auto page = static_cast<std::uint64_t>(ctx.page_size);
        s->sin = pages.in.value_or(0) * page;
        s->sout = pages.out.value_or(0) * page;
    }
    out = *s;
    return {};
}

std::error_code pressure(Context& ctx, Pressure& out) {
    // /proc/pressure exists only when the kernel has CONFIG_PSI and was not
    // booted with psi=0 (ENOENT); a kernel whose PSI is disabled at run
    // time answers reads with EOPNOTSUPP (kernel/sched/psi.c). Either way
    // that resource is left empty.
    out = Pressure{};
    bool any = false;
    auto one = [&](const char* rel, std::optional<PressureResource>& slot) {
        auto r = read_file(ctx, rel, false);
        if (r.err) return;
        slot = linux_sys::parse_pressure(r.data);
        any = any || slot.has_value();
    };
    one("pressure/cpu", out.cpu);
    one("pressure/memory", out.memory);
    one("pressure/io", out.io);
    return any ? std::error_code{} : make_error_code(errc::attr_not_available);
}

std::error_code cgroup_limits(Context& ctx, const std::string& cgroup_root, CgroupLimits& out) {
    out = CgroupLimits{};
    auto r = read_file(ctx, "self/cgroup", false);
    if (r.err) return make_error_code(r.err == ENOENT ? errc::attr_not_available : errc::os_error);
    auto path = linux_sys::parse_cgroup_v2_path(r.data);
    // No "0::" line: this process is in no cgroup v2 hierarchy (v1 only).
    if (!path) return make_error_code(errc::attr_not_available);
    auto ancestors = linux_sys::cgroup_ancestors(*path);
    if (!ancestors) return make_error_code(errc::attr_not_available);
    std::string mount = cgroup_root;
    if (mount.empty()) {
        r = read_file(ctx, "self/mounts", false);
        if (r.err) return make_error_code(errc::attr_not_available);
        auto found = linux_sys::find_cgroup2_mount(r.data);
        if (!found) return make_error_code(errc::attr_not_available);
        mount = *found;
    }
    while (mount.size() > 1 && mount.back() == '/') mount.pop_back();
    auto dir = [&](const std::string& cg) { return cg == "/" ? mount : mount + cg; };
    out.path = *path;
    out.mount = mount;

    std::string text;
    // Our own cgroup's directory must be there; otherwise the mount is not
    // the hierarchy the path is relative to (a subtree bind-mounted into a
    // container without a cgroup namespace).
    if (int err = read_small(dir(ancestors->front()) + "/cgroup.controllers", text))
        return make_error_code(err == ENOENT ? errc::attr_not_available : errc::os_error);
    // The hierarchy's root (or our namespace's root) lists the controllers
    // bound to v2; on a hybrid system cpu and memory may be v1's, and v2
    // then enforces neither.
    if (!read_small(dir("/") + "/cgroup.controllers", text)) {
        out.cpu_controller = linux_sys::has_word(text, "cpu");
        out.memory_controller = linux_sys::has_word(text, "memory");
    }

    // Every ancestor's limit applies (a child cannot exceed its parent's
    // share: cgroup-v2.rst "Top-down Constraint"); the tightest one wins.
    // A cgroup without the file (controller not enabled for it, the root)
    // adds no limit.
    double tightest_cpu = 0;
    for (const std::string& cg : *ancestors) {
        if (out.cpu_controller && !read_small(dir(cg) + "/cpu.max", text)) {
            auto c = linux_sys::parse_cpu_max(text);
            if (c && c->quota) {
                double ratio = static_cast<double>(*c->quota) / static_cast<double>(c->period);
                if (!out.cpu_max || ratio < tightest_cpu) {
                    out.cpu_max = CpuMax{*c->quota, c->period, cg};
                    tightest_cpu = ratio;
                }
            }
        }
        if (out.memory_controller && !read_small(dir(cg) + "/memory.max", text)) {
            bool no_limit = false;
            auto v = linux_sys::parse_cgroup_bytes(text, &no_limit);
            if (v && !no_limit && (!out.memory_max || *v < *out.memory_max)) out.memory_max = *v;
        }
    }
    if (out.memory_controller && !read_small(dir(ancestors->front()) + "/memory.current", text)) {
        bool no_limit = false;
        auto v = linux_sys::parse_cgroup_bytes(text, &no_limit);
        if (v && !no_limit) out.memory_current = *v;
    }
    return {};
}

int affinity_cpu_count(Context& ctx) {
    (void)ctx;
    // The kernel answers with the mask ANDed with the active CPUs
    // (sched_getaffinity(2), kernel/sched/core.c), and EINVAL when our
    // buffer is smaller than its cpumask: grow until it fits.
    std::vector<unsigned long> mask(16);  // 1024 CPUs
    for (int tries = 0; tries < 8; ++tries) {
        std::size_t bytes = mask.size() * sizeof(unsigned long);
        if (::sched_getaffinity(0, bytes, reinterpret_cast<cpu_set_t*>(mask.data())) == 0) {
            int n = 0;
            for (unsigned long w : mask) n += __builtin_popcountl(w);
            return n;
        }
        if (errno != EINVAL) return 0;
        mask.resize(mask.size() * 4);
    }
    return 0;
}

}  // namespace psi::backend
