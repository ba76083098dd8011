// System facts every POSIX backend reads the same way: uname(2) and
// sysconf(3) into ArchInfo, getloadavg(3), uptime from a boot instant.
// (A mount's sizes: fs_sizes.hpp.)
#pragma once

#include <system_error>

#include "psi/system.hpp"

namespace psi::posix {

// sysname, nodename, release, version, machine; left empty when uname fails.
void fill_uname(ArchInfo& a);

// What sysconf(3) says on every POSIX system: online CPUs, physical memory
// (pages x page size), and the given page size and clock ticks; plus the
// pointer width of this build.
void fill_sysconf(ArchInfo& a, long page_size, long clock_ticks);

// CLOCK_REALTIME now minus `boot`: uptime where the system gives only a boot
// instant (macOS KERN_BOOTTIME, Solaris utmpx BOOT_TIME).
std::error_code time_since(const TimeSpec& boot, TimeSpec& out);

// getloadavg(3): 1, 5 and 15 minute averages; os_error when it fails.
std::error_code load_average(LoadAvg& out);

}  // namespace psi::posix
