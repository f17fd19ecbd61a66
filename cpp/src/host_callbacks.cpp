#include "csoundpp/host_callbacks.hpp"
#include "csound6_calls.hpp"

#include <algorithm>
#include <type_traits>

#include "csoundpp/csound.hpp"
#include "csoundpp/host_midi.hpp"

namespace csoundpp {

namespace {

HostCallbacks* hooks_of(CSOUND* cs) noexcept {
  auto* self = cs ? static_cast<Csound*>(csoundGetHostData(cs)) : nullptr;
  return self ? &self->hooks() : nullptr;
}

// Calls the function a hook of cs's Csound holds; `dflt` when none is set.
template <typename R, typename H, typename... A>
R call(CSOUND* cs, H HostCallbacks::*hook, R dflt, A... args) {
  HostCallbacks* h = hooks_of(cs);
  if (!h) return dflt;
  auto fn = (h->*hook).get();
  if (!fn) return dflt;
  return (*fn)(cs, args...);
}

template <typename H, typename... A>
void call_void(CSOUND* cs, H HostCallbacks::*hook, A... args) {
  HostCallbacks* h = hooks_of(cs);
  if (!h) return;
  if (auto fn = (h->*hook).get()) (*fn)(cs, args...);
}

void file_open_tramp(CSOUND* cs, const char* path, int type, int write, int temp) {
  call_void(cs, &HostCallbacks::file_open, path, type, write, temp);
}
int yield_tramp(CSOUND* cs) { return call(cs, &HostCallbacks::yield, 1); }
void cscore_tramp(CSOUND* cs) { call_void(cs, &HostCallbacks::cscore); }
void make_graph_tramp(CSOUND* cs, WINDAT* w, const char* name) { call_void(cs, &HostCallbacks::make_graph, w, name); }
void draw_graph_tramp(CSOUND* cs, WINDAT* w) { call_void(cs, &HostCallbacks::draw_graph, w); }
void kill_graph_tramp(CSOUND* cs, WINDAT* w) { call_void(cs, &HostCallbacks::kill_graph, w); }
int exit_graph_tramp(CSOUND* cs) { return call(cs, &HostCallbacks::exit_graph, 0); }

// MIDI: a HostMidi attached to the instance keeps its rings working alongside.
int midi_in_open_tramp(CSOUND* cs, void** user, const char* dev) {
  if (HostMidi::find(cs)) HostMidi::in_open(cs, user, dev);
  return call(cs, &HostCallbacks::midi_in_open, 0, user, dev);
}
int midi_read_tramp(CSOUND* cs, void* user, unsigned char* buf, int nbytes) {
  return call(cs, &HostCallbacks::midi_read, 0, user, buf, nbytes);
}
int midi_in_close_tramp(CSOUND* cs, void* user) {
  if (HostMidi::find(cs)) HostMidi::in_close(cs, user);
  return call(cs, &HostCallbacks::midi_in_close, 0, user);
}
int midi_out_open_tramp(CSOUND* cs, void** user, const char* dev) {
  if (HostMidi::find(cs)) HostMidi::out_open(cs, user, dev);
  return call(cs, &HostCallbacks::midi_out_open, 0, user, dev);
}
int midi_write_tramp(CSOUND* cs, void* user, const unsigned char* buf, int nbytes) {
  return call(cs, &HostCallbacks::midi_write, nbytes, user, buf, nbytes);
}
int midi_out_close_tramp(CSOUND* cs, void* user) {
  if (HostMidi::find(cs)) HostMidi::out_close(cs, user);
  return call(cs, &HostCallbacks::midi_out_close, 0, user);
}
int midi_dev_list_tramp(CSOUND* cs, CS_MIDIDEVICE* list, int is_output) {
  return call(cs, &HostCallbacks::midi_dev_list, 0, list, is_output);
}
int audio_dev_list_tramp(CSOUND* cs, CS_AUDIODEVICE* list, int is_output) {
  return call(cs, &HostCallbacks::audio_dev_list, 0, list, is_output);
}

std::atomic<HostCallbacks*> g_midi_error_owner{nullptr};
const char* midi_error_tramp(int code) {
  HostCallbacks* h = g_midi_error_owner.load();
  if (!h) return nullptr;
  auto fn = h->midi_error.get();
  return fn ? (*fn)(code) : nullptr;
}

int play_open_tramp(CSOUND* cs, const csRtAudioParams* p) { return call(cs, &HostCallbacks::play_open, 0, p); }
void rt_play_tramp(CSOUND* cs, const MYFLT* buf, int nbytes) { call_void(cs, &HostCallbacks::rt_play, buf, nbytes); }
int record_open_tramp(CSOUND* cs, const csRtAudioParams* p) { return call(cs, &HostCallbacks::record_open, 0, p); }
int rt_record_tramp(CSOUND* cs, MYFLT* buf, int nbytes) { return call(cs, &HostCallbacks::rt_record, 0, buf, nbytes); }
void rt_close_tramp(CSOUND* cs) { call_void(cs, &HostCallbacks::rt_close); }

template <auto Setter, auto Tramp>
void installer(CSOUND* cs, bool on) {
  Setter(cs, on ? Tramp : nullptr);
}

}  // namespace

HostCallbacks::HostCallbacks(Csound& owner)
    : file_open(*this, &installer<csoundSetFileOpenCallback, &file_open_tramp>),
      // libcsound calls its yield callback unchecked: the trampoline stays, answering "continue" (1)
      // while no function is set.
      yield(*this, [](CSOUND* cs, bool) { csoundSetYieldCallback(cs, &yield_tramp); }),
      cscore(*this, &installer<csoundSetCscoreCallback, &cscore_tramp>),
      make_graph(*this, &installer<csoundSetMakeGraphCallback, &make_graph_tramp>),
      draw_graph(*this, &installer<csoundSetDrawGraphCallback, &draw_graph_tramp>),
      kill_graph(*this, &installer<csoundSetKillGraphCallback, &kill_graph_tramp>),
      exit_graph(*this, &installer<csoundSetExitGraphCallback, &exit_graph_tramp>),
      midi_in_open(*this, &installer<csoundSetExternalMidiInOpenCallback, &midi_in_open_tramp>),
      midi_read(*this, &installer<csoundSetExternalMidiReadCallback, &midi_read_tramp>),
      midi_in_close(*this, &installer<csoundSetExternalMidiInCloseCallback, &midi_in_close_tramp>),
      midi_out_open(*this, &installer<csoundSetExternalMidiOutOpenCallback, &midi_out_open_tramp>),
      midi_write(*this, &installer<csoundSetExternalMidiWriteCallback, &midi_write_tramp>),
      midi_out_close(*this, &installer<csoundSetExternalMidiOutCloseCallback, &midi_out_close_tramp>),
      midi_dev_list(*this, &installer<csoundSetMIDIDeviceListCallback, &midi_dev_list_tramp>),
      audio_dev_list(*this, &installer<csoundSetAudioDeviceListCallback, &audio_dev_list_tramp>),
      play_open(*this, &installer<csoundSetPlayopenCallback, &play_open_tramp>),
      rt_play(*this, &installer<csoundSetRtplayCallback, &rt_play_tramp>),
      record_open(*this, &installer<csoundSetRecopenCallback, &record_open_tramp>),
      rt_record(*this, &installer<csoundSetRtrecordCallback, &rt_record_tramp>),
      rt_close(*this, &installer<csoundSetRtcloseCallback, &rt_close_tramp>),
      midi_error(*this, [](CSOUND* cs, bool on) {
        // no CSOUND* reaches this callback: remember whose it is
        if (HostCallbacks* h = hooks_of(cs)) {
          if (on) {
            g_midi_error_owner.store(h);
          } else {
            HostCallbacks* expected = h;
            g_midi_error_owner.compare_exchange_strong(expected, nullptr);
          }
        }
        csoundSetExternalMidiErrorStringCallback(cs, on ? &midi_error_tramp : nullptr);
      }),
      owner_(owner) {}

HostCallbacks::~HostCallbacks() {
  HostCallbacks* self = this;
  g_midi_error_owner.compare_exchange_strong(self, nullptr);
}

CSOUND* HostCallbacks::native() const { return owner_.native(); }

// ---------------------------------------------------------------- keyboard and sense events

namespace {
int keyboard_tramp(void* user, void* p, unsigned type) {
  auto* h = static_cast<HostCallbacks*>(user);
  return h ? h->dispatch_keyboard(p, type) : 1;
}

void sense_tramp(CSOUND* cs, void* user) {
  auto* fn = static_cast<HostCallbacks::SenseFn*>(user);
  if (fn && *fn) (*fn)(cs);
}
}  // namespace

int HostCallbacks::dispatch_keyboard(void* p, unsigned type) {
  auto list = kbd_.load(std::memory_order_acquire);
  if (!list) return 1;
  for (auto it = list->rbegin(); it != list->rend(); ++it) {
    if (it->type != 0 && !(it->type & type)) continue;
    return (*it->fn)(p, type);
  }
  return 1;
}

int HostCallbacks::add_keyboard(KeyboardFn fn, unsigned type, int* token_out) {
  CSOUND* cs = native();
  std::lock_guard<std::mutex> lock(kbd_mutex_);
  auto old = kbd_.load();
  auto next = std::make_shared<std::vector<Kbd>>(old ? *old : std::vector<Kbd>{});
  int token = next_token_++;
  if (token_out) *token_out = token;
  next->push_back({token, type, std::make_shared<const KeyboardFn>(std::move(fn))});
  kbd_.store(next, std::memory_order_release);
  if (!old || old->empty())
    return csoundRegisterKeyboardCallback(cs, &keyboard_tramp, this, CSOUND_CALLBACK_KBD_EVENT | CSOUND_CALLBACK_KBD_TEXT);
  return CSOUND_SUCCESS;
}

void HostCallbacks::remove_keyboard(int token) {
  CSOUND* cs = native();
  std::lock_guard<std::mutex> lock(kbd_mutex_);
  auto old = kbd_.load();
  if (!old) return;
  auto next = std::make_shared<std::vector<Kbd>>(*old);
  std::erase_if(*next, [token](const Kbd& k) { return k.token == token; });
  kbd_.store(next, std::memory_order_release);
  if (next->empty()) csoundRemoveKeyboardCallback(cs, &keyboard_tramp);
}

int HostCallbacks::add_sense_event(SenseFn fn) {
  CSOUND* cs = native();
  std::lock_guard<std::mutex> lock(kbd_mutex_);
  sense_.push_back(std::make_unique<SenseFn>(std::move(fn)));
  return csoundRegisterSenseEventCallback(cs, &sense_tramp, sense_.back().get());
}

}  // namespace csoundpp
