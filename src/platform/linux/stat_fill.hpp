// Turning a parsed /proc/PID/stat into a row: shared by read_process
// (process.cpp) and the sampler's re-reads (sampler.cpp).
#pragma once

#include "platform/linux/context.hpp"

namespace psi::backend {

// A kernel thread: PF_KTHREAD in flags, a child of kthreadd, or kthreadd.
bool stat_is_kernel_thread(const linux_proc::StatFields& st, int pid);
// The Group::stat attributes of `out` from `st` (not the identity).
void fill_stat(Context& ctx, const linux_proc::StatFields& st, ProcessInfo& out);

}  // namespace psi::backend
