// Carries messages and channel output from any thread (including the audio
// thread) to one consumer thread that runs the user's handler.
//
// Producers never block and never allocate: a record goes into a preallocated
// MPMC ring; when the ring is full the record is dropped and counted. The ring
// (capacity x 320 bytes, 1.3 MiB by default) is allocated the first time a
// handler is installed, on the control thread, so an instance that never routes
// messages or channel output pays nothing for it. Before that (and after
// stop()) producers drop records at once. The
// consumer thread wakes on an atomic counter (futex wake, no lock) and hands
// records to the handler in batches, so a slow handler (a Python callback that
// must take the GIL) never stalls the producer.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "csoundpp/mpmc_ring.hpp"

namespace csoundpp {

struct DispatchRecord {
  enum Kind : std::uint8_t { Message = 0, OutControl = 1, OutString = 2 };
  static constexpr std::size_t kTextCap = 246;
  Kind kind = Message;
  std::uint8_t name_len = 0;  // OutControl/OutString: text[0:name_len] is the channel name
  std::uint16_t len = 0;      // bytes used in text
  std::int32_t attr = 0;      // message attribute (CSOUNDMSG_*)
  double value = 0.0;         // OutControl value
  char text[kTextCap];

  std::string_view message() const { return {text, len}; }
  std::string_view name() const { return {text, name_len}; }
  std::string_view payload() const { return {text + name_len, static_cast<std::size_t>(len - name_len)}; }
};

class Dispatcher {
 public:
  using Handler = std::function<void(const DispatchRecord* records, std::size_t count)>;

  // No memory for the ring yet: see set_handler().
  explicit Dispatcher(std::size_t capacity = 4096);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Installs the handler (nullptr: records are discarded) and starts the
  // consumer thread if needed; the first call allocates the ring. Not
  // real-time safe; call from a control thread.
  void set_handler(Handler h);
  // Stops and joins the consumer thread after delivering what is queued. From inside the
  // handler (the consumer thread) it only asks the thread to end after the handler returns;
  // the thread is joined by the next stop()/set_handler() on another thread or the
  // destructor. Destroying the Dispatcher inside its own handler is allowed: the thread then
  // ends without touching it again.
  void stop();

  // Real-time safe producers. Long messages are split into several records.
  // Return false when something had to be dropped (ring full or no consumer).
  bool post_message(int attr, std::string_view text) noexcept;
  bool post_out_control(std::string_view name, double value) noexcept;
  bool post_out_string(std::string_view name, std::string_view value) noexcept;

  // Waits until everything posted before the call was handed to the handler.
  // Returns false on timeout. Must not be called from the consumer thread.
  bool wait_delivered(std::chrono::milliseconds timeout);

  bool running() const noexcept { return running_.load(std::memory_order_acquire); }
  bool on_consumer_thread() const noexcept { return std::this_thread::get_id() == consumer_id_.load(); }
  std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  std::uint64_t delivered() const noexcept { return delivered_.load(std::memory_order_acquire); }
  std::size_t capacity() const noexcept { return capacity_; }
  bool allocated() const noexcept { return ring_ != nullptr; }

 private:
  bool push(const DispatchRecord& r) noexcept;
  void run(std::shared_ptr<std::atomic<bool>> gone);

  const std::size_t capacity_;
  // Created once by set_handler() before running_ is first set (release), and
  // kept until destruction: a producer that saw running_ (acquire) sees it.
  std::unique_ptr<MpmcRing<DispatchRecord>> ring_;
  std::mutex control_mutex_;  // guards handler_/thread_ start-stop, never taken by producers
  // Shared so that the consumer holds the handler it runs: replacing it, or destroying the
  // Dispatcher, from inside the handler never frees the handler while it runs.
  std::shared_ptr<Handler> handler_;
  std::thread thread_;
  std::shared_ptr<std::atomic<bool>> gone_;  // set when the Dispatcher dies on its own thread
  std::atomic<std::thread::id> consumer_id_{};
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint32_t> wake_{0};
  std::atomic<std::uint64_t> posted_{0};
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace csoundpp
