#include "platform/posix/fs_sizes.hpp"

#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

namespace psi::posix {

namespace {

// One statvfs call that may outlive its caller.
struct PendingCall {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    int err = 0;
    struct statvfs result {};
};

// Paths with a call still running after its caller gave up. Allocated once
// and never freed: a detached thread may still use it while the process
// exits, after static destructors have run.
struct Stuck {
    std::mutex mu;
    std::set<std::string> paths;
};
Stuck& stuck() {
    static Stuck* s = new Stuck;
    return *s;
}

void fill_from(MountInfo& m, const struct statvfs& sv) {
    // f_frsize is the unit of the block counts; some file systems leave it 0
    // and mean f_bsize (statvfs(3)).
    auto frsize = static_cast<std::uint64_t>(sv.f_frsize ? sv.f_frsize : sv.f_bsize);
    m.total.set(static_cast<std::uint64_t>(sv.f_blocks) * frsize);
    m.free.set(static_cast<std::uint64_t>(sv.f_bfree) * frsize);
    m.available.set(static_cast<std::uint64_t>(sv.f_bavail) * frsize);
    m.inodes.set(static_cast<std::uint64_t>(sv.f_files));
    m.free_inodes.set(static_cast<std::uint64_t>(sv.f_ffree));
    m.available_inodes.set(static_cast<std::uint64_t>(sv.f_favail));
}

}  // namespace

bool may_block(const MountInfo& m) {
    std::string_view t = m.fstype;
    return m.remote || t.substr(0, 4) == "fuse" || t == "autofs";
}

int statvfs_with_timeout(const char* path, struct statvfs& out, std::chrono::milliseconds timeout, StatvfsFn fn) {
    std::string key(path);
    {
        std::lock_guard lock(stuck().mu);
        if (stuck().paths.count(key)) return ETIMEDOUT;
        stuck().paths.insert(key);  // until the thread below has finished
    }
    auto call = std::make_shared<PendingCall>();
    std::thread worker;
    try {
        worker = std::thread([call, key, fn] {
            struct statvfs sv {};
            int err = fn(key.c_str(), &sv) == 0 ? 0 : errno;
            // Off the stuck list before the answer is published: a caller
            // that has its answer may ask again at once.
            {
                std::lock_guard lock(stuck().mu);
                stuck().paths.erase(key);
            }
            {
                std::lock_guard lock(call->mu);
                call->result = sv;
                call->err = err;
                call->done = true;
            }
            call->cv.notify_one();
        });
    } catch (const std::system_error&) {
        std::lock_guard lock(stuck().mu);
        stuck().paths.erase(key);
        return EAGAIN;
    }
    std::unique_lock lock(call->mu);
    const bool answered = call->cv.wait_for(lock, timeout, [&] { return call->done; });
    lock.unlock();
    if (!answered) {
        worker.detach();  // a thread in D state cannot be cancelled: let it finish alone
        return ETIMEDOUT;
    }
    // It only has to return: joining it leaves the caller no stray thread
    // (a process reading its own thread count right after would count it).
    worker.join();
    out = call->result;
    return call->err;
}

void fill_fs_sizes(MountInfo& m, std::chrono::milliseconds slow_timeout) {
    struct statvfs sv {};
    int err = 0;
    if (may_block(m))
        err = slow_timeout.count() > 0 ? statvfs_with_timeout(m.mountpoint.c_str(), sv, slow_timeout) : ETIMEDOUT;
    else if (::statvfs(m.mountpoint.c_str(), &sv) != 0) err = errno;
    if (err == 0) {
        fill_from(m, sv);
        return;
    }
    AttrStatus st = (err == EACCES || err == EPERM) ? AttrStatus::insufficient_privs : AttrStatus::not_available;
    for (auto* a : {&m.total, &m.free, &m.available, &m.inodes, &m.free_inodes, &m.available_inodes}) a->fail(st, err);
}

}  // namespace psi::posix
