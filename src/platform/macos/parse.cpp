// Pure macOS decoders (see parse.hpp). Every loop is bounded by the buffer
// it was given: the inputs come from other processes' memory.
#include "platform/macos/parse.hpp"

#include <algorithm>
#include <climits>
#include <cstring>

namespace psi::macos {

ProcStatus status_from_pstat(int p_stat) noexcept {
    switch (p_stat) {
        case kSIdl: return ProcStatus::idle;
        case kSRun: return ProcStatus::running;
        case kSSleep: return ProcStatus::sleeping;
        case kSStop: return ProcStatus::stopped;
        case kSZomb: return ProcStatus::zombie;
        default: return ProcStatus::unknown;
    }
}

char letter_from_pstat(int p_stat) noexcept {
    switch (p_stat) {
        case kSIdl: return 'I';
        case kSRun: return 'R';
        case kSSleep: return 'S';
        case kSStop: return 'T';
        case kSZomb: return 'Z';
        default: return '?';
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

std::string mount_host(std::string_view from) {
    // "scheme://" URLs (afp://, smb://): drop the scheme, keep "//...".
    if (auto scheme = from.find("://"); scheme != std::string_view::npos && scheme > 0 &&
                                        from.find('/') == scheme + 1)
        from.remove_prefix(scheme + 1);
    if (from.size() > 2 && from[0] == '/' && from[1] == '/') {
        from.remove_prefix(2);
        from = from.substr(0, from.find('/'));
        if (auto at = from.rfind('@'); at != std::string_view::npos) from.remove_prefix(at + 1);
        if (auto colon = from.find(':'); colon != std::string_view::npos) from = from.substr(0, colon);
        return std::string(from);
    }
    // NFS "host:/path"; a leading '/' is a local device path.
    if (!from.empty() && from[0] != '/') {
        auto colon = from.find(':');
        if (colon != std::string_view::npos && colon > 0) return std::string(from.substr(0, colon));
    }
    return {};
}

std::vector<int> release_numbers(std::string_view release) {
    std::vector<int> out;
    std::size_t i = 0;
    while (i < release.size() && release[i] >= '0' && release[i] <= '9') {
        long long v = 0;  // saturates just above INT_MAX, then clamps
        while (i < release.size() && release[i] >= '0' && release[i] <= '9') {
            v = std::min<long long>(v * 10 + (release[i] - '0'), static_cast<long long>(INT_MAX) + 1);
            ++i;
        }
        out.push_back(static_cast<int>(std::min<long long>(v, INT_MAX)));
        if (i < release.size() && release[i] == '.') ++i;
        else break;
    }
    return out;
}

}  // namespace psi::macos
