#include "platform/posix/system_facts.hpp"

#include <sys/utsname.h>
#include <unistd.h>
#if defined(__sun)
// Solaris/illumos declare getloadavg(3C) only in <sys/loadavg.h>, which uses
// hrtime_t without including <sys/time.h> itself.
#include <sys/time.h>
#include <sys/loadavg.h>
#endif

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <ctime>

#include "psi/error.hpp"

namespace psi::posix {

void fill_uname(ArchInfo& a) {
    // "struct": Solaris also declares a variable named utsname.
    struct utsname u{};
    // POSIX: -1 on failure; Solaris returns a non-negative value on success.
    if (::uname(&u) < 0) return;
    a.sysname = u.sysname;
    a.nodename = u.nodename;
    a.release = u.release;
    a.version = u.version;
    a.machine = u.machine;
}

void fill_sysconf(ArchInfo& a, long page_size, long clock_ticks) {
    a.cpu_count = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
    a.page_size = page_size;
    a.clock_ticks = clock_ticks;
    long pages = ::sysconf(_SC_PHYS_PAGES);
    a.total_memory = pages > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size) : 0;
    a.bits = static_cast<int>(sizeof(void*) * 8);
}

std::error_code time_since(const TimeSpec& boot, TimeSpec& out) {
    timespec now{};
    if (::clock_gettime(CLOCK_REALTIME, &now) != 0) return make_error_code(errc::os_error);
    out = TimeSpec(now.tv_sec, now.tv_nsec) - boot;
    return {};
}

std::error_code load_average(LoadAvg& out) {
    double v[3] = {0, 0, 0};
    if (::getloadavg(v, 3) != 3) return make_error_code(errc::os_error);
    out = LoadAvg{v[0], v[1], v[2]};
    return {};
}

}  // namespace psi::posix
