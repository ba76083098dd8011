// Pure macOS decoders (see parse.hpp). Every loop is bounded by the buffer
// it was given: the inputs come from other processes' memory.
#include "platform/macos/parse.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <numeric>

namespace psi::macos {

std::optional<State> process_state(int p_stat, const std::optional<std::vector<int>>& run_states) {
    switch (p_stat) {
        case kSIdl: return State{ProcStatus::idle, 'I'};
        case kSZomb: return State{ProcStatus::zombie, 'Z'};
        case kSStop: return State{ProcStatus::stopped, 'T'};
        case kSSleep: return State{ProcStatus::sleeping, 'S'};
        case kSRun: break;
        default: return State{ProcStatus::unknown, '?'};
    }
    if (!run_states) return std::nullopt;
    // Rank of a run state, most active first; 0 for one we do not know.
    auto rank = [](int s) {
        switch (s) {
            case kThRunning: return 1;
            case kThUninterruptible: return 2;
            case kThWaiting: return 3;
            case kThStopped: return 4;
            case kThHalted: return 5;
            default: return 0;
        }
    };
    int best = 0;
    for (int s : *run_states) {
        int r = rank(s);
        if (r != 0 && (best == 0 || r < best)) best = r;
        if (best == 1) break;
    }
    switch (best) {
        case 1: return State{ProcStatus::running, 'R'};
        case 2: return State{ProcStatus::disk_sleep, 'U'};
        case 3: return State{ProcStatus::sleeping, 'S'};
        case 4: return State{ProcStatus::stopped, 'T'};
        case 5: return State{ProcStatus::dead, 'X'};
        default: return std::nullopt;
    }
}

TimeSpec start_time_from_timeval(std::int64_t sec, std::int64_t usec) noexcept {
    // The kernel keeps tv_usec in [0, 10^6); anything else is a damaged row,
    // which must not overflow the product below.
    return TimeSpec(sec, (usec % 1'000'000) * 1000);
}

std::uint64_t start_ticks_from_timeval(std::int64_t sec, std::int64_t usec) noexcept {
    if (sec < 0 || usec < 0) return 0;
    return static_cast<std::uint64_t>(sec) * 1'000'000u + static_cast<std::uint64_t>(usec);
}

TimeSpec mach_ticks_to_timespec(std::uint64_t ticks, std::uint32_t numer, std::uint32_t denom) noexcept {
    if (denom == 0 || numer == 0) numer = denom = 1;
    // ns = ticks * numer / denom without a 128-bit product: split ticks by
    // denom, then split the nanoseconds into seconds before they overflow.
    constexpr std::uint64_t kBillion = 1'000'000'000;
    std::uint64_t q = ticks / denom, r = ticks % denom;
    std::uint64_t q_sec = q / kBillion, q_ns = q % kBillion;  // q = q_sec*1e9 + q_ns
    // ticks*numer/denom ns = q_sec*numer s + (q_ns*numer + r*numer/denom) ns
    // q_ns < 1e9 and r < denom, so both products stay below 2^64.
    std::uint64_t ns = q_ns * numer + (r * numer) / denom;
    std::uint64_t sec = q_sec * numer + ns / kBillion;
    return TimeSpec(static_cast<std::int64_t>(sec), static_cast<std::int64_t>(ns % kBillion));
}

Timebase cpu_time_timebase(std::uint64_t tbfrequency, std::uint32_t mach_numer, std::uint32_t mach_denom) noexcept {
    if (tbfrequency != 0) {
        constexpr std::uint64_t kBillion = 1'000'000'000;
        const std::uint64_t g = std::gcd(kBillion, tbfrequency);
        const std::uint64_t numer = kBillion / g, denom = tbfrequency / g;
        if (denom <= UINT32_MAX) return Timebase{static_cast<std::uint32_t>(numer), static_cast<std::uint32_t>(denom)};
    }
    if (mach_numer == 0 || mach_denom == 0) return Timebase{};
    return Timebase{mach_numer, mach_denom};
}

std::string process_name(std::string_view long_name, std::string_view comm) {
    return std::string(long_name.empty() ? comm : long_name);
}

std::string_view c_field(const char* data, std::size_t size) noexcept {
    const void* nul = std::memchr(data, '\0', size);
    return {data, nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - data) : size};
}

