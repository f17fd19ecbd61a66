// Csound 6 API names on Csound 7, for the Python bindings only (force-included into cpp/bindings
// by CMakeLists.txt when building against Csound 7; the C++ core uses capi.hpp instead).
//
// Transitional: cpp/bindings still calls libcsound directly (issue 9 moves those calls into the
// C++ core, after which this file goes away and the differences live in capi.hpp alone). Each
// function here has the Csound 6 signature: it maps to the Csound 7 call, emulates the Csound 6
// behaviour, or raises csoundpp::CsoundError through require_feature() naming Csound 7 and the
// alternative (see backend.cpp's table).
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
#include <csound/cwindow.h>

#include <cstring>
#include <string>

#include "csoundpp/backend.hpp"
#include "csoundpp/csound.hpp"
#include "capi.hpp"

// ---- CSOUND_PARAMS: Csound 7's is OPARMS with its own field names and read-only. The bindings
// get Csound 6's layout, filled from OPARMS.
struct csoundpp_params6 {
  int debug_mode, buffer_frames, hardware_buffer_frames, displays, ascii_graphs, postscript_graphs, message_level,
      tempo, ring_bell, use_cscore, terminate_on_midi, heartbeat, defer_gen01_load, midi_key, midi_key_cps,
      midi_key_oct, midi_key_pch, midi_velocity, midi_velocity_amp, no_default_paths, number_of_threads,
      syntax_check_only, csd_line_counts, compute_weights, realtime_mode, sample_accurate;
  MYFLT sample_rate_override, control_rate_override;
  int nchnls_override, nchnls_i_override;
  MYFLT e0dbfs_override;
  int daemon, ksmps_override, FFT_library;
  // Csound::set_params takes Csound 7's OPARMS and raises on Csound 7 without reading it.
  operator const OPARMS&() const {
    static const OPARMS none{};
    return none;
  }
};
#define CSOUND_PARAMS csoundpp_params6

inline void csoundGetParams(CSOUND* cs, csoundpp_params6* p) {
  std::memset(p, 0, sizeof *p);
  const OPARMS* o = csoundGetParams(cs);
  if (!o) return;
  p->debug_mode = o->odebug;
  p->buffer_frames = o->outbufsamps;
  p->hardware_buffer_frames = o->oMaxLag;
  p->displays = o->displays;
  p->ascii_graphs = o->graphsoff;
  p->postscript_graphs = o->postscript;
  p->message_level = o->msglevel;
  p->tempo = static_cast<int>(o->cmdTempo);
  p->ring_bell = o->ringbell;
  p->terminate_on_midi = o->termifend;
  p->heartbeat = o->heartbeat;
  p->defer_gen01_load = o->gen01defer;
  p->midi_key = o->midiKey;
  p->midi_key_cps = o->midiKeyCps;
  p->midi_key_oct = o->midiKeyOct;
  p->midi_key_pch = o->midiKeyPch;
  p->midi_velocity = o->midiVelocity;
  p->midi_velocity_amp = o->midiVelocityAmp;
  p->no_default_paths = o->noDefaultPaths;
  p->number_of_threads = o->numThreads;
  p->syntax_check_only = o->syntaxCheckOnly;
  p->csd_line_counts = o->useCsdLineCounts;
  p->realtime_mode = o->realtime;
  p->sample_accurate = o->sampleAccurate;
  p->sample_rate_override = o->sr_override;
  p->control_rate_override = o->kr_override;
  p->nchnls_override = o->nchnls_override;
  p->nchnls_i_override = o->nchnls_i_override;
  p->e0dbfs_override = o->e0dbfs_override;
  p->daemon = o->daemon;
  p->ksmps_override = o->ksmps_override;
  p->FFT_library = o->fft_lib;
}
inline void csoundSetParams(CSOUND*, csoundpp_params6*) { csoundpp::require_feature("setParams"); }

