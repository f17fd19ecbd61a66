// csoundpp::HostMidi: host-implemented MIDI I/O through two byte rings.
//
// attach(cs) makes Csound read its real-time MIDI input from a ring the host
// fills with push() (any thread), and write its MIDI output (midiout, ...)
// into a ring the host drains with pop(). Csound's side never blocks and
// never allocates: a full output ring drops bytes (counted by dropped()).
// Producers of push() serialise among themselves with a mutex; the audio
// thread only reads atomics.
#pragma once

#include <csound/csound.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace csoundpp {

// Single-consumer byte ring; producers are serialised by the owner.
class ByteRing {
 public:
  explicit ByteRing(std::size_t capacity);
  std::size_t capacity() const noexcept { return cap_; }
  std::size_t push(const std::uint8_t* data, std::size_t n) noexcept;  // returns bytes written
  std::size_t pop(std::uint8_t* out, std::size_t n) noexcept;          // returns bytes read
  std::size_t size() const noexcept;
  void clear() noexcept;

 private:
  std::vector<std::uint8_t> buf_;
  std::size_t cap_;
  std::atomic<std::size_t> head_{0};  // next read (consumer)
  std::atomic<std::size_t> tail_{0};  // next write (producer)
};

class HostMidi {
 public:
  // Each ring holds `capacity` bytes: 1 .. kMaxCapacity, std::invalid_argument otherwise
  // (checked before anything is allocated).
  static constexpr std::size_t kMaxCapacity = std::size_t{1} << 24;
  explicit HostMidi(std::size_t capacity = 1 << 16);
  std::size_t capacity() const noexcept { return in_.capacity(); }
  ~HostMidi();
  HostMidi(const HostMidi&) = delete;
  HostMidi& operator=(const HostMidi&) = delete;

  // Installs the ring callbacks on cs (csoundSetHostImplementedMIDIIO(1) and the
  // external MIDI in/out callbacks). Call before compiling (-M0/-Q0 are set
  // so the callbacks are opened). Throws CsoundError when cs is null.
  void attach(CSOUND* cs);
  void detach() noexcept;
  CSOUND* attached() const noexcept { return cs_.load(); }

  // Host -> Csound. Whole messages only: returns false (nothing written) when
  // the ring lacks room for all n bytes. Any thread.
  bool push(const std::uint8_t* data, std::size_t n);
  // Csound -> host: copies up to n bytes, returns the count. Any thread.
  std::size_t pop(std::uint8_t* out, std::size_t n);
  std::size_t pending_output() const noexcept { return out_.size(); }
  std::size_t pending_input() const noexcept { return in_.size(); }
  std::uint64_t dropped() const noexcept { return dropped_.load(); }
  bool input_open() const noexcept { return in_open_.load(); }
  bool output_open() const noexcept { return out_open_.load(); }

  // The HostMidi attached to cs (nullptr if none).
  static HostMidi* find(CSOUND* cs) noexcept;

  // The C callbacks (public so bindings can mix them with their own).
  static int in_open(CSOUND* cs, void** user, const char* dev);
  static int read(CSOUND* cs, void* user, unsigned char* buf, int nbytes);
  static int in_close(CSOUND* cs, void* user);
  static int out_open(CSOUND* cs, void** user, const char* dev);
  static int write(CSOUND* cs, void* user, const unsigned char* buf, int nbytes);
  static int out_close(CSOUND* cs, void* user);

 private:
  ByteRing in_, out_;
  std::mutex push_mutex_, pop_mutex_;
  std::atomic<CSOUND*> cs_{nullptr};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<bool> in_open_{false}, out_open_{false};
};

}  // namespace csoundpp
