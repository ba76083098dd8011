// psi-ps: a ps-like listing on the psi C++ API, matching procps ps where the
// two overlap. See docs/psi-ps.md.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <string>
#include <thread>
#include <unistd.h>

#include <psi/psi.hpp>

#include "data_out.hpp"
#include "layout.hpp"
#include "options.hpp"
#include "outbuf.hpp"
#include "select.hpp"

namespace psi_ps {

void print_help(OutBuf& out);   // help.cpp
void print_fields(OutBuf& out, bool detailed);

namespace {

int fail(const std::string& msg, int code) {
    std::string line = "psi-ps: " + msg + "\n";
    ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    (void)n;
    return code;
}

// ps's PID column is as wide as the text of pid_max (procps_pid_length()),
// 5 when it cannot be read.
int pid_length(psi::System& sys) {
    std::error_code ec;
    int pid_max = sys.pid_max(ec);
    if (ec || pid_max <= 0) return 5;
    int digits = 0;
    for (; pid_max > 0; pid_max /= 10) ++digits;
    return digits;
}

std::vector<Column> make_columns(const std::vector<FormatItem>& items, int pid_len) {
    std::vector<Column> cols;
    for (const FormatItem& it : items) {
        Column c;
        c.def = it.def;
        c.header = it.header;
        c.header_set = it.header_set;
        // ps/sortformat.c do_one_spec: PID-like columns fit pid_max and their
        // header; a header override may widen a column; ":N" sets the width.
        int w = it.def->pid_width ? std::max<int>(pid_len, static_cast<int>(it.def->header.size())) : it.def->width;
        if (it.header_set) w = std::max<int>(w, static_cast<int>(it.header.size()));
        if (it.width > 0) w = it.width;
        c.width = w;
        cols.push_back(std::move(c));
    }
    return cols;
}

bool uses(const std::vector<Column>& cols, std::string_view name) {
    return std::any_of(cols.begin(), cols.end(), [&](const Column& c) { return c.def->name == name; });
}

// `previous` (--watch): in, the last listing, the earlier snapshot of the
// rates when not empty; out, this listing.
int run(const Request& req, OutBuf& out, psi::ProcessTable* previous = nullptr) {
    if (req.help) { print_help(out); return 0; }
    if (req.version) { out.append("psi-ps (psi) " PSI_VERSION_STRING "\n"); return 0; }
    if (req.list_fields || req.list_fields_long) { print_fields(out, req.list_fields_long); return 0; }

    psi::Options opts = psi::Options::from_environment();
    // Reading /proc is kernel work per process; on a multi-core machine two
    // threads halve the wall time of a large listing. Tables under 256
    // processes are read by one thread whatever this says.
    opts.threads = req.threads;
    std::error_code ec;
    psi::System sys(opts, ec);
    if (ec) return fail("cannot read processes from '" + opts.proc_root + "': " + ec.message(), 1);

    std::vector<Column> cols = make_columns(effective_format(req), pid_length(sys));

    Env env;
    env.now = psi::now();
    env.now_sec = env.now.tv_sec;
    env.boot = sys.boot_time(ec);
    env.boot_sec = ec ? 0 : env.boot.tv_sec;
    // arch() also counts CPUs and cores (a dozen sysfs reads); only the
    // clock fields, sz and %mem need what it knows.
    static constexpr std::string_view kArchFields[] = {"start", "lstart", "stime", "start_time", "bsdstart",
                                                       "sz", "%mem", "pmem"};
    if (std::any_of(std::begin(kArchFields), std::end(kArchFields), [&](std::string_view f) { return uses(cols, f); })) {
        const psi::ArchInfo arch = sys.arch();
        env.hz = arch.clock_ticks > 0 ? arch.clock_ticks : 100;
        env.page_kb = arch.page_size >= 1024 ? arch.page_size / 1024 : 4;
        env.mem_total_kb = arch.total_memory / 1024;
    }
    env.forest_type = req.forest;
    env.show_env = req.bsd_e;

    // Our own terminal: the default selection needs it.
    if (!req.has_selection()) {
        psi::ProcessInfo self = sys.process(::getpid(), psi::Group::stat, ec);
        if (!ec) env.own_tty = self.tty_dev.value_or(0);
    }
    const Selector sel(req, static_cast<std::uint32_t>(::geteuid()), env.own_tty);

    // Exactly the groups the columns, the sort keys and the selection read.
    psi::Groups groups = sel.needs();
    for (const Column& c : cols) groups |= c.def->needs;
    for (const SortKey& k : req.sort) groups |= k.def->needs;
    if (req.forest) groups |= psi::Group::stat;  // ppid and start time
    // BSD e: the command columns (ps/output.c pr_args, pr_comm) add the environment.
    static constexpr std::string_view kCommandFields[] = {"args", "cmd", "command", "comm", "ucmd", "ucomm"};
    if (req.bsd_e && std::any_of(std::begin(kCommandFields), std::end(kCommandFields),
                                 [&](std::string_view f) { return uses(cols, f); }))
        groups |= psi::Group::env;

    // --interval: a stat snapshot now, the listing after the interval; %cpu
    // and C then show the CPU used in between (psi/rates.hpp), by design
    // unlike ps, which only knows the lifetime share.
    psi::ProcessTable before;
    // -- x-resample: --watch: rates since the previous listing, which needs
    // the stat group to serve as the next one's earlier snapshot --
    const bool since_previous = previous && !previous->empty();
    if (previous) groups |= psi::Group::stat;
    if (since_previous) {
        before = std::move(*previous);
    } else if (req.interval > 0) {
        groups |= psi::Group::stat;
        before = sys.table(psi::Group::stat, ec);
        if (ec) return fail("cannot list processes: " + ec.message(), 1);
        std::this_thread::sleep_for(std::chrono::duration<double>(req.interval));
        env.now = psi::now();
        env.now_sec = env.now.tv_sec;
    }

    std::vector<psi::ProcessInfo> procs;
    const psi::Instant listed = psi::Instant::now();  // x-resample: --watch's next earlier snapshot
    if (sel.pids_only()) {
        // Read just the listed processes. Only thread-group leaders count (a
        // thread id is not a process for ps), hence the check against pids().
        std::vector<int> pids = req.pids;
        std::sort(pids.begin(), pids.end());
        pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
        const std::vector<int> leaders = sys.pids(ec);
        if (ec) return fail("cannot list processes: " + ec.message(), 1);
        for (int pid : pids) {
            if (!std::binary_search(leaders.begin(), leaders.end(), pid)) continue;
            psi::ProcessInfo p = sys.process(pid, groups, ec);
            if (!ec) procs.push_back(std::move(p));
        }
    } else {
        psi::ProcessTable table = sys.table(groups, ec);
        if (ec) return fail("cannot list processes: " + ec.message(), 1);
        procs = std::move(table).release();
    }

    psi::TableRates rates;
    if (req.interval > 0 || since_previous) {
        std::vector<const psi::ProcessInfo*> earlier, later;
        for (const psi::ProcessInfo& p : before) earlier.push_back(&p);
        for (const psi::ProcessInfo& p : procs) later.push_back(&p);
        rates = psi::rates(earlier, before.read_at(), later, psi::Instant::now());
        env.rates = &rates;
    }

    std::vector<const psi::ProcessInfo*> rows;
    rows.reserve(procs.size());
    for (const psi::ProcessInfo& p : procs)
        if (sel.wants(p)) rows.push_back(&p);

    // -- w-threads: -L, -T, H: each selected process's threads instead --
    // The threads are read after the selection (a process is chosen by its
    // own attributes, as ps chooses by the leader's); a process that exits
    // meanwhile has no threads to show.
    // -- x-threads: -m, m: each process's row, then its threads' rows --
    // (ps/display.c simple_spew). With --sort ps lists the processes only
    // (fancy_spew reads no tasks unless H), and so does psi-ps.
    const bool threads_after = req.threads_after();
    std::vector<psi::ProcessInfo> thread_rows;
    if ((req.show_threads() && !threads_after) || (threads_after && req.sort.empty())) {
        std::vector<std::vector<psi::ProcessInfo>> per;
        std::size_t n = 0;
        for (const psi::ProcessInfo* p : rows) {
            per.push_back(sys.threads(p->pid, groups, ec));
            if (ec == psi::errc::attr_not_implemented)
                return fail("thread listing is not implemented on this system", 1);
            // procps shows the leader thread with its process's values
            // (/proc/PID, whose times add up every thread's): so do we.
            for (psi::ProcessInfo& t : per.back())
                if (t.tid == p->pid) {
                    t = *p;
                    t.tid = p->pid;
                }
            // x-threads: ps -m orders each process's tasks by start time
            // (a stable sort of the directory order: ties keep tid order).
            if (threads_after)
                std::stable_sort(per.back().begin(), per.back().end(),
                                 [](const psi::ProcessInfo& a, const psi::ProcessInfo& b) {
                                     return a.start_ticks < b.start_ticks;
                                 });
            n += per.back().size();
        }
        thread_rows.reserve(n);
        for (auto& ts : per)
            for (auto& t : ts) thread_rows.push_back(std::move(t));
        std::vector<const psi::ProcessInfo*> procs_shown;
        if (threads_after) procs_shown.swap(rows);
        rows.clear();
        rows.reserve(procs_shown.size() + n);
        std::size_t next = 0;
        for (std::size_t i = 0; i < per.size(); ++i) {
            if (threads_after) rows.push_back(procs_shown[i]);  // x-threads: the process row first
            for (std::size_t k = 0; k < per[i].size(); ++k) rows.push_back(&thread_rows[next++]);
        }
    }

    std::vector<TreeRow> tree;
    if (req.forest) {
        tree = forest_rows(rows, req.sort, req.forest, env);
        // A process whose ancestry loops (pid reuse during the read) belongs
        // to no tree and, as in ps, is not shown.
        rows.resize(tree.size());
        for (std::size_t i = 0; i < tree.size(); ++i) rows[i] = tree[i].proc;
    } else {
        sort_rows(rows, req.sort, env);
    }

    // x-threads: -m's two column sets (layout.hpp split_columns).
    SplitColumns split;
    if (req.output == OutputKind::json) {
        if (threads_after) split_columns(cols, split);
        write_json(threads_after ? split.process : cols, rows, env, out, threads_after ? &split.thread : nullptr);
    } else if (req.output == OutputKind::csv) {
        if (threads_after) split_columns(cols, split);
        write_csv(threads_after ? split.process : cols, rows, env, !req.no_headers, out,
                  threads_after ? &split.thread : nullptr);
    } else {
        const int screen = screen_columns(req.wide, req.cols);
        env.wide_signals = widen_signal_columns(cols, screen);
        const int active = active_columns(cols, screen);
        if (threads_after) split_columns(cols, split);
        // ps prints no header line when every header is empty (-o pid=,comm=).
        bool any_header = std::any_of(cols.begin(), cols.end(), [](const Column& c) { return !c.header.empty(); });
        ForestPrefix prefix;
        // -- x-bsd: --headers (ps/output.c show_one_proc): a countdown from
        // 1 prints the header before the first row (or alone, when none)
        // and again every screen_rows - 1 rows, so each page of the
        // screen's height starts with it; empty headers included. One loop
        // for both, with the countdown behind a flag tested per row: a
        // lambda per row cost 26 instructions a row under callgrind.
        const bool repeat = req.repeat_headers;
        const long gap = repeat ? screen_rows(req.rows) - 1 : 0;
        long next_header = 1;
        if (!repeat) {
            if (!req.no_headers && any_header) render_row(cols, active, env, nullptr, out.str());
        } else if (rows.empty()) {
            render_row(cols, active, env, nullptr, out.str());
        }
        for (std::size_t i = 0; i < rows.size() && out.ok(); ++i) {
            if (repeat && --next_header == 0) {
                next_header = gap;
                render_row(cols, active, env, nullptr, out.str());
            }
            env.forest = req.forest ? prefix.next(tree[i]) : std::string_view();
            const std::vector<Column>& row_cols =
                !threads_after ? cols : rows[i]->tid != 0 ? split.thread : split.process;  // x-threads
            render_row(row_cols, active, env, rows[i], out.str());
            out.maybe_flush();
        }
    }
    out.flush();
    const bool none = rows.empty();
    if (previous) *previous = psi::ProcessTable(std::move(procs), listed);  // x-resample: --watch
    if (!out.ok()) return 0;  // main() reports it
    if (none) return fail("no process matched the selection", 1);
    return 0;
}

// Standard output closed (psi-ps >&-): the first file the library opens
// would become descriptor 1 and a write meant for the terminal would go to
// it. Park /dev/null there and write to no descriptor at all, so every
// write fails with EBADF and is reported, as ps does.
int stdout_fd() {
    if (::fcntl(STDOUT_FILENO, F_GETFD) >= 0 || errno != EBADF) return STDOUT_FILENO;
    int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd >= 0 && fd != STDOUT_FILENO) {
        ::dup2(fd, STDOUT_FILENO);
        ::close(fd);
    }
    return -1;
}

// procps ps: "ps: write error: No space left on device" and exit 1 when its
// output could not be written, except that a reader that went away (EPIPE,
// `ps | head -1`) ends it quietly with status 0.
int finish(OutBuf& out, int code) {
    int err = out.finish();
    if (err == 0) return code;
    if (err == EPIPE) return 0;
    return fail(std::string("write error: ") + std::strerror(err), 1);
}

}  // namespace
}  // namespace psi_ps

