// Bounded multi-producer / multi-consumer ring of trivially copyable slots.
//
// Real-time contract: all memory is allocated in the constructor; try_push and
// try_pop never allocate, never lock and never block. Each slot carries a
// sequence number (the classic bounded MPMC design), so producers on many
// threads and a consumer on the audio thread can use it at once.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace csoundpp {

inline constexpr std::size_t kCacheLine = 64;

template <typename T>
class MpmcRing {
  static_assert(std::is_trivially_copyable_v<T>, "ring slots must be trivially copyable");

 public:
  explicit MpmcRing(std::size_t capacity) {
    if (capacity < 2) capacity = 2;
    std::size_t cap = 1;
    while (cap < capacity) cap <<= 1;  // power of two: index with a mask
    mask_ = cap - 1;
    slots_ = std::make_unique<Slot[]>(cap);
    for (std::size_t i = 0; i < cap; ++i) slots_[i].seq.store(i, std::memory_order_relaxed);
  }
  MpmcRing(const MpmcRing&) = delete;
  MpmcRing& operator=(const MpmcRing&) = delete;

  std::size_t capacity() const noexcept { return mask_ + 1; }

  // Returns false when the ring is full (the caller decides what that means).
  bool try_push(const T& value) noexcept {
    std::size_t pos = tail_.load(std::memory_order_relaxed);
    for (;;) {
      Slot& s = slots_[pos & mask_];
      std::size_t seq = s.seq.load(std::memory_order_acquire);
      auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos);
      if (diff == 0) {
        if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          s.value = value;
          s.seq.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        return false;
      } else {
        pos = tail_.load(std::memory_order_relaxed);
      }
    }
  }

  bool try_pop(T& out) noexcept {
    std::size_t pos = head_.load(std::memory_order_relaxed);
    for (;;) {
      Slot& s = slots_[pos & mask_];
      std::size_t seq = s.seq.load(std::memory_order_acquire);
      auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos + 1);
      if (diff == 0) {
        if (head_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          out = s.value;
          s.seq.store(pos + mask_ + 1, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        return false;
      } else {
        pos = head_.load(std::memory_order_relaxed);
      }
    }
  }

  // Approximate number of queued items (exact when no push/pop is in flight).
  std::size_t size_approx() const noexcept {
    std::size_t t = tail_.load(std::memory_order_acquire);
    std::size_t h = head_.load(std::memory_order_acquire);
    return t >= h ? t - h : 0;
  }

 private:
  struct alignas(kCacheLine) Slot {
    std::atomic<std::size_t> seq{0};
    T value{};
  };
  std::unique_ptr<Slot[]> slots_;
  std::size_t mask_ = 0;
  alignas(kCacheLine) std::atomic<std::size_t> tail_{0};
  alignas(kCacheLine) std::atomic<std::size_t> head_{0};
};

}  // namespace csoundpp
