#include "rt_modules.hpp"

#include <csound/cfgvar.h>
#if CS_VERSION >= 7
#include <csound/csound_misc.h>  // csoundGetOutputName/InputName moved here in Csound 7
#endif

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

namespace csoundpp::detail {
namespace {

// Csound 6's real-time plugins, the module names each registers or accepts, the system
// library each needs, and the Debian/Ubuntu package that provides it.
struct RtPlugin {
  const char* file;
  std::vector<std::string> accepts;     // values of -+rtaudio / -+rtmidi it serves
  std::vector<std::string> registers;   // names csoundGetModule lists once it loaded
  const char* library;
  const char* package;
};

const std::vector<RtPlugin>& audio_plugins() {
  static const std::vector<RtPlugin> table = {
      {"librtjack.so", {"jack"}, {"jack"}, "libjack.so.0", "libjack-jackd2-0 (or libjack0)"},
      {"librtalsa.so", {"alsa"}, {"alsa"}, "libasound.so.2", "libasound2 (Debian 13: libasound2t64)"},
      {"librtpulse.so", {"pulse"}, {"pulse"}, "libpulse.so.0 and libpulse-simple.so.0", "libpulse0"},
      {"librtpa.so", {"portaudio", "pa", "pa_cb", "pa_bl"}, {"pa_cb", "pa_bl"}, "libportaudio.so.2",
       "libportaudio2"},
  };
  return table;
}

const std::vector<RtPlugin>& midi_plugins() {
  static const std::vector<RtPlugin> table = {
      {"librtalsa.so", {"alsa", "alsaraw", "alsaseq", "devfile"}, {"alsaraw", "alsaseq", "devfile"},
       "libasound.so.2", "libasound2 (Debian 13: libasound2t64)"},
      {"libpmidi.so", {"portmidi"}, {"portmidi"}, "libportmidi.so.0", "libportmidi0"},
  };
  return table;
}

std::string lower(const char* s) {
  std::string out = s ? s : "";
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string config_string(CSOUND* cs, const char* name) {
  csCfgVariable_t* v = csoundQueryConfigurationVariable(cs, name);
  if (!v || v->h.type != CSOUNDCFG_STRING || !v->s.p) return {};
  return lower(reinterpret_cast<const char*>(v->s.p));
}

std::vector<std::string> loaded_modules(CSOUND* cs, const char* type) {
  std::vector<std::string> names;
  for (int n = 0; n < 4096; ++n) {
    char* name = nullptr;
    char* t = nullptr;
    if (csoundGetModule(cs, n, &name, &t) != CSOUND_SUCCESS || !name) break;
    if (t && std::strcmp(t, type) == 0) names.push_back(lower(name));
  }
  return names;
}

std::string problem(CSOUND* cs, const char* option, const char* type, const std::vector<RtPlugin>& table) {
  const std::string wanted = config_string(cs, option);
  auto plugin = std::find_if(table.begin(), table.end(), [&](const RtPlugin& p) {
    return std::find(p.accepts.begin(), p.accepts.end(), wanted) != p.accepts.end();
  });
  if (plugin == table.end()) return {};
  const std::vector<std::string> loaded = loaded_modules(cs, type);
  for (const std::string& name : plugin->registers)
    if (std::find(loaded.begin(), loaded.end(), name) != loaded.end()) return {};
  std::string others;
  for (const std::string& name : loaded) others += (others.empty() ? "" : ", ") + name;
  return std::string("-+") + option + "=" + wanted + " asks for Csound's '" + wanted + "' " + type +
         " module, which is not loaded: its plugin " + plugin->file + " needs " + plugin->library +
         ", which this system lacks (or the plugin folder has no " + plugin->file +
         "). Install the package that provides it (Debian/Ubuntu: apt-get install " + plugin->package +
         "), or choose another -+" + option + " module (loaded: " + (others.empty() ? "none" : others) + ")";
}

bool is_device(const char* name, const char* prefix) {
  return name && std::strncmp(name, prefix, 3) == 0;
}

}  // namespace

std::string rt_audio_problem(CSOUND* cs) {
  if (!is_device(csoundGetOutputName(cs), "dac") && !is_device(csoundGetInputName(cs), "adc")) return {};
  // Only a module asked for by name: -n after a .csd's -odac leaves the output name "dac"
  // (the API cannot tell), and renders must not fail for want of the default ALSA.
  if (config_string(cs, "rtaudio") == "alsa") return {};
  return problem(cs, "rtaudio", "audio", audio_plugins());
}

std::string rt_midi_problem(CSOUND* cs, const std::string& diagnostics) {
  // Csound: "error: -+rtmidi='alsa': unknown module" when MIDI I/O was asked for.
  if (diagnostics.find("rtmidi") == std::string::npos || diagnostics.find("unknown module") == std::string::npos)
    return {};
  return problem(cs, "rtmidi", "midi", midi_plugins());
}

}  // namespace csoundpp::detail