int main(int argc, char** argv) {
    // A closed pipe is an EPIPE to handle, not a signal that kills us: ps
    // ends quietly with status 0 when its reader goes away (its SIGPIPE
    // handler), and so does psi-ps (see finish()).
    std::signal(SIGPIPE, SIG_IGN);
    psi_ps::OutBuf out(psi_ps::stdout_fd());
    psi_ps::Request req;
    try {
        req = psi_ps::parse_args(argc, argv);
    } catch (const psi_ps::UsageError& e) {
        std::string msg = e.what();
        if (msg.find("psi-ps") == std::string::npos) msg += " (try 'psi-ps --help')";
        return psi_ps::fail(msg, 2);
    }
    int code;
    // -- x-resample: --watch: listings every SECONDS, a blank line between,
    // until --count of them or interrupted (SIGINT ends psi-ps as it ends
    // top -b); the status is the last listing's --
    psi::ProcessTable previous;
    for (long n = 1;; ++n) {
        try {
            code = psi_ps::run(req, out, req.watch > 0 ? &previous : nullptr);
        } catch (const std::exception& e) {
            code = psi_ps::fail(e.what(), 1);
        }
        if (req.watch <= 0 || (req.count > 0 && n >= req.count) || !out.ok()) break;
        std::this_thread::sleep_for(std::chrono::duration<double>(req.watch));
        out.append("\n");
    }
    return psi_ps::finish(out, code);
}