// ---- the PVS bus: Csound 7 replaced PVSDATEXT with PVSDAT handles (csoundInitPvsChannel).
typedef struct pvsdat_ext {
  int32 N;
  int sliding;
  int32 NB;
  int32 overlap;
  int32 winsize;
  int wintype;
  int32 format;
  uint32 framecount;
  float* frame;
} PVSDATEXT;
inline int csoundGetPvsChannel(CSOUND*, PVSDATEXT*, const char*) {
  csoundpp::require_feature("pvsChannel");
  return CSOUND_ERROR;
}
inline int csoundSetPvsChannel(CSOUND*, const PVSDATEXT*, const char*) {
  csoundpp::require_feature("setPvsChannel");
  return CSOUND_ERROR;
}

// ---- renamed or re-signed
inline int csoundGetChannelPtr(CSOUND* cs, MYFLT** p, const char* name, int type) {
  return csoundGetChannelPtr(cs, reinterpret_cast<void**>(p), name, type);
}
inline int csoundCompileTree(CSOUND* cs, TREE* root) { return csoundCompileTree(cs, root, 0); }
inline int csoundCompileTreeAsync(CSOUND* cs, TREE* root) { return csoundCompileTree(cs, root, 1); }
inline uint32_t csoundGetNchnls(CSOUND* cs) { return csoundGetChannels(cs, 0); }
inline uint32_t csoundGetNchnlsInput(CSOUND* cs) { return csoundGetChannels(cs, 1); }
inline void csoundSetHostImplementedAudioIO(CSOUND* cs, int state, int) {
  if (state) csoundSetHostAudioIO(cs);
}
inline void csoundSetHostImplementedMIDIIO(CSOUND* cs, int state) {
  if (state) csoundSetHostMIDIIO(cs);
}
inline int csoundScoreEventAbsolute(CSOUND* cs, char type, const MYFLT* p, long n, double ofs) {
  return csoundpp::capi::score_event_absolute(cs, type, p, n, ofs, false, true);
}

// Csound 7: no `thread` argument; init/perf/deinit functions (perf runs each k-cycle, at a- or
// k-rate as the argument types say). Csound 6's i/k/a functions map to init and perf.
inline int csoundAppendOpcode(CSOUND* cs, const char* opname, int dsblksiz, int flags, int thread,
                              const char* outypes, const char* intypes, int (*iopadr)(CSOUND*, void*),
                              int (*kopadr)(CSOUND*, void*), int (*aopadr)(CSOUND*, void*)) {
  (void)thread;
  return csoundAppendOpcode(cs, opname, static_cast<size_t>(dsblksiz), flags, outypes, intypes, iopadr,
                            aopadr ? aopadr : kopadr, nullptr);
}

// ---- spin/spout by sample: on the pointers
inline void csoundAddSpinSample(CSOUND* cs, int frame, int channel, MYFLT sample) {
  if (MYFLT* s = csoundGetSpin(cs)) s[frame * static_cast<int>(csoundGetChannels(cs, 1)) + channel] += sample;
}
inline void csoundSetSpinSample(CSOUND* cs, int frame, int channel, MYFLT sample) {
  if (MYFLT* s = csoundGetSpin(cs)) s[frame * static_cast<int>(csoundGetChannels(cs, 1)) + channel] = sample;
}
inline MYFLT csoundGetSpoutSample(CSOUND* cs, int frame, int channel) {
  const MYFLT* s = csoundGetSpout(cs);
  return s ? s[frame * static_cast<int>(csoundGetChannels(cs, 0)) + channel] : 0.0;
}
inline void csoundClearSpin(CSOUND* cs) {
  if (MYFLT* s = csoundGetSpin(cs))
    std::memset(s, 0, sizeof(MYFLT) * csoundGetKsmps(cs) * csoundGetChannels(cs, 1));
}

