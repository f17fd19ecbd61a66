// The README's Python quick start, done with csoundpp::Csound alone: compile an
// orchestra, start, send score events, write and read control channels, use a
// function table, render into a buffer -- then check the audio. Exit status 0
// when every check holds; the figures are printed for the test that runs it.
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "csoundpp/csound.hpp"

namespace {

const char* kOrc = R"(
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
gisine ftgen 1, 0, 1024, 10, 1
instr 1
  kamp chnget "amp"
  a1 oscili kamp, p4, gisine
  outs a1, a1
  chnset rms(a1) * sqrt(2), "level"
endin
)";

int failures = 0;

void check(bool ok, const char* what, double value) {
  std::printf("%-28s %.6g %s\n", what, value, ok ? "ok" : "FAILED");
  if (!ok) ++failures;
}

}  // namespace

int main() {
  auto cs = std::make_shared<csoundpp::Csound>();
  cs->set_options("-n -d");  // no audio device: host-driven rendering
  if (cs->compile_orc(kOrc, false) != 0 || cs->start() != 0) {
    std::fprintf(stderr, "compile/start failed:\n%s", cs->last_errors().c_str());
    return 2;
  }

  // a control channel the instrument reads, and a table it plays
  cs->set_control_channel("amp", 0.5);
  check(cs->table_length(1) == 1024, "table 1 length", cs->table_length(1));
  check(std::abs(cs->table_get(1, 256) - 1.0) < 1e-9, "table 1 at 1/4 (sin peak)", cs->table_get(1, 256));

  // one note: i1 at 0 for 1 s at 440 Hz
  const double note[] = {1, 0, 1, 440};
  cs->score_event('i', note, 4, false, false);

  // 1.5 s into one interleaved buffer
  const int ksmps = cs->ksmps(), nchnls = cs->nchnls();
  const double sr = cs->sr();
  const std::size_t cycles = static_cast<std::size_t>(1.5 * sr / ksmps);
  std::vector<double> audio(cycles * ksmps * nchnls);
  bool finished = false;
  std::size_t rendered = cs->render_cycles(audio.data(), cycles, &finished);
  check(rendered == cycles, "k-cycles rendered", static_cast<double>(rendered));

  int err = -1;
  double level = cs->control_channel("level", &err);
  check(err == 0, "level channel status", err);

  // the audio: 0.5 peak, 440 Hz, both channels equal, silence after the note
  const std::size_t frames = rendered * ksmps, note_end = static_cast<std::size_t>(sr);
  double peak = 0, diff = 0, tail = 0;
  int crossings = 0;
  for (std::size_t i = 0; i < frames; ++i) {
    double l = audio[i * nchnls], r = audio[i * nchnls + 1];
    diff = std::max(diff, std::abs(l - r));
    if (i < note_end) {
      peak = std::max(peak, std::abs(l));
      if (i > 0 && (audio[(i - 1) * nchnls] < 0) != (l < 0)) ++crossings;
    } else if (i > note_end + 2 * ksmps) {
      tail = std::max(tail, std::abs(l));
    }
  }
  check(std::abs(peak - 0.5) < 0.01, "peak during the note", peak);
  check(std::abs(crossings / 2.0 - 440) <= 2, "frequency (zero crossings)", crossings / 2.0);
  check(diff == 0.0, "left - right", diff);
  check(tail < 1e-9, "peak after the note", tail);
  (void)level;

  // the channel the instrument wrote while it played (rms * sqrt(2) of a 0.5 sine)
  const double during[] = {1, 0, 0.5, 440};
  cs->score_event('i', during, 4, false, false);
  cs->render_cycles(audio.data(), static_cast<std::size_t>(0.25 * sr / ksmps), &finished);
  level = cs->control_channel("level", &err);
  check(std::abs(level - 0.5) < 0.02, "level channel (rms*sqrt2)", level);

  std::printf("%s\n", failures ? "FAILED" : "all checks passed");
  return failures ? 1 : 0;
}
