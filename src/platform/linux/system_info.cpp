// System-wide facts: uname, CPU and memory sizes, load, boot time, mounts.
#include <dirent.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <set>
#include <utility>

#include "core/backend_system.hpp"
#include "platform/linux/context.hpp"
#include "platform/posix/fs_sizes.hpp"
#include "platform/posix/parse.hpp"
#include "platform/posix/system_facts.hpp"

namespace psi::backend {

using linux_proc::read_file;

namespace {

// Cores = distinct (package, core) pairs in sysfs topology; nullopt if the
// kernel does not expose topology (some containers, old kernels).
std::optional<int> physical_cores() {
    DIR* dir = ::opendir("/sys/devices/system/cpu");
    if (!dir) return std::nullopt;
    std::set<std::pair<long, long>> cores;
    auto read_long = [](const std::string& path) -> std::optional<long> {
        FILE* f = std::fopen(path.c_str(), "re");
        if (!f) return std::nullopt;
        long v = 0;
        int ok = std::fscanf(f, "%ld", &v);
        std::fclose(f);
        return ok == 1 ? std::optional<long>(v) : std::nullopt;
    };
    while (dirent* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name.size() < 4 || name.compare(0, 3, "cpu") != 0 || name[3] < '0' || name[3] > '9') continue;
        std::string base = "/sys/devices/system/cpu/" + name + "/topology/";
        auto pkg = read_long(base + "physical_package_id");
        auto core = read_long(base + "core_id");
        if (pkg && core) cores.emplace(*pkg, *core);
    }
    ::closedir(dir);
    if (cores.empty()) return std::nullopt;
    return static_cast<int>(cores.size());
}

}  // namespace

// Zones are a Solaris facility; there is no zone id to name here.
std::error_code zone_name(Context&, int, std::string&) { return make_error_code(errc::attr_not_implemented); }

ArchInfo arch(Context& ctx) {
    ArchInfo a;
    posix::fill_uname(a);
    a.release_info = posix::release_numbers(a.release);
    posix::fill_sysconf(a, ctx.page_size, ctx.clk_tck);
    a.physical_cpu_count = physical_cores();
    if (pid_max(ctx, a.pid_max)) a.pid_max = 0;
    return a;
}

std::error_code pid_max(Context& ctx, int& out) {
    // proc(5): pids wrap around on reaching this value. Read under the
    // proc root (a container's or a fixture's), through read_file, which
    // never blocks on a FIFO planted there.
    auto r = read_file(ctx, "sys/kernel/pid_max", true, 64);
    std::optional<int> v = r.err ? std::nullopt : posix::decimal_value(r.data);
    if (!v || *v <= 0) return make_error_code(errc::attr_not_available);
    out = *v;
    return {};
}

std::error_code loadavg(Context& ctx, LoadAvg& out) {
    // glibc's getloadavg(3) (and so Python's os.getloadavg()) takes the
    // kernel's fixed-point averages from sysinfo(2); /proc/loadavg shows
    // them rounded to two decimals. Use sysinfo for our own /proc so the
    // values are equal, the file for any other proc root.
    if (ctx.is_own_proc()) {
        struct sysinfo si{};
        if (::sysinfo(&si) == 0) {
            constexpr double kScale = 1 << SI_LOAD_SHIFT;
            out = LoadAvg{static_cast<double>(si.loads[0]) / kScale, static_cast<double>(si.loads[1]) / kScale,
                          static_cast<double>(si.loads[2]) / kScale};
            return {};
        }
    }
    auto r = read_file(ctx, "loadavg", true);
    if (r.err) return make_error_code(r.err == ENOENT ? errc::proc_root_unusable : errc::os_error);
    auto v = linux_proc::parse_loadavg(r.data);
    if (!v) return make_error_code(errc::parse_error);
    out = *v;
    return {};
}

std::error_code boot_time(Context& ctx, TimeSpec& out) {
    // CLOCK_REALTIME - CLOCK_BOOTTIME is sub-second, unlike /proc/stat btime.
    out = linux_proc::boot_instant(ctx);
    return {};
}

std::error_code uptime(Context& ctx, TimeSpec& out) {
    (void)ctx;
    timespec ts{};
    if (::clock_gettime(CLOCK_BOOTTIME, &ts) != 0) return make_error_code(errc::os_error);
    out = TimeSpec(ts.tv_sec, ts.tv_nsec);
    return {};
}

std::error_code mounts(Context& ctx, bool include_remote, std::chrono::milliseconds slow_timeout,
                       std::vector<MountInfo>& out) {
    auto r = read_file(ctx, "self/mounts", false, linux_proc::kMaxTableFile);
    if (r.err) r = read_file(ctx, "mounts", false, linux_proc::kMaxTableFile);
    if (r.err) return make_error_code(errc::proc_root_unusable);
    for (auto& line : linux_proc::parse_mounts(r.data)) {
        MountInfo m;
        m.remote = linux_proc::is_remote_mount(line.fstype);
        if (m.remote && !include_remote) continue;
        if (m.remote) m.host = posix::mount_host(line.device);
        m.device = std::move(line.device);
        m.mountpoint = std::move(line.mountpoint);
        m.fstype = std::move(line.fstype);
        m.options = std::move(line.options);
        posix::fill_fs_sizes(m, slow_timeout);
        out.push_back(std::move(m));
    }
    return {};
}

}  // namespace psi::backend
