// C++ values to Python objects, and the validation of int-like arguments.
#include <climits>

#include <string>

#include "common.hpp"

namespace psi_py {

py::str to_str(std::string_view s) {
    // PyUnicode_DecodeFSDefaultAndSize is what os.fsdecode() uses: the
    // filesystem encoding with surrogateescape, so /proc bytes that are not
    // UTF-8 (argv can hold anything) decode instead of raising.
    PyObject* o = PyUnicode_DecodeFSDefaultAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
    if (!o) throw py::error_already_set();
    return py::reinterpret_steal<py::str>(o);
}

py::object to_int(std::int64_t v) {
    PyObject* o = PyLong_FromLongLong(v);
    if (!o) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
}

py::object to_uint(std::uint64_t v) {
    PyObject* o = PyLong_FromUnsignedLongLong(v);
    if (!o) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
}

py::object to_local_datetime(psi::TimeSpec t) {
    // fromtimestamp() of the whole seconds is exact; microseconds are then
    // truncated (not rounded) so a datetime never lies after its TimeSpec.
    py::object datetime = py::module_::import("datetime").attr("datetime");
    py::object dt;
    try {
        dt = datetime.attr("fromtimestamp")(t.tv_sec);
    } catch (py::error_already_set& e) {
        // Beyond time_t or datetime's years 1-9999, fromtimestamp raises
        // OverflowError, OSError (EOVERFLOW from localtime) or ValueError
        // depending on how far: one exception type for all of them.
        if (!e.matches(PyExc_OverflowError) && !e.matches(PyExc_OSError) && !e.matches(PyExc_ValueError)) throw;
        const std::string msg = "TimeSpec(tv_sec=" + std::to_string(t.tv_sec) + ") is outside the range of datetime";
        PyErr_SetString(PyExc_OverflowError, msg.c_str());
        throw py::error_already_set();
    }
    return dt.attr("replace")(py::arg("microsecond") = t.tv_nsec / 1000);
}

std::int64_t index_arg(py::handle obj, const char* what) {
    // bool is an int subclass, but Process(True) is surely a mistake.
    if (PyBool_Check(obj.ptr()) || !PyIndex_Check(obj.ptr())) {
        std::string msg = std::string(what) + " must be an int, not " +
                          std::string(py::str(py::type::handle_of(obj).attr("__name__")));
        throw py::type_error(msg);
    }
    py::object idx = py::reinterpret_steal<py::object>(PyNumber_Index(obj.ptr()));
    if (!idx) throw py::error_already_set();
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(idx.ptr(), &overflow);
    if (overflow != 0) {
        throw py::value_error(std::string(what) + " out of range: " + std::string(py::repr(idx)));
    }
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    return v;
}

}  // namespace psi_py
