// Shared helpers of the pybind11 layer: numpy views with an owning base,
// GIL-safe holders for Python callables, and calling Python from native threads.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <thread>
#include <memory>
#include <string>
#include <vector>

#include "csoundpp/csound.hpp"

namespace py = pybind11;

namespace csoundpp::bind {

// True while the interpreter is shutting down: native threads must not call Python then.
bool python_finalizing() noexcept;

// The door native threads pass to call Python. csoundpp's atexit hook closes it
// (close_python_gate) before the interpreter starts finalising: from then on no native thread
// takes the GIL (a thread that tries after finalisation began is ended by Python with a forced
// unwind, which aborts the process through C++ frames), and the hook waits for the threads
// already inside. `inside` counts threads in, or waiting to enter, under_gil.
struct PythonGate {
  std::atomic<bool> closed{false};
  std::atomic<int> inside{0};
  std::atomic<std::thread::id> closer{};  // the thread that closed it (runs the exit) goes on
  bool shut_for_this_thread() const noexcept {
    return closed.load(std::memory_order_acquire) && closer.load() != std::this_thread::get_id();
  }
};
PythonGate& python_gate() noexcept;

// py::gil_scoped_release for the calls into Csound. When the call returns after the gate
// closed (the interpreter is exiting while, say, a daemon thread performs), the thread does not
// take the GIL again -- Python would end it with a forced unwind through this destructor, which
// aborts the process -- but stays parked until the process ends. The exiting thread goes on.
class release_gil {
 public:
  release_gil() noexcept : state_(PyEval_SaveThread()) {}
  ~release_gil();
  release_gil(const release_gil&) = delete;
  release_gil& operator=(const release_gil&) = delete;

 private:
  PyThreadState* state_;
};
// Closes the gate and waits (GIL released) up to `timeout` s for the threads inside; false
// when some were still inside (a callback that does not return).
bool close_python_gate(double timeout);

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

// ---- The one path from native threads into Python. Every call of Python code from a
// thread Csound or csoundpp runs (callbacks, trampolines, the dispatcher, threads of
// createThread) goes through with_gil; the policy (finalisation, error reporting) lives here.
// Everything Python-side -- argument conversion, the call, dropping results -- happens
// inside the body, where the GIL is held. Nothing unwinds into libcsound.

// Reports the exception being handled through sys.unraisablehook, with `culprit` as the
// object (pytest turns that into a failure). Call from a catch block, GIL held.
void report_unraisable(py::handle culprit) noexcept;

// With the GIL held: runs call(); a Python error, a failed conversion of a result or a C++
// exception is reported (report_unraisable) and `fallback` returned instead.
template <typename R, typename Call>
R report_errors(py::handle culprit, R fallback, Call&& call) noexcept {
  try {
    return call();
  } catch (...) {
    report_unraisable(culprit);
  }
  return fallback;
}

// Takes the GIL and returns body(); `fallback` while Python finalizes (body not run) or when
// body raised (reported without an object).
template <typename R, typename Body>
R under_gil(R fallback, Body&& body) noexcept {
  PythonGate& gate = python_gate();
  gate.inside.fetch_add(1, std::memory_order_acq_rel);
  struct Leave {
    PythonGate& g;
    ~Leave() { g.inside.fetch_sub(1, std::memory_order_acq_rel); }
  } leave{gate};
  if (gate.shut_for_this_thread() || python_finalizing()) return fallback;
  try {
    py::gil_scoped_acquire gil;
    return report_errors(py::none(), fallback, body);
  } catch (...) {
    return fallback;
  }
}

// The usual case (with_gil): calls a held callable: body(fn->obj) under the GIL, errors reported with
// fn as the object; `fallback` when fn is empty, on error or while Python finalizes.
template <typename R, typename Body>
R with_gil(const PyRefPtr& fn, R fallback, Body&& body) noexcept {
  if (!fn) return fallback;
  return under_gil(fallback, [&] {
    if (!fn->obj) return fallback;  // cleared by the garbage collector (tp_clear)
    return report_errors(fn->obj, fallback, [&] { return body(fn->obj); });
  });
}

template <typename Body>
void with_gil(const PyRefPtr& fn, Body&& body) noexcept {
  with_gil(fn, 0, [&](py::object& f) {
    body(f);
    return 0;
  });
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

// Positional parameters a Python callable takes (99 for *args, -1 when unknown): how
// callbacks with several accepted forms (ctcsound's and the short one) are told apart.
int arity(const py::handle& fn);

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
