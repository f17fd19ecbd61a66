// embed_host OUT.wav: C++ creates the Csound and its PerformanceThread,
// schedules a 440 Hz note itself, then gives the same instance to Python
// (embed_part.play_part), which schedules an 880 Hz note. Both land in OUT.wav.
// embed_part.py must be importable (PYTHONPATH), and so must csoundpp.
#include <pybind11/embed.h>

#include <csoundpp/csound.hpp>
#include <csoundpp/performance_thread.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

namespace py = pybind11;

static const char* kOrc = R"(
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
instr 1
  aenv linseg 0, 0.01, 0.5, p3 - 0.02, 0.5, 0.01, 0
  out poscil(aenv, p4)
endin
)";

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: embed_host OUT.wav\n");
    return 2;
  }
  py::scoped_interpreter python;  // first in, last out: everything below is gone before it finalizes
  try {
    auto cs = std::make_shared<csoundpp::Csound>();
    for (std::string opt : {std::string("-o") + argv[1], std::string("-d"), std::string("-m0")})
      csoundSetOption(cs->native(), opt.c_str());
    if (cs->compile_orc(kOrc, false) != 0) {
      std::fprintf(stderr, "compile failed: %s\n", cs->last_errors().c_str());
      return 1;
    }
    csoundpp::PerformanceThread pt(cs);  // started, paused

    double cpp_note[] = {1, 0.1, 0.2, 440};
    pt.score_event(false, 'i', cpp_note, 4);

    // The same instance, as a csoundpp.Csound, to Python.
    py::module_ part = py::module_::import("embed_part");
    part.attr("play_part")(cs);

    double end[] = {0, 1.0};
    pt.score_event(false, 'e', end, 2);
    pt.play();
    int status;
    {
      py::gil_scoped_release nogil;  // the performance never needs the GIL, but Python threads may
      status = pt.join(std::chrono::seconds(30));
    }
    std::printf("embed_host: performance finished with status %d\n", status);
  } catch (const py::error_already_set& e) {
    std::fprintf(stderr, "python error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
