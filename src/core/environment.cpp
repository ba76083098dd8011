// What psi takes from the environment it runs in rather than from the OS's
// process tables: the wall clock and the PSI_PROCFS variable.
#include <chrono>
#include <cstdlib>

#include "psi/system.hpp"

namespace psi {

TimeSpec now() {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return TimeSpec(0, ns.count());
}

Options Options::from_environment() {
    Options o;
    // Read at each call, not cached: a program (or a test) may change it,
    // and Python's os.environ assignments reach getenv through putenv.
    if (const char* root = std::getenv("PSI_PROCFS"); root && *root) o.proc_root = root;
    return o;
}

}  // namespace psi
