// A C++ extension that shares csoundpp objects with Python.
//
// Functions take and return std::shared_ptr<csoundpp::Csound>: pybind11 finds
// the type csoundpp._core registered (same internals), so the very object
// Python holds arrives here as the C++ object, and one made here becomes a
// full csoundpp.Csound in Python.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <csoundpp/csound.hpp>
#include <csoundpp/performance_thread.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace py = pybind11;
using csoundpp::Csound;

PYBIND11_MODULE(csoundpp_ext, m) {
  // Registers csoundpp.Csound (and its exception translators) before any use.
  py::module_::import("csoundpp");

  m.def("native_address", [](const Csound& cs) { return reinterpret_cast<std::uintptr_t>(cs.native()); },
        "The CSOUND* of a csoundpp.Csound received as the C++ object.");

  m.def("same_object", [](const std::shared_ptr<Csound>& a, const std::shared_ptr<Csound>& b) {
    return a.get() == b.get();
  });

  // Events from C++ into an instance a Python PerformanceThread performs:
  // asynchronous input messages are taken at the next k-cycle by that thread.
  // (Text, not csoundScoreEventAsync: libcsound 6.18 queues the p-field
  // *pointer* of an async score event, which must then outlive the call.)
  m.def("schedule_notes", [](Csound& cs, double instr, double start, int count, double spacing, double dur,
                             double freq) {
          for (int i = 0; i < count; ++i) {
            char line[160];
            std::snprintf(line, sizeof line, "i %.17g %.17g %.17g %.17g", instr, start + i * spacing, dur, freq);
            cs.input_message(line, /*async=*/true);
          }
        },
        py::arg("csound"), py::arg("instr"), py::arg("start"), py::arg("count"), py::arg("spacing"),
        py::arg("dur"), py::arg("freq"), py::call_guard<py::gil_scoped_release>());

  // Creates a Csound in C++ and hands it to Python.
  m.def("make_csound", [](const std::string& orc, const std::vector<std::string>& options) {
    auto cs = std::make_shared<Csound>();
    for (const auto& o : options) csoundSetOption(cs->native(), o.c_str());
    if (cs->compile_orc(orc, false) != 0) throw csoundpp::CompileError("orchestra failed: " + cs->last_errors());
    return cs;
  });

  // The C++ PerformanceThread behind a Python csoundpp.PerformanceThread
  // (works when csoundpp registers csoundpp::PerformanceThread as its base).
  m.def("thread_schedule", [](csoundpp::PerformanceThread& pt, double instr, double start, double dur, double freq) {
          double p[] = {instr, start, dur, freq};
          pt.score_event(false, 'i', p, 4);
        },
        py::arg("thread"), py::arg("instr"), py::arg("start"), py::arg("dur"), py::arg("freq"));
  m.def("thread_csound", [](csoundpp::PerformanceThread& pt) { return pt.csound(); },
        "The Csound a PerformanceThread drives, returned to Python.");
}
