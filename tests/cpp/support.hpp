// Helpers shared by the C++ tests: what main() saw, child processes that are
// always cleaned up, and small readers of the system's own view.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "psi/timespec.hpp"

namespace psi_test {

// argv and environ exactly as main() received them, copied before
// GoogleTest strips its own flags from argv. /proc/self/cmdline and
// /proc/self/environ describe these initial blocks, not later setenv()s.
extern std::vector<std::string> g_argv;
extern std::vector<std::string> g_environ;
// CLOCK_REALTIME on entry to main(): this process started before it.
extern psi::TimeSpec g_main_realtime;

// Whole file as bytes ("" and errno_out set when it cannot be read).
std::string read_file(const std::string& path, int* errno_out = nullptr);

// Runs `command` with /bin/sh, returns its stdout; exit_status gets the
// wait(2) status.
std::string run_capture(const std::string& command, int* exit_status = nullptr);

// Numeric entries of /proc, i.e. what the kernel lists as processes.
std::size_t count_proc_pids();

psi::TimeSpec clock_now(int clock_id);

// Child processes that do nothing but sleep in pause(2). Every child asks the
// kernel for SIGKILL when its parent dies (PR_SET_PDEATHSIG), so even a test
// binary killed by a timeout leaves none behind; the destructor kills and
// reaps exactly the children it made.
class Sleepers {
public:
    Sleepers() = default;
    ~Sleepers();
    Sleepers(const Sleepers&) = delete;
    Sleepers& operator=(const Sleepers&) = delete;

    // Forks one sleeper and returns once it is inside its pause loop (so its
    // state is settled to S and its name, when given, is set). name is
    // applied with PR_SET_NAME (the kernel keeps 15 bytes).
    pid_t spawn(const char* name = nullptr);
    // Forks until /proc lists at least `target` pids, making at least 32
    // and at most `limit` children. Returns how many were made.
    std::size_t fill_to(std::size_t target, std::size_t limit);

    // SIGKILL and reap one child; returns its wait status.
    int kill_and_reap(pid_t pid);
    // Reap one child that is ending by other means; returns its wait status.
    int reap(pid_t pid);
    const std::vector<pid_t>& pids() const { return pids_; }

private:
    std::vector<pid_t> pids_;
};

}  // namespace psi_test
