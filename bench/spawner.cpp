// psi_bench_spawner - keeps N idle children alive so /proc holds enough
// processes for the benchmark, and removes exactly those children at the end.
//
// Protocol (driven by bench/run.py over a pipe; one line each way):
//   "spawn K"  -> forks K more children; replies "ready TOTAL" (children now
//                 alive) or "error ERRNO TOTAL" when fork failed part-way.
//   "count"    -> replies "count TOTAL".
//   EOF, "quit", SIGINT/SIGTERM/SIGHUP -> SIGKILL every child, reap each one,
//                 reply "done REAPED" (when stdout still works) and exit.
//
// Why a C++ forker: a child that only calls pause() costs a few page-table
// pages (its pages are shared copy-on-write with the parent), so 10,000 of
// them fit in well under 1 GiB; 10,000 Python interpreters or `sleep`
// processes (each exec'ing a fresh image) would not.
//
// Cleanup is exact and survives crashes: the spawner kills only pids it got
// back from fork() and has not reaped yet, so none of them can have been
// reused by another process (an unreaped child keeps its pid). If the spawner
// itself dies, PR_SET_PDEATHSIG (prctl(2)) makes the kernel SIGKILL each child.
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

volatile std::sig_atomic_t g_stop = 0;
// The stop signals stay blocked except inside ppoll(2), so one that arrives
// between the check of g_stop and the wait cannot be lost (ppoll's reason
// to exist).
sigset_t g_wait_mask;

void on_signal(int) { g_stop = 1; }

[[noreturn]] void child_main(pid_t parent) {
    // The child must not outlive the spawner, whatever way it dies.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) _exit(1);
    // The parent may have died between fork() and prctl(); then no death
    // signal will ever come (prctl(2): "check the parent is still alive").
    if (getppid() != parent) _exit(0);
    prctl(PR_SET_NAME, "psi-bench-idle");
    // Default dispositions, so a stray signal ends the child instead of
    // running the parent's handler in it.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
    sigprocmask(SIG_SETMASK, &g_wait_mask, nullptr);
    // Holding the driver's pipes open would keep it from seeing EOF.
    close(0);
    close(1);
    close(2);
    for (;;) pause();
}

void install_handlers() {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop_signals, &g_wait_mask);
    // The driver closing its end while we write must not kill us before
    // the children are reaped.
    std::signal(SIGPIPE, SIG_IGN);
}

// Forks `count` children; returns 0 or the errno of the failed fork.
int spawn(std::vector<pid_t>& children, long count) {
    const pid_t self = getpid();
    for (long i = 0; i < count; ++i) {
        pid_t pid = fork();
        if (pid < 0) return errno;
        if (pid == 0) child_main(self);
        children.push_back(pid);
    }
    return 0;
}

std::size_t reap_all(std::vector<pid_t>& children) {
    for (pid_t pid : children) kill(pid, SIGKILL);
    std::size_t reaped = 0;
    for (pid_t pid : children) {
        for (;;) {
            pid_t r = waitpid(pid, nullptr, 0);
            if (r == pid) { ++reaped; break; }
            if (r < 0 && errno == EINTR) continue;
            break;  // ECHILD: already gone (cannot happen, but never hang)
        }
    }
    children.clear();
    return reaped;
}

// One line from stdin, without the newline. False on EOF, error or signal.
bool read_line(std::string& line) {
    line.clear();
    char c;
    for (;;) {
        struct pollfd in = {0, POLLIN, 0};
        int ready = ppoll(&in, 1, nullptr, &g_wait_mask);  // signals land only here
        if (g_stop) return false;
        if (ready < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        ssize_t n = read(0, &c, 1);
        if (n == 1) {
            if (c == '\n') return true;
            line.push_back(c);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return false;
    }
}

void reply(const char* fmt, long a, long b = -1) {
    char out[64];
    int len = b < 0 ? std::snprintf(out, sizeof out, fmt, a) : std::snprintf(out, sizeof out, fmt, a, b);
    if (len > 0) {
        ssize_t ignored = write(1, out, static_cast<std::size_t>(len));
        (void)ignored;
    }
}

}  // namespace

int main(int argc, char** argv) {
    install_handlers();
    std::vector<pid_t> children;
    if (argc > 1) {
        // Stand-alone use: `psi_bench_spawner 500` keeps 500 children until
        // stdin closes or Ctrl-C.
        children.reserve(static_cast<std::size_t>(std::atol(argv[1])));
        int err = spawn(children, std::atol(argv[1]));
        if (err) reply("error %ld %ld\n", err, static_cast<long>(children.size()));
        else reply("ready %ld\n", static_cast<long>(children.size()));
    }
    std::string line;
    while (read_line(line)) {
        if (line.rfind("spawn ", 0) == 0) {
            long k = std::atol(line.c_str() + 6);
            children.reserve(children.size() + static_cast<std::size_t>(k > 0 ? k : 0));
            int err = spawn(children, k);
            if (err) reply("error %ld %ld\n", err, static_cast<long>(children.size()));
            else reply("ready %ld\n", static_cast<long>(children.size()));
        } else if (line == "count") {
            reply("count %ld\n", static_cast<long>(children.size()));
        } else if (line == "quit") {
            break;
        } else {
            reply("error %ld %ld\n", EINVAL, static_cast<long>(children.size()));
        }
    }
    std::size_t reaped = reap_all(children);
    reply("done %ld\n", static_cast<long>(reaped));
    return 0;
}
