// The table of what each backend (Csound 6 or Csound 7) supports; see backend.hpp.
#include "csoundpp/backend.hpp"

#include <csound/csound.h>
#include <csound/version.h>

#include <iterator>

#include <dlfcn.h>

#include "csoundpp/errors.hpp"

namespace csoundpp {

namespace {

constexpr Support kNative = Support::Native;
constexpr Support kEmulated = Support::Emulated;
constexpr Support kUnavailable = Support::Unavailable;

// Names are the canonical ctcsound spellings; every other spelling of the method maps to them.
#if CS_VERSION >= 7
constexpr BackendFeature kFeatures[] = {
    {"compile_", kEmulated, "csoundCompile no longer starts in Csound 7: csoundpp calls csoundStart after it"},
    {"compileArgs", kEmulated, "Csound 7's csoundCompile (which does not start)"},
    {"compileCsd", kEmulated, "csoundCompileCSD(cs, path, 0, 0)"},
    {"compileCsdText", kEmulated, "csoundCompileCSD(cs, text, 1, 0)"},
    {"compileOrcAsync", kEmulated, "csoundCompileOrc(cs, code, async=1)"},
    {"compileTreeAsync", kEmulated, "csoundCompileTree(cs, tree, async=1)"},
    {"readScore", kEmulated,
     "csoundEventString: before start() the text is added to the score, after it the events are real-time "
     "events relative to now"},
    {"inputMessage", kEmulated, "csoundEventString"},
    {"scoreEvent", kEmulated,
     "csoundEvent for i/f/e events once started, csoundEventString for other statement types and before start()"},
    {"scoreEventAbsolute", kEmulated,
     "Csound 7 has no absolute-time events: p2 is made relative to the current score time "
     "(csoundGetScoreTime); an i-event already past starts now with the rest of its duration"},
    {"killInstance", kEmulated, "the turnoff2_i opcode, compiled as global code (needs a started instance)"},
    {"cleanup", kEmulated,
     "Csound 7 has no csoundCleanup; ending a performance and closing its files is part of csoundReset, so "
     "cleanup() resets the instance. Csound's own output file (-o) is complete after reset() or destroy(), not "
     "when the score ends or a PerformanceThread is joined"},
    {"stop", kEmulated,
     "Csound 7 has no csoundStop: csoundpp's perform loops, performBuffer and the PerformanceThread poll a stop "
     "flag; a bare performKsmps() loop is not interrupted"},
    {"performBuffer", kEmulated,
     "Csound 7 has no csoundPerformBuffer: -b frames are performed as k-cycles; inputBuffer()/outputBuffer() are "
     "csoundpp's buffers, copied to spin and from spout each k-cycle"},
    {"inputBuffer", kEmulated, "csoundpp's own buffer (see performBuffer)"},
    {"outputBuffer", kEmulated, "csoundpp's own buffer (see performBuffer)"},
    {"inputBufferSize", kEmulated, "the size of csoundpp's own buffer (see performBuffer)"},
    {"outputBufferSize", kEmulated, "the size of csoundpp's own buffer (see performBuffer)"},
    {"setParams", kEmulated,
     "Csound 7 has no csoundSetParams: the fields Csound 6 sets are set through the equivalent options "
     "(csoundSetOption), csoundSetDebug and csoundSetMessageLevel; a value no option gives (e.g. switching "
     "ring_bell off again, use_cscore, a fractional e0dbfs_override) raises CsoundError and changes nothing"},
    {"params", kEmulated, "filled from Csound 7's read-only OPARMS (csoundGetParams), same field names as in 6"},
    {"tableGet", kEmulated, "read through csoundGetTable's pointer"},
    {"tableSet", kEmulated, "written through csoundGetTable's pointer"},
    {"nchnls", kEmulated, "csoundGetChannels(cs, 0)"},
    {"nchnlsInput", kEmulated, "csoundGetChannels(cs, 1)"},
    {"setHostImplementedAudioIO", kEmulated, "csoundSetHostAudioIO (cannot be switched off again in Csound 7)"},
    {"setHostImplementedMIDIIO", kEmulated, "csoundSetHostMIDIIO (cannot be switched off again in Csound 7)"},
    {"setOpcodedir", kEmulated, "passed to csoundCreate: affects instances created afterwards"},
    {"addSpinSample", kEmulated, "written through the spin pointer"},
    {"setSpinSample", kEmulated, "written through the spin pointer"},
    {"clearSpin", kEmulated, "spin zeroed through its pointer"},
    {"spoutSample", kEmulated, "read through the spout pointer"},
    {"setOutput", kEmulated, "setOption('-o NAME') and the --format option"},
    {"setInput", kEmulated, "setOption('-i NAME')"},
    {"setMIDIInput", kEmulated, "setOption('-M DEV')"},
    {"setMIDIOutput", kEmulated, "setOption('-Q DEV')"},
    {"setMIDIFileInput", kEmulated, "setOption('-F FILE')"},
    {"setMIDIFileOutput", kEmulated, "setOption('--midioutfile=FILE')"},
    {"APIVersion", kUnavailable, "Csound 7 has no API version number: use getVersion() or csoundpp.csound_version()"},
    {"outputFormat", kUnavailable, "Csound 7 has no csoundGetOutputFormat: read the -o/--format options you set"},
    {"namedGens", kUnavailable, "Csound 7 has no API for the named GEN list"},
    {"namedGEN", kUnavailable, "Csound 7 has no API for named GENs"},
    {"isNamedGEN", kUnavailable, "Csound 7 has no API for named GENs"},
    {"openLibrary", kUnavailable, "Csound 7 removed csoundOpenLibrary: use ctypes.CDLL"},
    {"closeLibrary", kUnavailable, "Csound 7 removed csoundCloseLibrary: use ctypes.CDLL"},
    {"getLibrarySymbol", kUnavailable, "Csound 7 removed csoundGetLibrarySymbol: use ctypes.CDLL"},
    {"setYieldCallback", kUnavailable,
     "Csound 7 has no yield callback: poll from the performing loop (perform()'s interrupt hook) instead"},
    {"registerSenseEventCallback", kUnavailable,
     "Csound 7 has no sense-event callback: use a PerformanceThread process callback or a BlockProcessor"},
    {"setCscoreCallback", kUnavailable, "Csound 7 removed Cscore callbacks"},
    {"channelLock", kUnavailable,
     "Csound 7 hands out no channel spin locks (it locks channels by name); csoundpp's channel methods lock "
     "for you"},
    {"lockChannel", kEmulated, "csoundLockChannel(cs, name)"},
    {"unlockChannel", kEmulated, "csoundUnlockChannel(cs, name)"},
    {"pvsChannel", kEmulated, "csoundGetPvsChannel into a PVSDAT lent the PvsdatExt's frame"},
    {"setPvsChannel", kEmulated,
     "csoundInitPvsChannel (makes the channel if needed), then csoundSetPvsChannel from a PVSDAT lent the "
     "PvsdatExt's frame"},
};
#else
constexpr BackendFeature kFeatures[] = {
    {"scoreEventAbsolute", kNative, "csoundScoreEventAbsolute"},
    {"killInstance", kNative, "csoundKillInstance"},
    {"cleanup", kNative, "csoundCleanup"},
    {"stop", kNative, "csoundStop"},
    {"performBuffer", kNative, "csoundPerformBuffer"},
    {"tableGet", kNative, "csoundTableGet"},
    {"tableSet", kNative, "csoundTableSet"},
    {"readScore", kNative, "csoundReadScore"},
    {"inputMessage", kNative, "csoundInputMessage"},
    {"APIVersion", kNative, "csoundGetAPIVersion"},
    {"namedGens", kNative, "csoundGetNamedGens"},
};
#endif

}  // namespace

CsoundVersion csound_build_version() noexcept { return {CS_VERSION, CS_SUBVER, CS_PATCHLEVEL}; }

int csound_library_version() noexcept { return csoundGetVersion(); }

std::string csound_library_path() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&csoundGetVersion), &info) && info.dli_fname) return info.dli_fname;
  return {};
}

std::span<const BackendFeature> backend_features() noexcept { return {std::begin(kFeatures), std::end(kFeatures)}; }

const BackendFeature* backend_feature(std::string_view name) noexcept {
  for (const auto& f : kFeatures)
    if (name == f.name) return &f;
  return nullptr;
}

void require_feature(std::string_view name) {
  const BackendFeature* f = backend_feature(name);
  if (!f || f->support != Support::Unavailable) return;
  auto v = csound_build_version();
  throw CsoundError(std::string(name) + "() is not available with Csound " + std::to_string(v.major) + "." +
                    std::to_string(v.minor) + " (csoundpp was built for it): " + f->note);
}

}  // namespace csoundpp
