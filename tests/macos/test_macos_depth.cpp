// The macOS decoders of issues 12-14 (process depth, threads, system
// memory), on values and buffers built here from the documented layouts:
// <sys/proc_info.h> proc_taskinfo, proc_threadinfo and proc_fdinfo,
// <sys/resource.h> rusage_info_v2, <mach/vm_statistics.h> vm_statistics64,
// and XNU's behaviour (osfmk/kern/bsd_kern.c, bsd/kern/kern_resource.c,
// osfmk/kern/host.c) that docs/macos.md describes.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/macos/parse.hpp"

namespace {

using psi::ProcStatus;
using psi::TimeSpec;
namespace mac = psi::macos;

mac::State st(ProcStatus s, char c) { return mac::State{s, c}; }

// -- x-macos: process depth (issue 12) --

TEST(MacosDepth, FaultsSplitAsXnuGetrusage) {
    // kern_resource.c calcru: ru_minflt = faults - pageins, ru_majflt = pageins.
    EXPECT_EQ(mac::split_faults(1000, 7), (mac::Faults{993, 7}));
    EXPECT_EQ(mac::split_faults(0, 0), (mac::Faults{0, 0}));
    EXPECT_EQ(mac::split_faults(5, 5), (mac::Faults{0, 5}));
    // Page-ins counted outside a fault (wiring) can exceed the faults.
    EXPECT_EQ(mac::split_faults(3, 9), (mac::Faults{0, 9}));
    EXPECT_EQ(mac::split_faults(INT32_MAX - 1, 1), (mac::Faults{INT32_MAX - 2u, 1}));
}

TEST(MacosDepth, ClampedOrNegativeFaultsAreNotSplit) {
    // proc_pidinfo clamps pti_faults to INT32_MAX; older kernels wrapped it.
    EXPECT_EQ(mac::split_faults(INT32_MAX, 10), std::nullopt);
    EXPECT_EQ(mac::split_faults(-5, 10), std::nullopt);
    EXPECT_EQ(mac::split_faults(10, -1), std::nullopt);
}

// A rusage_info_v2 laid out as <sys/resource.h> declares it: uuid[16], then
// 18 uint64_t in declaration order (native byte order).
std::string rusage_v2(const std::uint64_t (&fields)[18]) {
    std::string raw(16, '\x5a');  // ri_uuid: any bytes
    for (std::uint64_t f : fields) raw.append(reinterpret_cast<const char*>(&f), sizeof f);
    return raw;
}

TEST(MacosDepth, IoFromRusageV2) {
    // ri_user_time .. ri_child_elapsed_abstime hold distinct decoys; the last
    // two are ri_diskio_bytesread and ri_diskio_byteswritten.
    std::uint64_t f[18];
    for (int i = 0; i < 18; ++i) f[i] = 1000 + static_cast<std::uint64_t>(i);
    f[16] = 4096 * 3;
    f[17] = (std::uint64_t{1} << 40) + 512;
    const std::string raw = rusage_v2(f);
    ASSERT_EQ(raw.size(), mac::kRusageV2Size);
    auto io = mac::io_from_rusage_v2(raw);
    ASSERT_TRUE(io);
    EXPECT_EQ(io->read_bytes, 4096u * 3);
    EXPECT_EQ(io->write_bytes, (std::uint64_t{1} << 40) + 512);
    // What macOS does not count stays 0 (docs/macos.md).
    EXPECT_EQ(io->read_count, 0u);
    EXPECT_EQ(io->write_count, 0u);
    EXPECT_EQ(io->read_chars, 0u);
    EXPECT_EQ(io->write_chars, 0u);
    EXPECT_EQ(io->cancelled_write_bytes, 0u);
    // A longer buffer (a later rusage_info version) reads the same fields.
    auto longer = mac::io_from_rusage_v2(raw + std::string(64, '\xff'));
    ASSERT_TRUE(longer);
    EXPECT_EQ(*longer, *io);
}

TEST(MacosDepth, IoFromShortRusageIsNotAvailable) {
    std::uint64_t f[18] = {};
    const std::string raw = rusage_v2(f);
    for (std::size_t n : {std::size_t{0}, std::size_t{16}, mac::kRusageV2DiskioWritten, mac::kRusageV2Size - 1})
        EXPECT_EQ(mac::io_from_rusage_v2(std::string_view(raw).substr(0, n)), std::nullopt) << n;
}

TEST(MacosDepth, FdCountFromListBytes) {
    // One 8-byte proc_fdinfo per open descriptor.
    EXPECT_EQ(mac::fd_count(0, 160), 0u);  // no descriptor at all
    EXPECT_EQ(mac::fd_count(3 * 8, 160), 3u);
    EXPECT_EQ(mac::fd_count(19 * 8, 160), 19u);
}

TEST(MacosDepth, FdCountThatMayBeCutOrIsDamaged) {
    EXPECT_EQ(mac::fd_count(160, 160), std::nullopt);  // filled the buffer: ask again with more room
    EXPECT_EQ(mac::fd_count(168, 160), std::nullopt);
    EXPECT_EQ(mac::fd_count(-1, 160), std::nullopt);
    EXPECT_EQ(mac::fd_count(12, 160), std::nullopt);  // not whole records
    EXPECT_EQ(mac::fd_count(0, 0), std::nullopt);
}

// -- x-macos: threads (issue 14) --

// A proc_threadinfo as XNU fills it (fill_taskthreadinfo): times in
// nanoseconds, pth_name a 64-byte array.
struct ThreadFixture {
    char name[64] = {};
    mac::ThreadRecord rec;
    explicit ThreadFixture(const std::string& n, std::int32_t run_state) {
        std::memcpy(name, n.data(), std::min(n.size(), sizeof name));
        rec.name = std::string_view(name, sizeof name);
        rec.run_state = run_state;
    }
};

TEST(MacosThreads, NamedWaitingThread) {
    ThreadFixture t("com.apple.main-thread", 3);  // TH_STATE_WAITING
    t.rec.user_ns = 2'500'000'000;                // 2.5 s
    t.rec.system_ns = 999'999'999;
    t.rec.policy = 1;                             // POLICY_TIMESHARE
    t.rec.curpri = 47;
    t.rec.priority = 31;
    psi::ProcessInfo p;
    mac::fill_thread(t.rec, p);
    EXPECT_EQ(*p.name.get(), "com.apple.main-thread");
    EXPECT_EQ(*p.status.get(), ProcStatus::sleeping);
    EXPECT_EQ(*p.status_letter.get(), 'S');
    EXPECT_EQ(*p.utime.get(), TimeSpec(2, 500'000'000));
    EXPECT_EQ(*p.stime.get(), TimeSpec(0, 999'999'999));
    EXPECT_EQ(*p.kernel_priority.get(), 47);  // current, not base
    EXPECT_EQ(*p.policy.get(), psi::SchedPolicy::other);
}

TEST(MacosThreads, RunStatesOfOneThread) {
    const std::pair<int, mac::State> cases[] = {
        {1, st(ProcStatus::running, 'R')}, {2, st(ProcStatus::stopped, 'T')},   {3, st(ProcStatus::sleeping, 'S')},
        {4, st(ProcStatus::disk_sleep, 'U')}, {5, st(ProcStatus::dead, 'X')}, {0, st(ProcStatus::unknown, '?')},
        {6, st(ProcStatus::unknown, '?')},   {-1, st(ProcStatus::unknown, '?')},
    };
    for (const auto& [state, want] : cases) {
        ThreadFixture t("", state);
        psi::ProcessInfo p;
        mac::fill_thread(t.rec, p);
        EXPECT_EQ(*p.status.get(), want.status) << state;
        EXPECT_EQ(*p.status_letter.get(), want.letter) << state;
    }
}

TEST(MacosThreads, UnnamedAndFullNames) {
    ThreadFixture unnamed("", 3);
    psi::ProcessInfo p;
    mac::fill_thread(unnamed.rec, p);
    EXPECT_EQ(*p.name.get(), "");  // macOS gives no default thread name
    // 64 bytes without a NUL: the whole array, never past it.
    ThreadFixture full(std::string(64, 'w'), 1);
    mac::fill_thread(full.rec, p);
    EXPECT_EQ(*p.name.get(), std::string(64, 'w'));
    // Round-robin and FIFO real-time policies.
    full.rec.policy = 2;
    mac::fill_thread(full.rec, p);
    EXPECT_EQ(*p.policy.get(), psi::SchedPolicy::rr);
    full.rec.policy = 4;
    mac::fill_thread(full.rec, p);
    EXPECT_EQ(*p.policy.get(), psi::SchedPolicy::fifo);
}

std::string id_list(const std::vector<std::uint64_t>& ids, std::size_t room) {
    std::string raw(room * 8, '\xee');  // unwritten room holds garbage
    for (std::size_t i = 0; i < ids.size(); ++i) std::memcpy(raw.data() + i * 8, &ids[i], 8);
    return raw;
}

TEST(MacosThreads, ThreadIdList) {
    const std::string raw = id_list({0x2a5c3, 0x2a5c9, 1234567}, 16);
    std::vector<int> out{7};  // appended to
    bool too_large = true;
    EXPECT_TRUE(mac::thread_ids(raw, 3 * 8, out, too_large));
    EXPECT_FALSE(too_large);
    EXPECT_EQ(out, (std::vector<int>{7, 0x2a5c3, 0x2a5c9, 1234567}));
    out.clear();
    EXPECT_TRUE(mac::thread_ids(raw, 0, out, too_large));  // no thread (the call never says so, but safe)
    EXPECT_TRUE(out.empty());
}

TEST(MacosThreads, ThreadIdListCutOrDamaged) {
    const std::string raw = id_list({1, 2, 3, 4}, 4);
    std::vector<int> out;
    bool too_large = false;
    EXPECT_FALSE(mac::thread_ids(raw, 4 * 8, out, too_large));  // filled the room: may be cut
    EXPECT_FALSE(mac::thread_ids(raw, 12, out, too_large));      // not whole ids
    EXPECT_FALSE(mac::thread_ids(raw, -1, out, too_large));
    EXPECT_FALSE(mac::thread_ids(raw, 5 * 8, out, too_large));   // more than the buffer
    EXPECT_TRUE(out.empty());
}

TEST(MacosThreads, IdsThatAreNotTids) {
    const std::uint64_t big = std::uint64_t{INT_MAX} + 1;
    const std::string raw = id_list({5, big, 0, 6}, 8);
    std::vector<int> out;
    bool too_large = false;
    EXPECT_TRUE(mac::thread_ids(raw, 4 * 8, out, too_large));
    EXPECT_TRUE(too_large);
    EXPECT_EQ(out, (std::vector<int>{5, 6}));
}

// -- x-macos: system memory (issue 13) --

// A vm_stat(1) reading of a 16 GiB Apple silicon Mac (16 KiB pages), with
// the kernel's free_count = free + speculative (osfmk/kern/host.c).
mac::VmPages vm_sample() {
    mac::VmPages vm;
    vm.free = 3'000 + 1'200;   // "Pages free" 3000 + "Pages speculative" 1200
    vm.speculative = 1'200;
    vm.active = 400'000;
    vm.inactive = 380'000;
    vm.wire = 150'000;
    vm.external = 250'000;     // "File-backed pages"
    vm.rev1 = true;
    return vm;
}

TEST(MacosMemory, DefinitionsAsPsutil) {
    constexpr std::uint64_t kPage = 16384, kMemsize = std::uint64_t{16} << 30;
    auto m = mac::memory_from_vm(vm_sample(), kMemsize, kPage);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->total, kMemsize);
    EXPECT_EQ(m->available, (380'000u + 4'200u) * kPage);  // inactive + free_count
    EXPECT_EQ(m->used, (400'000u + 150'000u) * kPage);     // active + wired
    EXPECT_EQ(m->free, 3'000u * kPage);                    // free_count - speculative
    EXPECT_EQ(m->active, 400'000u * kPage);
    EXPECT_EQ(m->inactive, 380'000u * kPage);
    EXPECT_EQ(m->cached, 250'000u * kPage);
    // Figures macOS does not have.
    EXPECT_EQ(m->buffers, 0u);
    EXPECT_EQ(m->shared, 0u);
    EXPECT_EQ(m->slab, 0u);
}

TEST(MacosMemory, IntelPagesAndFullCounts) {
    mac::VmPages vm;
    vm.free = vm.active = vm.inactive = vm.wire = vm.external = UINT32_MAX;
    vm.speculative = 0;
    vm.rev1 = true;
    auto m = mac::memory_from_vm(vm, 1, 4096);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->available, 2 * std::uint64_t{UINT32_MAX} * 4096);  // no 32-bit overflow
    EXPECT_EQ(m->free, std::uint64_t{UINT32_MAX} * 4096);
}

TEST(MacosMemory, SpeculativeAboveFreeGivesZeroFree) {
    mac::VmPages vm = vm_sample();
    vm.speculative = vm.free + 1;  // counts taken at different instants
    auto m = mac::memory_from_vm(vm, 1 << 30, 4096);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->free, 0u);
}

TEST(MacosMemory, NotAvailable) {
    mac::VmPages rev0 = vm_sample();
    rev0.rev1 = false;  // no file-backed count before revision 1
    EXPECT_EQ(mac::memory_from_vm(rev0, 1 << 30, 4096), std::nullopt);
    EXPECT_EQ(mac::memory_from_vm(vm_sample(), 0, 4096), std::nullopt);
    EXPECT_EQ(mac::memory_from_vm(vm_sample(), 1 << 30, 0), std::nullopt);
    EXPECT_EQ(mac::memory_from_vm(vm_sample(), 1 << 30, (1u << 20) + 1), std::nullopt);
}

}  // namespace
