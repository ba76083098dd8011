// psi.TimeSpec: an immutable, normalised (seconds, nanoseconds) pair.
//
// Written against the CPython C API rather than pybind11: a ProcessTable
// listing makes several per process (start_time, utime, stime, their sum),
// and a plain C type is created, added and compared in tens of nanoseconds,
// several times faster than a pybind11 instance and its dispatcher. It is
// not collected by the cyclic GC (it holds no references) and cannot be
// subclassed or mutated.
//
// It interoperates with 2-tuples, ints and floats in comparisons and
// arithmetic, on either side (PSI's TimeSpec did, with a broken <= and >=).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "common.hpp"

namespace psi_py {

namespace {

using psi::TimeSpec;
constexpr std::int64_t kBillion = 1'000'000'000;
// 128-bit integers (GCC and Clang, on every platform psi targets) hold
// tv_sec * 1e9 without overflow; __extension__ marks the use as deliberate.
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

struct PyTimeSpec {
    PyObject_HEAD
    TimeSpec value;
};

PyTypeObject* g_type = nullptr;

bool is_timespec(PyObject* o) { return Py_TYPE(o) == g_type; }
const TimeSpec& value_of(PyObject* o) { return reinterpret_cast<PyTimeSpec*>(o)->value; }

// Result of reading an operand: a value, "not ours" (NotImplemented), or a
// Python error already set.
enum class Got { value, not_ours, error };

Got from_double(double seconds, TimeSpec& out) {
    if (!std::isfinite(seconds)) {
        PyErr_SetString(PyExc_ValueError, "TimeSpec needs a finite number of seconds");
        return Got::error;
    }
    double whole = std::floor(seconds);
    // 2**63 is exactly representable; anything at or past it does not fit.
    if (whole >= 9223372036854775808.0 || whole < -9223372036854775808.0) {
        PyErr_SetString(PyExc_OverflowError, "TimeSpec seconds out of range");
        return Got::error;
    }
    // seconds - floor(seconds) is exact in binary floating point.
    out = TimeSpec(static_cast<std::int64_t>(whole),
                   static_cast<std::int64_t>(std::llround((seconds - whole) * 1e9)));
    return Got::value;
}

// One number: `unit_ns` nanoseconds per unit (1e9 for seconds, 1 for ns).
Got component(PyObject* v, std::int64_t unit_ns, TimeSpec& out) {
    if (PyFloat_Check(v)) {
        double d = PyFloat_AS_DOUBLE(v);
        return from_double(unit_ns == 1 ? d / 1e9 : d, out);
    }
    if (PyLong_Check(v) || PyIndex_Check(v)) {
        py::object idx = py::reinterpret_steal<py::object>(PyNumber_Index(v));
        if (!idx) return Got::error;
        int overflow = 0;
        long long n = PyLong_AsLongLongAndOverflow(idx.ptr(), &overflow);
        if (overflow) {
            PyErr_SetString(PyExc_OverflowError, "TimeSpec component out of range");
            return Got::error;
        }
        if (n == -1 && PyErr_Occurred()) return Got::error;
        out = unit_ns == 1 ? TimeSpec(0, n) : TimeSpec(n, 0);
        return Got::value;
    }
    return Got::not_ours;
}

Got pair(PyObject* sec, PyObject* nsec, TimeSpec& out) {
    TimeSpec s, n;
    Got g = component(sec, kBillion, s);
    if (g != Got::value) return g;
    g = component(nsec, 1, n);
    if (g != Got::value) return g;
    out = s + n;
    return Got::value;
}

// Anything a TimeSpec compares or adds with: TimeSpec, (sec, nsec), int, float.
Got coerce(PyObject* o, TimeSpec& out) {
    if (is_timespec(o)) {
        out = value_of(o);
        return Got::value;
    }
    if (PyTuple_Check(o)) {
        if (PyTuple_GET_SIZE(o) != 2) return Got::not_ours;
        return pair(PyTuple_GET_ITEM(o, 0), PyTuple_GET_ITEM(o, 1), out);
    }
    return component(o, kBillion, out);
}

PyObject* make(const TimeSpec& t) {
    PyTimeSpec* o = PyObject_New(PyTimeSpec, g_type);
    if (o) o->value = t;
    return reinterpret_cast<PyObject*>(o);
}

PyObject* ts_new(PyTypeObject*, PyObject* args, PyObject* kwargs) {
    static const char* kwlist[] = {"tv_sec", "tv_nsec", nullptr};
    PyObject* sec = nullptr;
    PyObject* nsec = nullptr;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:TimeSpec", const_cast<char**>(kwlist), &sec, &nsec)) {
        return nullptr;
    }
    auto read = [](PyObject* obj, std::int64_t unit_ns, TimeSpec& out) {
        if (!obj) return true;  // omitted: 0
        Got g = component(obj, unit_ns, out);
        if (g == Got::not_ours) {
            PyErr_Format(PyExc_TypeError, "TimeSpec components must be int or float, not %s",
                         Py_TYPE(obj)->tp_name);
        }
        return g == Got::value;
    };
    TimeSpec s, n;
    if (!read(sec, kBillion, s) || !read(nsec, 1, n)) return nullptr;
    return make(s + n);
}

void ts_dealloc(PyObject* self) {
    PyTypeObject* tp = Py_TYPE(self);
    tp->tp_free(self);
    Py_DECREF(tp);  // instances of heap types own a reference to their type
}

PyObject* ts_repr(PyObject* self) {
    const TimeSpec& t = value_of(self);
    return PyUnicode_FromFormat("psi.TimeSpec(tv_sec=%lld, tv_nsec=%lld)", static_cast<long long>(t.tv_sec),
                                static_cast<long long>(t.tv_nsec));
}

PyObject* ts_str(PyObject* self) {
    // -0.25 s is stored as {-1, 750000000}; show it as -0.250000000.
    const TimeSpec& t = value_of(self);
    i128 total = static_cast<i128>(t.tv_sec) * kBillion + t.tv_nsec;
    bool negative = total < 0;
    if (negative) total = -total;
    char buf[48];
    // Unsigned: the magnitude of TimeSpec(-2**63, 0) is 2**63 seconds.
    std::snprintf(buf, sizeof buf, "%s%llu.%09llu", negative ? "-" : "",
                  static_cast<unsigned long long>(total / kBillion), static_cast<unsigned long long>(total % kBillion));
    return PyUnicode_FromString(buf);
}

// Python's numeric hash of the exact rational tv_sec + tv_nsec / 1e9, so a
// TimeSpec hashes like the int (or exactly equal float) it compares equal
// to. Algorithm: "Hashing of numeric types" in the Python docs.
Py_hash_t ts_hash(PyObject* self) {
    const TimeSpec& t = value_of(self);
    constexpr u128 P = (static_cast<u128>(1) << 61) - 1;
    auto powmod = [&](u128 b, u128 e) {
        u128 r = 1;
        b %= P;
        while (e) {
            if (e & 1) r = r * b % P;
            b = b * b % P;
            e >>= 1;
        }
        return r;
    };
    static const u128 inverse_billion = powmod(kBillion, P - 2);
    i128 m = static_cast<i128>(t.tv_sec) * kBillion + t.tv_nsec;
    bool negative = m < 0;
    u128 am = negative ? static_cast<u128>(-m) : static_cast<u128>(m);
    auto h = static_cast<Py_hash_t>((am % P) * inverse_billion % P);
    if (negative) h = -h;
    return h == -1 ? -2 : h;
}

// After coerce() failed on a plain number: +1 or -1 when it is a real number
// past TimeSpec's range (it then lies above or below every TimeSpec), 2 for
// NaN (unordered), with the error cleared; 0 (error kept) otherwise.
int beyond_range(PyObject* v) {
    if (PyFloat_Check(v)) {
        const double d = PyFloat_AS_DOUBLE(v);
        PyErr_Clear();
        return std::isnan(d) ? 2 : (d > 0 ? 1 : -1);
    }
    if (PyLong_Check(v) && PyErr_ExceptionMatches(PyExc_OverflowError)) {
        PyErr_Clear();
        py::object zero = py::reinterpret_steal<py::object>(PyLong_FromLong(0));
        const int positive = zero ? PyObject_RichCompareBool(v, zero.ptr(), Py_GT) : -1;
        if (positive < 0) return 0;
        return positive ? 1 : -1;
    }
    return 0;
}

PyObject* ts_richcompare(PyObject* a, PyObject* b, int op) {
    // CPython calls this with the TimeSpec on either side (reflected ops).
    // Comparing with any number answers, as int and float do: one too large
    // for a TimeSpec (1e300, 2**70) orders by its sign, NaN is unordered.
    TimeSpec x, y;
    int ka = 0, kb = 0;
    Got g = coerce(a, x);
    if (g == Got::error && !PyTuple_Check(a) && (ka = beyond_range(a)) != 0) g = Got::value;
    if (g == Got::value) {
        g = coerce(b, y);
        if (g == Got::error && !PyTuple_Check(b) && (kb = beyond_range(b)) != 0) g = Got::value;
    }
    if (g == Got::error) return nullptr;
    if (g == Got::not_ours) Py_RETURN_NOTIMPLEMENTED;
    if (ka == 2 || kb == 2) {
        if (op == Py_NE) Py_RETURN_TRUE;
        Py_RETURN_FALSE;
    }
    if (ka != 0 || kb != 0) Py_RETURN_RICHCOMPARE(ka, kb, op);
    Py_RETURN_RICHCOMPARE(x, y, op);
}

template <bool Add>
PyObject* ts_arith(PyObject* a, PyObject* b) {
    TimeSpec x, y;
    Got g = coerce(a, x);
    if (g == Got::value) g = coerce(b, y);
    if (g == Got::error) return nullptr;
    if (g == Got::not_ours) Py_RETURN_NOTIMPLEMENTED;
    return make(Add ? x + y : x - y);
}

int ts_bool(PyObject* self) {
    const TimeSpec& t = value_of(self);
    return t.tv_sec != 0 || t.tv_nsec != 0;
}

PyObject* ts_float(PyObject* self) { return PyFloat_FromDouble(value_of(self).seconds()); }
PyObject* m_float(PyObject* self, PyObject*) { return ts_float(self); }

Py_ssize_t ts_len(PyObject*) { return 2; }

PyObject* ts_item(PyObject* self, Py_ssize_t i) {
    // Negative indices arrive already adjusted by len() (sequence protocol).
    const TimeSpec& t = value_of(self);
    if (i == 0) return PyLong_FromLongLong(t.tv_sec);
    if (i == 1) return PyLong_FromLongLong(t.tv_nsec);
    PyErr_SetString(PyExc_IndexError, "TimeSpec index out of range");
    return nullptr;
}

PyObject* ts_iter(PyObject* self) {
    const TimeSpec& t = value_of(self);
    PyObject* pair = Py_BuildValue("(LL)", static_cast<long long>(t.tv_sec), static_cast<long long>(t.tv_nsec));
    if (!pair) return nullptr;
    PyObject* it = PyObject_GetIter(pair);
    Py_DECREF(pair);
    return it;
}

PyObject* get_sec(PyObject* self, void*) { return PyLong_FromLongLong(value_of(self).tv_sec); }
PyObject* get_nsec(PyObject* self, void*) { return PyLong_FromLongLong(value_of(self).tv_nsec); }

// Calls module.attr(*args) with the GIL held; nullptr with the error set.
template <class... A>
PyObject* call(const char* module, const char* attr, A... args) {
    try {
        return py::module_::import(module).attr(attr)(args...).release().ptr();
    } catch (py::error_already_set& e) {
        e.restore();
        return nullptr;
    }
}

PyObject* m_reduce(PyObject* self, PyObject*) {
    const TimeSpec& t = value_of(self);
    return Py_BuildValue("O(LL)", reinterpret_cast<PyObject*>(g_type), static_cast<long long>(t.tv_sec),
                         static_cast<long long>(t.tv_nsec));
}
PyObject* m_gmtime(PyObject* self, PyObject*) { return call("time", "gmtime", value_of(self).tv_sec); }
PyObject* m_localtime(PyObject* self, PyObject*) { return call("time", "localtime", value_of(self).tv_sec); }
// PSI's mktime(): "the time in the local timezone", not a POSIX timestamp.
// PSI's code added time.timezone and time.altzone to tv_sec, while its own
// test expected tv_sec + time.timezone where there is no daylight saving
// (where time.altzone equals time.timezone on glibc, so the code gave twice the
// offset). The test's value is the UTC calendar time read as local standard
// time, which is what time.mktime(time.gmtime(t)) computes (tm_isdst 0),
// with the zone's history; that is what this returns, in every zone.
PyObject* m_mktime(PyObject* self, PyObject*) {
    const TimeSpec t = value_of(self);
    try {
        py::module_ time = py::module_::import("time");
        const double local = time.attr("mktime")(time.attr("gmtime")(t.tv_sec)).cast<double>();
        return PyFloat_FromDouble(local + static_cast<double>(t.tv_nsec) / 1e9);
    } catch (py::error_already_set& e) {
        e.restore();
        return nullptr;
    }
}
PyObject* m_timedelta(PyObject* self, PyObject*) {
    const TimeSpec& t = value_of(self);
    return call("datetime", "timedelta", 0, t.tv_sec, t.tv_nsec / 1000);  // (days, seconds, microseconds)
}
PyObject* m_utcdatetime(PyObject* self, PyObject*) {
    try {
        py::object epoch = py::module_::import("datetime").attr("datetime")(1970, 1, 1);
        // timedelta() fails (OverflowError) beyond 999,999,999 days: pass
        // that on instead of adding a null object.
        py::object delta = py::reinterpret_steal<py::object>(m_timedelta(self, nullptr));
        if (!delta) throw py::error_already_set();
        return (epoch + delta).release().ptr();
    } catch (py::error_already_set& e) {
        e.restore();
        return nullptr;
    }
}
PyObject* m_datetime(PyObject* self, PyObject*) {
    try {
        return to_local_datetime(value_of(self)).release().ptr();
    } catch (py::error_already_set& e) {
        e.restore();
        return nullptr;
    }
}

PyMethodDef kMethods[] = {
    {"timestamp", m_float, METH_NOARGS,
     "Seconds as a float (for an instant: seconds since the Epoch)."},
    {"float", m_float, METH_NOARGS, "Seconds as a float."},
    {"mktime", m_mktime, METH_NOARGS,
     "PSI's local-time float: the UTC calendar time read as local time,\n"
     "time.mktime(self.gmtime()) + tv_nsec / 1e9. Not a POSIX timestamp (see timestamp())."},
    {"timetuple", m_gmtime, METH_NOARGS, "time.struct_time in UTC (same as gmtime())."},
    {"gmtime", m_gmtime, METH_NOARGS, "time.struct_time in UTC."},
    {"localtime", m_localtime, METH_NOARGS, "time.struct_time in local time."},
    {"utcdatetime", m_utcdatetime, METH_NOARGS, "Naive datetime.datetime in UTC (microseconds truncated)."},
    {"datetime", m_datetime, METH_NOARGS, "Naive datetime.datetime in local time (microseconds truncated)."},
    {"timedelta", m_timedelta, METH_NOARGS, "datetime.timedelta of this duration (microseconds truncated)."},
    {"__reduce__", m_reduce, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

PyGetSetDef kGetSet[] = {
    {"tv_sec", get_sec, nullptr, "whole seconds (negative for negative durations)", nullptr},
    {"tv_nsec", get_nsec, nullptr, "nanoseconds, 0 <= tv_nsec < 1e9", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyType_Slot kSlots[] = {
    {Py_tp_doc, const_cast<char*>("TimeSpec(tv_sec=0, tv_nsec=0)\n--\n\n"
                                  "An exact (seconds, nanoseconds) instant or duration, normalised so that "
                                  "0 <= tv_nsec < 1e9. Compares and adds with TimeSpec, 2-tuples, int and float.")},
    {Py_tp_new, reinterpret_cast<void*>(ts_new)},
    {Py_tp_dealloc, reinterpret_cast<void*>(ts_dealloc)},
    {Py_tp_repr, reinterpret_cast<void*>(ts_repr)},
    {Py_tp_str, reinterpret_cast<void*>(ts_str)},
    {Py_tp_hash, reinterpret_cast<void*>(ts_hash)},
    {Py_tp_richcompare, reinterpret_cast<void*>(ts_richcompare)},
    {Py_tp_iter, reinterpret_cast<void*>(ts_iter)},
    {Py_tp_methods, kMethods},
    {Py_tp_getset, kGetSet},
    {Py_nb_add, reinterpret_cast<void*>(ts_arith<true>)},
    {Py_nb_subtract, reinterpret_cast<void*>(ts_arith<false>)},
    {Py_nb_bool, reinterpret_cast<void*>(ts_bool)},
    {Py_nb_float, reinterpret_cast<void*>(ts_float)},
    {Py_sq_length, reinterpret_cast<void*>(ts_len)},
    {Py_sq_item, reinterpret_cast<void*>(ts_item)},
    {0, nullptr},
};

}  // namespace

PyObject* new_timespec(const psi::TimeSpec& t) { return make(t); }

py::object to_timespec(const psi::TimeSpec& t) {
    PyObject* o = make(t);
    if (!o) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
}

void register_timespec(py::module_& m) {
    // Not subclassable (no Py_TPFLAGS_BASETYPE); not GC-tracked (holds no
    // references). The dotted name makes __module__ "psi".
    static PyType_Spec spec = {"psi.TimeSpec", sizeof(PyTimeSpec), 0, Py_TPFLAGS_DEFAULT, kSlots};
#ifdef Py_TPFLAGS_IMMUTABLETYPE
    spec.flags |= Py_TPFLAGS_IMMUTABLETYPE;
#endif
    PyObject* type = PyType_FromSpec(&spec);
    if (!type) throw py::error_already_set();
    g_type = reinterpret_cast<PyTypeObject*>(type);
    // g_type keeps the reference from PyType_FromSpec for the life of the
    // process: instances may outlive the module object at teardown.
    m.attr("TimeSpec") = py::reinterpret_borrow<py::object>(type);
}

}  // namespace psi_py
