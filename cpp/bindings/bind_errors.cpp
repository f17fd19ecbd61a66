// The exception hierarchy rooted at csoundpp.CsoundError and the translation
// of the C++ library's exceptions to it.
#include "common.hpp"

namespace csoundpp::bind {

namespace {
PyObject* g_csound_error = nullptr;
PyObject* g_compile_error = nullptr;
PyObject* g_state_error = nullptr;
PyObject* g_queue_full = nullptr;
PyObject* g_timeout = nullptr;

PyObject* make(py::module_& m, const char* name, PyObject* bases, const char* doc) {
  std::string full = std::string("csoundpp.") + name;
  PyObject* t = PyErr_NewExceptionWithDoc(full.c_str(), doc, bases, nullptr);
  if (!t) throw py::error_already_set();
  m.add_object(name, py::reinterpret_borrow<py::object>(t));
  return t;
}

// pybind11's own conversions of arguments inside a binding (obj.cast<T>()) fail with
// "Unable to cast Python instance of type <class 'float'> to C++ type '?' (#define ...)": a
// RuntimeError that names no Python type the call wanted. Here: a TypeError naming the type
// that was given.
void raise_cast_error(const py::cast_error& e) {
  std::string msg = e.what();
  const std::string from = "of type ";
  const auto a = msg.find(from);
  const auto b = msg.find(" to C++ type");
  std::string given;
  if (a != std::string::npos && b != std::string::npos && b > a) given = msg.substr(a + from.size(), b - a - from.size());
  if (!given.empty()) {
    msg = "an argument of type " + given + " is not accepted here (wrong type or value)";
  } else {
    const auto hint = msg.find(" (#define PYBIND11_DETAILED_ERROR_MESSAGES");
    if (hint != std::string::npos) msg.erase(hint);
    msg = "wrong argument type: " + msg;
  }
  PyErr_SetString(PyExc_TypeError, msg.c_str());
}

void raise(PyObject* type, const CsoundError& e) {
  py::object exc = py::reinterpret_borrow<py::object>(type)(e.what());
  exc.attr("status") = e.status();
  PyErr_SetObject(type, exc.ptr());
}
}  // namespace

void init_errors(py::module_& m) {
  g_csound_error = make(m, "CsoundError", PyExc_RuntimeError,
                        "Base of csoundpp's errors. `status` holds the Csound status code (CSOUND_ERROR, ...).");
  g_compile_error = make(m, "CompileError", g_csound_error,
                         "Orchestra, CSD or score compilation failed; the message carries Csound's diagnostics.");
  g_state_error = make(m, "StateError", g_csound_error,
                       "The instance or thread is in a state that does not allow the operation.");
  g_queue_full = make(m, "QueueFullError", g_csound_error,
                      "A bounded command queue is full; nothing was enqueued.");
  py::tuple tb = py::make_tuple(py::reinterpret_borrow<py::object>(g_csound_error),
                                py::reinterpret_borrow<py::object>(PyExc_TimeoutError));
  g_timeout = make(m, "TimeoutError", tb.ptr(), "A wait ran out of time (also a builtins.TimeoutError).");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const CompileError& e) {
      raise(g_compile_error, e);
    } catch (const StateError& e) {
      raise(g_state_error, e);
    } catch (const QueueFullError& e) {
      raise(g_queue_full, e);
    } catch (const TimeoutError& e) {
      raise(g_timeout, e);
    } catch (const CsoundError& e) {
      raise(g_csound_error, e);
    } catch (const py::cast_error& e) {
      raise_cast_error(e);
    }
  });
}

}  // namespace csoundpp::bind
