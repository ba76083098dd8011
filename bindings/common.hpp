// Shared declarations of the psi._core extension module.
//
// The module is private: the public names live in the pure-Python package
// python/psi/, which re-exports the classes defined here.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <psi/psi.hpp>

namespace psi_py {

namespace py = pybind11;

// A psi::System is not thread-safe (system.hpp), yet the Process objects of
// one table share the System that read them (its name caches, its proc root)
// and may be used from several Python threads. Every use therefore takes the
// mutex, and takes it only after releasing the GIL: a thread holding the
// mutex may need the GIL back to return, so the opposite order deadlocks.
struct SharedSystem {
    explicit SharedSystem(psi::Options options) : system(std::move(options)) {}
    std::mutex mutex;
    psi::System system;
};
using SystemPtr = std::shared_ptr<SharedSystem>;

// The proc root in force now: $PSI_PROCFS when set and non-empty, else the
// library default. Read at every System creation so tests can switch it.
std::string current_proc_root();
// A fresh System for the current proc root: each ProcessTable is read with
// its own (tables built in parallel threads do not wait for each other, and
// the uid-name cache is per table, as SPEC section 4 asks), which reads with
// one worker thread per online CPU.
SystemPtr table_reader();
// The long-lived System of a proc root, shared by every Process object (for
// lazy reads, refresh, kill, children) and the top-level functions. Process
// objects never keep a table's System: a monitor that keeps a few
// processes from each of many tables would otherwise keep one open
// directory handle per table. Needs the GIL.
SystemPtr shared_system(const std::string& root);
// shared_system(current_proc_root()).
SystemPtr default_system();

// Runs fn(psi::System&) without the GIL and with the System's mutex held.
template <class F>
decltype(auto) with_system(SharedSystem& shared, F&& fn) {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> lock(shared.mutex);
    return std::forward<F>(fn)(shared.system);
}

// ---- errors (errors.cpp): the one translation point --------------------
// Sets the Python exception matching ec. `subject` names what failed in
// public terms ("pid 42", "mount '/srv'"); `attribute` is the public name of
// the attribute, or nullptr for actions.
void set_python_error(std::error_code ec, const std::string& message, long pid = -1,
                      const char* attribute = nullptr);
[[noreturn]] void raise_error(std::error_code ec, const std::string& message, long pid = -1,
                              const char* attribute = nullptr);
// Sets (or raises) the Attr* error for an attribute whose status is not ok.
void set_attr_error(psi::AttrStatus status, int os_error, const std::string& subject, const char* attribute,
                    long pid = -1);
[[noreturn]] void raise_attr(psi::AttrStatus status, int os_error, const std::string& subject,
                             const char* attribute, long pid = -1);
// psi.NoSuchMountError: MountBase.refresh() of a mount that is not mounted
// any more (not a library error code: the C++ API lists mounts, it never
// re-reads one).
[[noreturn]] void raise_no_such_mount(const std::string& message);
void register_errors(py::module_& m);

// ---- conversions (convert.cpp) -----------------------------------------
// Text from the OS is bytes; decode it as os.fsdecode() does (UTF-8 with
// surrogateescape on Linux), so undecodable names never raise and round-trip
// through os.fsencode().
py::str to_str(std::string_view s);
py::object to_int(std::int64_t v);
py::object to_uint(std::uint64_t v);
py::object to_timespec(const psi::TimeSpec& t);
// New reference to a psi.TimeSpec, or nullptr with a Python error set.
PyObject* new_timespec(const psi::TimeSpec& t);
// datetime.datetime (naive, local time) for an absolute UTC instant.
py::object to_local_datetime(psi::TimeSpec t);
// An int-like Python object (anything with __index__, bool excluded) as a
// C++ integer; TypeError naming `what` otherwise, ValueError when it does
// not fit.
std::int64_t index_arg(py::handle obj, const char* what);

// ---- registration of the module's parts --------------------------------
void register_timespec(py::module_& m);
void register_process(py::module_& m);
void register_table(py::module_& m);
void register_system(py::module_& m);
void register_mounts(py::module_& m);
void register_sys_figures(py::module_& m);
void register_rates(py::module_& m);
void register_threads(py::module_& m);  // -- w-threads (threads.cpp)
// (wall TimeSpec, monotonic seconds) of an instant (rates.cpp).
py::tuple instant_tuple(const psi::Instant& at);

}  // namespace psi_py
