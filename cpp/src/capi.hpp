// Private to the csoundpp library: the libcsound calls whose spelling or meaning differs
// between Csound 6 (6.18) and Csound 7 (7.0), in one place. The rest of cpp/src calls these
// instead of the version-specific functions; what Csound 7 no longer has at all is emulated here
// where it can be (see backend.cpp for the table of what each backend supports).
#pragma once

#include <csound/csound.h>
#include <csound/version.h>

#if CS_VERSION >= 7
#include <csound/csound_compiler.h>
#include <csound/csound_misc.h>
#include <csound/csound_rtaudio.h>
#include <csound/csound_rtmidi.h>
#include <csound/csound_threads.h>
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <cstdio>
#include <string>

namespace csoundpp::capi {

inline constexpr int kCsoundMajor = CS_VERSION;

// Layout of Csound's string channel / S-variable payload (csoundCore.h's STRINGDAT, which
// hosts are not meant to include). Csound 7 widened size to size_t and added a refcount.
struct StringDat {
  char* data;
#if CS_VERSION >= 7
  std::size_t size;
  std::int32_t refcount;
#else
  int size;
#endif
};

// --- creation. Csound 6 keeps an opcode-directory override process-wide (csoundSetOpcodedir);
// Csound 7 takes it per instance.
#if CS_VERSION >= 7
// Csound 6's process-wide override (setOpcodedir), kept by csoundpp for Csound 7.
inline std::string& process_opcode_dir() {
  static std::string dir;
  return dir;
}
#endif
inline CSOUND* create(void* host_data, const char* opcode_dir) {
#if CS_VERSION >= 7
  if (!(opcode_dir && *opcode_dir) && !process_opcode_dir().empty()) opcode_dir = process_opcode_dir().c_str();
  return csoundCreate(host_data, opcode_dir && *opcode_dir ? opcode_dir : nullptr);
#else
  if (opcode_dir && *opcode_dir) csoundSetOpcodedir(opcode_dir);
  return csoundCreate(host_data);
#endif
}

// --- engine parameters
inline int nchnls(CSOUND* cs) {
#if CS_VERSION >= 7
  return static_cast<int>(csoundGetChannels(cs, 0));
#else
  return static_cast<int>(csoundGetNchnls(cs));
#endif
}
inline int nchnls_input(CSOUND* cs) {
#if CS_VERSION >= 7
  return static_cast<int>(csoundGetChannels(cs, 1));
#else
  return static_cast<int>(csoundGetNchnlsInput(cs));
#endif
}

// --- host-implemented I/O
inline void host_audio_io(CSOUND* cs) {
#if CS_VERSION >= 7
  csoundSetHostAudioIO(cs);
#else
  csoundSetHostImplementedAudioIO(cs, 1, 0);
#endif
}
inline void host_midi_io(CSOUND* cs) {
#if CS_VERSION >= 7
  csoundSetHostMIDIIO(cs);
#else
  csoundSetHostImplementedMIDIIO(cs, 1);
#endif
}

// --- compile
inline int compile_orc(CSOUND* cs, const char* code, bool async) {
#if CS_VERSION >= 7
  return csoundCompileOrc(cs, code, async ? 1 : 0);
#else
  return async ? csoundCompileOrcAsync(cs, code) : csoundCompileOrc(cs, code);
#endif
}
inline int compile_tree(CSOUND* cs, TREE* tree, bool async) {
#if CS_VERSION >= 7
  return csoundCompileTree(cs, tree, async ? 1 : 0);
#else
  return async ? csoundCompileTreeAsync(cs, tree) : csoundCompileTree(cs, tree);
#endif
}
inline int compile_csd(CSOUND* cs, const char* path_or_text, bool is_text) {
#if CS_VERSION >= 7
  return csoundCompileCSD(cs, path_or_text, is_text ? 1 : 0, 0);
#else
  return is_text ? csoundCompileCsdText(cs, path_or_text) : csoundCompileCsd(cs, path_or_text);
#endif
}
// Parses command-line arguments and compiles what they name, without starting (Csound 6's
// csoundCompileArgs; Csound 7's csoundCompile, which no longer starts).
inline int compile_args(CSOUND* cs, int argc, const char** argv) {
#if CS_VERSION >= 7
  return csoundCompile(cs, argc, argv);
#else
  return csoundCompileArgs(cs, argc, argv);
#endif
}
// Compiles and starts (Csound 6's csoundCompile).
inline int compile_and_start(CSOUND* cs, int argc, const char** argv) {
#if CS_VERSION >= 7
  int r = csoundCompile(cs, argc, argv);
  return r != 0 ? r : csoundStart(cs);
#else
  return csoundCompile(cs, argc, argv);
#endif
}

// --- score text and line events
// Csound 6: csoundReadScore (score text, sorted, relative to now once started);
// Csound 7: csoundEventString, which adds to the score before start and schedules real-time
// events after it.
inline int read_score(CSOUND* cs, const char* text, bool async) {
#if CS_VERSION >= 7
  csoundEventString(cs, text, async ? 1 : 0);
  return 0;
#else
  if (async) {
    csoundReadScoreAsync(cs, text);
    return 0;
  }
  return csoundReadScore(cs, text);
#endif
}
inline void input_message(CSOUND* cs, const char* text, bool async) {
#if CS_VERSION >= 7
  csoundEventString(cs, text, async ? 1 : 0);
#else
  if (async)
    csoundInputMessageAsync(cs, text);
  else
    csoundInputMessage(cs, text);
#endif
}

#if CS_VERSION >= 7
// Sends one score statement "t p1 p2 ..." as text (numbers with round-trip precision) through
// csoundEventString. Up to 64 p-fields it is built on the stack (the audio thread may call it).
inline void event_string(CSOUND* cs, char type, const double* p, long n, bool async) {
  char stack[64 * 26 + 8];
  std::string heap;
  char* buf = stack;
  std::size_t cap = sizeof stack;
  if (n > 64) {
    heap.resize(static_cast<std::size_t>(n) * 26 + 8);
    buf = heap.data();
    cap = heap.size();
  }
  std::size_t len = 0;
  buf[len++] = type;
  for (long i = 0; i < n; ++i) len += static_cast<std::size_t>(std::snprintf(buf + len, cap - len, " %.17g", p[i]));
  buf[len++] = '\n';
  buf[len] = 0;
  csoundEventString(cs, buf, async ? 1 : 0);
}
#endif

#if CS_VERSION >= 7
// The score statement "t p1 p2 ...\n" (numbers with round-trip precision), allocating: not for
// the audio thread.
inline std::string event_text(char type, const double* p, long n) {
  std::string s(1, type);
  char num[32];
  for (long i = 0; i < n; ++i) {
    std::snprintf(num, sizeof num, " %.17g", p[i]);
    s += num;
  }
  s += '\n';
  return s;
}
#endif

// A score event with p2 relative to now (Csound 6's csoundScoreEvent[Async]). On Csound 7,
// csoundEvent takes i, f and e events once the engine runs (and copies the p-fields when
// async); other statement types and events before start go through csoundEventString.
// For Csound 6's async variant the p-fields must stay valid until Csound dequeues them (the
// caller passes a kept copy).
inline int score_event(CSOUND* cs, char type, const double* p, long n, bool async, bool started) {
#if CS_VERSION >= 7
  int code = type == 'i' ? CS_INSTR_EVENT : type == 'f' ? CS_TABLE_EVENT : type == 'e' ? CS_END_EVENT : -1;
  if (code >= 0 && started)
    csoundEvent(cs, code, p, static_cast<int32_t>(n), async ? 1 : 0);
  else if (type == 'e' && n >= 2)
    event_string(cs, type, p + 1, 1, async);  // the end time is p2 here, the first field of score text
  else
    event_string(cs, type, p, n, async);
  return 0;
#else
  (void)started;
  if (async) {
    csoundScoreEventAsync(cs, type, p, n);
    return 0;
  }
  return csoundScoreEvent(cs, type, p, n);
#endif
}

// A score event whose p2 counts from the start of the performance (plus time_ofs), as
// csoundScoreEventAbsolute. Csound 7 has no such call: the event is made relative to the
// current score time. An i-event already in the past starts now with what is left of its
// duration (none left: nothing is scheduled), as Csound 6 does. No allocation up to 64 p-fields.
inline int score_event_absolute(CSOUND* cs, char type, const double* p, long n, double time_ofs, bool async,
                                bool started) {
#if CS_VERSION >= 7
  if (n < 2 || !started) return score_event(cs, type, p, n, async, started);
  double stack[64];
  std::unique_ptr<double[]> heap;
  double* q = stack;
  if (n > 64) {
    heap.reset(new double[static_cast<std::size_t>(n)]);
    q = heap.get();
  }
  for (long i = 0; i < n; ++i) q[i] = p[i];
  double start = p[1] + time_ofs - csoundGetScoreTime(cs);
  if (start < 0) {
    if (type == 'i' && n >= 3 && q[2] > 0) {
      q[2] += start;
      if (q[2] <= 0) return 0;
    }
    start = 0;
  }
  q[1] = start;
  return score_event(cs, type, q, n, async, started);
#else
  (void)started;
  if (async) {
    csoundScoreEventAbsoluteAsync(cs, type, p, n, time_ofs);
    return 0;
  }
  return csoundScoreEventAbsolute(cs, type, p, n, time_ofs);
#endif
}

// --- channels
inline int channel_ptr(CSOUND* cs, void** p, const char* name, int type) {
#if CS_VERSION >= 7
  return csoundGetChannelPtr(cs, p, name, type);
#else
  return csoundGetChannelPtr(cs, reinterpret_cast<MYFLT**>(p), name, type);
#endif
}

// The lock Csound takes around a string (and audio) channel's data. Csound 6 hands out the
// spin lock itself; Csound 7 locks by name (`name` must outlive the ChannelLock). Neither
// allocates, so the audio thread may use it.
class ChannelLock {
 public:
  ChannelLock() = default;
  ChannelLock(CSOUND* cs, const char* name) noexcept {
#if CS_VERSION >= 7
    cs_ = cs;
    name_ = name;
#else
    lock_ = csoundGetChannelLock(cs, name);
#endif
  }
  void lock() const noexcept {
#if CS_VERSION >= 7
    if (cs_) csoundLockChannel(cs_, name_);
#else
    if (lock_) csoundSpinLock(lock_);
#endif
  }
  void unlock() const noexcept {
#if CS_VERSION >= 7
    if (cs_) csoundUnlockChannel(cs_, name_);
#else
    if (lock_) csoundSpinUnLock(lock_);
#endif
  }

