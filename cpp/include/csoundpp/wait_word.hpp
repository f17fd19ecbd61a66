// WaitWord: a 32-bit counter other threads can sleep on with a timeout.
//
// The notifying side (possibly the audio thread) only does an atomic
// increment and, when somebody is actually sleeping, one futex wake system
// call: no mutex, no allocation. Waiters re-check their own condition after
// every wake-up, so spurious wake-ups are harmless.
#pragma once

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <thread>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#endif

namespace csoundpp {

class WaitWord {
 public:
  std::uint32_t load() const noexcept { return word_.load(std::memory_order_seq_cst); }

  // Increments the word and wakes every sleeper. Real-time safe (one syscall
  // only when a waiter is sleeping).
  void notify() noexcept {
    word_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) != 0) wake_all();
  }

  // Sleeps while the word still equals `seen`, at most `timeout`. Returns
  // early on notify() (or spuriously). Not real-time safe.
  void wait(std::uint32_t seen, std::chrono::nanoseconds timeout) noexcept {
    if (timeout.count() <= 0) return;
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    if (word_.load(std::memory_order_seq_cst) == seen) {
#if defined(__linux__)
      timespec ts;
      ts.tv_sec = static_cast<time_t>(timeout.count() / 1000000000);
      ts.tv_nsec = static_cast<long>(timeout.count() % 1000000000);
      syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word_), FUTEX_WAIT_PRIVATE, seen, &ts, nullptr, 0);
#else
      // Portable fallback: short sleeps.
      auto step = std::chrono::microseconds(500);
      auto deadline = std::chrono::steady_clock::now() + timeout;
      while (word_.load() == seen && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(step);
#endif
    }
    sleepers_.fetch_sub(1, std::memory_order_seq_cst);
  }

 private:
  void wake_all() noexcept {
#if defined(__linux__)
    syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word_), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
#endif
  }

  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t), "futex needs a plain 32-bit word");
  std::atomic<std::uint32_t> word_{0};
  std::atomic<std::uint32_t> sleepers_{0};
};

// Waits until pred() is true, waking at least every `poll` to call
// interrupt() (which returns true to give up). Returns true when pred()
// became true, false on timeout or interruption (*interrupted tells which).
// timeout < 0 means no limit.
template <typename Pred, typename Interrupt>
bool wait_until(WaitWord& word, Pred pred, std::chrono::nanoseconds timeout, Interrupt&& interrupt,
                bool* interrupted = nullptr, std::chrono::milliseconds poll = std::chrono::milliseconds(50)) {
  using clock = std::chrono::steady_clock;
  const bool forever = timeout.count() < 0;
  const auto deadline = forever ? clock::time_point::max() : clock::now() + timeout;
  auto next_poll = clock::now() + poll;
  if (interrupted) *interrupted = false;
  for (;;) {
    std::uint32_t seen = word.load();
    if (pred()) return true;
    auto now = clock::now();
    if (!forever && now >= deadline) return false;
    if (now >= next_poll) {
      next_poll = now + poll;
      if (interrupt()) {
        if (interrupted) *interrupted = true;
        return false;
      }
    }
    auto until = std::min(deadline, next_poll);
    word.wait(seen, until - now);
  }
}

}  // namespace csoundpp
