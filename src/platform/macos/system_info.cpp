// System-wide facts on macOS: uname(3), hw.* sysctls, getloadavg(3),
// kern.boottime, getfsstat(2).
#include <sys/mount.h>
#include <sys/param.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>

#include "core/backend_system.hpp"
#include "platform/macos/context.hpp"
#include "platform/posix/parse.hpp"
#include "platform/posix/system_facts.hpp"

namespace psi::backend {

namespace {

static_assert(macos::kMntLocal == MNT_LOCAL && macos::kMntRdonly == MNT_RDONLY && macos::kMntNoatime == MNT_NOATIME);

template <class T>
bool sysctl_value(const char* name, T& out) {
    T v{};
    std::size_t len = sizeof v;
    if (::sysctlbyname(name, &v, &len, nullptr, 0) != 0 || len != sizeof v) return false;
    out = v;
    return true;
}

}  // namespace

// Zones are a Solaris facility; there is no zone id to name here.
std::error_code zone_name(Context&, int, std::string&) { return make_error_code(errc::attr_not_implemented); }

ArchInfo arch(Context& ctx) {
    ArchInfo a;
    posix::fill_uname(a);
    a.release_info = posix::release_numbers(a.release);
    // hw.logicalcpu is the number available now, hw.ncpu the maximum
    // (sysctl(3) on macOS); hw.physicalcpu counts cores.
    int n = 0;
    if (sysctl_value("hw.logicalcpu", n) && n > 0) a.cpu_count = n;
    else if (sysctl_value("hw.ncpu", n) && n > 0) a.cpu_count = n;
    if (sysctl_value("hw.physicalcpu", n) && n > 0) a.physical_cpu_count = n;
    a.page_size = ctx.page_size;
    // No tick-based process clock is exported (times come in Mach units);
    // sysconf(_SC_CLK_TCK) reports the BSD-compatible 100.
    long hz = ::sysconf(_SC_CLK_TCK);
    a.clock_ticks = hz > 0 ? hz : 100;
    std::uint64_t mem = 0;
    if (sysctl_value("hw.memsize", mem)) a.total_memory = mem;
    a.bits = static_cast<int>(sizeof(void*) * 8);
    (void)pid_max(ctx, a.pid_max);
    return a;
}

std::error_code pid_max(Context&, int& out) {
    // XNU's PID_MAX (bsd/sys/proc_internal.h, not in the SDK): pids stay
    // below it and wrap to 100. No sysctl reports it.
    out = 99999;
    return {};
}

std::error_code loadavg(Context& ctx, LoadAvg& out) {
    (void)ctx;
    return posix::load_average(out);
}

std::error_code boot_time(Context& ctx, TimeSpec& out) {
    (void)ctx;
    // kern.boottime is a struct timeval: microsecond precision, fixed for
    // the life of the system (adjusted by the kernel if the clock steps).
    int mib[2] = {CTL_KERN, KERN_BOOTTIME};
    timeval tv{};
    std::size_t len = sizeof tv;
    if (::sysctl(mib, 2, &tv, &len, nullptr, 0) != 0 || len != sizeof tv) return make_error_code(errc::os_error);
    out = macos::start_time_from_timeval(tv.tv_sec, tv.tv_usec);
    return {};
}

std::error_code uptime(Context& ctx, TimeSpec& out) {
    TimeSpec boot;
    if (auto ec = boot_time(ctx, boot)) return ec;
    return posix::time_since(boot, out);
}

// getfsstat(MNT_NOWAIT) reads cached sizes and never waits: no timeout to apply.
std::error_code mounts(Context& ctx, bool include_remote, std::chrono::milliseconds,
                       std::vector<MountInfo>& out) {
    (void)ctx;
    // getfsstat(2) with MNT_NOWAIT: cached statistics, so a hung network
    // mount cannot block the listing. Retry while mounts appear between the
    // count and the copy (a full buffer may mean some were cut off).
    std::vector<struct statfs> fs;
    int got = 0;
    for (int attempt = 0; attempt < 4; ++attempt) {
        int count = ::getfsstat(nullptr, 0, MNT_NOWAIT);
        if (count < 0) return make_error_code(errc::os_error);
        fs.resize(static_cast<std::size_t>(count) + 8);
        got = ::getfsstat(fs.data(), static_cast<int>(fs.size() * sizeof(struct statfs)), MNT_NOWAIT);
        if (got < 0) return make_error_code(errc::os_error);
        if (static_cast<std::size_t>(got) < fs.size()) break;
    }
    fs.resize(static_cast<std::size_t>(got));
    for (const struct statfs& s : fs) {
        MountInfo m;
        auto flags = static_cast<std::uint32_t>(s.f_flags);
        m.remote = macos::is_remote(flags);
        if (m.remote && !include_remote) continue;
        m.device = std::string(macos::c_field(s.f_mntfromname, sizeof s.f_mntfromname));
        m.mountpoint = std::string(macos::c_field(s.f_mntonname, sizeof s.f_mntonname));
        m.fstype = std::string(macos::c_field(s.f_fstypename, sizeof s.f_fstypename));
        m.options = macos::mount_options(flags);
        if (m.remote) m.host = posix::mount_host(m.device);
        auto bsize = static_cast<std::uint64_t>(s.f_bsize);
        m.total.set(static_cast<std::uint64_t>(s.f_blocks) * bsize);
        m.free.set(static_cast<std::uint64_t>(s.f_bfree) * bsize);
        m.available.set(static_cast<std::uint64_t>(s.f_bavail) * bsize);
        m.inodes.set(static_cast<std::uint64_t>(s.f_files));
        m.free_inodes.set(static_cast<std::uint64_t>(s.f_ffree));
        // statfs has no "available to non-root" inode count; macOS's own
        // statvfs(3) reports f_favail = f_ffree, so do the same.
        m.available_inodes.set(static_cast<std::uint64_t>(s.f_ffree));
        out.push_back(std::move(m));
    }
    return {};
}

}  // namespace psi::backend
