// The private extension module csoundpp._core: the init_* functions of the binding
// files (one per exposed class or area) in order, then the module-level functions.
#include <cstring>

#include "common.hpp"
#include "csoundpp/opcode_info.hpp"
#include "csoundpp/performance_thread.hpp"
#include "csoundpp/system.hpp"

namespace csoundpp::bind {
void init_block_processor(py::module_& m);     // bind_block_processor.cpp
void init_performance_thread(py::module_& m);  // bind_performance_thread.cpp
void init_backend(py::module_& m);             // bind_backend.cpp
void init_keywords(py::module_& m);            // bind_keywords.cpp

namespace {
void init_module_functions(py::module_& m) {
  m.def("_setDefaultMessageCallback", [](py::object fn) {
    if (fn.is_none()) {
      sys::set_default_message_callback({});
      return;
    }
    if (!PyCallable_Check(fn.ptr())) throw py::type_error("function must be callable");
    const int n = arity(fn);
    PyRefPtr ref = hold(fn);
    sys::set_default_message_callback([ref, n](CSOUND* cs, int attr, const char* text) {
      with_gil(ref, [&](py::object& f) {
        py::str t = to_str(text, std::strlen(text));
        const auto cs_addr = reinterpret_cast<std::uintptr_t>(cs);
        if (n == 2) f(attr, t);
        else if (n == 3) f(cs_addr, attr, t);
        else f(cs_addr, attr, t, py::none());
      });
    });
  }, py::arg("function"));
  m.def("_csoundInitialize", [](int flags) { return sys::initialize(flags); }, py::arg("flags"));
  m.def("_setOpcodedir", [](const std::string& dir) { sys::set_opcode_dir(dir); }, py::arg("s"));
  m.def("_setGlobalEnv", [](const std::string& name, const std::string& value) {
        return sys::set_global_env(name, value);
      }, py::arg("name"), py::arg("value"),
      "csoundSetGlobalEnv: a Csound environment variable for instances created later (over the "
      "process environment's). Not safe while instances exist.");
  m.def("_shutdown_threads", [](double timeout) {
    // Also when no thread is live: one released on another thread may still be ending.
    auto threads = PerformanceThread::live();  // keeps them alive until the GIL is held again
    {
      release_gil nogil;
      PerformanceThread::stop_all(std::chrono::duration_cast<PerformanceThread::Duration>(std::chrono::duration<double>(timeout)));
    }
    // threads (and the Python refs they hold) are released here, GIL held
  }, py::arg("timeout") = 10.0, "Stops and joins every live performance thread (called at interpreter exit).");
  m.def("_close_python_gate", [](double timeout) { return close_python_gate(timeout); }, py::arg("timeout") = 5.0,
        "From now on native threads never call Python; waits up to timeout s for those that are (interpreter exit).");
  m.def("_pinned_table_blocks", [] { return Csound::pinned_table_blocks(); },
        "Table memory blocks kept for live views (tests).");
  m.attr("OPDS_SIZE") = py::int_(opds_size());
}
}  // namespace
}  // namespace csoundpp::bind

PYBIND11_MODULE(_core, m) {
  m.doc() = "csoundpp native core (private; import csoundpp instead)";
  m.attr("__version__") = CSOUNDPP_VERSION;  // pyproject.toml's, through CMake
  csoundpp::initialize_library();  // raises (-> ImportError in __init__) if MYFLT is not double
  csoundpp::bind::init_errors(m);
  csoundpp::bind::init_csound(m);
  csoundpp::bind::init_csound_api(m);
  csoundpp::bind::init_callbacks(m);
  csoundpp::bind::init_block_processor(m);
  csoundpp::bind::init_performance_thread(m);
  csoundpp::bind::init_backend(m);
  csoundpp::bind::init_keywords(m);
  csoundpp::bind::init_module_functions(m);
}
