#include "support.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <system_error>

namespace psi_test {

std::vector<std::string> g_argv;
std::vector<std::string> g_environ;
psi::TimeSpec g_main_realtime;

std::string read_file(const std::string& path, int* errno_out) {
    if (errno_out != nullptr) *errno_out = 0;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno_out != nullptr) *errno_out = errno;
        return {};
    }
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno_out != nullptr) *errno_out = errno;
            out.clear();
            break;
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

std::string run_capture(const std::string& command, int* exit_status) {
    std::FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr) throw std::system_error(errno, std::generic_category(), "popen");
    std::string out;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int st = ::pclose(p);
    if (exit_status != nullptr) *exit_status = st;
    return out;
}

std::size_t count_proc_pids() {
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return 0;
    std::size_t n = 0;
    while (dirent* e = ::readdir(d)) {
        const char* s = e->d_name;
        if (*s != '\0' && std::all_of(s, s + std::char_traits<char>::length(s),
                                      [](char c) { return c >= '0' && c <= '9'; }))
            ++n;
    }
    ::closedir(d);
    return n;
}

psi::TimeSpec clock_now(int clock_id) {
    timespec ts{};
    ::clock_gettime(clock_id, &ts);
    return psi::TimeSpec(ts.tv_sec, ts.tv_nsec);
}

Sleepers::~Sleepers() {
    for (pid_t p : pids_) ::kill(p, SIGKILL);
    for (pid_t p : pids_) {
        while (::waitpid(p, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
}

pid_t Sleepers::spawn(const char* name) {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        int e = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        throw std::system_error(e, std::generic_category(), "fork");
    }
    if (pid == 0) {
        // Only async-signal-safe calls from here on: the parent may have
        // threads, and this child must never return into the test.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);  // parent died before prctl
        if (name != nullptr) ::prctl(PR_SET_NAME, name);
        ::close(ready[0]);
        char c = 'r';
        (void)!::write(ready[1], &c, 1);
        ::close(ready[1]);
        for (;;) ::pause();
    }
    pids_.push_back(pid);
    ::close(ready[1]);
    char c;
    ssize_t n;
    do n = ::read(ready[0], &c, 1);
    while (n < 0 && errno == EINTR);
    ::close(ready[0]);
    if (n != 1) throw std::runtime_error("sleeper child did not start");
    return pid;
}

std::size_t Sleepers::fill_to(std::size_t target, std::size_t limit) {
    static const char* const kNames[] = {"psi sleeper", "kid (a) b", "x) S 1 2 (y", nullptr};
    // Always make a few, so the sleepers' odd names are checked even on a
    // machine that already has enough processes.
    constexpr std::size_t kAtLeast = 32;
    std::size_t made = 0;
    while (made < limit) {
        std::size_t have = count_proc_pids();
        if (have >= target && made >= kAtLeast) break;
        std::size_t want = std::min(std::max(target > have ? target - have : 0, kAtLeast - std::min(made, kAtLeast)),
                                    limit - made);
        for (std::size_t i = 0; i < want; ++i, ++made) spawn(kNames[made % 4]);
    }
    return made;
}

int Sleepers::kill_and_reap(pid_t pid) {
    ::kill(pid, SIGKILL);
    return reap(pid);
}

int Sleepers::reap(pid_t pid) {
    auto it = std::find(pids_.begin(), pids_.end(), pid);
    if (it == pids_.end()) throw std::logic_error("not our child");
    pids_.erase(it);
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return st;
}

}  // namespace psi_test
