// The DPF plugin whose DSP is an embedded .csd, run by csoundpp::BlockProcessor.
//
// Threads (DPF's contract): the constructor, activate(), deactivate() and
// sampleRateChanged() run on a non-real-time thread and never concurrently
// with run(). setParameterValue() may come from any thread: it only stores
// into an atomic; run() forwards the values to Csound's channels through
// pre-resolved ControlHandles (single atomic stores). run() allocates
// nothing and takes no lock (BlockProcessor::process's contract; libcsound
// itself allocates when a new instrument instance starts).
#include "DistrhoPlugin.hpp"
#include "csd_engine.hpp"
#include "csd_plugin_data.h"

#include <array>
#include <atomic>
#include <cstring>
#include <exception>

START_NAMESPACE_DISTRHO

using csdplugin::kNumParams;
using csdplugin::kParams;

class CsdPlugin : public Plugin {
 public:
  CsdPlugin() : Plugin(kNumParams, 0, 0) {
    for (unsigned i = 0; i < kNumParams; ++i) values_[i].store(static_cast<float>(kParams[i].dflt));
    // The LV2 TTL generator and lint tools make dummy instances: no Csound for them.
    if (!isDummyInstance()) rebuild();
  }

 protected:
  const char* getLabel() const override { return DISTRHO_PLUGIN_NAME; }
  const char* getDescription() const override { return "A Csound .csd run by csoundpp's BlockProcessor"; }
  const char* getMaker() const override { return "csoundpp"; }
  const char* getLicense() const override { return "LGPL-2.1-or-later"; }
  uint32_t getVersion() const override { return d_version(0, 1, 0); }
  int64_t getUniqueId() const override { return csdplugin::kUniqueId; }

  void initAudioPort(bool input, uint32_t index, AudioPort& port) override {
    const int n = input ? DISTRHO_PLUGIN_NUM_INPUTS : DISTRHO_PLUGIN_NUM_OUTPUTS;
    if (n == 1) port.groupId = kPortGroupMono;
    if (n == 2) port.groupId = kPortGroupStereo;
    Plugin::initAudioPort(input, index, port);
  }

  void initParameter(uint32_t index, Parameter& p) override {
    if (index >= kNumParams) return;
    const auto& s = kParams[index];
    p.hints = s.output ? kParameterIsOutput : kParameterIsAutomatable;
    if (s.behav == CSOUND_CONTROL_CHANNEL_INT) p.hints |= kParameterIsInteger;
    if (s.behav == CSOUND_CONTROL_CHANNEL_EXP) p.hints |= kParameterIsLogarithmic;
    p.name = s.name;
    p.symbol = s.symbol;
    p.unit = s.unit;
    p.ranges.min = static_cast<float>(s.min);
    p.ranges.max = static_cast<float>(s.max);
    p.ranges.def = static_cast<float>(s.dflt);
  }

  float getParameterValue(uint32_t index) const override {
    return index < kNumParams ? values_[index].load(std::memory_order_relaxed) : 0.0f;
  }

  void setParameterValue(uint32_t index, float value) override {
    if (index < kNumParams && !kParams[index].output) values_[index].store(value, std::memory_order_relaxed);
  }

  // A new stream starts a fresh performance of the .csd (state of the last
  // one, e.g. delay lines and held notes, is dropped); parameters persist.
  void activate() override {
    if (!fresh_) rebuild();
    fresh_ = false;
  }
  void deactivate() override {}
  void sampleRateChanged(double) override { rebuild(); }

#if DISTRHO_PLUGIN_WANT_MIDI_INPUT
  void run(const float** inputs, float** outputs, uint32_t frames, const MidiEvent* midi, uint32_t nmidi) override {
    if (engine_.processor)
      for (uint32_t i = 0; i < nmidi; ++i) {
        if (midi[i].size < 1 || midi[i].size > 3) continue;  // sysex is not passed on
        uint8_t b[3] = {0, 0, 0};
        std::memcpy(b, midi[i].data, midi[i].size);
        // DPF 1.6's VST3 wrapper turns a full-scale pitch bend (normalized 1.0)
        // into MSB 128, which is no data byte: clamp it to the top value.
        if ((b[0] & 0xF0) == 0xE0 && midi[i].size == 3 && b[2] > 0x7F) b[1] = b[2] = 0x7F;
        if (csdplugin::kNoteInstr > 0 && midi[i].size == 3 && (b[0] & 0xE0) == 0x80) {
          note_event(midi[i].frame, b);
          continue;
        }
        engine_.processor->send_midi(midi[i].frame, b, midi[i].size);
      }
    render(inputs, outputs, frames);
  }
#else
  void run(const float** inputs, float** outputs, uint32_t frames) override { render(inputs, outputs, frames); }
#endif

