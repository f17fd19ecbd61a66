// The C++ floor: the same measurements as benchmarks/run.py, made by calling
// libcsound (and libcsnd6's CsoundPerformanceThread) directly. No binding can
// beat these numbers; run.py prints them beside the Python figures.
//
//   floor ORC_FILE MODE N REPS
//   MODE: channel  - csoundSetControlChannel / csoundGetControlChannel by name,
//                    and a write/read through the csoundGetChannelPtr pointer (ns per call)
//         ksmps    - csoundPerformKsmps + copy of spout, per k-cycle (ns)
//         ptevent  - CsoundPerformanceThread::ScoreEvent per call while the thread plays (ns)
// Prints one JSON object: {"name": [ns per call of each repetition], ...}.
#include <csound/csound.hpp>
// csound.hpp first: it defines PUBLIC and class Csound, which csPerfThread.hpp uses
#include <csound/csPerfThread.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ns_since(Clock::time_point t0, long n) {
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(n);
}

CSOUND* make(const std::string& orc, const char* score) {
  CSOUND* cs = csoundCreate(nullptr);
  csoundSetOption(cs, "-n");
  csoundSetOption(cs, "-d");
  csoundSetOption(cs, "-m0");
  if (csoundCompileOrc(cs, orc.c_str()) != 0 || csoundStart(cs) != 0) {
    std::fprintf(stderr, "floor: orchestra failed to compile/start\n");
    std::exit(2);
  }
  if (score) csoundReadScore(cs, score);
  return cs;
}

// Keeps the compiler from dropping reads.
volatile double g_sink;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: floor ORC_FILE channel|ksmps|ptevent N REPS\n");
    return 2;
  }
  std::ifstream f(argv[1]);
  if (!f) {
    std::fprintf(stderr, "floor: cannot read %s\n", argv[1]);
    return 2;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string orc = ss.str();
  const std::string mode = argv[2];
  const long n = std::atol(argv[3]);
  const int reps = std::atoi(argv[4]);
  if (n <= 0 || reps <= 0) {
    std::fprintf(stderr, "floor: N and REPS must be positive\n");
    return 2;
  }
  csoundInitialize(CSOUNDINIT_NO_SIGNAL_HANDLER | CSOUNDINIT_NO_ATEXIT);
  std::map<std::string, std::vector<double>> out;

  if (mode == "channel") {
    CSOUND* cs = make(orc, nullptr);
    MYFLT* ptr = nullptr;
    if (csoundGetChannelPtr(cs, &ptr, "amp", CSOUND_CONTROL_CHANNEL | CSOUND_INPUT_CHANNEL) != 0) return 3;
    volatile MYFLT* vp = ptr;
    for (int r = 0; r < reps; ++r) {
      auto t0 = Clock::now();
      for (long i = 0; i < n; ++i) csoundSetControlChannel(cs, "amp", 0.5);
      out["set_by_name"].push_back(ns_since(t0, n));
      t0 = Clock::now();
      double acc = 0;
      int err = 0;
      for (long i = 0; i < n; ++i) acc += csoundGetControlChannel(cs, "amp", &err);
      out["get_by_name"].push_back(ns_since(t0, n));
      g_sink = acc;
      t0 = Clock::now();
      for (long i = 0; i < n; ++i) *vp = 0.25;
      out["set_ptr"].push_back(ns_since(t0, n));
      t0 = Clock::now();
      acc = 0;
      for (long i = 0; i < n; ++i) acc += *vp;
      out["get_ptr"].push_back(ns_since(t0, n));
      g_sink = acc;
    }
    csoundDestroy(cs);
  } else if (mode == "ksmps") {
    for (int r = 0; r < reps; ++r) {
      CSOUND* cs = make(orc, "i1 0 100000 0\n");
      const MYFLT* spout = csoundGetSpout(cs);
      const std::size_t block = csoundGetKsmps(cs) * csoundGetNchnls(cs);
      std::vector<MYFLT> buf(block * static_cast<std::size_t>(n));
      auto t0 = Clock::now();
      long i = 0;
      for (; i < n; ++i) {
        if (csoundPerformKsmps(cs) != 0) break;
        std::memcpy(buf.data() + block * i, spout, block * sizeof(MYFLT));
      }
      out["ksmps_copy"].push_back(ns_since(t0, i));
      double acc = 0;
      for (auto v : buf) acc += v;
      g_sink = acc;
      csoundDestroy(cs);
    }
  } else if (mode == "ptevent") {
    for (int r = 0; r < reps; ++r) {
      CSOUND* cs = make(orc, "f0 100000\n");
      CsoundPerformanceThread pt(cs);
      pt.Play();
      MYFLT pf[4] = {2, 0, 0.001, 0};
      auto t0 = Clock::now();
      for (long i = 0; i < n; ++i) {
        pf[3] = static_cast<MYFLT>(i);
        pt.ScoreEvent(0, 'i', 4, pf);
      }
      out["pt_score_event"].push_back(ns_since(t0, n));
      pt.FlushMessageQueue();
      pt.Stop();
      pt.Join();
      csoundDestroy(cs);
    }
  } else {
    std::fprintf(stderr, "floor: unknown mode %s\n", mode.c_str());
    return 2;
  }

  std::printf("{");
  bool first = true;
  for (const auto& [k, v] : out) {
    std::printf("%s\"%s\": [", first ? "" : ", ", k.c_str());
    for (std::size_t i = 0; i < v.size(); ++i) std::printf("%s%.3f", i ? ", " : "", v[i]);
    std::printf("]");
    first = false;
  }
  std::printf("}\n");
  return 0;
}
