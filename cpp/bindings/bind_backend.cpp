// Which Csound the module was built for and what that backend supports (csoundpp/backend.hpp);
// csoundpp.csound_version() and csoundpp.build_info() are built on these.
#include "common.hpp"

#include "csoundpp/backend.hpp"

namespace csoundpp::bind {

void init_backend(py::module_& m) {
  m.def(
      "_csound_build_version",
      [] {
        auto v = csound_build_version();
        return py::make_tuple(v.major, v.minor, v.patch);
      },
      "(major, minor, patch) of the Csound headers the module was compiled against");
  m.def("_csound_library_version", &csound_library_version, "the version number the loaded libcsound reports (csoundGetVersion), e.g. 6180");
  m.def("_csound_library_path", &csound_library_path, "the file of the loaded libcsound");
  m.def(
      "_backend_features",
      [] {
        py::list out;
        for (const auto& f : backend_features()) {
          const char* s = f.support == Support::Native ? "native" : f.support == Support::Emulated ? "emulated" : "unavailable";
          out.append(py::make_tuple(f.name, s, f.note));
        }
        return out;
      },
      "[(method, 'native'|'emulated'|'unavailable', note)] for the methods that differ between backends");
  m.def("_require_feature", [](const std::string& name) { require_feature(name); },
        "raise CsoundError when this backend cannot do the named method");
}

}  // namespace csoundpp::bind
