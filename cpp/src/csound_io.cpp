// csoundpp::Csound: parameters and attributes, options, audio buffers, the message
// buffer, I/O names, modules and devices, UDP.
#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "csoundpp/csound.hpp"
#include "csoundpp/options.hpp"
#include "csound6_calls.hpp"

#include "capi.hpp"

namespace csoundpp {

namespace {
std::optional<std::string> opt_str(const char* s) {
  if (!s) return std::nullopt;
  return std::string(s);
}

std::string bounded(const char* s, std::size_t max) { return std::string(s, strnlen(s, max)); }

void check_port(int port) {
  if (port <= 0 || port > 65535) throw std::invalid_argument("port must be in 1..65535");
}
}  // namespace

// ---------------------------------------------------------------- library facts and attributes

int Csound::version() noexcept { return csoundGetVersion(); }
int Csound::api_version() { return csoundGetAPIVersion(); }
int Csound::size_of_myflt() noexcept { return csoundGetSizeOfMYFLT(); }

double Csound::sr() const { return csoundGetSr(native()); }
double Csound::kr() const { return csoundGetKr(native()); }
int Csound::ksmps() const { return static_cast<int>(csoundGetKsmps(native())); }
int Csound::nchnls() const { return capi::nchnls(native()); }
int Csound::nchnls_input() const { return capi::nchnls_input(native()); }
double Csound::zero_dbfs() const { return csoundGet0dBFS(native()); }
double Csound::a4() const { return csoundGetA4(native()); }
std::int64_t Csound::current_time_samples() const { return csoundGetCurrentTimeSamples(native()); }
bool Csound::debug() const { return csoundGetDebug(native()) != 0; }
void Csound::set_debug(bool on) { csoundSetDebug(native(), on ? 1 : 0); }
int Csound::message_level() const { return csoundGetMessageLevel(native()); }

void Csound::set_message_level(int level) {
  if (level < 0 || level > 1023) throw std::invalid_argument("message level must be in 0..1023");
  csoundSetMessageLevel(native(), level);
}

double Csound::system_sr(double value) { return csoundSystemSr(native(), value); }
void Csound::get_params(Params& out) const {
#if CS_VERSION >= 7
  // Csound 7's OPARMS, read-only, under its own field names.
  out = Params{};
  const OPARMS* o = ::csoundGetParams(native());
  if (!o) return;
  out.debug_mode = o->odebug;
  out.buffer_frames = o->outbufsamps;
  out.hardware_buffer_frames = o->oMaxLag;
  out.displays = o->displays;
  out.ascii_graphs = o->graphsoff;
  out.postscript_graphs = o->postscript;
  out.message_level = o->msglevel;
  out.tempo = static_cast<int>(o->cmdTempo);
  out.ring_bell = o->ringbell;
  out.terminate_on_midi = o->termifend;
  out.heartbeat = o->heartbeat;
  out.defer_gen01_load = o->gen01defer;
  out.midi_key = o->midiKey;
  out.midi_key_cps = o->midiKeyCps;
  out.midi_key_oct = o->midiKeyOct;
  out.midi_key_pch = o->midiKeyPch;
  out.midi_velocity = o->midiVelocity;
  out.midi_velocity_amp = o->midiVelocityAmp;
  out.no_default_paths = o->noDefaultPaths;
  out.number_of_threads = o->numThreads;
  out.syntax_check_only = o->syntaxCheckOnly;
  out.csd_line_counts = o->useCsdLineCounts;
  out.realtime_mode = o->realtime;
  out.sample_accurate = o->sampleAccurate;
  out.sample_rate_override = o->sr_override;
  out.control_rate_override = o->kr_override;
  out.nchnls_override = o->nchnls_override;
  out.nchnls_i_override = o->nchnls_i_override;
  out.e0dbfs_override = o->e0dbfs_override;
  out.daemon = o->daemon;
  out.ksmps_override = o->ksmps_override;
  out.FFT_library = o->fft_lib;
#else
  csoundGetParams(native(), &out);
#endif
}

int Csound::load_plugins(const std::string& dir) {
  if (dir.find('\0') != std::string::npos) throw std::invalid_argument("directory contains a NUL byte");
  return csoundLoadPlugins(native(), dir.c_str());
}

// ---------------------------------------------------------------- options

std::vector<std::string> Csound::split_options(const std::string& line) {
  return csoundpp::split_options(line);  // options.cpp: the rules a Csound command line / CsOptions use
}

int Csound::set_options(const std::string& line) {
  if (line.find('\0') != std::string::npos) throw std::invalid_argument("option contains a NUL byte");
  auto parts = split_options(line);
  if (parts.empty()) throw std::invalid_argument("empty option");
  int r = 0;
  for (const auto& p : parts) {
    int rr = set_option(p);
    if (rr != 0) r = rr;
  }
  return r;
}

// ---------------------------------------------------------------- audio buffers

namespace {
std::span<double> need(double* p, std::size_t n, const char* what) {
  if (!p) throw StateError(std::string(what) + " does not exist yet: compile and start the orchestra first");
  return {p, n};
}

void check_sample(const double* buffer, int frame, int channel, int frames, int channels, const char* what) {
  if (!buffer) throw StateError(std::string(what) + " does not exist yet: compile and start the orchestra first");
  if (frame < 0 || frame >= frames || channel < 0 || channel >= channels)
    throw std::out_of_range(std::string(what) + " frame/channel out of range (" + std::to_string(frames) +
                            " frames, " + std::to_string(channels) + " channels)");
}
}  // namespace

std::span<double> Csound::spin() {
  CSOUND* cs = native();
  return need(const_cast<double*>(csoundGetSpin(cs)), csoundGetKsmps(cs) * capi::nchnls_input(cs), "spin");
}

std::span<double> Csound::spout() {
  CSOUND* cs = native();
  return need(const_cast<double*>(csoundGetSpout(cs)), csoundGetKsmps(cs) * capi::nchnls(cs), "spout");
}

std::span<double> Csound::input_buffer() {
  CSOUND* cs = native();
  return need(csoundGetInputBuffer(cs), static_cast<std::size_t>(csoundGetInputBufferSize(cs)), "input buffer");
}

std::span<double> Csound::output_buffer() {
  CSOUND* cs = native();
  return need(csoundGetOutputBuffer(cs), static_cast<std::size_t>(csoundGetOutputBufferSize(cs)), "output buffer");
}

long Csound::input_buffer_size() const { return csoundGetInputBufferSize(native()); }
long Csound::output_buffer_size() const { return csoundGetOutputBufferSize(native()); }

double Csound::spout_sample(int frame, int channel) const {
  CSOUND* cs = native();
  check_sample(csoundGetSpout(cs), frame, channel, static_cast<int>(csoundGetKsmps(cs)),
               capi::nchnls(cs), "spout");
  return csoundGetSpoutSample(cs, frame, channel);
}

void Csound::add_spin_sample(int frame, int channel, double value) {
  CSOUND* cs = native();
  check_sample(csoundGetSpin(cs), frame, channel, static_cast<int>(csoundGetKsmps(cs)),
               capi::nchnls_input(cs), "spin");
  csoundAddSpinSample(cs, frame, channel, value);
}

void Csound::set_spin_sample(int frame, int channel, double value) {
  CSOUND* cs = native();
  check_sample(csoundGetSpin(cs), frame, channel, static_cast<int>(csoundGetKsmps(cs)),
               capi::nchnls_input(cs), "spin");
  csoundSetSpinSample(cs, frame, channel, value);
}

void Csound::set_host_implemented_audio_io(bool on, int buffer_size) {
  if (buffer_size < 0) throw std::invalid_argument("bufSize must be >= 0");
#if CS_VERSION >= 7
  if (!on) csound7_lacks("csoundSetHostImplementedAudioIO(0): host audio I/O cannot be switched off");
  capi::host_audio_io(native());
#else
  csoundSetHostImplementedAudioIO(native(), on ? 1 : 0, buffer_size);
#endif
  host_audio_io_.store(on);  // start() then asks for no real-time audio module
}

// ---------------------------------------------------------------- message buffer

void Csound::create_message_buffer(bool echo) { csoundCreateMessageBuffer(native(), echo ? 1 : 0); }
void Csound::destroy_message_buffer() { csoundDestroyMessageBuffer(native()); }
int Csound::message_count() const { return csoundGetMessageCnt(native()); }

std::string Csound::first_message() const {
  const char* s = csoundGetFirstMessage(native());
  return s ? std::string(s) : std::string();
}

int Csound::first_message_attr() const { return csoundGetFirstMessageAttr(native()); }
void Csound::pop_first_message() { csoundPopFirstMessage(native()); }

std::optional<Message> Csound::read_message() {
  CSOUND* cs = native();
  if (csoundGetMessageCnt(cs) <= 0) return std::nullopt;
  Message m;
  if (const char* s = csoundGetFirstMessage(cs)) m.text = s;
  m.attr = csoundGetFirstMessageAttr(cs);
  csoundPopFirstMessage(cs);
  return m;
}

void Csound::message(int attr, const std::string& text) { csoundMessageS(native(), attr, "%s", text.c_str()); }

// ---------------------------------------------------------------- I/O names, modules, devices

namespace {
bool has_module_list(CSOUND* cs) {
#if CS_VERSION >= 7
  (void)cs;
  return true;
#else
  return csoundQueryGlobalVariable(cs, "_MODULES") != nullptr;  // csoundGetModule's list
#endif
}

void check_name(const std::string& name, const char* what) {
  if (name.empty()) throw std::invalid_argument(std::string(what) + " name must not be empty");
  if (name.find('\0') != std::string::npos) throw std::invalid_argument(std::string(what) + " name contains a NUL byte");
}
}  // namespace


std::optional<std::string> Csound::output_name() const { return opt_str(csoundGetOutputName(native())); }
std::optional<std::string> Csound::input_name() const { return opt_str(csoundGetInputName(native())); }

void Csound::set_output(const std::string& name, const std::optional<std::string>& type,
                        const std::optional<std::string>& format) {
  check_name(name, "output");
  const bool t = type && !type->empty(), f = format && !format->empty();
  csoundSetOutput(native(), name.c_str(), t ? type->c_str() : nullptr, f ? format->c_str() : nullptr);
}

std::pair<std::string, std::string> Csound::output_format() const {
  char type[16] = {0}, format[16] = {0};
  csoundGetOutputFormat(native(), type, format);
  return {bounded(type, sizeof type), bounded(format, sizeof format)};
}

// libcsound 6.18's csoundSetInput, csoundSetMIDIInput, csoundSetMIDIFileInput, csoundSetMIDIOutput
// and csoundSetMIDIFileOutput copy the name into a block of strlen(name) bytes: the terminating
// NUL lands one byte past it and corrupts the heap (an abort some calls later). The same
// settings go through the command-line options instead, which libcsound copies correctly and
// which set the same fields. As libcsound, nothing changes once the orchestra is compiled.
void Csound::set_file_option(const char* what, const char* option, const std::string& name) {
  check_name(name, what);
  native();  // StateError once destroyed
  if (compiled_.load()) return;
  if (set_option(option + name) != 0)
    throw std::invalid_argument(std::string(what) + " '" + name + "' refused by Csound: " + last_errors());
}

#if CS_VERSION >= 7
void Csound::set_input(const std::string& name) { check_name(name, "input"); csoundSetInput(native(), name.c_str()); }
void Csound::set_midi_input(const std::string& name) { check_name(name, "MIDI input"); csoundSetMIDIInput(native(), name.c_str()); }
void Csound::set_midi_file_input(const std::string& name) {
  check_name(name, "MIDI file input");
  csoundSetMIDIFileInput(native(), name.c_str());
}
void Csound::set_midi_output(const std::string& name) { check_name(name, "MIDI output"); csoundSetMIDIOutput(native(), name.c_str()); }
void Csound::set_midi_file_output(const std::string& name) {
  check_name(name, "MIDI file output");
  csoundSetMIDIFileOutput(native(), name.c_str());
}
#else
void Csound::set_input(const std::string& name) {
  // (libcsound's option parser would call csoundDie for it, leaving the instance needing reset())
  if (name == "stdout") throw std::invalid_argument("input cannot be stdout");
  set_file_option("input", "--input=", name);
}
void Csound::set_midi_input(const std::string& name) { set_file_option("MIDI input", "--midi-device=", name); }
void Csound::set_midi_file_input(const std::string& name) { set_file_option("MIDI file input", "--midifile=", name); }
void Csound::set_midi_output(const std::string& name) { set_file_option("MIDI output", "-Q", name); }
void Csound::set_midi_file_output(const std::string& name) { set_file_option("MIDI file output", "--midioutfile=", name); }
#endif
void Csound::set_rt_audio_module(const std::string& module) { csoundSetRTAudioModule(native(), module.c_str()); }
void Csound::set_midi_module(const std::string& module) { csoundSetMIDIModule(native(), module.c_str()); }

int Csound::module(int number, ModuleInfo& out) const {
  char* name = nullptr;
  char* type = nullptr;
  CSOUND* cs = native();
  // libcsound indexes its NULL-terminated module list with `number` unchecked: walk up to it,
  // so a number past the end is an error instead of a read past the list.
  // (libcsound's list holds at most 64 entries, and exists once modules were loaded.)
  if (number < 0 || number >= 64 || !has_module_list(cs)) return CSOUND_ERROR;
  for (int k = 0; k < number; ++k)
    if (csoundGetModule(cs, k, &name, &type) != CSOUND_SUCCESS || !name) return CSOUND_ERROR;
  int err = csoundGetModule(cs, number, &name, &type);
  if (err != CSOUND_SUCCESS || !name) return err != CSOUND_SUCCESS ? err : CSOUND_ERROR;
  out.name = name;
  out.type = type ? type : "";
  return CSOUND_SUCCESS;
}

std::vector<ModuleInfo> Csound::modules() const {
  std::vector<ModuleInfo> out;
  CSOUND* cs = native();
  if (!has_module_list(cs)) return out;
  for (int n = 0; n < 64; ++n) {  // in order, so never past the list's end
    char* name = nullptr;
    char* type = nullptr;
    if (csoundGetModule(cs, n, &name, &type) != CSOUND_SUCCESS || !name) break;
    out.push_back(ModuleInfo{name, type ? type : ""});
  }
  return out;
}

std::vector<AudioDevice> Csound::audio_devices(bool output) const {
  CSOUND* cs = native();
  std::vector<AudioDevice> out;
  int n = csoundGetAudioDevList(cs, nullptr, output ? 1 : 0);
  if (n <= 0) return out;
  std::vector<CS_AUDIODEVICE> devs(static_cast<std::size_t>(n) + 1);
  int got = csoundGetAudioDevList(cs, devs.data(), output ? 1 : 0);
  for (int i = 0; i < std::min(n, got); ++i) {
    const auto& d = devs[static_cast<std::size_t>(i)];
    out.push_back({bounded(d.device_name, 64), bounded(d.device_id, 64), bounded(d.rt_module, 64), d.max_nchnls,
                   d.isOutput != 0});
  }
  return out;
}

std::vector<MidiDevice> Csound::midi_devices(bool output) const {
  CSOUND* cs = native();
  std::vector<MidiDevice> out;
  int n = csoundGetMIDIDevList(cs, nullptr, output ? 1 : 0);
  if (n <= 0) return out;
  std::vector<CS_MIDIDEVICE> devs(static_cast<std::size_t>(n) + 1);
  int got = csoundGetMIDIDevList(cs, devs.data(), output ? 1 : 0);
  for (int i = 0; i < std::min(n, got); ++i) {
    const auto& d = devs[static_cast<std::size_t>(i)];
    out.push_back({bounded(d.device_name, 64), bounded(d.interface_name, 64), bounded(d.device_id, 64),
                   bounded(d.midi_module, 64), d.isOutput != 0});
  }
  return out;
}

void* Csound::rt_record_user_data() const { return csoundGetRtRecordUserData(native()); }
void* Csound::rt_play_user_data() const { return csoundGetRtPlayUserData(native()); }

// ---------------------------------------------------------------- UDP

int Csound::udp_server_start(int port) {
  check_port(port);
  return csoundUDPServerStart(native(), static_cast<unsigned>(port));
}

int Csound::udp_server_status() const { return csoundUDPServerStatus(native()); }
int Csound::udp_server_close() { return csoundUDPServerClose(native()); }

int Csound::udp_console(const std::string& address, int port, bool mirror) {
  check_port(port);
  return csoundUDPConsole(native(), address.c_str(), static_cast<unsigned>(port), mirror ? 1 : 0);
}

void Csound::stop_udp_console() { csoundStopUDPConsole(native()); }

// ---------------------------------------------------------------- host callbacks

bool Csound::set_is_graphable(bool on) { return csoundSetIsGraphable(native(), on ? 1 : 0) != 0; }
void Csound::key_press(char c) { csoundKeyPress(native(), c); }
void Csound::set_host_implemented_midi_io(bool on) { csoundSetHostImplementedMIDIIO(native(), on ? 1 : 0); }

int Csound::append_opcode(const char* name, int dsblksiz, int flags, int thread, const char* outypes,
                          const char* intypes, int (*init)(CSOUND*, void*), int (*kperf)(CSOUND*, void*),
                          int (*aperf)(CSOUND*, void*)) {
  return csoundAppendOpcode(native(), name, dsblksiz, flags, thread, outypes, intypes, init, kperf, aperf);
}

}  // namespace csoundpp
