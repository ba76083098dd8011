// psi_bench_snapshot - times the psi C++ snapshot a ps-like tool takes:
// `psi::System sys; sys.table(psi::groups::ps)` (or ps_args with --groups),
// measured in-process so exec and loader costs stay out.
//
// A pass constructs a fresh System, as a one-shot command such as psi-ps
// does, so its uid-name cache starts empty each time; --reuse keeps one
// System across passes, as a long-running monitor would. Destroying the
// table is outside the timed region (a ps-like tool exits instead).
//
// --threads N sets psi::Options::threads: one table() call reads its pids in
// N parallel slices, each thread with its own backend context.
//
// "mem" reports bytes per process: sizeof(ProcessInfo), the mean of
// ProcessInfo::memory_footprint(), the part of it held by strings, and the
// malloc'd bytes (glibc mallinfo2) held by a table, divided by its size.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "psi/psi.hpp"
#include "worker.hpp"

namespace {

struct Snapshot {
    psi::Options options;
    psi::Groups groups = psi::groups::ps;
    std::unique_ptr<psi::System> kept;  // --reuse

    psi::ProcessTable take(psi::System& sys) {
        std::error_code ec;
        return sys.table(groups, ec);
    }

    bench::PassResult pass() {
        long long t0 = bench::now_ns();
        std::unique_ptr<psi::System> fresh;
        if (!kept) fresh = std::make_unique<psi::System>(options);
        psi::ProcessTable table = take(kept ? *kept : *fresh);
        long long t1 = bench::now_ns();
        return {t1 - t0, static_cast<long long>(table.size())};
    }
};

// Heap bytes behind a string: none when it lives in the small-string buffer
// inside the object itself.
std::size_t heap_bytes(const std::string& s) {
    const char* data = s.data();
    const char* self = reinterpret_cast<const char*>(&s);
    if (data >= self && data < self + sizeof s) return 0;
    return s.capacity() + 1;
}

template <class T>
std::size_t attr_strings(const psi::Attr<T>& a) {
    const T* v = a.get();
    return v ? heap_bytes(*v) : 0;
}

std::size_t string_bytes(const psi::ProcessInfo& p) {
    std::size_t n = attr_strings(p.name) + attr_strings(p.exe) + attr_strings(p.cwd) + attr_strings(p.euser) +
                    attr_strings(p.ruser) + attr_strings(p.egroup) + attr_strings(p.rgroup) +
                    attr_strings(p.terminal);
    if (const auto* args = p.args.get()) {
        n += args->capacity() * sizeof(std::string);
        for (const auto& s : *args) n += heap_bytes(s);
    }
    if (const auto* env = p.env.get()) {
        n += env->capacity() * sizeof(env->front());
        for (const auto& [k, v] : *env) n += heap_bytes(k) + heap_bytes(v);
    }
    return n;
}

long long malloc_in_use() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return static_cast<long long>(mi.uordblks + mi.hblkhd);
#else
    return -1;
#endif
}

std::string memory_report(Snapshot& snap) {
    psi::System sys(snap.options);
    { psi::ProcessTable warm = snap.take(sys); }  // fills the System's caches and buffers
    long long before = malloc_in_use();
    psi::ProcessTable table = snap.take(sys);
    long long after = malloc_in_use();
    std::size_t footprint = 0, strings = 0;
    for (const auto& p : table) {
        footprint += p.memory_footprint();
        strings += string_bytes(p);
    }
    double n = table.empty() ? 1.0 : static_cast<double>(table.size());
    char out[256];
    std::snprintf(out, sizeof out, "count=%zu sizeof=%zu footprint=%.1f strings=%.1f heap=%.1f", table.size(),
                  sizeof(psi::ProcessInfo), static_cast<double>(footprint) / n, static_cast<double>(strings) / n,
                  before < 0 ? -1.0 : static_cast<double>(after - before) / n);
    return out;
}

// -- w-ns: any groups by their registry names, '|'-separated ("stat|ns"),
// so one depth group can be timed alone against the stat-only table.
std::optional<psi::Groups> parse_group_list(std::string_view text) {
    psi::Groups g;
    while (!text.empty()) {
        const std::size_t bar = text.find('|');
        auto one = psi::parse_group(text.substr(0, bar));
        if (!one) return std::nullopt;
        g |= *one;
        text = bar == std::string_view::npos ? std::string_view() : text.substr(bar + 1);
    }
    return g;
}

}  // namespace

int main(int argc, char** argv) {
    bench::CommonArgs common;
    Snapshot snap;
    std::string group_name = "ps";
    bool reuse = false;
    for (int i = 1; i < argc; ++i) {
        if (bench::parse_common(common, i, argc, argv)) continue;
        if (std::strcmp(argv[i], "--groups") == 0 && i + 1 < argc) {
            group_name = argv[++i];
        } else if (std::strcmp(argv[i], "--reuse") == 0) {
            reuse = true;
        } else {
            std::fprintf(stderr,
                         "usage: %s [--groups ps|ps_args|all|G1|G2...] [--reuse] [--threads N] [--proc DIR]"
                         " [--passes N] [--serve]\n",
                         argv[0]);
            return 2;
        }
    }
    if (group_name == "ps") snap.groups = psi::groups::ps;
    else if (group_name == "ps_args") snap.groups = psi::groups::ps_args;
    else if (group_name == "all") snap.groups = psi::groups::all;
    else if (auto g = parse_group_list(group_name)) snap.groups = *g;  // "stat|cgroup" (w-ns)
    else {
        std::fprintf(stderr, "unknown --groups %s\n", group_name.c_str());
        return 2;
    }
    snap.options.proc_root = common.proc_root;
    snap.options.threads = common.threads;
    try {
        if (reuse) snap.kept = std::make_unique<psi::System>(snap.options);
        auto run = [&snap] { return snap.pass(); };
        if (common.serve) return bench::serve(run, [&snap] { return memory_report(snap); });
        std::string label = "psi C++ table(" + group_name + ")";
        int rc = bench::run_by_hand(label.c_str(), common.passes, run);
        std::printf("memory: %s\n", memory_report(snap).c_str());
        return rc;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "psi_bench_snapshot: %s\n", e.what());
        return 1;
    }
}
