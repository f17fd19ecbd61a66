// The C++ floor: the same measurements as benchmarks/run.py, made by calling
// libcsound (and libcsnd6's CsoundPerformanceThread) directly. No binding can
// beat these numbers; run.py prints them beside the Python figures.
//
//   floor ORC_FILE MODE N REPS
//   MODE: channel  - csoundSetControlChannel / csoundGetControlChannel by name,
//                    and a write/read through the csoundGetChannelPtr pointer (ns per call)
//         ksmps    - csoundPerformKsmps + copy of spout, per k-cycle (ns)
//         ptevent  - CsoundPerformanceThread::ScoreEvent per call while the thread plays (ns)
//         lifecycle - csoundCreate -> compile ORC -> csoundStart -> csoundDestroy (ns per cycle;
//                    N cycles per repetition)
//         rss      - resident memory added per extra csoundCreate()d instance (bytes; N instances)
//         cores    - CPU cores actually available: a spin of N iterations on one thread, then on
//                    two threads at once; 2 * t(one) / t(two) (2.0 = two free cores)
// Prints one JSON object: {"name": [figure of each repetition], ...}.
//
// Builds against Csound 6 (link -lcsound64 -lcsnd6) or Csound 7 (link -lcsound64 only: the
// performance thread is part of libcsound 7), chosen by CS_VERSION of the headers found; the few
// calls whose spelling changed are in the namespace below.
#include <csound/csound.hpp>
// csound.hpp first: it defines PUBLIC and class Csound, which csPerfThread.hpp uses
#include <csound/csPerfThread.hpp>
#include <csound/version.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

double ns_since(Clock::time_point t0, long n) {
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(n);
}

// The calls whose spelling differs between Csound 6 and Csound 7 (same work in both).
#if CS_VERSION >= 7
CSOUND* create() { return csoundCreate(nullptr, nullptr); }
int compile_orc(CSOUND* cs, const char* orc) { return csoundCompileOrc(cs, orc, 0); }
void read_score(CSOUND* cs, const char* score) { csoundEventString(cs, score, 0); }
int channel_ptr(CSOUND* cs, MYFLT** p, const char* name, int type) {
  void* q = nullptr;
  int r = csoundGetChannelPtr(cs, &q, name, type);
  *p = static_cast<MYFLT*>(q);
  return r;
}
std::size_t nchnls(CSOUND* cs) { return csoundGetChannels(cs, 0); }
#else
CSOUND* create() { return csoundCreate(nullptr); }
int compile_orc(CSOUND* cs, const char* orc) { return csoundCompileOrc(cs, orc); }
void read_score(CSOUND* cs, const char* score) { csoundReadScore(cs, score); }
int channel_ptr(CSOUND* cs, MYFLT** p, const char* name, int type) { return csoundGetChannelPtr(cs, p, name, type); }
std::size_t nchnls(CSOUND* cs) { return csoundGetNchnls(cs); }
#endif

CSOUND* make(const std::string& orc, const char* score) {
  CSOUND* cs = create();
  csoundSetOption(cs, "-n");
  csoundSetOption(cs, "-d");
  csoundSetOption(cs, "-m0");
  if (compile_orc(cs, orc.c_str()) != 0 || csoundStart(cs) != 0) {
    std::fprintf(stderr, "floor: orchestra failed to compile/start\n");
    std::exit(2);
  }
  if (score) read_score(cs, score);
  return cs;
}

// Keeps the compiler from dropping reads.
volatile double g_sink;

long rss_bytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * sysconf(_SC_PAGESIZE);
}

// A fixed amount of integer work the compiler cannot remove.
void spin(long n) {
  volatile unsigned long x = 1;
  for (long i = 0; i < n; ++i) x = x * 2862933555777941757ul + 3037000493ul;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: floor ORC_FILE channel|ksmps|ptevent|lifecycle|rss|cores N REPS\n");
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
    if (channel_ptr(cs, &ptr, "amp", CSOUND_CONTROL_CHANNEL | CSOUND_INPUT_CHANNEL) != 0) return 3;
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
      const std::size_t block = csoundGetKsmps(cs) * nchnls(cs);
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
  } else if (mode == "lifecycle") {
    for (int r = 0; r < reps; ++r) {
      auto t0 = Clock::now();
      for (long i = 0; i < n; ++i) {
        CSOUND* cs = make(orc, nullptr);
        csoundDestroy(cs);
      }
      out["lifecycle"].push_back(ns_since(t0, n));
    }
  } else if (mode == "rss") {
    std::vector<CSOUND*> keep;
    for (int i = 0; i < 2; ++i) keep.push_back(create());  // first-use costs out of the way
    for (int r = 0; r < reps; ++r) {
      const long before = rss_bytes();
      for (long i = 0; i < n; ++i) keep.push_back(create());
      out["rss_per_instance"].push_back(static_cast<double>(rss_bytes() - before) / static_cast<double>(n));
    }
    for (CSOUND* cs : keep) csoundDestroy(cs);
  } else if (mode == "cores") {
    spin(n / 10);  // warm-up (clock ramp)
    for (int r = 0; r < reps; ++r) {
      auto t0 = Clock::now();
      spin(n);
      const double one = std::chrono::duration<double>(Clock::now() - t0).count();
      t0 = Clock::now();
      std::thread a(spin, n), b(spin, n);
      a.join();
      b.join();
      const double two = std::chrono::duration<double>(Clock::now() - t0).count();
      out["cores"].push_back(2.0 * one / two);
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
