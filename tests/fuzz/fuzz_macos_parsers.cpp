// libFuzzer target for the macOS backend's pure decoders (compiled on any OS:
// src/platform/macos/parse.cpp includes no Apple header). The first byte
// picks the decoder; the rest is the input, e.g. a KERN_PROCARGS2 buffer as
// a hostile or racing process could leave it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "platform/macos/parse.hpp"

namespace mp = psi::macos;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 6) {
        case 0: {
            auto pa = mp::parse_procargs2(text);
            if (!pa) break;
            // Every string is copied out of the buffer: together they can
            // never hold more bytes than it did.
            std::size_t total = pa->exec_path.size();
            for (const auto& a : pa->args) total += a.size();
            for (const auto& [k, v] : pa->env) total += k.size() + v.size();
            if (total > text.size()) __builtin_trap();
            break;
        }
        case 1: (void)mp::split_env_entry(text); break;
        case 2: {
            auto field = mp::c_field(text.data(), text.size());
            if (field.size() > text.size()) __builtin_trap();
            break;
        }
        case 3: (void)mp::policy_from_mach(static_cast<int>(size)); break;
        case 4: {
            std::uint64_t v[4] = {};
            std::memcpy(v, text.data(), std::min(text.size(), sizeof v));
            // p_stat and a few thread run states from the input.
            std::vector<int> states;
            for (std::size_t i = 32; i + 4 <= text.size() && states.size() < 64; i += 4) {
                std::int32_t s;
                std::memcpy(&s, text.data() + i, sizeof s);
                states.push_back(s);
            }
            auto st = mp::process_state(static_cast<int>(v[0]), states);
            // SRUN: never "running" without a running thread.
            if (st && static_cast<int>(v[0]) == mp::kSRun && st->status == psi::ProcStatus::running &&
                std::find(states.begin(), states.end(), mp::kThRunning) == states.end())
                __builtin_trap();
            (void)mp::process_state(static_cast<int>(v[0]), std::nullopt);
            auto tb = mp::cpu_time_timebase(v[3], static_cast<std::uint32_t>(v[0]), static_cast<std::uint32_t>(v[1]));
            if (tb.numer == 0 || tb.denom == 0) __builtin_trap();
            const std::size_t cut = std::min<std::size_t>(32, text.size());
            (void)mp::process_name(text.substr(0, cut), text.substr(cut));
            (void)mp::start_ticks_from_timeval(static_cast<std::int64_t>(v[1]), static_cast<std::int64_t>(v[2]));
            (void)mp::start_time_from_timeval(static_cast<std::int64_t>(v[1]), static_cast<std::int64_t>(v[2]));
            (void)mp::mach_ticks_to_timespec(v[3], static_cast<std::uint32_t>(v[0]), static_cast<std::uint32_t>(v[1]));
            (void)mp::mount_options(static_cast<std::uint32_t>(v[2]));
            break;
        }
        // -- x-macos: depth, threads and system memory decoders --
        case 5: {
            std::int32_t w[4] = {};
            std::memcpy(w, text.data(), std::min(text.size(), sizeof w));
            if (auto f = mp::split_faults(w[0], w[1]))
                if (f->minor + f->major < static_cast<std::uint64_t>(w[0]) && f->major != static_cast<std::uint64_t>(w[1]))
                    __builtin_trap();
            if (auto io = mp::io_from_rusage_v2(text))
                if (io->read_count || io->write_count || io->read_chars || io->write_chars) __builtin_trap();
            if (auto n = mp::fd_count(w[2], static_cast<std::uint32_t>(w[3])))
                if (*n * mp::kFdInfoSize >= static_cast<std::uint32_t>(w[3])) __builtin_trap();
            {
                std::vector<int> ids;
                bool too_large = false;
                if (mp::thread_ids(text, w[2], ids, too_large) && ids.size() * 8 >= text.size()) __builtin_trap();
                for (int id : ids)
                    if (id <= 0) __builtin_trap();
            }
            {
                mp::ThreadRecord rec;
                rec.user_ns = static_cast<std::uint64_t>(w[0]) << 20;
                rec.system_ns = static_cast<std::uint64_t>(w[1]);
                rec.run_state = w[2];
                rec.policy = w[3];
                rec.name = text.substr(0, std::min<std::size_t>(64, text.size()));
                psi::ProcessInfo p;
                mp::fill_thread(rec, p);
                if (!p.name.get() || p.name.get()->size() > rec.name.size()) __builtin_trap();
            }
            {
                std::uint64_t q[6] = {};
                std::memcpy(q, text.data(), std::min(text.size(), sizeof q));
                mp::VmPages vm;
                vm.free = static_cast<std::uint32_t>(q[0]);
                vm.active = static_cast<std::uint32_t>(q[0] >> 32);
                vm.inactive = static_cast<std::uint32_t>(q[1]);
                vm.wire = static_cast<std::uint32_t>(q[1] >> 32);
                vm.speculative = static_cast<std::uint32_t>(q[2]);
                vm.external = static_cast<std::uint32_t>(q[2] >> 32);
                vm.rev1 = (q[5] & 1) != 0;
                if (auto m = mp::memory_from_vm(vm, q[3], q[4]))
                    if (m->free > m->available || m->buffers || m->shared || m->slab) __builtin_trap();
            }
            break;
        }
    }
    return 0;
}
