// libFuzzer target for the Solaris backend's record decoders (compiled on any
// OS against our own layout description, src/platform/solaris/layout.hpp).
// The first byte picks the decoder; the rest is a /proc record, or for the
// address-space case an "as" image whose first 8 bytes give the argv array
// address, the element count and the data model.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "platform/solaris/parse.hpp"

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view rec(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 8) {
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
    }
    return 0;
}
