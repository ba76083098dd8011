// The single place where psi's error codes and attribute statuses become
// Python exceptions. Everything else in the module either throws psi::Error
// (caught by the translator registered below) or calls raise_error /
// raise_attr, which both end in exception_for().
//
// The exception classes themselves are defined in Python (psi/_exceptions.py)
// so that users can subclass and pickle them like any Python exception.
#include <cerrno>
#include <cstring>
#include <string>

#include "common.hpp"

namespace psi_py {

namespace {

// psi._exceptions, imported once when the module initialises. Deliberately
// leaked: it must outlive every exception raised during interpreter teardown.
py::object* g_exceptions = nullptr;

struct Target {
    py::object cls;
    bool ours;  // a psi exception class: gets .pid and .attribute set
};

Target exception_for(std::error_code ec) {
    auto ours = [](const char* name) { return Target{g_exceptions->attr(name), true}; };
    auto builtin = [](PyObject* cls) { return Target{py::reinterpret_borrow<py::object>(cls), false}; };
    if (ec.category() == psi::psi_category()) {
        switch (static_cast<psi::errc>(ec.value())) {
            case psi::errc::no_such_process: return ours("NoSuchProcessError");
            case psi::errc::insufficient_privs: return ours("InsufficientPrivsError");
            case psi::errc::attr_not_available:
            // not_read can only reach Python when a lazy read did not fill the
            // attribute: to the user that is "this process does not have it".
            case psi::errc::attr_not_read: return ours("AttrNotAvailableError");
            case psi::errc::attr_insufficient_privs: return ours("AttrInsufficientPrivsError");
            case psi::errc::attr_not_implemented: return ours("AttrNotImplementedError");
            case psi::errc::invalid_argument: return builtin(PyExc_ValueError);
            case psi::errc::proc_root_unusable:
            case psi::errc::parse_error:
            case psi::errc::os_error: return builtin(PyExc_OSError);
        }
        return builtin(PyExc_OSError);
    }
    return builtin(PyExc_OSError);
}

}  // namespace

namespace {

// Builds t's exception and sets it as the current Python error.
void set_error_of(const Target& t, std::error_code ec, const std::string& message, long pid,
                  const char* attribute) {
    PyObject* text = PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()), "replace");
    if (!text) return;
    PyObject* exc = nullptr;
    if (ec.category() != psi::psi_category() && ec.value() > 0) {
        // A raw errno from the OS: OSError(errno, text) picks the subclass
        // (FileNotFoundError, PermissionError...) as the os module would.
        exc = PyObject_CallFunction(t.cls.ptr(), "iO", ec.value(), text);
    } else {
        exc = PyObject_CallFunctionObjArgs(t.cls.ptr(), text, nullptr);
    }
    Py_DECREF(text);
    if (!exc) return;  // the error of the failed call stays set
    if (t.ours) {
        // Plain attribute sets, not keyword arguments: the classes keep
        // BaseException's C __init__, which keeps raising cheap (a table
        // listing may raise for every kernel thread).
        auto none = [] { Py_INCREF(Py_None); return Py_None; };
        PyObject* py_pid = pid >= 0 ? PyLong_FromLong(pid) : none();
        PyObject* py_attr = attribute ? PyUnicode_FromString(attribute) : none();
        if (py_pid && py_attr) {
            PyObject_SetAttrString(exc, "pid", py_pid);
            PyObject_SetAttrString(exc, "attribute", py_attr);
            // AttributeError.name: what tracebacks and tools show.
            if (attribute && PyObject_IsSubclass(t.cls.ptr(), PyExc_AttributeError) == 1) {
                PyObject_SetAttrString(exc, "name", py_attr);
            }
        }
        Py_XDECREF(py_pid);
        Py_XDECREF(py_attr);
        if (PyErr_Occurred()) {
            Py_DECREF(exc);
            return;
        }
    }
    PyErr_SetObject(t.cls.ptr(), exc);
    Py_DECREF(exc);
}

}  // namespace

void set_python_error(std::error_code ec, const std::string& message, long pid, const char* attribute) {
    set_error_of(exception_for(ec), ec, message, pid, attribute);
}

void raise_no_such_mount(const std::string& message) {
    // The library has no error code for this: only MountBase.refresh()
    // finds a mount gone, and the C++ API has no per-mount read to report it.
    set_error_of(Target{g_exceptions->attr("NoSuchMountError"), true}, {}, message, -1, nullptr);
    throw py::error_already_set();
}

void raise_error(std::error_code ec, const std::string& message, long pid, const char* attribute) {
    set_python_error(ec, message, pid, attribute);
    throw py::error_already_set();
}

void set_attr_error(psi::AttrStatus status, int os_error, const std::string& subject, const char* attribute,
                    long pid) {
    std::string message = subject + ": " + attribute + ": " + psi::to_string(status);
    if (os_error > 0) {
        message += " (";
        message += std::strerror(os_error);
        message += ")";
    }
    set_python_error(psi::to_errc(status), message, pid, attribute);
}

void raise_attr(psi::AttrStatus status, int os_error, const std::string& subject, const char* attribute,
                long pid) {
    set_attr_error(status, os_error, subject, attribute, pid);
    throw py::error_already_set();
}

void register_errors(py::module_& /*m*/) {
    g_exceptions = new py::object(py::module_::import("psi._exceptions"));
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const psi::Error& e) {
            set_python_error(e.code(), e.what());
        } catch (const std::system_error& e) {
            set_python_error(e.code(), e.what());
        }
    });
}

}  // namespace psi_py
