// libcsound's host callbacks as std::function slots: csoundpp::Csound::hooks().
//
// Each slot is installed in libcsound when set and removed when cleared; its function
// runs on the thread Csound calls it from (normally the one that performs or compiles).
// Setting one of these is the host's explicit choice to run its code on that thread.
// Slots may be set and cleared from any thread while Csound runs: the performing thread
// takes a reference to the function for the duration of a call (no lock is held while
// it runs). Arguments are libcsound's own (WINDAT, csRtAudioParams, device lists, ...).
#pragma once

#include <csound/csound.h>
#include <csound/version.h>
#if CS_VERSION >= 7
#include <csound/csound_graph_display.h>
#include <csound/csound_rtaudio.h>
#include <csound/csound_rtmidi.h>
#endif
#include <csound/cwindow.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace csoundpp {

class Csound;
class HostCallbacks;

// One callback slot. set() stores the function and installs (or, for an empty one,
// removes) csoundpp's trampoline in libcsound; StateError once the instance is destroyed.
template <typename Sig>
class Hook {
 public:
  using Fn = std::function<Sig>;
  using Installer = void (*)(CSOUND*, bool on);
  Hook(HostCallbacks& owner, Installer install) noexcept : owner_(owner), install_(install) {}
  void set(Fn fn);
  std::shared_ptr<const Fn> get() const noexcept { return p_.load(std::memory_order_acquire); }
  explicit operator bool() const noexcept { return static_cast<bool>(get()); }

 private:
  HostCallbacks& owner_;
  Installer install_;
  std::atomic<std::shared_ptr<const Fn>> p_;
};

class HostCallbacks {
 public:
  HostCallbacks(const HostCallbacks&) = delete;
  HostCallbacks& operator=(const HostCallbacks&) = delete;

  // Each slot's arguments are those of the libcsound callback it stands for.
  Hook<void(CSOUND*, const char* path, int type, int write, int temp)> file_open;
  Hook<int(CSOUND*)> yield;
  Hook<void(CSOUND*)> cscore;
  Hook<void(CSOUND*, WINDAT*, const char* name)> make_graph;
  Hook<void(CSOUND*, WINDAT*)> draw_graph;
  Hook<void(CSOUND*, WINDAT*)> kill_graph;
  Hook<int(CSOUND*)> exit_graph;
  // The MIDI slots run alongside a HostMidi attached to the instance (its rings keep working).
  Hook<int(CSOUND*, void** user, const char* dev)> midi_in_open;
  Hook<int(CSOUND*, void* user, unsigned char* buf, int nbytes)> midi_read;
  Hook<int(CSOUND*, void* user)> midi_in_close;
  Hook<int(CSOUND*, void** user, const char* dev)> midi_out_open;
  Hook<int(CSOUND*, void* user, const unsigned char* buf, int nbytes)> midi_write;
  Hook<int(CSOUND*, void* user)> midi_out_close;
  Hook<int(CSOUND*, CS_MIDIDEVICE* list, int is_output)> midi_dev_list;
  Hook<int(CSOUND*, CS_AUDIODEVICE* list, int is_output)> audio_dev_list;
  Hook<int(CSOUND*, const csRtAudioParams*)> play_open;
  Hook<void(CSOUND*, const MYFLT* buf, int nbytes)> rt_play;
  Hook<int(CSOUND*, const csRtAudioParams*)> record_open;
  Hook<int(CSOUND*, MYFLT* buf, int nbytes)> rt_record;
  Hook<void(CSOUND*)> rt_close;
  // The MIDI error-string callback gets no CSOUND*: the instance that set it last answers.
  Hook<const char*(int code)> midi_error;

  // Keyboard callbacks (sensekey): asked newest first; the first whose type mask matches
  // answers (its result is sensekey's status; it writes the key through p). Returns the
  // Csound status of the registration; *token identifies it for remove_keyboard().
  using KeyboardFn = std::function<int(void* p, unsigned type)>;
  int add_keyboard(KeyboardFn fn, unsigned type, int* token = nullptr);
  void remove_keyboard(int token);
  // Sense-event callbacks: called once per k-cycle, in registration order, until reset.
  using SenseFn = std::function<void(CSOUND*)>;
  int add_sense_event(SenseFn fn);

  // The answer of the keyboard callbacks to one sensekey request (1: none set).
  int dispatch_keyboard(void* p, unsigned type);
  ~HostCallbacks();

 private:
  friend class Csound;
  template <typename>
  friend class Hook;
  explicit HostCallbacks(Csound& owner);
  CSOUND* native() const;  // the owner's instance (StateError once destroyed)
  Csound& owner_;
  std::mutex kbd_mutex_;  // registrations only (never taken by Csound's threads)
  struct Kbd {
    int token;
    unsigned type;
    std::shared_ptr<const KeyboardFn> fn;
  };
  std::atomic<std::shared_ptr<const std::vector<Kbd>>> kbd_;
  int next_token_ = 1;
  std::vector<std::unique_ptr<SenseFn>> sense_;
};

template <typename Sig>
void Hook<Sig>::set(Fn fn) {
  CSOUND* cs = owner_.native();
  const bool on = static_cast<bool>(fn);
  p_.store(on ? std::make_shared<const Fn>(std::move(fn)) : nullptr, std::memory_order_release);
  install_(cs, on);
}

}  // namespace csoundpp
