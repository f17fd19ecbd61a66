// csoundpp::BlockProcessor: drives one Csound from a host's audio callback
// (plugin hosts, JACK clients, game engines), block by block.
//
// The host calls process() with blocks of any size; the processor turns them
// into Csound k-cycles through host-implemented audio (spin/spout).
//
// Latency. A k-cycle can only run once its ksmps input frames have arrived.
// While every block is a multiple of ksmps (and the stream is aligned, as it is
// from the start) each block is rendered in place: latency() == 0. The first
// block that is not a multiple of ksmps switches the processor, once, to a
// latency of ksmps - 1 frames (that many frames of silence are inserted), the
// minimum that lets any block size through. Hosts whose block size varies set
// Config::variable_blocks so the latency is ksmps - 1 from the first block and
// never changes mid-stream.
//
// Channel mapping (host channels H, Csound channels C = nchnls or nchnls_i):
//   H == C            channel k -> channel k
//   C == 1, H > 1     Csound mono is copied to every host output; every host
//                     input is averaged into the Csound mono input
//   H == 1, C > 1     the host mono input is copied to every Csound input;
//                     the Csound outputs are averaged into the host mono output
//   otherwise         channel k -> channel k for k < min(H, C); extra host
//                     outputs are silent, extra Csound inputs get silence,
//                     extra Csound outputs and host inputs are dropped.
// Samples are scaled by 0dbfs: host full scale (+-1.0) is Csound's 0dbfs.
//
// Events and MIDI carry a frame offset into the next process() block. Score
// events are dispatched before the k-cycle that contains their frame, with p2
// advanced by the offset inside that cycle: with Config::sample_accurate
// (--sample-accurate) the note starts on that very frame; otherwise on the
// k-cycle boundary. MIDI input is delivered through host-implemented MIDI I/O
// in the k-cycle that contains its frame (Csound 6 starts MIDI-activated
// notes on k-cycle boundaries). MIDI output is collected with the frame (in
// the output timeline, latency included) of the k-cycle that produced it.
//
// Real-time contract of process(): no allocation, no lock another thread can
// hold, no system call, no Python, by this class. libcsound itself allocates
// when it creates a new instrument instance or schedules a score event, and
// takes its own API lock (uncontended unless other threads use the synchronous
// Csound API at the same time).
//
// Threads: process() from one audio thread at a time. schedule_event(),
// send_midi(), ControlHandle::set() and StringHandle::set() from any thread
// (lock-free). pop_midi_out() from one thread at a time. Everything else
// (construction, start, handles, release) from a non-real-time thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "csoundpp/csound.hpp"
#include "csoundpp/mpmc_ring.hpp"

namespace csoundpp {

// A control channel resolved once; set()/get() are single atomic 8-byte
// accesses, safe from any thread (GUI -> audio and back).
class ControlHandle {
 public:
  ControlHandle() = default;
  void set(double v) const noexcept { std::atomic_ref<double>(*p_).store(v, std::memory_order_relaxed); }
  double get() const noexcept { return std::atomic_ref<double>(*p_).load(std::memory_order_relaxed); }
  bool valid() const noexcept { return p_ != nullptr; }
  const std::string& name() const noexcept { return name_; }

 private:
  friend class BlockProcessor;
  double* p_ = nullptr;
  std::shared_ptr<Engine> engine_;  // keeps the channel memory alive
  std::string name_;
};

// A string channel fed from other threads: set() writes into a lock-free
// triple buffer of fixed capacity; the audio thread copies the newest value
// into Csound's channel (preallocated to that capacity) before the next
// k-cycle, so neither side allocates or waits for the other.
class StringHandle {
 public:
  // Longer values are rejected by set() (returns false). Any thread;
  // concurrent writers are serialised among themselves only.
  bool set(const std::string& value);
  std::size_t capacity() const noexcept { return capacity_; }
  const std::string& name() const noexcept { return name_; }

