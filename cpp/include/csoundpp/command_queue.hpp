// CommandQueue: the bounded, preallocated queue that carries commands from any
// number of caller threads to the one performance thread.
//
// - A Command is a 56-byte POD (fits one 64-byte ring slot with its sequence
//   number) held in an MpmcRing allocated once in the constructor.
// - Variable-length data (long p-field lists, message text, callables, parsed
//   orchestras) travels as a Payload* the producer allocated. The consumer
//   only reads it and hands it back with retire(), a lock-free push into a
//   second ring; it is deleted later by collect() on a non-real-time thread
//   (every push collects first, join/destruction collect the rest). So the
//   consumer never allocates and never frees.
// - At most capacity() payloads are alive at once, so the retire ring can
//   never overflow; a producer that would exceed that gets Full, like a full
//   command ring.
// - close() makes every later push fail with Closed and waits for pushes in
//   flight, so after close() + drain nothing can slip in unseen: a caller
//   either gets Closed or its command is seen by the final drain.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <type_traits>

#include "csoundpp/mpmc_ring.hpp"

namespace csoundpp {

// Owned data attached to a command. Deleted only by collect()/~CommandQueue.
struct Payload {
  virtual ~Payload() = default;
};

struct Command {
  static constexpr std::size_t kInline = 5;  // p-fields carried without a payload
  std::uint8_t op = 0;      // meaning defined by the user of the queue
  char type = 0;            // score event type ('i', 'f', 'e', ...)
  std::uint8_t flags = 0;   // e.g. absolute time
  std::uint8_t reserved = 0;
  std::uint32_t count = 0;  // number of p-fields (inline or in the payload)
  Payload* payload = nullptr;
  double args[kInline] = {0, 0, 0, 0, 0};
};
static_assert(std::is_trivially_copyable_v<Command>);
static_assert(sizeof(Command) == 56, "a Command and its ring sequence number fill one cache line");

class CommandQueue {
 public:
  enum class PushResult { Ok, Full, Closed };

  explicit CommandQueue(std::size_t capacity)
      : commands_(capacity), retired_(2 * capacity), payload_limit_(commands_.capacity()) {}

  ~CommandQueue() {
    Command c;
    while (commands_.try_pop(c)) delete c.payload;
    collect();
  }

  CommandQueue(const CommandQueue&) = delete;
  CommandQueue& operator=(const CommandQueue&) = delete;

  std::size_t capacity() const noexcept { return commands_.capacity(); }
  std::size_t size_approx() const noexcept { return commands_.size_approx(); }
  std::size_t payloads_alive() const noexcept { return live_.load(std::memory_order_acquire); }

  // Producer side (any thread, not real-time: it may delete retired payloads).
  // On Ok the queue owns `payload` (and cmd.payload is set to it); otherwise
  // the caller keeps it.
  PushResult push(Command cmd, std::unique_ptr<Payload>& payload) noexcept {
    collect();
    if (payload) {
      if (live_.fetch_add(1, std::memory_order_acq_rel) >= payload_limit_) {
        live_.fetch_sub(1, std::memory_order_acq_rel);
        return closed() ? PushResult::Closed : PushResult::Full;
      }
      cmd.payload = payload.get();
    } else {
      cmd.payload = nullptr;
    }
    inflight_.fetch_add(1, std::memory_order_seq_cst);
    PushResult r;
    if (closed_.load(std::memory_order_seq_cst)) {
      r = PushResult::Closed;
    } else {
      r = commands_.try_push(cmd) ? PushResult::Ok : PushResult::Full;
    }
    inflight_.fetch_sub(1, std::memory_order_seq_cst);
    if (r == PushResult::Ok) {
      payload.release();
      pushed_.fetch_add(1, std::memory_order_relaxed);
    } else if (cmd.payload) {
      live_.fetch_sub(1, std::memory_order_acq_rel);
    }
    return r;
  }
  PushResult push(const Command& cmd) noexcept {
    std::unique_ptr<Payload> none;
    return push(cmd, none);
  }

  // Consumer side: real-time safe (no allocation, no lock, no free).
  bool pop(Command& out) noexcept { return commands_.try_pop(out); }
  // The consumer is done with a payload. Never deletes it here.
  void retire(Payload* p) noexcept {
    if (!p) return;
    if (!retired_.try_push(p)) {
      // Cannot happen (at most capacity payloads live); leak rather than free here.
      leaked_.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Deletes retired payloads. Any non-real-time thread. Returns how many.
  // One collector at a time (others return at once): with a single popper and
  // a retire ring twice the payload limit, the slot retire() needs is never
  // held by a pop still in progress, so retire() cannot fail.
  std::size_t collect() noexcept {
    if (collecting_.exchange(true, std::memory_order_acquire)) return 0;
    std::size_t n = 0;
    Payload* p = nullptr;
    while (retired_.try_pop(p)) {
      delete p;
      live_.fetch_sub(1, std::memory_order_acq_rel);
      ++n;
    }
    collecting_.store(false, std::memory_order_release);
    return n;
  }

  // After close() every push returns Closed. Waits (briefly: a push is a few
  // atomic operations) for pushes that passed the check, so a drain after
  // close() sees every command that was accepted.
  void close() noexcept {
    closed_.store(true, std::memory_order_seq_cst);
    while (inflight_.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
  }
  bool closed() const noexcept { return closed_.load(std::memory_order_seq_cst); }

  std::uint64_t pushed() const noexcept { return pushed_.load(std::memory_order_relaxed); }
  std::uint64_t leaked() const noexcept { return leaked_.load(std::memory_order_relaxed); }

 private:
  MpmcRing<Command> commands_;
  MpmcRing<Payload*> retired_;
  std::atomic<bool> collecting_{false};
  const std::size_t payload_limit_;
  std::atomic<std::size_t> live_{0};
  std::atomic<std::uint32_t> inflight_{0};
  std::atomic<bool> closed_{false};
  std::atomic<std::uint64_t> pushed_{0};
  std::atomic<std::uint64_t> leaked_{0};
};

}  // namespace csoundpp
