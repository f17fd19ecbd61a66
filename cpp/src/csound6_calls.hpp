// Private to the csoundpp library: makes the Csound 6 calls of the core compile against
// Csound 7. With Csound 6 it only includes csound.h. With Csound 7 it includes the headers
// the functions moved to, and defines (in namespace csoundpp, where they hide libcsound's
// names) the Csound 6 functions Csound 7 removed or changed: each throws CsoundError naming
// Csound 7, so a method that cannot work there fails with a reason. capi.hpp holds the calls
// that are emulated; a function ported there (or emulated here) leaves this list.
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

#include <string>

#include "csoundpp/csound.hpp"  // PVSDATEXT on Csound 7
#include "csoundpp/errors.hpp"

namespace csoundpp {

[[noreturn]] inline void csound7_lacks(const char* what) {
  throw CsoundError(std::string(what) + " does not exist in Csound 7 (this csoundpp is built against Csound 7)");
}

inline int csoundGetAPIVersion() { return 0; }  // Csound 7 has no API version number
inline void csoundGetParams(CSOUND*, CSOUND_PARAMS*) { csound7_lacks("csoundGetParams into CSOUND_PARAMS"); }
inline void csoundSetParams(CSOUND*, CSOUND_PARAMS*) { csound7_lacks("csoundSetParams"); }
inline MYFLT* csoundGetInputBuffer(CSOUND*) { csound7_lacks("csoundGetInputBuffer"); }
inline MYFLT* csoundGetOutputBuffer(CSOUND*) { csound7_lacks("csoundGetOutputBuffer"); }
inline long csoundGetInputBufferSize(CSOUND*) { csound7_lacks("csoundGetInputBufferSize"); }
inline long csoundGetOutputBufferSize(CSOUND*) { csound7_lacks("csoundGetOutputBufferSize"); }
inline void csoundClearSpin(CSOUND*) { csound7_lacks("csoundClearSpin"); }
inline MYFLT csoundGetSpoutSample(CSOUND*, int, int) { csound7_lacks("csoundGetSpoutSample"); }
inline void csoundAddSpinSample(CSOUND*, int, int, MYFLT) { csound7_lacks("csoundAddSpinSample"); }
inline void csoundSetSpinSample(CSOUND*, int, int, MYFLT) { csound7_lacks("csoundSetSpinSample"); }
inline void csoundSetHostImplementedAudioIO(CSOUND*, int, int) { csound7_lacks("csoundSetHostImplementedAudioIO"); }
inline void csoundSetHostImplementedMIDIIO(CSOUND*, int) { csound7_lacks("csoundSetHostImplementedMIDIIO"); }
inline void csoundSetOutput(CSOUND*, const char*, const char*, const char*) { csound7_lacks("csoundSetOutput"); }
inline void csoundGetOutputFormat(CSOUND*, char*, char*) { csound7_lacks("csoundGetOutputFormat"); }
inline void csoundSetInput(CSOUND*, const char*) { csound7_lacks("csoundSetInput"); }
inline void csoundSetMIDIInput(CSOUND*, const char*) { csound7_lacks("csoundSetMIDIInput"); }
inline void csoundSetMIDIFileInput(CSOUND*, const char*) { csound7_lacks("csoundSetMIDIFileInput"); }
inline void csoundSetMIDIOutput(CSOUND*, const char*) { csound7_lacks("csoundSetMIDIOutput"); }
inline void csoundSetMIDIFileOutput(CSOUND*, const char*) { csound7_lacks("csoundSetMIDIFileOutput"); }
inline int* csoundGetChannelLock(CSOUND*, const char*) { csound7_lacks("csoundGetChannelLock (Csound 7 locks channels by name)"); }
inline int csoundIsNamedGEN(CSOUND*, int) { csound7_lacks("csoundIsNamedGEN"); }
inline void csoundGetNamedGEN(CSOUND*, int, char*, int) { csound7_lacks("csoundGetNamedGEN"); }
inline void* csoundGetNamedGens(CSOUND*) { csound7_lacks("csoundGetNamedGens"); }
inline int csoundRegisterSenseEventCallback(CSOUND*, void (*)(CSOUND*, void*), void*) {
  csound7_lacks("csoundRegisterSenseEventCallback");
}
inline void csoundSetYieldCallback(CSOUND*, int (*)(CSOUND*)) { csound7_lacks("csoundSetYieldCallback"); }
inline void csoundSetCscoreCallback(CSOUND*, void (*)(CSOUND*)) { csound7_lacks("csoundSetCscoreCallback"); }
inline void csoundSetOpcodedir(const char*) { csound7_lacks("csoundSetOpcodedir (Csound 7 takes it in csoundCreate)"); }
inline int csoundOpenLibrary(void**, const char*) { csound7_lacks("csoundOpenLibrary"); }
inline int csoundCloseLibrary(void*) { csound7_lacks("csoundCloseLibrary"); }
inline void* csoundGetLibrarySymbol(void*, const char*) { csound7_lacks("csoundGetLibrarySymbol"); }
inline int csoundAppendOpcode(CSOUND*, const char*, int, int, int, const char*, const char*, int (*)(CSOUND*, void*),
                              int (*)(CSOUND*, void*), int (*)(CSOUND*, void*)) {
  csound7_lacks("csoundAppendOpcode with Csound 6's signature");
}

inline int csoundSetPvsChannel(CSOUND*, const PVSDATEXT*, const char*) { csound7_lacks("csoundSetPvsChannel"); }
inline int csoundGetPvsChannel(CSOUND*, PVSDATEXT*, const char*) { csound7_lacks("csoundGetPvsChannel"); }

}  // namespace csoundpp

#endif
