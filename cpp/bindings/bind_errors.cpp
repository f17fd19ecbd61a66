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
    }
  });
}

}  // namespace csoundpp::bind