 private:
  // NOTE_EVENTS mode: note on -> "i N.f 0 -1 note velocity channel" at the
  // note's frame (started on that very frame, --sample-accurate); note off ->
  // "i -N.f 0 0", which releases the held instance with the same fraction.
  void note_event(uint32_t frame, const uint8_t* b) noexcept {
    const int ch = b[0] & 0x0F, note = b[1], vel = b[2];
    const bool on = (b[0] & 0xF0) == 0x90 && vel > 0;
    const double p1 = csdplugin::kNoteInstr + (ch * 128 + note + 1) / 10000.0;
    if (on) {
      const double p[6] = {p1, 0, -1, double(note), double(vel), double(ch + 1)};
      engine_.processor->schedule_event(frame, 'i', p, 6);
    } else {
      const double p[3] = {-p1, 0, 0};
      engine_.processor->schedule_event(frame, 'i', p, 3);
    }
  }

  void render(const float** inputs, float** outputs, uint32_t frames) noexcept {
    auto* bp = engine_.processor.get();
    if (bp) {
      for (unsigned i = 0; i < kNumParams; ++i)
        if (!kParams[i].output) handles_[i].set(values_[i].load(std::memory_order_relaxed));
      if (bp->process(inputs, outputs, frames) == csoundpp::BlockProcessor::Status::Ok) {
        for (unsigned i = 0; i < kNumParams; ++i)
          if (kParams[i].output) values_[i].store(static_cast<float>(handles_[i].get()), std::memory_order_relaxed);
        return;
      }
    }
    for (int c = 0; c < DISTRHO_PLUGIN_NUM_OUTPUTS; ++c) std::memset(outputs[c], 0, sizeof(float) * frames);
  }

  void rebuild() {
    fresh_ = true;
    engine_ = {};
    for (auto& h : handles_) h = {};
    csdplugin::EngineSpec spec;
    spec.csd_text = csdplugin::kCsdText;
    spec.sample_rate = getSampleRate();
    spec.ksmps = csdplugin::kKsmps;
    spec.host_inputs = DISTRHO_PLUGIN_NUM_INPUTS;
    spec.host_outputs = DISTRHO_PLUGIN_NUM_OUTPUTS;
    spec.midi_in = DISTRHO_PLUGIN_WANT_MIDI_INPUT;
    try {
      auto e = csdplugin::make_engine(spec);
      for (unsigned i = 0; i < kNumParams; ++i) {
        handles_[i] = e.processor->control_handle(kParams[i].channel);
        if (!kParams[i].output) handles_[i].set(values_[i].load());
      }
      engine_ = std::move(e);
      setLatency(static_cast<uint32_t>(engine_.processor->latency()));
    } catch (const std::exception& ex) {
      // The plugin stays loaded and outputs silence; the host log says why.
      d_stderr2("%s: %s", DISTRHO_PLUGIN_NAME, ex.what());
      engine_ = {};
      for (auto& h : handles_) h = {};
    }
  }

  csdplugin::Engine engine_;
  std::array<csoundpp::ControlHandle, (kNumParams > 0 ? kNumParams : 1)> handles_;
  std::array<std::atomic<float>, (kNumParams > 0 ? kNumParams : 1)> values_{};
  bool fresh_ = true;  // the constructor's engine is not yet used: the first activate() keeps it

  DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(CsdPlugin)
};

Plugin* createPlugin() { return new CsdPlugin(); }

END_NAMESPACE_DISTRHO
