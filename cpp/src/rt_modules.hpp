// Real-time module checks done at Csound::start(). libcsound silently replaces a real-time
// audio module whose plugin did not load (its system library is missing: libjack, libasound,
// ...) by a dummy module that plays nothing; a wheel leaves those libraries to the system,
// so csoundpp says which package to install instead.
#pragma once

#include <csound/csound.h>

#include <string>

namespace csoundpp::detail {

// Before csoundStart: when audio goes to or comes from a device (-odac / -iadc) and the
// requested -+rtaudio module (other than the default, alsa) is one of Csound's own whose
// plugin is not loaded, the
// message to raise; "" when all is well (also for unknown names: a host may implement
// its own I/O with the play/record callbacks).
std::string rt_audio_problem(CSOUND* cs);

// After csoundStart failed with `diagnostics` (what Csound printed): when that failure is
// the requested -+rtmidi module being unknown, and it is one of Csound's own whose plugin is
// not loaded, the message to raise (libcsound only says "Unknown MIDI error").
std::string rt_midi_problem(CSOUND* cs, const std::string& diagnostics);

}  // namespace csoundpp::detail