// ---- the file and device setters: as the equivalent options
inline void csoundSetOutput(CSOUND* cs, const char* name, const char* type, const char* format) {
  if (name) csoundSetOption(cs, (std::string("-o") + name).c_str());
  if (type && *type) csoundSetOption(cs, (std::string("--format=") + type).c_str());
  if (format && *format) csoundSetOption(cs, (std::string("--format=") + format).c_str());
}
inline void csoundSetInput(CSOUND* cs, const char* name) {
  if (name) csoundSetOption(cs, (std::string("-i") + name).c_str());
}
inline void csoundSetMIDIInput(CSOUND* cs, const char* name) {
  if (name) csoundSetOption(cs, (std::string("-M") + name).c_str());
}
inline void csoundSetMIDIOutput(CSOUND* cs, const char* name) {
  if (name) csoundSetOption(cs, (std::string("-Q") + name).c_str());
}
inline void csoundSetMIDIFileInput(CSOUND* cs, const char* name) {
  if (name) csoundSetOption(cs, (std::string("-F") + name).c_str());
}
inline void csoundSetMIDIFileOutput(CSOUND* cs, const char* name) {
  if (name) csoundSetOption(cs, (std::string("--midioutfile=") + name).c_str());
}

// ---- the host buffers of performBuffer: csoundpp's own on Csound 7 (Csound::output_buffer)
inline MYFLT* csoundGetOutputBuffer(CSOUND* cs) {
  std::size_t n = 0;
  csoundpp::Csound* c = csoundpp::Csound::find(cs);
  return c ? c->output_buffer(&n) : nullptr;
}
inline long csoundGetOutputBufferSize(CSOUND* cs) {
  std::size_t n = 0;
  if (csoundpp::Csound* c = csoundpp::Csound::find(cs)) c->output_buffer(&n);
  return static_cast<long>(n);
}
inline MYFLT* csoundGetInputBuffer(CSOUND* cs) {
  std::size_t n = 0;
  csoundpp::Csound* c = csoundpp::Csound::find(cs);
  return c ? c->input_buffer(&n) : nullptr;
}
inline long csoundGetInputBufferSize(CSOUND* cs) {
  std::size_t n = 0;
  if (csoundpp::Csound* c = csoundpp::Csound::find(cs)) c->input_buffer(&n);
  return static_cast<long>(n);
}

// process-wide, as in Csound 6: used by every csoundCreate that follows (capi::create)
inline void csoundSetOpcodedir(const char* dir) { csoundpp::capi::process_opcode_dir() = dir ? dir : ""; }

// ---- gone without replacement: a CsoundError naming Csound 7 and the alternative
inline int csoundGetAPIVersion() {
  csoundpp::require_feature("APIVersion");
  return 0;
}
inline void csoundGetOutputFormat(CSOUND*, char*, char*) { csoundpp::require_feature("outputFormat"); }
inline void* csoundGetNamedGens(CSOUND*) {
  csoundpp::require_feature("namedGens");
  return nullptr;
}
inline void csoundGetNamedGEN(CSOUND*, int, char*, int) { csoundpp::require_feature("getNamedGEN"); }
inline int csoundIsNamedGEN(CSOUND*, int) {
  csoundpp::require_feature("isNamedGEN");
  return 0;
}
inline int csoundOpenLibrary(void**, const char*) {
  csoundpp::require_feature("openLibrary");
  return CSOUND_ERROR;
}
inline int csoundCloseLibrary(void*) {
  csoundpp::require_feature("closeLibrary");
  return CSOUND_ERROR;
}
inline void* csoundGetLibrarySymbol(void*, const char*) {
  csoundpp::require_feature("getLibrarySymbol");
  return nullptr;
}
inline void csoundSetYieldCallback(CSOUND*, int (*)(CSOUND*)) { csoundpp::require_feature("setYieldCallback"); }
inline int csoundRegisterSenseEventCallback(CSOUND*, void (*)(CSOUND*, void*), void*) {
  csoundpp::require_feature("registerSenseEventCallback");
  return CSOUND_ERROR;
}
inline int* csoundGetChannelLock(CSOUND*, const char*) {
  csoundpp::require_feature("channelLock");
  return nullptr;
}
inline void csoundSetCscoreCallback(CSOUND*, void (*)(CSOUND*)) { csoundpp::require_feature("setCscoreCallback"); }

#endif  // CS_VERSION >= 7
