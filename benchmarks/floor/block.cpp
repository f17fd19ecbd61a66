// csoundpp::BlockProcessor against raw k-cycles, in C++ (where hosts call it):
//
//   block ORC_FILE BLOCK_FRAMES REPS
//
// Two instances of the same orchestra with one voice of instr 1:
//   process - csoundpp::BlockProcessor::process() per host block of BLOCK_FRAMES
//             frames (planar float32, 2 host outputs, no host inputs: the common
//             plugin/JACK case), Csound driven through host-implemented audio;
//   raw     - csoundPerformKsmps() called BLOCK_FRAMES / ksmps times on a plain
//             CSOUND (-n), the floor: the same k-cycles with nothing around them.
// Each repetition times both for the same number of blocks, alternately, and
// prints {"process": [ns per block, ...], "raw": [...]} (JSON).
//
// Builds against the Csound csoundpp's library was built for, 6 or 7 (CS_VERSION of its headers):
// the raw instance's few calls whose spelling changed are in the namespace below; the
// BlockProcessor's instance is driven through csoundpp::Csound, the same on both.
#include <csoundpp/block_processor.hpp>
#include <csoundpp/csound.hpp>

#include <csound/version.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

const char* kScore = "i1 0 100000 0\n";

#if CS_VERSION >= 7
CSOUND* create() { return csoundCreate(nullptr, nullptr); }
int compile_orc(CSOUND* cs, const char* orc) { return csoundCompileOrc(cs, orc, 0); }
void read_score(CSOUND* cs, const char* score) { csoundEventString(cs, score, 0); }
#else
CSOUND* create() { return csoundCreate(nullptr); }
int compile_orc(CSOUND* cs, const char* orc) { return csoundCompileOrc(cs, orc); }
void read_score(CSOUND* cs, const char* score) { csoundReadScore(cs, score); }
#endif

CSOUND* raw_instance(const std::string& orc) {
  CSOUND* cs = create();
  csoundSetOption(cs, "-n");
  csoundSetOption(cs, "-d");
  csoundSetOption(cs, "-m0");
  if (compile_orc(cs, orc.c_str()) != 0 || csoundStart(cs) != 0) {
    std::fprintf(stderr, "block: orchestra failed to compile/start\n");
    std::exit(2);
  }
  read_score(cs, kScore);
  return cs;
}

volatile float g_sink;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: block ORC_FILE BLOCK_FRAMES REPS\n");
    return 2;
  }
  std::ifstream f(argv[1]);
  if (!f) {
    std::fprintf(stderr, "block: cannot read %s\n", argv[1]);
    return 2;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string orc = ss.str();
  const long frames = std::atol(argv[2]);
  const int reps = std::atoi(argv[3]);
  if (frames <= 0 || reps <= 0) {
    std::fprintf(stderr, "block: BLOCK_FRAMES and REPS must be positive\n");
    return 2;
  }
  csoundInitialize(CSOUNDINIT_NO_SIGNAL_HANDLER | CSOUNDINIT_NO_ATEXIT);

  // the BlockProcessor's Csound: created raw, handed to csoundpp, options set by the processor
  CSOUND* host_cs = create();
  csoundSetOption(host_cs, "-d");
  csoundSetOption(host_cs, "-m0");
  auto cs = std::make_shared<csoundpp::Csound>(host_cs, true);
  csoundpp::BlockProcessor::Config cfg;
  cfg.host_inputs = 0;
  cfg.host_outputs = 2;
  cfg.midi_in = cfg.midi_out = false;
  csoundpp::BlockProcessor bp(cs, cfg);
  if (cs->compile_orc(orc, false) != 0) {
    std::fprintf(stderr, "block: orchestra failed to compile\n");
    return 2;
  }
  bp.start();
  cs->read_score(kScore, false);
  CSOUND* raw = raw_instance(orc);
  const long ksmps = static_cast<long>(csoundGetKsmps(raw));
  if (frames % ksmps != 0) {
    std::fprintf(stderr, "block: BLOCK_FRAMES must be a multiple of ksmps (%ld)\n", ksmps);
    return 2;
  }
  const long cycles = frames / ksmps;

  std::vector<float> left(frames), right(frames);
  float* outs[2] = {left.data(), right.data()};
  // about 40 ms of audio per repetition and implementation, at least 50 blocks
  const long blocks = std::max(50L, 48000L * 40 / 1000 / frames);
  std::vector<double> t_process, t_raw;
  for (long b = 0; b < blocks; ++b) {  // warm-up: first instrument instances, caches
    bp.process(static_cast<const float* const*>(nullptr), outs, static_cast<std::size_t>(frames));
    for (long k = 0; k < cycles; ++k) csoundPerformKsmps(raw);
  }
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    for (long b = 0; b < blocks; ++b)
      bp.process(static_cast<const float* const*>(nullptr), outs, static_cast<std::size_t>(frames));
    auto t1 = Clock::now();
    for (long b = 0; b < blocks; ++b)
      for (long k = 0; k < cycles; ++k) csoundPerformKsmps(raw);
    auto t2 = Clock::now();
    t_process.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / blocks);
    t_raw.push_back(std::chrono::duration<double, std::nano>(t2 - t1).count() / blocks);
  }
  float peak = 0;
  for (float v : left) peak = std::max(peak, std::abs(v));
  g_sink = peak;
  if (peak == 0.0f) {
    std::fprintf(stderr, "block: the BlockProcessor rendered silence\n");
    return 3;
  }
  bp.release();
  csoundDestroy(raw);

  auto print = [](const char* name, const std::vector<double>& v, bool last) {
    std::printf("\"%s\": [", name);
    for (std::size_t i = 0; i < v.size(); ++i) std::printf("%s%.3f", i ? ", " : "", v[i]);
    std::printf("]%s", last ? "" : ", ");
  };
  std::printf("{");
  print("process", t_process, false);
  print("raw", t_raw, true);
  std::printf("}\n");
  return 0;
}
