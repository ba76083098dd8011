// Downstream program: lists a few processes and prints the architecture.
// Exits non-zero if psi cannot see this very process, so the consumer test
// fails on a package that links but does not work.
#include <unistd.h>

#include <cstdio>

#include <psi/psi.hpp>

int main() {
    psi::System sys;
    const psi::ProcessTable table = sys.table(psi::groups::ps);
    std::size_t shown = 0;
    for (const psi::ProcessInfo& p : table) {
        if (shown++ == 5) break;
        std::printf("%d %s %s\n", p.pid, p.euser.value_or("?").c_str(), p.name.value_or("?").c_str());
    }
    const psi::ArchInfo arch = sys.arch();
    std::printf("arch: %s %s %s (psi %s)\n", arch.sysname.c_str(), arch.release.c_str(), arch.machine.c_str(),
                psi::version);
    const psi::ProcessInfo* self = table.find(static_cast<int>(::getpid()));
    if (self == nullptr || !self->name.ok()) {
        std::fprintf(stderr, "psi_consumer: own process not found in the table\n");
        return 1;
    }
    std::printf("self: %d %s, %zu processes\n", self->pid, self->name.value().c_str(), table.size());
    return 0;
}