std::pair<std::string, std::string> split_env_entry(std::string_view entry) {
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) return {std::string(entry), std::string()};
    return {std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1))};
}

namespace {

// Takes the NUL-terminated string at buf[pos]; advances pos past its NUL.
// A string running to the end of the buffer is returned whole and
// `terminated` says it had no NUL.
std::string_view take_string(std::string_view buf, std::size_t& pos, bool& terminated) {
    std::size_t end = buf.find('\0', pos);
    terminated = end != std::string_view::npos;
    if (!terminated) end = buf.size();
    std::string_view s = buf.substr(pos, end - pos);
    pos = terminated ? end + 1 : end;
    return s;
}

}  // namespace

std::optional<ProcArgs> parse_procargs2(std::string_view buf) {
    std::int32_t argc = 0;
    if (buf.size() < sizeof argc) return std::nullopt;
    std::memcpy(&argc, buf.data(), sizeof argc);
    if (argc < 0) return std::nullopt;
    ProcArgs out;
    std::size_t pos = sizeof argc;
    bool terminated = true;
    out.exec_path = std::string(take_string(buf, pos, terminated));
    if (!terminated) {
        out.complete = false;
        return out;
    }
    while (pos < buf.size() && buf[pos] == '\0') ++pos;  // alignment padding
    // argc comes from the target's memory: never trust it for reserve().
    for (std::int32_t i = 0; i < argc; ++i) {
        if (pos >= buf.size()) {
            out.complete = false;
            return out;
        }
        out.args.emplace_back(take_string(buf, pos, terminated));
        if (!terminated) {
            out.complete = false;
            return out;
        }
    }
    // Cut after argv (see ProcArgs): no byte but NULs left.
    if (buf.find_first_not_of('\0', pos) == std::string_view::npos) {
        out.env_withheld = true;
        return out;
    }
    while (pos < buf.size()) {
        std::string_view entry = take_string(buf, pos, terminated);
        if (entry.empty()) break;  // end of environ; "apple" strings follow
        out.env.push_back(split_env_entry(entry));
        if (!terminated) {
            out.complete = false;
            break;
        }
    }
    return out;
}

std::string mount_options(std::uint32_t flags) {
    struct Bit {
        std::uint32_t bit;
        const char* name;
    };
    // Names as mount(8) on macOS prints them.
    static constexpr Bit kBits[] = {
        {kMntSynchronous, "synchronous"}, {kMntNoexec, "noexec"},     {kMntNosuid, "nosuid"},
        {kMntNodev, "nodev"},             {kMntUnion, "union"},       {kMntAsync, "asynchronous"},
        {kMntExported, "exported"},       {kMntLocal, "local"},       {kMntQuota, "quota"},
        {kMntRootfs, "root"},             {kMntDontbrowse, "nobrowse"}, {kMntAutomounted, "automounted"},
        {kMntJournaled, "journaled"},     {kMntNoatime, "noatime"},   {kMntSnapshot, "snapshot"},
    };
    std::string out = (flags & kMntRdonly) ? "ro" : "rw";
    for (const Bit& b : kBits) {
        if (flags & b.bit) {
            out += ',';
            out += b.name;
        }
    }
    return out;
}

SchedPolicy policy_from_mach(int policy) noexcept {
    switch (policy) {
        case kPolicyTimeshare: return SchedPolicy::other;
        case kPolicyRr: return SchedPolicy::rr;
        case kPolicyFifo: return SchedPolicy::fifo;
        default: return SchedPolicy::unknown;
    }
}

// -- x-macos: process depth (issue 12) --

