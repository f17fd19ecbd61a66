// Recorder: writes what the performance thread renders to a sound file.
//
// The performance thread calls write() after each k-cycle; it copies the
// block, scaled by 1/0dBFS (Csound's own buffer is never modified), into a
// preallocated single-producer/single-consumer ring of doubles. A writer
// thread drains the ring into libsndfile.
//
// Two modes:
// - lossless (Csound renders faster or slower than real time, no audio
//   device): when the ring is full, write() waits for the writer, so every
//   sample reaches the file;
// - real time: write() never waits; a block that does not fit is dropped and
//   counted in overruns(). Nothing is printed from the audio thread.
//
// finish() (idempotent, thread-safe, not for the audio thread) drains the
// ring, closes the file (libsndfile writes the final header) and joins the
// writer. The destructor calls it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "csoundpp/wait_word.hpp"

namespace csoundpp {

class Recorder {
 public:
  struct Spec {
    std::string path;
    int samplebits = 16;   // 16, 24 (PCM) or 32 (float); ignored for ogg
    int numbufs = 4;       // ring size in blocks of block_frames
    double sr = 48000;
    int nchnls = 1;
    int block_frames = 32;  // ksmps
    double zero_dbfs = 1.0;
    bool lossless = true;
  };

  // Opens the file (format from the extension: wav, aif/aiff, flac, ogg) and
  // starts the writer. Throws std::invalid_argument for a bad extension or
  // sample size and CsoundError when libsndfile cannot open the file.
  explicit Recorder(const Spec& spec);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Audio thread. `frames` interleaved frames of nchnls channels.
  void write(const double* spout, std::size_t frames) noexcept;

  // Drains, closes and joins. Idempotent; any thread except the one calling write().
  void finish();
  bool finished() const noexcept { return finished_.load(std::memory_order_acquire); }

  const Spec& spec() const noexcept { return spec_; }
  std::uint64_t overruns() const noexcept { return overruns_.load(std::memory_order_relaxed); }
  std::uint64_t frames_written() const noexcept { return frames_written_.load(std::memory_order_acquire); }
  std::uint64_t frames_received() const noexcept { return frames_received_.load(std::memory_order_relaxed); }
  // Empty unless libsndfile reported a write or close error.
  std::string error() const;

  // The libsndfile major format for a path, or throws std::invalid_argument.
  static int format_for(const std::string& path, int samplebits);

 private:
  void run();

  Spec spec_;
  void* file_ = nullptr;  // SNDFILE*
  std::unique_ptr<double[]> ring_;
  std::size_t capacity_ = 0;  // samples, power of two
  std::size_t mask_ = 0;
  alignas(64) std::atomic<std::uint64_t> write_pos_{0};  // samples, producer-owned
  alignas(64) std::atomic<std::uint64_t> read_pos_{0};   // samples, writer-owned
  WaitWord data_word_;   // producer -> writer: new data / stop
  WaitWord space_word_;  // writer -> producer: space freed
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  std::atomic<bool> finished_{false};
  std::atomic<std::uint64_t> overruns_{0};
  std::atomic<std::uint64_t> frames_written_{0};
  std::atomic<std::uint64_t> frames_received_{0};
  std::mutex finish_mutex_;
  mutable std::mutex error_mutex_;
  std::string error_;
  std::thread writer_;
};

}  // namespace csoundpp
