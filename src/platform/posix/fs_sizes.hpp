// statvfs(2) of a mount, guarded against file systems that never answer.
#pragma once

#include <sys/statvfs.h>

#include <chrono>

#include "psi/system.hpp"

namespace psi::posix {

// total/free/available bytes and inode counts of m.mountpoint. A mount that
// cannot be queried (EACCES, a stale NFS handle, no answer in time) fails
// only its own sizes, with the reason, never the list. A mount that may
// block (may_block) is given `slow_timeout`; zero does not ask it at all.
void fill_fs_sizes(MountInfo& m, std::chrono::milliseconds slow_timeout);

// Network, FUSE and automount file systems: their statvfs waits for a
// server or a daemon (an NFS "hard" mount waits for ever, in D state).
bool may_block(const MountInfo& m);

using StatvfsFn = int (*)(const char*, struct statvfs*);

// statvfs(path) in a helper thread, waiting at most `timeout`; a thread that
// answered in time is joined. When it times out the thread is detached and
// left to finish on its own (a thread in D state
// cannot be cancelled) and, until it does, later calls for the same path
// fail at once instead of stacking up threads. Returns 0 or an errno
// (ETIMEDOUT, EAGAIN when no thread could be started). `fn` is statvfs
// itself except in tests.
int statvfs_with_timeout(const char* path, struct statvfs& out, std::chrono::milliseconds timeout,
                         StatvfsFn fn = &::statvfs);

}  // namespace psi::posix
