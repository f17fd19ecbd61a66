// csd-plugin-inspect: runs a .csd once at build time and writes the two
// headers a plugin build needs:
//   DistrhoPluginInfo.h   DPF's compile-time description (name, URI, audio
//                         ports from nchnls_i/nchnls, synth or effect, MIDI)
//   csd_plugin_data.h     the .csd text itself (embedded in the binary), its
//                         ksmps, and one entry per parameter
//
// Parameters are the .csd's control channels declared with a range:
//   chn_k "cutoff", 1, 3, 1000, 20, 20000      ; input: automatable parameter
//   chn_k "level",  2, 2, 0, 0, 1              ; output: read-only meter
// (chn_k name, mode 1=in 2=out 3=both, type 1=integer 2=linear 3=exponential,
// default, min, max). The optional attributes string of chn_k may carry
// "unit=Hz" and "name=Cutoff frequency" (separated by ';'). Channels without
// a range (type 0) stay internal. Parameters are ordered by channel name.
//
// usage: csd-plugin-inspect CSD OUTDIR NAME URI effect|instrument
#include "csd_engine.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Param {
  std::string channel, name, symbol, unit;
  int behav = 0;
  double dflt = 0, min = 0, max = 1;
  bool output = false;
};

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string c_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string symbol_of(const std::string& name) {
  std::string s;
  for (char c : name) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "_" + s;
  return s;
}

void parse_attributes(const char* attrs, Param& p) {
  if (!attrs) return;
  std::stringstream ss(attrs);
  std::string item;
  while (std::getline(ss, item, ';')) {
    auto eq = item.find('=');
    if (eq == std::string::npos) continue;
    std::string k = item.substr(0, eq), v = item.substr(eq + 1);
    while (!k.empty() && k.front() == ' ') k.erase(0, 1);
    if (k == "unit") p.unit = v;
    if (k == "name") p.name = v;
  }
}

