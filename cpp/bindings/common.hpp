// Shared helpers of the pybind11 layer: numpy views with an owning base,
// GIL-safe holders for Python callables, and calling Python from native threads.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "csoundpp/csound.hpp"

namespace py = pybind11;

namespace csoundpp::bind {

// True while the interpreter is shutting down: native threads must not call Python then.
bool python_finalizing() noexcept;

// Owns a Python object; may be destroyed on any thread (takes the GIL to drop
// the reference, skips it during interpreter shutdown).
struct PyRef {
  py::object obj;
  explicit PyRef(py::object o) : obj(std::move(o)) {}
  ~PyRef();
  PyRef(const PyRef&) = delete;
  PyRef& operator=(const PyRef&) = delete;
};
using PyRefPtr = std::shared_ptr<PyRef>;
inline PyRefPtr hold(py::object o) {
  if (o.is_none()) return {};
  return std::make_shared<PyRef>(std::move(o));
}

// Runs body() with the GIL held, from a native thread. A Python exception
// escaping body is reported through sys.unraisablehook (with `context` as the
// object) and never unwinds into libcsound. Does nothing while Python finalizes.
// Everything Python-side — argument conversion, the call, dropping results —
// must happen inside body, where the GIL is held.
template <typename Body>
void with_gil(const PyRefPtr& context, Body&& body) noexcept {
  if (!context || python_finalizing()) return;
  try {
    py::gil_scoped_acquire gil;
    try {
      body(context->obj);
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable(context->obj);
    } catch (std::exception& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
      PyErr_WriteUnraisable(context->obj.ptr());
    }
  } catch (...) {
  }
}

// Calls fn(args...) from a native thread (see with_gil). args are C++ values
// (or references to Python objects kept alive elsewhere), converted under the GIL.
template <typename... Args>
void call_from_native(const PyRefPtr& fn, const Args&... args) noexcept {
  with_gil(fn, [&](py::object& f) { f(args...); });
}

// As call_from_native, converting the result to T under the GIL; `fallback`
// when the call failed, returned None or returned something not convertible.
template <typename T, typename... Args>
T call_from_native_as(const PyRefPtr& fn, T fallback, const Args&... args) noexcept {
  T out = fallback;
  with_gil(fn, [&](py::object& f) {
    py::object r = f(args...);
    if (!r.is_none()) out = r.cast<T>();
  });
  return out;
}

// A 1-D/2-D float64 numpy array over memory owned by engine: the base capsule
// keeps engine (and so the memory) alive. Writable.
py::array_t<double> view(double* data, std::vector<py::ssize_t> shape, std::shared_ptr<void> owner);

// Text as Python str (invalid UTF-8 replaced).
py::str to_str(const char* s, std::size_t n);
inline py::str to_str(const std::string& s) { return to_str(s.data(), s.size()); }

// Checks Ctrl-C while the GIL is released: takes the GIL, runs signal handlers.
// Returns true (and leaves the Python error set) when a handler raised.
bool check_signals_from_released() noexcept;

// Raises the Python error left by check_signals_from_released().
[[noreturn]] void throw_pending();

// p-fields from a sequence or a numpy array (float64 arrays are used without copying).
struct PFields {
  std::vector<double> storage;
  const double* data = nullptr;
  std::size_t size = 0;
  py::object keep;  // the array when used without copying
};
PFields pfields_from(const py::handle& obj, std::size_t first_skip = 0);

// The python-side state of one Csound (callbacks, host data).
struct CsoundState {
  PyRefPtr host_data;
  PyRefPtr message_fn;
  int message_attr = 0;
  PyRefPtr output_fn;       // async (name, value) form
  PyRefPtr output_raw_fn;   // ctcsound (csound, name, valuePtr, chanType) form
  PyRefPtr input_fn;
  std::vector<PyRefPtr> keep;  // other callables kept alive (ctcsound collects them)
  std::shared_ptr<void> api;   // callbacks of the API-completeness bindings (bind_callbacks.cpp)
};
std::shared_ptr<CsoundState> state_of(Csound& cs);

void init_errors(py::module_& m);
void init_csound(py::module_& m);
void init_csound_api(py::module_& m);
void init_callbacks(py::module_& m);

}  // namespace csoundpp::bind
