// System figures on macOS: CPU times from the Mach host statistics
// (host_statistics HOST_CPU_LOAD_INFO, host_processor_info
// PROCESSOR_CPU_LOAD_INFO), swap from the vm.swapusage sysctl and the
// compressor's swapins/swapouts (host_statistics64 HOST_VM_INFO64).
//
// memory() from host_statistics64(HOST_VM_INFO64) and hw.memsize, defined
// as psutil does on macOS (macos::memory_from_vm; buffers, shared and slab,
// which macOS does not have, are 0: see docs/macos.md).
// Not provided (attr_not_implemented): pressure() and cgroup_limits() -
// Linux facilities. Compiled against the macOS SDK
// headers (tests/cross/check_macos.sh) but never run: see docs/macos.md.
#include <mach/host_info.h>
#include <mach/mach.h>
#include <mach/mach_host.h>
#include <mach/processor_info.h>
#include <mach/vm_map.h>
#include <sys/sysctl.h>
#include <unistd.h>

#include "core/backend_system.hpp"
#include "platform/macos/context.hpp"

namespace psi::backend {

namespace {

// The tick counters' rate: psutil and top(1) divide by the BSD CLK_TCK.
std::uint64_t tick_rate() {
    long hz = ::sysconf(_SC_CLK_TCK);
    return hz > 0 ? static_cast<std::uint64_t>(hz) : 100;
}

CpuTimes from_ticks(int cpu, const unsigned int (&ticks)[CPU_STATE_MAX], std::uint64_t hz) {
    CpuTimes c;
    c.cpu = cpu;
    c.user = TimeSpec::from_ticks(ticks[CPU_STATE_USER], hz);
    c.nice = TimeSpec::from_ticks(ticks[CPU_STATE_NICE], hz);
    c.system = TimeSpec::from_ticks(ticks[CPU_STATE_SYSTEM], hz);
    c.idle = TimeSpec::from_ticks(ticks[CPU_STATE_IDLE], hz);
    return c;
}

// mach_host_self() adds a send right each call; give it back.
struct HostPort {
    mach_port_t port = ::mach_host_self();
    ~HostPort() { ::mach_port_deallocate(mach_task_self(), port); }
};

}  // namespace

std::error_code cpu_times(Context& ctx, bool percpu, std::vector<CpuTimes>& out) {
    (void)ctx;
    out.clear();
    HostPort host;
    const std::uint64_t hz = tick_rate();
    if (!percpu) {
        host_cpu_load_info_data_t load{};
        auto count = static_cast<mach_msg_type_number_t>(sizeof load / sizeof(integer_t));
        if (::host_statistics(host.port, HOST_CPU_LOAD_INFO, reinterpret_cast<host_info_t>(&load), &count) !=
            KERN_SUCCESS)
            return make_error_code(errc::os_error);
        out.push_back(from_ticks(-1, load.cpu_ticks, hz));
        return {};
    }
    natural_t ncpu = 0;
    processor_info_array_t info = nullptr;
    mach_msg_type_number_t info_count = 0;
    if (::host_processor_info(host.port, PROCESSOR_CPU_LOAD_INFO, &ncpu, &info, &info_count) != KERN_SUCCESS)
        return make_error_code(errc::os_error);
    // The array is ncpu processor_cpu_load_info records, allocated in our
    // address space by the kernel: vm_deallocate it.
    const auto* loads = reinterpret_cast<const processor_cpu_load_info*>(info);
    std::size_t have = static_cast<std::size_t>(info_count) * sizeof(integer_t) / sizeof(processor_cpu_load_info);
    for (std::size_t i = 0; i < ncpu && i < have; ++i) out.push_back(from_ticks(static_cast<int>(i), loads[i].cpu_ticks, hz));
    ::vm_deallocate(mach_task_self(), reinterpret_cast<vm_address_t>(info),
                    static_cast<vm_size_t>(info_count) * sizeof(integer_t));
    return {};
}

// -- x-macos: memory() (issue 13) --
// host_statistics64(HOST_VM_INFO64) page counts in host_page_size pages
// (the kernel's page size, which vm_stat(1) also uses: 16 KiB on Apple
// silicon) and hw.memsize; the definitions are macos::memory_from_vm's.
// The kernel rate-limits these queries for non-platform callers and may
// answer a burst of them from a cached copy (osfmk/kern/host.c).
std::error_code memory(Context&, MemoryInfo& out) {
    HostPort host;
    vm_statistics64_data_t vm{};
    mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
    vm_size_t page = 0;
    if (::host_statistics64(host.port, HOST_VM_INFO64, reinterpret_cast<host_info64_t>(&vm), &count) !=
            KERN_SUCCESS ||
        ::host_page_size(host.port, &page) != KERN_SUCCESS)
        return make_error_code(errc::os_error);
    std::uint64_t memsize = 0;
    std::size_t len = sizeof memsize;
    if (::sysctlbyname("hw.memsize", &memsize, &len, nullptr, 0) != 0 || len != sizeof memsize)
        return make_error_code(errc::os_error);
    macos::VmPages pages;
    pages.free = vm.free_count;
    pages.active = vm.active_count;
    pages.inactive = vm.inactive_count;
    pages.wire = vm.wire_count;
    pages.speculative = vm.speculative_count;
    pages.rev1 = count >= HOST_VM_INFO64_REV1_COUNT;
    if (pages.rev1) pages.external = vm.external_page_count;
    auto m = macos::memory_from_vm(pages, memsize, static_cast<std::uint64_t>(page));
    if (!m) return make_error_code(errc::os_error);
    out = *m;
    return {};
}

std::error_code swap(Context& ctx, SwapInfo& out) {
    (void)ctx;
    // vm.swapusage: the dynamic pager's swap files (sysctl(3), <sys/sysctl.h>).
    xsw_usage usage{};
    std::size_t len = sizeof usage;
    if (::sysctlbyname("vm.swapusage", &usage, &len, nullptr, 0) != 0 || len != sizeof usage)
        return make_error_code(errc::os_error);
    out = SwapInfo{};
    out.total = usage.xsu_total;
    out.used = usage.xsu_used;
    out.free = usage.xsu_avail;
    // Pages the compressor swapped in/out (lifetime), in the host's page size.
    HostPort host;
    vm_statistics64_data_t vm{};
    auto count = static_cast<mach_msg_type_number_t>(sizeof vm / sizeof(integer_t));
    vm_size_t page = 0;
    // swapins/swapouts are revision-1 fields: a kernel that filled less
    // leaves them 0 in our zeroed struct (x-macos: checked explicitly).
    if (::host_statistics64(host.port, HOST_VM_INFO64, reinterpret_cast<host_info64_t>(&vm), &count) ==
            KERN_SUCCESS &&
        count >= HOST_VM_INFO64_REV1_COUNT && ::host_page_size(host.port, &page) == KERN_SUCCESS) {
        out.sin = vm.swapins * static_cast<std::uint64_t>(page);
        out.sout = vm.swapouts * static_cast<std::uint64_t>(page);
    }
    return {};
}

std::error_code pressure(Context&, Pressure&) { return make_error_code(errc::attr_not_implemented); }

std::error_code cgroup_limits(Context&, const std::string&, CgroupLimits&) {
    return make_error_code(errc::attr_not_implemented);
}

// macOS has no CPU affinity masks (thread_policy_set affinity tags are
// hints): 0 lets the core fall back to the online CPU count.
int affinity_cpu_count(Context&) { return 0; }

}  // namespace psi::backend
