// libFuzzer target for the Solaris backend's record decoders (compiled on any
// OS against our own layout description, src/platform/solaris/layout.hpp).
// The first byte picks the decoder; the rest is a /proc record, or for the
// address-space case an "as" image whose first 8 bytes give the argv array
// address, the element count and the data model.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "platform/solaris/parse.hpp"
#include "platform/solaris/sys_parse.hpp"

namespace sp = psi::solaris_proc;

namespace {

void use_psinfo(std::string_view rec) {
    auto ps = sp::parse_psinfo(rec);
    if (!ps) return;
    (void)ps->has_tty();
    (void)ps->is_system();
    (void)ps->is_zombie();
    (void)sp::to_timespec(ps->start);
    (void)sp::start_ticks_from(ps->start);
    (void)sp::status_from_sname(ps->sname);
    (void)sp::nice_from(ps->nice, ps->clname);
    (void)sp::rt_priority_from(ps->pri, ps->clname);
    (void)sp::policy_from_class(ps->clname);
    for (const auto& a : sp::split_psargs(ps->psargs))
        if (a.size() > ps->psargs.size()) __builtin_trap();
}

void use_address_space(std::string_view in) {
    if (in.size() < 8) return;
    std::uint32_t array_off = 0;
    std::memcpy(&array_off, in.data(), 4);
    const std::size_t count = static_cast<std::uint8_t>(in[4]);
    const int dmodel = in[5] % 4;  // unknown, ILP32, LP64, and one invalid value
    const bool envp = in[6] & 1;
    std::string_view image = in.substr(8);
    // Mapped at a page-like base, so both in-range and wild pointers occur.
    constexpr std::uint64_t kBase = 0x10000;
    sp::ImageAddressSpace as(kBase, image);
    sp::VectorLimits limits;
    limits.max_items = 64;
    limits.max_bytes = 1 << 16;
    auto v = sp::read_string_vector(as, kBase + array_off, dmodel,
                                    envp ? std::nullopt : std::optional<std::size_t>(count), limits);
    if (!v) return;
    std::size_t bytes = 0;
    for (const auto& s : v->items) bytes += s.size();
    if (v->items.size() > limits.max_items || bytes > limits.max_bytes) __builtin_trap();
    (void)sp::split_environ(v->items);
}

// -- x-solaris: the system-figure decoders over arbitrary counters: the
// input is read as 64-bit words (hz, four tick counters, page counts).
void use_system_figures(std::string_view in) {
    std::uint64_t w[9] = {};
    std::memcpy(w, in.data(), std::min(in.size(), sizeof w));
    namespace ss = psi::solaris_sys;
    ss::KstatValues v{{"cpu_ticks_user", w[1]}, {"cpu_ticks_kernel", w[2]}, {"cpu_ticks_idle", w[3]},
                      {"cpu_ticks_wait", w[4]}};
    if (w[0] & 1) v.erase("cpu_ticks_wait");
    auto t = ss::cpu_times_from_sys(v, 0, static_cast<long>(w[0] >> 1));
    if (t) {
        if (t->user.tv_nsec < 0 || t->user.tv_nsec >= 1'000'000'000) __builtin_trap();
        (void)ss::sum_cpu_times({*t, *t});
    }
    const std::uint64_t page = w[5] & 0xffffff;
    auto m = ss::memory_from_pages(w[6], w[7], page);
    if (m.used + m.free != m.total) __builtin_trap();
    auto s = ss::swap_from({{w[6], w[7]}, {w[7], w[8]}}, page, w[8], w[1]);
    if (s.free > s.total || s.used + s.free != s.total) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view rec(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 9) {
        case 0: use_psinfo(rec); break;
        case 1: (void)sp::parse_pstatus(rec); break;
        case 2: (void)sp::parse_prusage(rec); break;
        case 3: {
            auto cred = sp::parse_prcred(rec);
            if (cred && cred->groups.size() * 4 > rec.size()) __builtin_trap();
            break;
        }
        case 4: use_address_space(rec); break;
        case 5: (void)sp::is_remote_mount(rec); break;
        case 6: (void)sp::policy_from_class(rec); break;
        case 7: {  // -- x-solaris: lwpsinfo_t
            auto w = sp::parse_lwpsinfo(rec);
            if (!w) break;
            if (w->name.size() > 16 || w->clname.size() > 8) __builtin_trap();
            (void)sp::start_ticks_from(w->start);
            (void)sp::to_timespec(w->time);
            (void)sp::status_from_sname(w->sname);
            (void)sp::nice_from(w->nice, w->clname);
            (void)sp::rt_priority_from(w->pri, w->clname);
            break;
        }
        case 8: use_system_figures(rec); break;  // -- x-solaris: kstat/sysconf/swapctl decoders
    }
    return 0;
}
