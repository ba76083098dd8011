// System-wide facts on Solaris/illumos: uname, CPUs and memory (sysconf),
// load (getloadavg), boot time (utmpx BOOT_TIME), mounts (/etc/mnttab).
//
// Written against the documented interfaces (uname(2), sysconf(3C),
// getloadavg(3C), getutxid(3C), getmntent(3C), getzonenamebyid(3C),
// statvfs(2)); it needs the Solaris headers (<sys/mnttab.h>, <zone.h>,
// <utmpx.h>). It has never run: it is compiled on Linux against illumos
// headers for x86_64 and sparcv9 (tests/cross/check_solaris.sh). See
// docs/solaris.md.
// <sys/mnttab.h> declares getmntent(FILE*, ...) without including
// <stdio.h> itself.
#include <stdio.h>
#include <sys/mnttab.h>
#include <unistd.h>
#include <utmpx.h>
#include <zone.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "core/backend_system.hpp"
#include "platform/solaris/context.hpp"
#include "platform/posix/fs_sizes.hpp"
#include "platform/posix/parse.hpp"
#include "platform/posix/system_facts.hpp"

namespace psi::backend {

namespace {

// getutxid and getmntent keep per-process state (the utmpx file position,
// static result buffers): one caller at a time, whatever System it uses.
std::mutex g_utmpx_mu;
std::mutex g_mnttab_mu;

}  // namespace

std::error_code zone_name(Context&, int zoneid, std::string& out) {
    // getzonenamebyid(3C): the name's length including the NUL, or -1 with
    // EINVAL when no zone has that id (halted since the psinfo was read).
    char buf[ZONENAME_MAX];
    ssize_t n = ::getzonenamebyid(static_cast<zoneid_t>(zoneid), buf, sizeof buf);
    if (n < 0) return make_error_code(errc::attr_not_available);
    out.assign(buf);
    return {};
}

ArchInfo arch(Context& ctx) {
    ArchInfo a;
    posix::fill_uname(a);
    a.release_info = posix::release_numbers(a.release);
    posix::fill_sysconf(a, ctx.page_size, ctx.clk_tck);
    // Cores would come from kstat cpu_info:*:core_id (libkstat); not read.
    a.physical_cpu_count = std::nullopt;
    (void)pid_max(ctx, a.pid_max);
    return a;
}

std::error_code pid_max(Context&, int& out) {
    // sysconf(_SC_MAXPID) is the largest pid (the kernel's maxpid, set in
    // /etc/system; pids run 0..maxpid), so pid_max in Linux's sense is one
    // more. Unanswered: <sys/param.h>'s DEFAULT_MAXPID of 64-bit kernels
    // (999999), the only kind psi builds for.
    long maxpid = ::sysconf(_SC_MAXPID);
    out = maxpid > 0 && maxpid < INT_MAX ? static_cast<int>(maxpid) + 1 : 999999 + 1;
    return {};
}

std::error_code loadavg(Context& ctx, LoadAvg& out) {
    (void)ctx;
    return posix::load_average(out);
}

std::error_code boot_time(Context& ctx, TimeSpec& out) {
    (void)ctx;
    // The BOOT_TIME record of utmpx (written by the system at boot; in a
    // non-global zone, the zone's boot). kstat unix:0:system_misc:boot_time
    // is the alternative: whole seconds, and it needs libkstat.
    std::lock_guard<std::mutex> lock(g_utmpx_mu);
    ::setutxent();
    utmpx key{};
    key.ut_type = BOOT_TIME;
    const utmpx* rec = ::getutxid(&key);
    bool found = rec != nullptr;
    if (found) out = TimeSpec(rec->ut_tv.tv_sec, static_cast<std::int64_t>(rec->ut_tv.tv_usec) * 1000);
    ::endutxent();
    return found ? std::error_code{} : make_error_code(errc::os_error);
}

std::error_code uptime(Context& ctx, TimeSpec& out) {
    TimeSpec boot;
    if (auto ec = boot_time(ctx, boot)) return ec;
    return posix::time_since(boot, out);
}

std::error_code mounts(Context& ctx, bool include_remote, std::chrono::milliseconds slow_timeout,
                       std::vector<MountInfo>& out) {
    (void)ctx;
    std::vector<MountInfo> found;
    {
        std::lock_guard<std::mutex> lock(g_mnttab_mu);
        std::FILE* f = std::fopen(MNTTAB, "r");  // /etc/mnttab, the mntfs table
        if (!f) return make_error_code(errc::os_error);
        struct mnttab mt{};
        int rc;
        // 0: an entry; -1: end of table; > 0 (MNT_TOOLONG ...): a bad line,
        // which is skipped so one entry never fails the list.
        while ((rc = ::getmntent(f, &mt)) != -1) {
            if (rc != 0) continue;
            MountInfo m;
            m.device = mt.mnt_special ? mt.mnt_special : "";
            m.mountpoint = mt.mnt_mountp ? mt.mnt_mountp : "";
            m.fstype = mt.mnt_fstype ? mt.mnt_fstype : "";
            m.options = mt.mnt_mntopts ? mt.mnt_mntopts : "";
            m.remote = solaris_proc::is_remote_mount(m.fstype);
            if (m.remote && !include_remote) continue;
            if (m.remote) m.host = posix::mount_host(m.device);
            found.push_back(std::move(m));
        }
        std::fclose(f);
    }
    for (auto& m : found) {
        posix::fill_fs_sizes(m, slow_timeout);
        out.push_back(std::move(m));
    }
    return {};
}

}  // namespace psi::backend
