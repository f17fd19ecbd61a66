// Private to the csoundpp library: makes the Csound 6 calls of the core compile against
// Csound 7. With Csound 6 it only includes csound.h. With Csound 7 it includes the headers
// the functions moved to, and defines (in namespace csoundpp, where they hide libcsound's
// names) the Csound 6 functions Csound 7 removed or changed. Each either does what the Csound 6
// call did on top of Csound 7's API, or raises CsoundError through require_feature(), naming
// Csound 7 and the alternative (backend.cpp's table says which). capi.hpp holds the calls whose
// Csound 7 form the core uses directly.
#pragma once

#include <csound/csound.h>
#include <csound/version.h>

#if CS_VERSION >= 7
#include <csound/csound_circular_buffer.h>
#include <csound/csound_compiler.h>
#include <csound/csound_files.h>
#include <csound/csound_graph_display.h>
#include <csound/csound_misc.h>
#include <csound/csound_rtaudio.h>
#include <csound/csound_rtmidi.h>
#include <csound/csound_server.h>
#include <csound/csound_threads.h>

#include <cstring>
#include <string>

#include "csoundpp/csound.hpp"  // PVSDATEXT on Csound 7
#include "csoundpp/backend.hpp"
#include "csoundpp/errors.hpp"
#include "capi.hpp"

namespace csoundpp {

// Raises the backend table's CsoundError for `feature` (an Unavailable entry of backend.cpp).
[[noreturn]] inline void csound7_lacks(const char* feature) {
  require_feature(feature);
  throw CsoundError(std::string(feature) + "() is not available with Csound 7");  // not reached
}

inline int csoundGetAPIVersion() { csound7_lacks("APIVersion"); }

// ---- the host buffers of performBuffer: csoundpp's own on Csound 7 (Csound::output_buffer)
inline MYFLT* csoundGetOutputBuffer(CSOUND* cs) {
  std::size_t n = 0;
  Csound* c = Csound::find(cs);
  return c ? c->output_buffer(&n) : nullptr;
}
inline long csoundGetOutputBufferSize(CSOUND* cs) {
  std::size_t n = 0;
  if (Csound* c = Csound::find(cs)) c->output_buffer(&n);
  return static_cast<long>(n);
}
inline MYFLT* csoundGetInputBuffer(CSOUND* cs) {
  std::size_t n = 0;
  Csound* c = Csound::find(cs);
  return c ? c->input_buffer(&n) : nullptr;
}
inline long csoundGetInputBufferSize(CSOUND* cs) {
  std::size_t n = 0;
  if (Csound* c = Csound::find(cs)) c->input_buffer(&n);
  return static_cast<long>(n);
}

// ---- spin/spout by sample: through the pointers (callers check the frame and channel)
inline void csoundAddSpinSample(CSOUND* cs, int frame, int channel, MYFLT sample) {
  if (MYFLT* s = csoundGetSpin(cs)) s[frame * capi::nchnls_input(cs) + channel] += sample;
}
inline void csoundSetSpinSample(CSOUND* cs, int frame, int channel, MYFLT sample) {
  if (MYFLT* s = csoundGetSpin(cs)) s[frame * capi::nchnls_input(cs) + channel] = sample;
}
inline MYFLT csoundGetSpoutSample(CSOUND* cs, int frame, int channel) {
  const MYFLT* s = csoundGetSpout(cs);
  return s ? s[frame * capi::nchnls(cs) + channel] : 0.0;
}
inline void csoundClearSpin(CSOUND* cs) {
  if (MYFLT* s = csoundGetSpin(cs))
    std::memset(s, 0, sizeof(MYFLT) * csoundGetKsmps(cs) * static_cast<std::size_t>(capi::nchnls_input(cs)));
}

// ---- host-implemented I/O: Csound 7 can switch it on, not off again
inline void csoundSetHostImplementedAudioIO(CSOUND* cs, int state, int) {
  if (state) capi::host_audio_io(cs);
}
inline void csoundSetHostImplementedMIDIIO(CSOUND* cs, int state) {
  if (state) capi::host_midi_io(cs);
}

// ---- the file and device setters: the equivalent options
inline void set_option_(CSOUND* cs, const char* prefix, const char* value) {
  if (value && *value) csoundSetOption(cs, (std::string(prefix) + value).c_str());
}
inline void csoundSetOutput(CSOUND* cs, const char* name, const char* type, const char* format) {
  set_option_(cs, "-o", name);
  set_option_(cs, "--format=", type);
  set_option_(cs, "--format=", format);
}
inline void csoundSetInput(CSOUND* cs, const char* name) { set_option_(cs, "-i", name); }
inline void csoundSetMIDIInput(CSOUND* cs, const char* name) { set_option_(cs, "-M", name); }
inline void csoundSetMIDIFileInput(CSOUND* cs, const char* name) { set_option_(cs, "-F", name); }
inline void csoundSetMIDIOutput(CSOUND* cs, const char* name) { set_option_(cs, "-Q", name); }
inline void csoundSetMIDIFileOutput(CSOUND* cs, const char* name) { set_option_(cs, "--midioutfile=", name); }

// process-wide, as in Csound 6: used by every csoundCreate that follows (capi::create)
inline void csoundSetOpcodedir(const char* dir) { capi::process_opcode_dir() = dir ? dir : ""; }

// Csound 7: no `thread` argument; init/perf/deinit functions (perf runs each k-cycle, at a- or
// k-rate as the argument types say). Csound 6's i/k/a functions map to init and perf.
inline int csoundAppendOpcode(CSOUND* cs, const char* opname, int dsblksiz, int flags, int thread,
                              const char* outypes, const char* intypes, int (*iopadr)(CSOUND*, void*),
                              int (*kopadr)(CSOUND*, void*), int (*aopadr)(CSOUND*, void*)) {
  (void)thread;
  return ::csoundAppendOpcode(cs, opname, static_cast<size_t>(dsblksiz), flags, outypes, intypes, iopadr,
                              aopadr ? aopadr : kopadr, nullptr);
}

// ---- gone without replacement: CsoundError naming Csound 7 and the alternative
inline void csoundGetOutputFormat(CSOUND*, char*, char*) { csound7_lacks("outputFormat"); }
inline int* csoundGetChannelLock(CSOUND*, const char*) { csound7_lacks("channelLock"); }
inline int csoundIsNamedGEN(CSOUND*, int) { csound7_lacks("isNamedGEN"); }
inline void csoundGetNamedGEN(CSOUND*, int, char*, int) { csound7_lacks("namedGEN"); }
inline void* csoundGetNamedGens(CSOUND*) { csound7_lacks("namedGens"); }
inline int csoundRegisterSenseEventCallback(CSOUND*, void (*)(CSOUND*, void*), void*) {
  csound7_lacks("registerSenseEventCallback");
}
inline void csoundSetYieldCallback(CSOUND*, int (*)(CSOUND*)) { csound7_lacks("setYieldCallback"); }
inline void csoundSetCscoreCallback(CSOUND*, void (*)(CSOUND*)) { csound7_lacks("setCscoreCallback"); }
inline int csoundOpenLibrary(void**, const char*) { csound7_lacks("openLibrary"); }
inline int csoundCloseLibrary(void*) { csound7_lacks("closeLibrary"); }
inline void* csoundGetLibrarySymbol(void*, const char*) { csound7_lacks("getLibrarySymbol"); }

}  // namespace csoundpp

#endif
