// psi_bench_resample - what re-sampling the stat group costs against a
// fresh stat-only table of the same processes (issue 13's target: at most
// 0.55x). Rounds of
//   fresh:    psi::System::table(psi::Group::stat) on a long-lived System
//             (one thread, as the sampler reads),
//   resample: psi::Sampler::sample() after a first, untimed sample that
//             opened the descriptors, handing the previous table back for
//             its rows to be reused (what a monitor loop does),
//   same:     psi::Sampler::resample(), the next snapshot of the same
//             processes (no listing of /proc), likewise recycling,
// and, for the kernel's share, the same reads with raw system calls and
// no parsing (floor_fresh: getdents64 + openat/read/close per pid;
// floor_resample: getdents64 + one pread per kept descriptor; floor_same:
// one pread per kept descriptor).
//
// Each round runs the sides in an order that alternates (A B B A ...), so a
// slow drift of the machine's load falls on both; each side's cost is the
// thread's CPU time (user + system, CLOCK_THREAD_CPUTIME_ID: on a loaded
// machine wall time also counts the waits for a CPU, which belong to neither
// read). The figures are medians over the rounds: of each side's time, and
// of the per-round ratio (the two sides of one round ran within
// milliseconds of each other, under the same load), which is the verdict.
// One line of key=value pairs for bench/resample.py:
//   procs=1012 rounds=31 fresh_us=11.9 resample_us=6.1 ratio=0.51 ...
// where *_us are CPU microseconds per process.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include <time.h>

#include "psi/psi.hpp"

namespace {

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double thread_cpu_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Side {
    const char* name;
    std::function<std::size_t()> run;  // returns the rows read
    std::vector<double> cpu, wall;
    std::size_t rows = 0;
    void once() {
        const double c0 = thread_cpu_ms();
        const auto t0 = std::chrono::steady_clock::now();
        rows = run();
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(thread_cpu_ms() - c0);
    }
};

// The raw floor: pids of /proc by getdents64, as psi lists them.
void list_raw(int dir, std::vector<int>& pids) {
    pids.clear();
    alignas(8) char buf[32768];
    ::lseek(dir, 0, SEEK_SET);
    for (;;) {
        long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            // struct linux_dirent64: d_ino(8) d_off(8) d_reclen(2) d_type(1) d_name
            unsigned short reclen;
            std::memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char* name = buf + off + 19;
            if (name[0] >= '1' && name[0] <= '9') pids.push_back(std::atoi(name));
            off += reclen;
        }
    }
}

struct FloorState {
    int dir = -1;
    std::vector<int> pids;
    std::vector<std::pair<int, int>> kept;  // (pid, fd), ascending
    char buf[4096];
};

std::size_t floor_fresh(FloorState& s) {
    list_raw(s.dir, s.pids);
    std::size_t rows = 0;
    char path[32];
    for (int pid : s.pids) {
        std::snprintf(path, sizeof path, "%d/stat", pid);
        int fd = static_cast<int>(::syscall(SYS_openat, s.dir, path, O_RDONLY | O_CLOEXEC, 0));
        if (fd < 0) continue;
        if (::syscall(SYS_read, fd, s.buf, sizeof s.buf) > 0) ++rows;
        ::syscall(SYS_close, fd);
    }
    return rows;
}

std::size_t floor_resample(FloorState& s) {
    list_raw(s.dir, s.pids);
    std::size_t rows = 0;
    std::size_t j = 0;
    char path[32];
    std::vector<std::pair<int, int>> next;
    next.reserve(s.pids.size());
    for (int pid : s.pids) {
        while (j < s.kept.size() && s.kept[j].first < pid) ::close(s.kept[j++].second);
        int fd = -1;
        if (j < s.kept.size() && s.kept[j].first == pid) fd = s.kept[j++].second;
        if (fd >= 0 && ::syscall(SYS_pread64, fd, s.buf, sizeof s.buf, 0) > 0) {
            ++rows;
            next.emplace_back(pid, fd);
            continue;
        }
        if (fd >= 0) ::close(fd);
        std::snprintf(path, sizeof path, "%d/stat", pid);
        fd = static_cast<int>(::syscall(SYS_openat, s.dir, path, O_RDONLY | O_CLOEXEC, 0));
        if (fd < 0) continue;
        if (::syscall(SYS_read, fd, s.buf, sizeof s.buf) > 0) {
            ++rows;
            next.emplace_back(pid, fd);
        } else {
            ::close(fd);
        }
    }
    for (; j < s.kept.size(); ++j) ::close(s.kept[j].second);
    s.kept.swap(next);
    return rows;
}

std::size_t floor_same(FloorState& s) {
    std::size_t rows = 0;
    for (const auto& [pid, fd] : s.kept)
        if (::syscall(SYS_pread64, fd, s.buf, sizeof s.buf, 0) > 0) ++rows;
    return rows;
}

