// Solaris backend context: opening the proc root, reading record files,
// resolving terminals. POSIX calls only (openat, fstatat, fdopendir).
#include "platform/solaris/context.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/classify.hpp"
#include "psi/error.hpp"

namespace psi::backend {

void ContextDeleter::operator()(Context* ctx) const noexcept { delete ctx; }

// 4 KiB holds psinfo_t (416 bytes) and pstatus_t with a few lwps; more
// grows it.
constexpr std::size_t kReadBuffer = 4096;

ContextPtr open(const Options& options, std::error_code& ec) {
    return posix::open_context<ContextPtr>(options.proc_root, kReadBuffer, ec);
}

ContextPtr open_worker(const Context& parent, std::error_code& ec) {
    return posix::open_context<ContextPtr>(parent.root, kReadBuffer, ec);
}

}  // namespace psi::backend

namespace psi::solaris_proc {

namespace {

void scan_dev_dir(const char* dir, std::vector<std::pair<std::uint64_t, std::string>>& out) {
    int fd = ::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    DIR* d = ::fdopendir(fd);
    if (!d) { ::close(fd); return; }
    while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] == '.') continue;
        struct stat sb{};
        if (::fstatat(fd, e->d_name, &sb, 0) == 0 && S_ISCHR(sb.st_mode))
            out.emplace_back(static_cast<std::uint64_t>(sb.st_rdev), std::string(dir) + "/" + e->d_name);
    }
    ::closedir(d);  // closes fd too
}

void scan_terminals(backend::Context& ctx) {
    ctx.ttys.emplace();
    // The same device can have several names (/dev/console, /dev/syscon);
    // the first found wins, in this order.
    scan_dev_dir("/dev/pts", *ctx.ttys);
    scan_dev_dir("/dev/term", *ctx.ttys);
    struct stat sb{};
    if (::stat("/dev/console", &sb) == 0 && S_ISCHR(sb.st_mode))
        ctx.ttys->emplace_back(static_cast<std::uint64_t>(sb.st_rdev), "/dev/console");
}

const std::string* find_terminal(const backend::Context& ctx, std::uint64_t dev) {
    for (const auto& [rdev, path] : *ctx.ttys)
        if (rdev == dev) return &path;
    return nullptr;
}

}  // namespace

const std::string* terminal_path(backend::Context& ctx, std::uint64_t dev) {
    if (!ctx.ttys) scan_terminals(ctx);
    if (const std::string* p = find_terminal(ctx, dev)) return p;
    // A pty opened after the scan: rescan once per context, not on every miss.
    if (ctx.ttys_rescanned) return nullptr;
    ctx.ttys_rescanned = true;
    scan_terminals(ctx);
    return find_terminal(ctx, dev);
}

}  // namespace psi::solaris_proc

// -- w-threads, x-solaris: a context on one process's threads --
namespace psi::backend {

// The same proc root with tasks_pid set: process.cpp then lists
// PID/lwp/ and reads PID/lwp/LWPID/ records (proc(5): every lwp of a
// process, a zombie lwp included until it is reaped, has a directory there).
// The process's psinfo is read now, once, for what its lwps share.
ContextPtr open_tasks(const Context& parent, int pid, std::error_code& ec) {
    ContextPtr ctx = posix::open_context<ContextPtr>(parent.root, kReadBuffer, ec);
    if (!ctx) return nullptr;
    char path[posix::kPathMax];
    solaris_proc::format_path(path, pid, "psinfo");
    auto r = solaris_proc::read_file(*ctx, path);
    if (r.err) { ec = detail::classify_process_error(r.err); return nullptr; }
    auto ps = solaris_proc::parse_psinfo(r.data);
    if (!ps) { ec = make_error_code(errc::parse_error); return nullptr; }
    ctx->psinfo = std::move(*ps);
    ctx->tasks_pid = pid;
    return ctx;
}

}  // namespace psi::backend

// -- x-openfiles: open_files is not implemented on Solaris yet --
namespace psi::backend {

std::error_code open_files(Context&, int, std::vector<OpenFile>&) {
    return make_error_code(errc::attr_not_implemented);
}

}  // namespace psi::backend