 private:
#if CS_VERSION >= 7
  CSOUND* cs_ = nullptr;
  const char* name_ = nullptr;
#else
  int* lock_ = nullptr;
#endif
};

// --- tables: element access. Csound 7 has no csoundTableGet/Set: the table memory is
// read and written through csoundGetTable's pointer (callers check the index first).
inline double table_get(CSOUND* cs, int table, int index) {
#if CS_VERSION >= 7
  MYFLT* t = nullptr;
  if (csoundGetTable(cs, &t, table) <= index || !t) return 0.0;
  return t[index];
#else
  return csoundTableGet(cs, table, index);
#endif
}
inline void table_set(CSOUND* cs, int table, int index, double value) {
#if CS_VERSION >= 7
  MYFLT* t = nullptr;
  if (csoundGetTable(cs, &t, table) <= index || !t) return;
  t[index] = value;
#else
  csoundTableSet(cs, table, index, value);
#endif
}
inline void table_copy_out(CSOUND* cs, int table, double* dest) {
#if CS_VERSION >= 7
  csoundTableCopyOut(cs, table, dest, 0);
#else
  csoundTableCopyOut(cs, table, dest);
#endif
}
inline void table_copy_in(CSOUND* cs, int table, const double* src) {
#if CS_VERSION >= 7
  csoundTableCopyIn(cs, table, src, 0);
#else
  csoundTableCopyIn(cs, table, const_cast<double*>(src));
#endif
}

}  // namespace csoundpp::capi