 private:
  friend class BlockProcessor;
  bool publish_to(char* dest, int dest_size) noexcept;  // audio thread
  std::string name_;
  std::size_t capacity_ = 0;           // bytes, without the terminating NUL
  std::unique_ptr<char[]> slots_;      // 3 * (capacity_ + 1)
  std::atomic<unsigned> middle_{1};    // slot index | kDirty
  unsigned back_ = 0, front_ = 2;
  std::mutex writers_;                 // writers only; never taken by process()
  void* dat_ = nullptr;                // Csound's STRINGDAT of the channel
  int* lock_ = nullptr;                // the channel's spin lock
  std::shared_ptr<Engine> engine_;
  static constexpr unsigned kDirty = 4;
};

struct MidiMessage {
  std::int64_t frame = 0;  // send_midi: offset in the next block; pop_midi_out: absolute output frame
  std::uint8_t size = 0;   // 1..3
  std::uint8_t bytes[3] = {0, 0, 0};
};

class BlockProcessor {
 public:
  enum class Layout { Planar, Interleaved };
  enum class Format { Float32, Float64 };
  enum class Status { Ok, Finished, NotReady };

  struct Config {
    int host_inputs = 0;         // channels the host passes in (0: no input)
    int host_outputs = 2;        // channels the host expects out
    bool variable_blocks = false;  // latency ksmps-1 from the start (see above)
    bool sample_accurate = true;   // adds --sample-accurate
    bool midi_in = true;           // host MIDI input (-M0 through host-implemented MIDI)
    bool midi_out = true;          // collect Csound's MIDI output (-Q0)
    std::size_t event_capacity = 1024;
    std::size_t midi_capacity = 1024;
  };

  static constexpr std::size_t kMaxPFields = 12;  // numeric p-fields per scheduled event
  static constexpr int kMaxChannels = 64;

  // Installs host-implemented audio (and MIDI) on cs. cs must not have been
  // started yet (compile after this, then call start()). Throws StateError
  // otherwise.
  BlockProcessor(std::shared_ptr<Csound> cs, Config config);
  explicit BlockProcessor(std::shared_ptr<Csound> cs) : BlockProcessor(std::move(cs), Config{}) {}
  ~BlockProcessor();
  BlockProcessor(const BlockProcessor&) = delete;
  BlockProcessor& operator=(const BlockProcessor&) = delete;

  // Starts Csound if the orchestra is compiled but not started, then prepares
  // the buffers. While prepared the Csound is marked busy: perform/reset/
  // destroy from elsewhere raise StateError until release(). Not real-time.
  void start();
  // Stops using the Csound (clears the busy mark). process() then returns NotReady.
  void release() noexcept;
  bool prepared() const noexcept { return prepared_.load(std::memory_order_acquire); }

  // --- the audio callback (real-time safe, see the header comment)
  // Planar: one pointer per host channel (host_inputs / host_outputs of them).
  Status process(const float* const* in, float* const* out, std::size_t nframes) noexcept;
  Status process(const double* const* in, double* const* out, std::size_t nframes) noexcept;
  // Interleaved: frame-major, host_inputs / host_outputs samples per frame.
  Status process_interleaved(const float* in, float* out, std::size_t nframes) noexcept;
  Status process_interleaved(const double* in, double* out, std::size_t nframes) noexcept;

  // --- from any thread. frame_offset: frames into the next process() block.
  // Returns false when the ring is full or the event is invalid (nothing queued).
  bool schedule_event(std::int64_t frame_offset, char type, const double* pfields, std::size_t n) noexcept;
  bool send_midi(std::int64_t frame_offset, const std::uint8_t* bytes, std::size_t n) noexcept;
  // MIDI written by Csound's MIDI output opcodes; false when none is waiting.
  bool pop_midi_out(MidiMessage& out) noexcept;

  // --- pre-resolved channels (non-real-time; the Csound must be started)
  ControlHandle control_handle(const std::string& name);
  std::shared_ptr<StringHandle> string_handle(const std::string& name, std::size_t capacity = 255);

