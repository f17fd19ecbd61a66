#include "common.hpp"

#include <chrono>
#include <cmath>
#include <thread>

namespace csoundpp::bind {

bool python_finalizing() noexcept {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

PythonGate& python_gate() noexcept {
  static PythonGate gate;
  return gate;
}

bool close_python_gate(double timeout) {
  PythonGate& gate = python_gate();
  gate.closer.store(std::this_thread::get_id());
  gate.closed.store(true, std::memory_order_release);
  py::gil_scoped_release nogil;  // the threads inside need the GIL to finish
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
  while (gate.inside.load(std::memory_order_acquire) > 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

release_gil::~release_gil() {
  PythonGate& gate = python_gate();
  gate.inside.fetch_add(1, std::memory_order_acq_rel);
  if (gate.shut_for_this_thread()) {
    gate.inside.fetch_sub(1, std::memory_order_acq_rel);
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));  // until the process ends
  }
  PyEval_RestoreThread(state_);
  gate.inside.fetch_sub(1, std::memory_order_acq_rel);
}

PyRef::~PyRef() {
  if (!obj) return;
  PythonGate& gate = python_gate();
  gate.inside.fetch_add(1, std::memory_order_acq_rel);
  if (gate.shut_for_this_thread() || python_finalizing() || !Py_IsInitialized()) {
    obj.release();  // leak rather than touch a dying interpreter
  } else {
    py::gil_scoped_acquire gil;
    obj = py::object();
  }
  gate.inside.fetch_sub(1, std::memory_order_acq_rel);
}

void report_unraisable(py::handle culprit) noexcept {
  try {
    throw;
  } catch (py::error_already_set& e) {
    e.discard_as_unraisable(py::reinterpret_borrow<py::object>(culprit));
  } catch (py::cast_error& e) {
    PyErr_SetString(PyExc_TypeError, (std::string("callback returned a value of the wrong type: ") + e.what()).c_str());
    PyErr_WriteUnraisable(culprit.ptr());
  } catch (std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
    PyErr_WriteUnraisable(culprit.ptr());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "unknown C++ exception in a callback");
    PyErr_WriteUnraisable(culprit.ptr());
  }
}

py::array_t<double> view(double* data, std::vector<py::ssize_t> shape, std::shared_ptr<void> owner) {
  auto* keep = new std::shared_ptr<void>(std::move(owner));
  py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<void>*>(p); });
  return py::array_t<double>(shape, data, base);
}

py::str to_str(const char* s, std::size_t n) {
  PyObject* o = PyUnicode_DecodeUTF8(s, static_cast<Py_ssize_t>(n), "replace");
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

bool check_signals_from_released() noexcept {
  if (python_gate().shut_for_this_thread() || python_finalizing()) return false;
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) return true;
  return false;
}

void throw_pending() { throw py::error_already_set(); }

PFields pfields_from(const py::handle& obj, std::size_t first_skip) {
  PFields out;
  if (obj.is_none()) throw py::type_error("p-fields must be a sequence of numbers or a numpy array, not None");
  if (py::isinstance<py::array>(obj)) {
    auto arr = py::reinterpret_borrow<py::array>(obj);
    if (arr.ndim() > 1) throw py::value_error("p-fields must be one-dimensional");
    if (arr.dtype().is(py::dtype::of<double>()) && (arr.flags() & py::array::c_style)) {
      out.keep = arr;
      out.data = static_cast<const double*>(arr.data()) + first_skip;
      out.size = static_cast<std::size_t>(arr.size()) - std::min<std::size_t>(first_skip, arr.size());
      return out;
    }
    auto conv = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(arr);
    if (!conv) throw py::type_error("p-fields array cannot be converted to float64");
    out.keep = conv;
    out.data = conv.data() + first_skip;
    out.size = static_cast<std::size_t>(conv.size()) - std::min<std::size_t>(first_skip, conv.size());
    return out;
  }
  if (py::isinstance<py::str>(obj) || py::isinstance<py::bytes>(obj))
    throw py::type_error("p-fields must be numbers, not a string (use inputMessage/eventString for text)");
  if (!py::isinstance<py::sequence>(obj)) {
    if (PyNumber_Check(obj.ptr())) {
      out.storage.push_back(py::cast<double>(obj));
    } else {
      throw py::type_error("p-fields must be a sequence of numbers or a numpy array");
    }
  } else {
    auto seq = py::reinterpret_borrow<py::sequence>(obj);
    out.storage.reserve(seq.size());
    for (std::size_t i = first_skip; i < seq.size(); ++i) {
      py::handle item = seq[i];
      if (!PyNumber_Check(item.ptr()) || py::isinstance<py::str>(item))
        throw py::type_error("p-field " + std::to_string(i + 1) + " is not a number: " +
                             py::repr(item).cast<std::string>());
      out.storage.push_back(PyFloat_AsDouble(item.ptr()));
      if (PyErr_Occurred()) throw py::error_already_set();
    }
  }
  out.data = out.storage.data();
  out.size = out.storage.size();
  return out;
}

int arity(const py::handle& fn) {
  try {
    py::object sig = py::module_::import("inspect").attr("signature")(fn);
    int n = 0;
    for (auto p : sig.attr("parameters").attr("values")()) {
      int kind = p.attr("kind").cast<int>();
      if (kind == 2) return 99;  // *args
      if (kind <= 1) ++n;
    }
    return n;
  } catch (py::error_already_set&) {
    return -1;
  }
}

std::shared_ptr<CsoundState> state_of(Csound& cs) {
  if (!cs.binding_state) cs.binding_state = std::make_shared<CsoundState>();
  return std::static_pointer_cast<CsoundState>(cs.binding_state);
}

}  // namespace csoundpp::bind
