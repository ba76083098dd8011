// Rates between snapshots (psi/rates.hpp) and psi::Sampler for Python:
// Process.read_at / read_monotonic / since(), the rows of
// ProcessTable.since() and psi.process.Sampler's compiled half. The result
// types (ProcessRates, TableRates) are Python classes in psi/_rates.py.
#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "process.hpp"

namespace psi_py {

namespace {

// Seconds on the monotonic clock: steady_clock is CLOCK_MONOTONIC on Linux
// (libstdc++, libc++), the clock of Python's time.monotonic().
double monotonic_seconds(const psi::Instant& at) {
    return std::chrono::duration<double>(at.monotonic.time_since_epoch()).count();
}

py::object rate(const psi::Attr<double>& a) { return a.ok() ? py::object(py::float_(*a.get())) : py::none(); }

// Field order of psi._rates.ProcessRates.
py::tuple row_tuple(const psi::ProcessRates& r) {
    return py::make_tuple(r.id.pid, r.interval, rate(r.cpu_percent), rate(r.cpu_percent_normalized),
                          rate(r.read_bytes), rate(r.write_bytes), rate(r.read_ops), rate(r.write_ops),
                          rate(r.minor_faults), rate(r.major_faults), rate(r.voluntary_ctx_switches),
                          rate(r.involuntary_ctx_switches));
}

// The instant of the snapshot's stat read; a row read without stat (a
// table with other attrs) reads it now, as any stat attribute would.
const psi::Instant& instant(PyProcess& p, const char* attribute) {
    ensure_groups(p, psi::Group::stat);
    // Only a process found gone by that lazy read has no instant.
    if (!p.info.read_at.known())
        raise_attr(psi::AttrStatus::not_available, ESRCH, "pid " + std::to_string(p.info.pid), attribute,
                   p.info.pid);
    return p.info.read_at;
}

py::object since(PyProcess& self, py::handle before) {
    if (!py::isinstance<PyProcess>(before))
        throw py::type_error("since() needs a psi.process.Process, not " +
                             std::string(py::str(py::type::handle_of(before).attr("__name__"))));
    const PyProcess& b = before.cast<const PyProcess&>();
    if (b.info.pid != self.info.pid)
        throw py::value_error("since(): pid " + std::to_string(self.info.pid) + " cannot be compared with pid " +
                              std::to_string(b.info.pid));
    if (b.info.start_ticks != self.info.start_ticks)
        throw py::value_error("since(): pid " + std::to_string(self.info.pid) +
                              " was reused: the two snapshots are of different processes");
    // Nothing is read here: a snapshot without stat gives None rates.
    psi::ProcessRates r = psi::rates(b.info, self.info, 0);
    return py::module_::import("psi._rates").attr("ProcessRates")(*row_tuple(r));
}

const PyProcess& as_process(py::handle obj) {
    if (!py::isinstance<PyProcess>(obj))
        throw py::type_error("a ProcessTable holds psi.process.Process values, not " +
                             std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
    return obj.cast<const PyProcess&>();
}

// (rows, appeared pids, disappeared pids) between two iterables of Process.
py::tuple table_rows(py::iterable before, py::iterable after) {
    std::vector<const psi::ProcessInfo*> b, a;
    for (py::handle h : before) b.push_back(&as_process(h).info);
    for (py::handle h : after) a.push_back(&as_process(h).info);
    psi::TableRates r = psi::rates(b, psi::Instant{}, a, psi::Instant{}, 0);
    py::list rows(r.processes.size());
    for (std::size_t i = 0; i < r.processes.size(); ++i) rows[i] = row_tuple(r.processes[i]);
    py::list came, went;
    for (const psi::Identity& id : r.appeared) came.append(id.pid);
    for (const psi::Identity& id : r.disappeared) went.append(id.pid);
    return py::make_tuple(rows, came, went);
}

// psi::Sampler behind a mutex (taken without the GIL, as SharedSystem).
struct PySampler {
    std::mutex mutex;
    std::unique_ptr<psi::Sampler> sampler;
    SystemPtr system;  // what the sampled Process objects read lazily through
};

std::unique_ptr<PySampler> make_sampler(bool raise_fd_limit) {
    auto s = std::make_unique<PySampler>();
    const std::string root = current_proc_root();
    s->system = shared_system(root);
    psi::Options options;
    options.proc_root = root;
    {
        py::gil_scoped_release nogil;
        s->sampler = std::make_unique<psi::Sampler>(std::move(options), raise_fd_limit);
    }
    return s;
}

// Fills `target` (a ProcessTable's dict storage) with one sample (`same`:
// of the processes of the last one, psi::Sampler::resample); returns the
// table's (wall TimeSpec, monotonic seconds).
py::tuple sample_into(PySampler& s, py::dict target, bool same) {
    psi::ProcessTable t;
    {
        py::gil_scoped_release nogil;
        std::lock_guard<std::mutex> lock(s.mutex);
        t = same ? s.sampler->resample() : s.sampler->sample();
    }
    const psi::Instant at = t.read_at();
    for (psi::ProcessInfo& info : std::move(t).release()) {
        py::object key = to_int(info.pid);
        py::object value = wrap(std::move(info), s.system);
        if (PyDict_SetItem(target.ptr(), key.ptr(), value.ptr()) != 0) throw py::error_already_set();
    }
    return py::make_tuple(to_timespec(at.wall), monotonic_seconds(at));
}

}  // namespace

py::tuple instant_tuple(const psi::Instant& at) {
    return py::make_tuple(to_timespec(at.wall), monotonic_seconds(at));
}

void register_rates(py::module_& m) {
    auto cls = py::reinterpret_borrow<py::class_<PyProcess>>(m.attr("Process"));
    cls.def_property_readonly(
           "read_at", [](PyProcess& p) { return to_timespec(instant(p, "read_at").wall); },
           "Wall-clock instant (UTC TimeSpec) at which the stat group was read.")
        .def_property_readonly(
            "read_monotonic", [](PyProcess& p) { return monotonic_seconds(instant(p, "read_monotonic")); },
            "Monotonic instant (seconds, time.monotonic()'s clock on Linux) of the stat read.")
        .def("since", &since, py::arg("before"),
             "Rates between an earlier snapshot of this same process and this one (ProcessRates).");
    m.def("table_rows", &table_rows, py::arg("before"), py::arg("after"),
          "Rates rows and appeared/disappeared pids between two iterables of Process.");
    py::class_<PySampler>(m, "Sampler", "psi::Sampler: cheap repeated stat-group tables.")
        .def(py::init(&make_sampler), py::arg("raise_fd_limit") = true)
        .def("sample_into", &sample_into, py::arg("table"), py::arg("same") = false)
        .def_property_readonly("open_handles", [](PySampler& s) {
            std::lock_guard<std::mutex> lock(s.mutex);
            return s.sampler->open_handles();
        });
}

}  // namespace psi_py