  // --- state
  std::size_t latency() const noexcept { return latency_.load(std::memory_order_relaxed); }
  std::int64_t frames_processed() const noexcept { return frames_.load(std::memory_order_relaxed); }
  bool finished() const noexcept { return finished_.load(std::memory_order_relaxed); }
  int ksmps() const noexcept { return ksmps_; }
  int nchnls() const noexcept { return nchnls_; }
  int nchnls_i() const noexcept { return nchnls_i_; }
  double sample_rate() const noexcept { return sr_; }
  const Config& config() const noexcept { return config_; }
  Csound& csound() const noexcept { return *cs_; }
  std::shared_ptr<Csound> csound_ptr() const noexcept { return cs_; }
  // Events that arrived after their frame had been rendered (dispatched at once).
  std::uint64_t late_events() const noexcept { return late_.load(std::memory_order_relaxed); }
  std::uint64_t dropped_midi_out() const noexcept { return dropped_midi_out_.load(std::memory_order_relaxed); }

 private:
  struct Event {
    std::int64_t frame;
    char type;
    std::uint8_t n;
    double p[kMaxPFields];
  };
  template <typename Acc>
  Status run(const Acc& acc, std::size_t nframes) noexcept;
  template <typename Acc>
  void read_input(const Acc& acc, std::size_t pos, std::size_t n) noexcept;
  template <typename Acc>
  void write_output(const Acc& acc, std::size_t pos, std::size_t n) noexcept;
  bool perform_cycle() noexcept;  // events, strings, csoundPerformKsmps; false when nothing was rendered
  void render_cycle() noexcept;   // perform_cycle() + append the block to the output fifo
  template <typename Acc>
  void write_cycle(const Acc& acc, std::size_t pos, bool rendered) noexcept;
  void dispatch_until(std::int64_t end) noexcept;
  void drain_rings(std::int64_t block_start) noexcept;

  static int midi_in_open(CSOUND*, void** user, const char*);
  static int midi_read(CSOUND*, void* user, unsigned char* buf, int nbytes);
  static int midi_out_open(CSOUND*, void** user, const char*);
  static int midi_write(CSOUND*, void* user, const unsigned char* buf, int nbytes);
  static int midi_close(CSOUND*, void*);

  std::shared_ptr<Csound> cs_;
  std::shared_ptr<Engine> engine_;
  Config config_;
  CSOUND* raw_ = nullptr;
  std::uint64_t generation_ = 0;
  std::atomic<bool> prepared_{false};

  int ksmps_ = 0, nchnls_ = 0, nchnls_i_ = 0;
  double sr_ = 0, zdbfs_ = 1;
  double* spin_ = nullptr;
  const double* spout_ = nullptr;

  // rendered output waiting for the host, already scaled to host full scale:
  // planar, channel c at out_fifo_[c * out_cap_ ...], so the copy to the host
  // is one contiguous (vectorized) loop per channel
  std::vector<double> out_fifo_;
  std::size_t out_cap_ = 0, out_read_ = 0, out_count_ = 0;
  std::size_t in_fill_ = 0;     // input frames already in spin for the next cycle
  std::int64_t cycle_start_ = 0;  // Csound frame of the next k-cycle
  std::atomic<std::size_t> latency_{0};
  std::atomic<std::int64_t> frames_{0};
  std::atomic<bool> finished_{false};
  std::atomic<std::uint64_t> late_{0};
  std::atomic<std::uint64_t> dropped_midi_out_{0};

  MpmcRing<Event> event_ring_;
  MpmcRing<MidiMessage> midi_ring_;
  MpmcRing<MidiMessage> midi_out_ring_;
  std::vector<Event> pending_events_;        // reserved; sorted by frame
  std::vector<MidiMessage> pending_midi_;    // reserved; sorted by frame
  std::int64_t midi_deliver_end_ = 0;        // MIDI with frame < this goes into the current cycle

  // String handles: appended (never removed) by string_handle(); process()
  // reads the first string_count_ entries.
  static constexpr std::size_t kMaxStringHandles = 64;
  std::mutex strings_mutex_;  // string_handle() callers only
  std::shared_ptr<StringHandle> strings_[kMaxStringHandles];
  std::atomic<std::size_t> string_count_{0};
};

const char* to_string(BlockProcessor::Status s) noexcept;

}  // namespace csoundpp
