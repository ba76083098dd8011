// psi_bench_resample - what re-sampling the stat group costs against a
// fresh stat-only table of the same processes (issue 13's target: at most
// 0.55x). Interleaved rounds of
//   fresh:    psi::System::table(psi::Group::stat) on a long-lived System
//             (one thread, as the sampler reads), and
//   resample: psi::Sampler::sample() after a first, untimed sample that
//             opened the descriptors,
// and prints the medians and their ratios as one line of key=value pairs
// for bench/resample.py:
//   procs=1012 fresh_ms=9.81 resample_ms=4.02 ratio=0.410 fresh_cpu_ms=9.5
//   resample_cpu_ms=3.9 cpu_ratio=0.411 handles=1012
// Wall time (ms) and this thread's CPU time (cpu_ms: user + system,
// CLOCK_THREAD_CPUTIME_ID): on a loaded machine the wall time also counts
// the time the thread waited for a CPU, which has nothing to do with the
// cost of either read, so the CPU-time ratio is the steadier figure.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <time.h>

#include "psi/psi.hpp"

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double thread_cpu_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Times {
    std::vector<double> wall, cpu;
};

template <class F>
void time_ms(F&& f, Times& out, std::size_t& rows) {
    const double c0 = thread_cpu_ms();
    const auto t0 = std::chrono::steady_clock::now();
    rows = f();
    out.wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    out.cpu.push_back(thread_cpu_ms() - c0);
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 20;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = std::atoi(argv[++i]);
    }
    psi::Options options;  // threads = 1
    psi::System sys(options);
    psi::Sampler sampler(options);
    (void)sampler.sample();  // opens a descriptor per process (not timed)
    Times fresh, resample;
    std::size_t rows = 0;
    for (int r = 0; r < rounds; ++r) {
        time_ms([&] { return sys.table(psi::Group::stat).size(); }, fresh, rows);
        time_ms([&] { return sampler.sample().size(); }, resample, rows);
    }
    const double f = median(fresh.wall), s = median(resample.wall);
    const double fc = median(fresh.cpu), sc = median(resample.cpu);
    std::printf("procs=%zu fresh_ms=%.3f resample_ms=%.3f ratio=%.3f fresh_cpu_ms=%.3f resample_cpu_ms=%.3f "
                "cpu_ratio=%.3f handles=%zu\n",
                rows, f, s, f > 0 ? s / f : 0.0, fc, sc, fc > 0 ? sc / fc : 0.0, sampler.open_handles());
    return 0;
}
