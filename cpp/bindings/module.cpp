// The private extension module csoundpp._core: only calls the init_* functions.
#include "common.hpp"

namespace csoundpp::bind {
void init_block_processor(py::module_& m);     // bind_block_processor.cpp
void init_performance_thread(py::module_& m);  // bind_performance_thread.cpp
void init_backend(py::module_& m);             // bind_backend.cpp
void init_keywords(py::module_& m);            // bind_keywords.cpp
}  // namespace csoundpp::bind

PYBIND11_MODULE(_core, m) {
  m.doc() = "csoundpp native core (private; import csoundpp instead)";
  csoundpp::initialize_library();  // raises (-> ImportError in __init__) if MYFLT is not double
  csoundpp::bind::init_errors(m);
  csoundpp::bind::init_csound(m);
  csoundpp::bind::init_csound_api(m);
  csoundpp::bind::init_callbacks(m);
  csoundpp::bind::init_block_processor(m);
  csoundpp::bind::init_performance_thread(m);
  csoundpp::bind::init_backend(m);
  csoundpp::bind::init_keywords(m);
}