std::optional<Faults> split_faults(std::int32_t pti_faults, std::int32_t pti_pageins) noexcept {
    if (pti_faults < 0 || pti_faults == INT32_MAX || pti_pageins < 0) return std::nullopt;
    const auto faults = static_cast<std::uint64_t>(pti_faults), pageins = static_cast<std::uint64_t>(pti_pageins);
    return Faults{faults > pageins ? faults - pageins : 0, pageins};
}

std::optional<IoCounters> io_from_rusage_v2(std::string_view raw) noexcept {
    if (raw.size() < kRusageV2Size) return std::nullopt;
    IoCounters io;
    std::memcpy(&io.read_bytes, raw.data() + kRusageV2DiskioRead, sizeof io.read_bytes);
    std::memcpy(&io.write_bytes, raw.data() + kRusageV2DiskioWritten, sizeof io.write_bytes);
    return io;
}

std::optional<std::uint64_t> fd_count(int bytes, std::size_t capacity) noexcept {
    if (bytes < 0) return std::nullopt;
    const auto n = static_cast<std::size_t>(bytes);
    if (n % kFdInfoSize != 0 || n >= capacity) return std::nullopt;
    return n / kFdInfoSize;
}

// -- x-macos: threads (issue 14) --

void fill_thread(const ThreadRecord& th, ProcessInfo& out) {
    out.name.set(std::string(c_field(th.name.data(), th.name.size())));
    const State st = process_state(kSRun, std::vector<int>{th.run_state}).value_or(State{ProcStatus::unknown, '?'});
    out.status.set(st.status);
    out.status_letter.set(st.letter);
    constexpr std::uint64_t kBillion = 1'000'000'000;
    out.utime.set(TimeSpec(static_cast<std::int64_t>(th.user_ns / kBillion), static_cast<std::int64_t>(th.user_ns % kBillion)));
    out.stime.set(
        TimeSpec(static_cast<std::int64_t>(th.system_ns / kBillion), static_cast<std::int64_t>(th.system_ns % kBillion)));
    out.kernel_priority.set(th.curpri);
    out.policy.set(policy_from_mach(th.policy));
}

bool thread_ids(std::string_view raw, int bytes, std::vector<int>& out, bool& too_large) {
    too_large = false;
    if (bytes < 0) return false;
    const auto n = static_cast<std::size_t>(bytes);
    if (n % sizeof(std::uint64_t) != 0 || n >= raw.size()) return false;
    for (std::size_t off = 0; off < n; off += sizeof(std::uint64_t)) {
        std::uint64_t id = 0;
        std::memcpy(&id, raw.data() + off, sizeof id);
        if (id == 0 || id > static_cast<std::uint64_t>(INT_MAX)) {
            too_large = true;
            continue;
        }
        out.push_back(static_cast<int>(id));
    }
    return true;
}

// -- x-macos: system memory (issue 13) --

std::optional<MemoryInfo> memory_from_vm(const VmPages& vm, std::uint64_t memsize, std::uint64_t page_size) noexcept {
    // Mach pages are 4 or 16 KiB; anything above 1 MiB is not a page size.
    if (!vm.rev1 || page_size == 0 || page_size > (1u << 20) || memsize == 0) return std::nullopt;
    // Page counts are 32-bit and pages at most 2^20 bytes: every product
    // and sum below fits in 64 bits.
    auto bytes = [page_size](std::uint64_t pages) { return pages * page_size; };
    MemoryInfo m;
    m.total = memsize;
    m.available = bytes(std::uint64_t{vm.inactive} + vm.free);
    m.used = bytes(std::uint64_t{vm.active} + vm.wire);
    m.free = bytes(vm.free > vm.speculative ? vm.free - vm.speculative : 0);
    m.active = bytes(vm.active);
    m.inactive = bytes(vm.inactive);
    m.cached = bytes(vm.external);
    return m;
}

}  // namespace psi::macos
