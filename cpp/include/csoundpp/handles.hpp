// Checked owners of libcsound's opaque handles: orchestra trees, circular buffers,
// channel/standalone spin locks, threads, thread locks (monitors), mutexes, barriers.
//
// Memory Csound allocates for one engine generation (trees, circular buffers, channel
// locks) is bound to it: using it after reset()/destroy() of its Csound throws
// StateError instead of touching freed memory. Destroyed handles throw StateError.
#pragma once

#include <csound/csound.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "csoundpp/csound.hpp"

namespace csoundpp {

// Memory of one engine generation of a Csound.
class EngineBound {
 public:
  EngineBound() = default;
  explicit EngineBound(const std::shared_ptr<Csound>& owner);
  // The owner's CSOUND*; StateError when the owner was reset or destroyed since.
  CSOUND* check(const char* what) const;
  bool bound() const noexcept { return static_cast<bool>(engine_); }

 protected:
  std::weak_ptr<Csound> owner_;
  std::shared_ptr<Engine> engine_;
  std::uint64_t generation_ = 0;
};

// A parsed orchestra (csoundParseOrc). Freed with the object unless compiled or deleted.
class OrcTree {
 public:
  OrcTree(std::weak_ptr<Engine> engine, TREE* tree) noexcept : engine_(std::move(engine)), tree_(tree) {}
  ~OrcTree() { release(); }
  OrcTree(const OrcTree&) = delete;
  OrcTree& operator=(const OrcTree&) = delete;
  TREE* get() const noexcept { return tree_; }
  // The engine that parsed it, if still alive.
  std::shared_ptr<Engine> engine() const noexcept { return engine_.lock(); }
  void release() noexcept;  // csoundDeleteTree now (idempotent)

 private:
  std::weak_ptr<Engine> engine_;
  TREE* tree_;
};

// csoundCreateCircularBuffer: lock-free, one reader and one writer; elements of elemsize bytes.
class CircularBuffer : public EngineBound {
 public:
  CircularBuffer() = default;
  // Largest buffer (numelem * elemsize): libcsound sizes and indexes it in an int.
  static constexpr long long kMaxBytes = 1LL << 28;
  // numelem > 0; elemsize 0 means sizeof(MYFLT); numelem * elemsize <= kMaxBytes;
  // std::invalid_argument otherwise.
  CircularBuffer(const std::shared_ptr<Csound>& owner, int numelem, int elemsize);
  int numelem() const noexcept { return numelem_; }
  int elemsize() const noexcept { return elemsize_; }
  bool destroyed() const noexcept { return ptr_ == nullptr; }
  // Elements moved/copied/written (at most items); `via` must be the owner (std::invalid_argument).
  int read(const Csound& via, void* out, int items);
  int peek(const Csound& via, void* out, int items);
  int write(const Csound& via, const void* in, int items);
  void flush(const Csound& via);
  void destroy(const Csound& via);  // idempotent

 private:
  void* live(const Csound& via, const char* what) const;
  void* ptr_ = nullptr;
  int numelem_ = 0;
  int elemsize_ = 0;
};

// A spin lock: a channel's (Csound::channel_lock) or a standalone one.
class SpinLock : public EngineBound {
 public:
  static SpinLock standalone();
  static std::optional<SpinLock> of_channel(const std::shared_ptr<Csound>& owner, const std::string& name);
  spin_lock_t* get() const;  // StateError for a channel lock whose instance was reset/destroyed
  // The operations on any spin_lock_t (also one the host owns, e.g. through ctypes).
  static int init(spin_lock_t* lock);
  static void lock(spin_lock_t* lock);
  static int try_lock(spin_lock_t* lock);  // CSOUND_SUCCESS when taken
  static void unlock(spin_lock_t* lock);

 private:
  int* ptr_ = nullptr;
  std::shared_ptr<spin_lock_t> own_;
};

// A thread of csoundCreateThread running a std::function (destroyed on that thread).
class Thread {
 public:
  using Routine = std::function<std::uintptr_t()>;
  static std::optional<Thread> start(Routine fn);  // nullopt when the thread cannot be created
  std::uintptr_t join();  // waits; later calls return the same result
  bool joined() const noexcept { return joined_; }
  static std::uintptr_t current_id();  // the calling thread's id
  static void sleep_ms(std::size_t ms);

 private:
  void* thread_ = nullptr;
  bool joined_ = false;
  std::uintptr_t result_ = 0;
};

// csoundCreateThreadLock: a monitor, initially notified. Explicitly destroyed (copies share it).
class ThreadLock {
 public:
  static std::optional<ThreadLock> create();
  int wait(std::size_t ms);  // 0 when notified, non-zero on timeout
  void notify();
  void destroy() noexcept;   // idempotent
 private:
  void* get() const;
  void* lock_ = nullptr;
};

class Mutex {
 public:
  static std::optional<Mutex> create(bool recursive);
  void lock();
  int try_lock();  // 0 when acquired
  void unlock();
  void destroy() noexcept;
  bool recursive() const noexcept { return recursive_; }

 private:
  void* get() const;
  void* mutex_ = nullptr;
  bool recursive_ = false;
};

class Barrier {
 public:
  static std::optional<Barrier> create(unsigned count);  // count >= 1
  int wait();
  int destroy() noexcept;  // 0 when already destroyed
 private:
  void* get() const;
  void* barrier_ = nullptr;
};

}  // namespace csoundpp
