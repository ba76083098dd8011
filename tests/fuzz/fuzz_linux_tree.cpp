// libFuzzer target for the whole Linux read path: the core and the Linux
// backend reading a fixture proc tree whose files hold the fuzzer's bytes.
// The parser target (fuzz_linux_parsers) sees each file alone; this one also
// covers what is done with the parsed numbers (ticks to times, pages and kB
// to bytes, boot time plus start ticks, the identity check, the table, the
// sampler's re-reads and the rates between two snapshots), where
// garbage in /proc must not become undefined behaviour or a crash either.
//
// Input: segments separated by "@@\n", in this order: PID/stat, PID/statm,
// PID/status, PID/cmdline, PID/environ, stat (btime), uptime, loadavg,
// mounts, PID/wchan (last, so older corpus entries keep their meaning),
// PID/fdinfo/3 (-- x-openfiles: fd/3 links to a regular file of the tree,
// fd/4 to one with no fdinfo, a descriptor closed mid-read). A
// missing segment leaves that file absent (ENOENT), which the
// backend must also survive.
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

constexpr int kPid = 4242;
constexpr std::array<const char*, 11> kFiles = {"4242/stat",   "4242/statm", "4242/status",
                                                "4242/cmdline", "4242/environ", "stat",
                                                "uptime",      "loadavg",    "mounts",
                                                "4242/wchan",
                                                "4242/fdinfo/3"};  // -- x-openfiles

psi_test::ProcFixture& fixture() {
    static psi_test::ProcFixture fx;  // one tree, rewritten by every input
    return fx;
}

void place(const psi_test::ProcFixture& fx, const char* rel, const std::string_view* content) {
    const std::string p = fx.path(rel);
    if (content == nullptr) {
        ::unlink(p.c_str());
        return;
    }
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) __builtin_trap();  // the fixture itself is broken: stop loudly
    std::size_t done = 0;
    while (done < content->size()) {
        ssize_t n = ::write(fd, content->data() + done, content->size() - done);
        if (n <= 0) __builtin_trap();
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

void read_everything(psi::System& sys) {
    std::error_code ec;
    psi::ProcessInfo p = sys.process(kPid, psi::groups::all, ec);
    if (!ec) {
        (void)sys.exists(p);
        sys.refresh(p, ec);
        // Touch every derived value the bindings and psi-ps would print.
        if (p.start_time.ok()) (void)p.start_time.value().seconds();
        if (p.utime.ok() && p.stime.ok()) (void)(p.utime.value() + p.stime.value()).seconds();
    }
    ec.clear();
    psi::ProcessTable t = sys.table(psi::groups::all, ec);
    for (const auto& row : t) (void)row.pid;
    (void)sys.loadavg(ec);
    (void)sys.boot_time(ec);
    (void)sys.uptime(ec);
    (void)sys.mounts(true, ec);
    // -- x-openfiles: the descriptor walk over the fuzzed fdinfo.
    for (const psi::OpenFile& f : sys.open_files(kPid, ec)) (void)f.path.size();
    // The sampler's re-read path (pread of a kept stat descriptor) on the
    // same bytes: it lives across inputs, so each input's stat is read
    // through the descriptor the previous input opened. And rates between
    // the fresh table and the sample, whatever they hold.
    static psi::Sampler sampler(psi::Options{.proc_root = fixture().root()}, false);
    psi::ProcessTable s = sampler.sample(ec);
    const psi::TableRates r = psi::rates(t, s, 1);
    for (const auto& row : r.processes) (void)row.cpu_percent.value_or(0);
    // resample(): the sample's processes again, through the same kept
    // descriptor and into the sample's own rows (no listing).
    const psi::ProcessTable again = sampler.resample(std::move(s), ec);
    for (const auto& row : psi::rates(t, again, 1).processes) (void)row.cpu_percent.value_or(0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static bool made = [] {
        fixture().mkdir("4242/task/4242");
        // -- x-openfiles: fd/3 and fd/4 hold a regular file of the tree.
        fixture().mkdir("4242/fdinfo");
        fixture().write("file", "data");
        fixture().symlink("4242/fd/3", fixture().path("file"));
        fixture().symlink("4242/fd/4", fixture().path("file"));
        return true;
    }();
    (void)made;
    psi_test::ProcFixture& fx = fixture();

    std::string_view rest(reinterpret_cast<const char*>(data), size);
    std::array<std::string_view, kFiles.size()> parts{};
    std::size_t have = 0;
    while (have < parts.size()) {
        const std::size_t sep = rest.find("@@\n");
        parts[have++] = rest.substr(0, sep);
        if (sep == std::string_view::npos) break;
        rest.remove_prefix(sep + 3);
    }
    for (std::size_t i = 0; i < kFiles.size(); ++i) place(fx, kFiles[i], i < have ? &parts[i] : nullptr);

    std::error_code ec;
    psi::System sys(psi::Options{.proc_root = fx.root(), .threads = 1}, ec);
    if (!ec) read_everything(sys);
    return 0;
}
