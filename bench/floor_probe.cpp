// psi_bench_floor - the floor: what reading a ps-like listing costs with raw
// system calls and no library, against which the psi C++ snapshot is judged.
//
// A pass lists /proc with getdents64(2) and, for each pid, reads exactly the
// files a ps row needs: stat (ids, name, state, times, vsz),
// statm (exact rss; stat's rss field drifts on current kernels) and
// fstatat(2) of /proc/PID (euid); --files adds cmdline for an args column,
// or selects single files for a per-file breakdown. Each file is opened with
// openat(2) relative to one /proc descriptor, read into one reused buffer and
// closed; nothing is parsed, the bytes are only counted so the reads cannot
// be optimised away.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "worker.hpp"

namespace {

enum FileBit : unsigned {
    kStat = 1u << 0,
    kStatm = 1u << 1,
    kOwner = 1u << 2,  // fstatat of /proc/PID, no file read
    kCmdline = 1u << 3,
    kStatus = 1u << 4,
};

// The record getdents64(2) fills; declared here because glibc only exposes
// it under _GNU_SOURCE with a different name.
struct LinuxDirent64 {
    std::uint64_t d_ino;
    std::int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
};

// Pids of the thread-group leaders: /proc lists only those at its top level.
void list_pids(int procfd, std::vector<int>& pids, std::vector<char>& dbuf) {
    pids.clear();
    lseek(procfd, 0, SEEK_SET);  // rewinds a directory stream (lseek(2))
    for (;;) {
        long n = syscall(SYS_getdents64, procfd, dbuf.data(), dbuf.size());
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            const auto* d = reinterpret_cast<const LinuxDirent64*>(dbuf.data() + off);
            off += d->d_reclen;
            const char* s = d->d_name;
            if (*s < '1' || *s > '9') continue;
            int pid = 0;
            auto [end, ec] = std::from_chars(s, s + std::strlen(s), pid);
            if (ec == std::errc() && *end == '\0') pids.push_back(pid);
        }
    }
}

struct Reader {
    std::vector<char> buf = std::vector<char>(1u << 17);
    long long bytes = 0;

    // Whole file into the reused buffer; a read that fills it may have more.
    bool read_file(int procfd, const char* path) {
        int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return false;
        ssize_t n;
        do {
            n = read(fd, buf.data(), buf.size());
            if (n > 0) bytes += n;
        } while (n == static_cast<ssize_t>(buf.size()));
        close(fd);
        return n >= 0;
    }

    // One row. False when the process has gone, i.e. when the first file
    // of the row is missing; later failures (a kernel thread's empty
    // cmdline, a race with exit) still count the row, as a listing would.
    bool read_row(int procfd, int pid, unsigned files) {
        char path[48];
        char* end = std::to_chars(path, path + 16, pid).ptr;
        auto leaf = [&](const char* name) {
            std::strcpy(end, name);
            return static_cast<const char*>(path);
        };
        bool first = true;
        auto step = [&](bool ok) {
            bool gone = first && !ok;
            first = false;
            return !gone;
        };
        if ((files & kStat) && !step(read_file(procfd, leaf("/stat")))) return false;
        if ((files & kStatm) && !step(read_file(procfd, leaf("/statm")))) return false;
        if ((files & kStatus) && !step(read_file(procfd, leaf("/status")))) return false;
        if (files & kOwner) {
            *end = '\0';
            struct stat st;
            bool ok = fstatat(procfd, path, &st, 0) == 0;
            if (ok) bytes += st.st_uid;
            if (!step(ok)) return false;
        }
        if ((files & kCmdline) && !step(read_file(procfd, leaf("/cmdline")))) return false;
        return true;
    }
};

struct Probe {
    int procfd = -1;
    unsigned files = kStat | kStatm | kOwner;
    int threads = 1;
    std::vector<int> pids;
    std::vector<char> dbuf = std::vector<char>(1u << 16);
    std::vector<Reader> readers;

    bench::PassResult pass() {
        long long t0 = bench::now_ns();
        list_pids(procfd, pids, dbuf);
        long long count = 0;
        if (files == 0) {
            count = static_cast<long long>(pids.size());
        } else if (threads <= 1) {
            for (int pid : pids) count += readers[0].read_row(procfd, pid, files);
        } else {
            // Interleaved shares: neighbouring pids are often alike in cost
            // (a burst of kernel threads, a batch of idle children).
            std::vector<long long> counts(static_cast<std::size_t>(threads), 0);
            std::vector<std::thread> pool;
            for (int t = 0; t < threads; ++t) {
                pool.emplace_back([this, t, &counts] {
                    Reader& r = readers[static_cast<std::size_t>(t)];
                    for (std::size_t i = static_cast<std::size_t>(t); i < pids.size();
                         i += static_cast<std::size_t>(threads))
                        counts[static_cast<std::size_t>(t)] += r.read_row(procfd, pids[i], files);
                });
            }
            for (auto& th : pool) th.join();
            for (long long c : counts) count += c;
        }
        return {bench::now_ns() - t0, count};
    }
};

unsigned parse_files(const std::string& list) {
    unsigned bits = 0;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        std::string f = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (f == "stat") bits |= kStat;
        else if (f == "statm") bits |= kStatm;
        else if (f == "owner" || f == "fstatat") bits |= kOwner;
        else if (f == "cmdline") bits |= kCmdline;
        else if (f == "status") bits |= kStatus;
        else if (f == "row") bits |= kStat | kStatm | kOwner;
        else if (f == "row_args") bits |= kStat | kStatm | kOwner | kCmdline;
        else if (f == "list" || f.empty()) {
        } else {
            std::fprintf(stderr, "unknown file '%s' (stat statm owner cmdline status row row_args list)\n", f.c_str());
            std::exit(2);
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return bits;
}

}  // namespace

int main(int argc, char** argv) {
    bench::CommonArgs common;
    std::string files = "row";
    for (int i = 1; i < argc; ++i) {
        if (bench::parse_common(common, i, argc, argv)) continue;
        if (std::strcmp(argv[i], "--files") == 0 && i + 1 < argc) {
            files = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: %s [--files row|row_args|stat,statm,owner,cmdline,status,list] [--threads N]"
                         " [--proc DIR] [--passes N] [--serve]\n",
                         argv[0]);
            return 2;
        }
    }
    Probe probe;
    probe.files = parse_files(files);
    probe.threads = common.threads;
    probe.readers.resize(static_cast<std::size_t>(common.threads));
    probe.procfd = open(common.proc_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (probe.procfd < 0) {
        std::perror(common.proc_root.c_str());
        return 1;
    }
    auto run = [&probe] { return probe.pass(); };
    if (common.serve) return bench::serve(run, nullptr);
    std::string label = "floor " + files;
    return bench::run_by_hand(label.c_str(), common.passes, run);
}