void print_pair(const char* key, Side& fresh, Side& resample, std::size_t procs) {
    std::vector<double> ratios, wall_ratios;
    for (std::size_t i = 0; i < fresh.cpu.size() && i < resample.cpu.size(); ++i) {
        if (fresh.cpu[i] > 0) ratios.push_back(resample.cpu[i] / fresh.cpu[i]);
        if (fresh.wall[i] > 0) wall_ratios.push_back(resample.wall[i] / fresh.wall[i]);
    }
    const double n = procs ? static_cast<double>(procs) : 1;
    const double fc = median(fresh.cpu), rc = median(resample.cpu);
    std::vector<double> sorted = ratios;
    std::sort(sorted.begin(), sorted.end());
    // The quartiles of the per-round ratio: how much the verdict moves.
    const double q1 = sorted.empty() ? 0 : sorted[sorted.size() / 4];
    const double q3 = sorted.empty() ? 0 : sorted[(3 * sorted.size()) / 4];
    std::printf(" %sfresh_us=%.3f %sresample_us=%.3f %sratio=%.3f %sratio_q1=%.3f %sratio_q3=%.3f "
                "%sratio_of_medians=%.3f %sfresh_wall_ms=%.3f %sresample_wall_ms=%.3f %swall_ratio=%.3f",
                key, fc * 1e3 / n, key, rc * 1e3 / n, key, median(ratios), key, q1, key, q3, key,
                fc > 0 ? rc / fc : 0.0, key, median(fresh.wall), key, median(resample.wall), key,
                median(wall_ratios));
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 31;
    const char* only = nullptr;  // "fresh" or "resample": one side only (for perf record)
    bool recycle = true;         // false: sample() builds every row anew
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
        else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
        else if (std::strcmp(argv[i], "--no-recycle") == 0) recycle = false;
    }
    psi::Options options;  // threads = 1
    auto sampler = std::make_unique<psi::Sampler>(options);
    psi::System sys(options);
    psi::ProcessTable previous = sampler->sample();  // opens a descriptor per process (not timed)

    Side fresh{"fresh", [&] { return sys.table(psi::Group::stat).size(); }, {}, {}};
    Side resample{"resample", [&] {
                      previous = recycle ? sampler->sample(std::move(previous)) : sampler->sample();
                      return previous.size();
                  }, {}, {}};
    Side same{"same", [&] {
                  previous = recycle ? sampler->resample(std::move(previous)) : sampler->resample();
                  return previous.size();
              }, {}, {}};
    if (only) {
        Side& s = std::strcmp(only, "fresh") == 0 ? fresh : std::strcmp(only, "same") == 0 ? same : resample;
        for (int r = 0; r < rounds; ++r) s.once();
        std::printf("procs=%zu %s_cpu_ms=%.3f\n", s.rows, s.name, median(s.cpu));
        return 0;
    }
    // Rotating order (A B C, B C A, C A B, ...): a drift of the load falls
    // on every side.
    auto interleave = [rounds](std::vector<Side*> sides) {
        for (Side* s : sides) s->run();  // untimed: warms caches and the allocator
        for (int r = 0; r < rounds; ++r)
            for (std::size_t k = 0; k < sides.size(); ++k) sides[(k + static_cast<std::size_t>(r)) % sides.size()]->once();
    };
    interleave({&fresh, &resample, &same});
    const std::size_t handles = sampler->open_handles();
    // The floor runs after the sampler closed its descriptors: at 10,000
    // processes both sets together would pass a common hard limit (20,000).
    sampler.reset();
    previous = {};
    struct rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
    FloorState fl;
    fl.dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    Side ffresh{"floor_fresh", [&] { return floor_fresh(fl); }, {}, {}};
    Side fresample{"floor_resample", [&] { return floor_resample(fl); }, {}, {}};
    Side fsame{"floor_same", [&] { return floor_same(fl); }, {}, {}};
    interleave({&ffresh, &fresample, &fsame});
    // The listing alone, which both sides pay in full.
    Side flist{"floor_list", [&] {
                   list_raw(fl.dir, fl.pids);
                   return fl.pids.size();
               }, {}, {}};
    for (int r = 0; r < rounds; ++r) flist.once();
    std::printf("procs=%zu rounds=%d handles=%zu", fresh.rows, rounds, handles);
    print_pair("", fresh, resample, fresh.rows);
    print_pair("floor_", ffresh, fresample, ffresh.rows);
    print_pair("same_", fresh, same, fresh.rows);
    print_pair("floor_same_", ffresh, fsame, ffresh.rows);
    std::printf(" floor_list_us=%.3f\n", median(flist.cpu) * 1e3 / static_cast<double>(std::max<std::size_t>(1, flist.rows)));
    ::close(fl.dir);
    return 0;
}
