// bench/worker.hpp - the line protocol shared by the C++ probes.
//
// bench/run.py keeps each probe running and sends it one command per round,
// so every contender is timed in its own process with warm caches, and the
// cost of exec, dynamic linking and first-touch page faults stays out of the
// figures. Commands on stdin, one reply line on stdout:
//   "run"  -> "ns=<elapsed> count=<processes>"   one timed pass
//   "mem"  -> "key=value ..."                     memory figures (optional)
//   EOF    -> exit
// The first line a probe writes is "ready" (or "skip=<reason>").
// Without --serve a probe runs --passes passes and prints a summary, for use
// by hand.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace bench {

struct PassResult {
    long long ns = 0;
    long long count = 0;
};

inline long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct CommonArgs {
    bool serve = false;
    int passes = 10;
    int threads = 1;
    std::string proc_root = "/proc";
};

// Parses the options every probe shares; returns false for an unknown one
// so the probe can try its own.
inline bool parse_common(CommonArgs& a, int& i, int argc, char** argv) {
    auto need = [&](const char* opt) -> const char* {
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\n", opt);
            std::exit(2);
        }
        return argv[++i];
    };
    const char* arg = argv[i];
    if (std::strcmp(arg, "--serve") == 0) a.serve = true;
    else if (std::strcmp(arg, "--passes") == 0) a.passes = std::max(1, std::atoi(need(arg)));
    else if (std::strcmp(arg, "--threads") == 0) a.threads = std::max(1, std::atoi(need(arg)));
    else if (std::strcmp(arg, "--proc") == 0) a.proc_root = need(arg);
    else return false;
    return true;
}

// Serve mode: say "ready", then answer run/mem commands until EOF.
inline int serve(const std::function<PassResult()>& run, const std::function<std::string()>& mem) {
    std::printf("ready\n");
    std::fflush(stdout);
    char line[256];
    while (std::fgets(line, sizeof line, stdin)) {
        line[std::strcspn(line, "\r\n")] = '\0';
        if (std::strcmp(line, "run") == 0) {
            PassResult r = run();
            std::printf("ns=%lld count=%lld\n", r.ns, r.count);
        } else if (std::strcmp(line, "mem") == 0) {
            std::printf("%s\n", mem ? mem().c_str() : "");
        } else {
            std::printf("error=unknown-command\n");
        }
        std::fflush(stdout);
    }
    return 0;
}

// Hand mode: one warm-up pass, then `passes` timed ones; prints the median.
inline int run_by_hand(const char* label, int passes, const std::function<PassResult()>& run) {
    run();
    std::vector<double> us_per_proc;
    long long count = 0;
    for (int p = 0; p < passes; ++p) {
        PassResult r = run();
        count = r.count;
        if (r.count > 0) us_per_proc.push_back(static_cast<double>(r.ns) / 1e3 / static_cast<double>(r.count));
    }
    if (us_per_proc.empty()) {
        std::fprintf(stderr, "%s: no process read\n", label);
        return 1;
    }
    std::sort(us_per_proc.begin(), us_per_proc.end());
    std::printf("%s: %lld processes, median %.2f us/process (min %.2f, max %.2f, %d passes)\n", label, count,
                us_per_proc[us_per_proc.size() / 2], us_per_proc.front(), us_per_proc.back(), passes);
    return 0;
}

}  // namespace bench