std::uint32_t fnv1a(const std::string& s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  if ((argc != 6 && argc != 7) || (std::string(argv[5]) != "effect" && std::string(argv[5]) != "instrument")) {
    std::cerr << "usage: csd-plugin-inspect CSD OUTDIR NAME URI effect|instrument [NOTE_EVENTS_INSTR]\n";
    return 2;
  }
  int note_instr = 0;
  if (argc == 7) {
    char* end = nullptr;
    long v = std::strtol(argv[6], &end, 10);
    if (!end || *end || v < 1 || v > 100000) {
      std::cerr << "NOTE_EVENTS wants an instrument number >= 1, not \"" << argv[6] << "\"\n";
      return 2;
    }
    note_instr = static_cast<int>(v);
  }
  const std::string csd_path = argv[1], outdir = argv[2], name = argv[3], uri = argv[4];
  const bool instrument = std::string(argv[5]) == "instrument";
  try {
    csdplugin::EngineSpec spec;
    spec.csd_text = read_file(csd_path);
    spec.host_inputs = instrument ? 0 : 2;
    spec.midi_in = true;
    auto engine = csdplugin::make_engine(spec);
    auto& bp = *engine.processor;
    const int nchnls = bp.nchnls(), nchnls_i = instrument ? 0 : bp.nchnls_i(), ksmps = bp.ksmps();

    std::vector<Param> params;
    CSOUND* cs = engine.csound->native();
    controlChannelInfo_t* list = nullptr;
    int n = csoundListChannels(cs, &list);
    for (int i = 0; i < n; ++i) {
      const auto& c = list[i];
      if ((c.type & CSOUND_CHANNEL_TYPE_MASK) != CSOUND_CONTROL_CHANNEL) continue;
      if (c.hints.behav == CSOUND_CONTROL_CHANNEL_NO_HINTS) continue;
      Param p;
      p.channel = c.name;
      p.name = c.name;
      p.symbol = symbol_of(c.name);
      p.behav = c.hints.behav;
      p.dflt = c.hints.dflt;
      p.min = c.hints.min;
      p.max = c.hints.max;
      p.output = !(c.type & CSOUND_INPUT_CHANNEL);
      parse_attributes(c.hints.attributes, p);
      if (!(p.min < p.max)) {
        std::cerr << csd_path << ": channel \"" << p.channel << "\" has an empty range [" << p.min << ", " << p.max
                  << "]\n";
        return 1;
      }
      if (p.behav == CSOUND_CONTROL_CHANNEL_EXP && p.min <= 0) {
        std::cerr << csd_path << ": exponential channel \"" << p.channel << "\" needs min > 0\n";
        return 1;
      }
      params.push_back(p);
    }
    if (list) csoundDeleteChannelList(cs, list);
    std::sort(params.begin(), params.end(), [](const Param& a, const Param& b) { return a.channel < b.channel; });

    const std::uint32_t id = fnv1a(uri);
    {
      std::ofstream f(outdir + "/DistrhoPluginInfo.h");
      f << "// Generated by csd-plugin-inspect from " << csd_path << "; do not edit.\n#pragma once\n"
        << "#define DISTRHO_PLUGIN_BRAND \"csoundpp\"\n"
        << "#define DISTRHO_PLUGIN_NAME " << c_string(name) << "\n"
        << "#define DISTRHO_PLUGIN_URI " << c_string(uri) << "\n"
        << "#define DISTRHO_PLUGIN_HAS_UI 0\n"
        << "#define DISTRHO_PLUGIN_IS_RT_SAFE 0\n"  // libcsound allocates new instrument instances
        << "#define DISTRHO_PLUGIN_IS_SYNTH " << (instrument ? 1 : 0) << "\n"
        << "#define DISTRHO_PLUGIN_NUM_INPUTS " << nchnls_i << "\n"
        << "#define DISTRHO_PLUGIN_NUM_OUTPUTS " << nchnls << "\n"
        << "#define DISTRHO_PLUGIN_WANT_MIDI_INPUT " << (instrument ? 1 : 0) << "\n"
        << "#define DISTRHO_PLUGIN_WANT_LATENCY 1\n"
        << "#define DISTRHO_PLUGIN_LV2_CATEGORY " << (instrument ? "\"lv2:InstrumentPlugin\"" : "\"lv2:Plugin\"") << "\n"
        << "#define DISTRHO_PLUGIN_VST3_CATEGORIES "
        << (instrument ? "\"Instrument|Synth\"" : (nchnls == 2 ? "\"Fx|Stereo\"" : "\"Fx\"")) << "\n";
    }
    {
      std::ofstream f(outdir + "/csd_plugin_data.h");
      f << std::setprecision(17);
      f << "// Generated by csd-plugin-inspect from " << csd_path << "; do not edit.\n#pragma once\n"
        << "#include <cstdint>\nnamespace csdplugin {\n"
        << "struct ParamSpec { const char* channel; const char* name; const char* symbol; const char* unit;\n"
        << "                   int behav; double dflt, min, max; bool output; };\n"
        << "constexpr int kKsmps = " << ksmps << ";\n"
        << "constexpr bool kInstrument = " << (instrument ? "true" : "false") << ";\n"
        << "constexpr int kNoteInstr = " << note_instr << ";  // NOTE_EVENTS: notes as score events\n"
        << "constexpr std::int64_t kUniqueId = " << static_cast<std::int64_t>(id) << ";\n"
        << "constexpr unsigned kNumParams = " << params.size() << ";\n"
        << "constexpr ParamSpec kParams[" << std::max<std::size_t>(params.size(), 1) << "] = {\n";
      for (const auto& p : params)
        f << "  {" << c_string(p.channel) << ", " << c_string(p.name) << ", " << c_string(p.symbol) << ", "
          << c_string(p.unit) << ", " << p.behav << ", " << p.dflt << ", " << p.min << ", " << p.max << ", "
          << (p.output ? "true" : "false") << "},\n";
      if (params.empty()) f << "  {\"\", \"\", \"\", \"\", 0, 0, 0, 1, false},\n";
      f << "};\n// The .csd, embedded so the plugin is self-contained.\nconstexpr char kCsdText[] =\n";
      std::istringstream lines(spec.csd_text);
      std::string line;
      while (std::getline(lines, line)) f << "  " << c_string(line + "\n") << "\n";
      f << "  \"\";\n}  // namespace csdplugin\n";
    }
    std::cout << name << ": " << nchnls_i << " in, " << nchnls << " out, ksmps " << ksmps << ", " << params.size()
              << " parameter(s)\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << csd_path << ": " << e.what() << "\n";
    return 1;
  }
}
