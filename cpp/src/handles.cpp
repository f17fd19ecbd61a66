#include "csoundpp/handles.hpp"
#include "csound6_calls.hpp"

#include <pthread.h>

#include <cstdlib>
#include <stdexcept>

namespace csoundpp {

// ---------------------------------------------------------------- EngineBound

EngineBound::EngineBound(const std::shared_ptr<Csound>& owner)
    : owner_(owner), engine_(owner->engine()), generation_(owner->generation()) {}

CSOUND* EngineBound::check(const char* what) const {
  auto cs = owner_.lock();
  if (!cs || cs->destroyed() || cs->generation() != generation_)
    throw StateError(std::string(what) + " belongs to a Csound instance that was reset or destroyed");
  return cs->native();
}

// ---------------------------------------------------------------- OrcTree

void OrcTree::release() noexcept {
  if (!tree_) return;
  if (auto e = engine_.lock()) csoundDeleteTree(e->get(), tree_);
  tree_ = nullptr;
}

// ---------------------------------------------------------------- CircularBuffer

CircularBuffer::CircularBuffer(const std::shared_ptr<Csound>& owner, int numelem, int elemsize) : EngineBound(owner) {
  if (numelem <= 0) throw std::invalid_argument("numelem must be > 0");
  if (elemsize == 0) elemsize = static_cast<int>(sizeof(MYFLT));
  if (elemsize < 0 || elemsize > 4096) throw std::invalid_argument("elemsize must be in 1..4096 bytes");
  // libcsound sizes the buffer as numelem * elemsize in an int (and indexes it the same way):
  // a product past INT_MAX wraps into a short buffer that reads and writes overrun.
  if (static_cast<long long>(numelem) * elemsize > kMaxBytes)
    throw std::invalid_argument("circular buffer of " + std::to_string(numelem) + " x " + std::to_string(elemsize) +
                                " bytes is larger than " + std::to_string(kMaxBytes) + " bytes");
  ptr_ = csoundCreateCircularBuffer(owner->native(), numelem, elemsize);
  if (!ptr_) throw CsoundError("csoundCreateCircularBuffer failed", CSOUND_MEMORY);
  numelem_ = numelem;
  elemsize_ = elemsize;
}

void* CircularBuffer::live(const Csound& via, const char* what) const {
  if (!ptr_) throw StateError(std::string(what) + ": the circular buffer was destroyed");
  CSOUND* c = check("circular buffer");
  if (c != via.native()) throw std::invalid_argument("this circular buffer belongs to another Csound instance");
  return ptr_;
}

int CircularBuffer::read(const Csound& via, void* out, int items) {
  void* p = live(via, "readCircularBuffer");
  return csoundReadCircularBuffer(via.native(), p, out, items);
}

int CircularBuffer::peek(const Csound& via, void* out, int items) {
  void* p = live(via, "peekCircularBuffer");
  return csoundPeekCircularBuffer(via.native(), p, out, items);
}

int CircularBuffer::write(const Csound& via, const void* in, int items) {
  void* p = live(via, "writeCircularBuffer");
  return csoundWriteCircularBuffer(via.native(), p, in, items);
}

void CircularBuffer::flush(const Csound& via) { csoundFlushCircularBuffer(via.native(), live(via, "flushCircularBuffer")); }

void CircularBuffer::destroy(const Csound& via) {
  if (!ptr_) return;
  void* p = live(via, "destroyCircularBuffer");
  csoundDestroyCircularBuffer(via.native(), p);
  ptr_ = nullptr;
}

// ---------------------------------------------------------------- SpinLock

SpinLock SpinLock::standalone() {
  SpinLock s;
  s.own_ = std::make_shared<spin_lock_t>(0);
  return s;
}

std::optional<SpinLock> SpinLock::of_channel(const std::shared_ptr<Csound>& owner, const std::string& name) {
  int* p = owner->channel_lock(name);
  if (!p) return std::nullopt;
  SpinLock s;
  static_cast<EngineBound&>(s) = EngineBound(owner);
  s.ptr_ = p;
  return s;
}

spin_lock_t* SpinLock::get() const {
  if (own_) return own_.get();
  check("channel lock");
  return reinterpret_cast<spin_lock_t*>(ptr_);
}

int SpinLock::init(spin_lock_t* lock) { return csoundSpinLockInit(lock); }
void SpinLock::lock(spin_lock_t* lock) { csoundSpinLock(lock); }
int SpinLock::try_lock(spin_lock_t* lock) { return csoundSpinTryLock(lock); }
void SpinLock::unlock(spin_lock_t* lock) { csoundSpinUnLock(lock); }

// ---------------------------------------------------------------- Thread

std::optional<Thread> Thread::start(Routine fn) {
  auto* job = new Routine(std::move(fn));
  auto routine = [](void* arg) -> uintptr_t {
    std::unique_ptr<Routine> j(static_cast<Routine*>(arg));
    return (*j)();  // the function object (and what it holds) is destroyed on this thread
  };
  void* t = csoundCreateThread(routine, job);
  if (!t) {
    delete job;
    return std::nullopt;
  }
  Thread h;
  h.thread_ = t;
  return h;
}

std::uintptr_t Thread::join() {
  if (joined_) return result_;
  if (!thread_) throw StateError("not a started thread");
  result_ = csoundJoinThread(thread_);
  thread_ = nullptr;
  joined_ = true;
  return result_;
}

std::uintptr_t Thread::current_id() {
  void* p = csoundGetCurrentThreadId();
  if (!p) return 0;
  auto id = reinterpret_cast<std::uintptr_t>(*static_cast<pthread_t*>(p));
  std::free(p);
  return id;
}

void Thread::sleep_ms(std::size_t ms) { csoundSleep(ms); }

// ---------------------------------------------------------------- ThreadLock, Mutex, Barrier

std::optional<ThreadLock> ThreadLock::create() {
  void* l = csoundCreateThreadLock();
  if (!l) return std::nullopt;
  ThreadLock t;
  t.lock_ = l;
  return t;
}

void* ThreadLock::get() const {
  if (!lock_) throw StateError("thread lock was destroyed");
  return lock_;
}

int ThreadLock::wait(std::size_t ms) { return csoundWaitThreadLock(get(), ms); }
void ThreadLock::notify() { csoundNotifyThreadLock(get()); }

void ThreadLock::destroy() noexcept {
  if (!lock_) return;
  csoundDestroyThreadLock(lock_);
  lock_ = nullptr;
}

std::optional<Mutex> Mutex::create(bool recursive) {
  void* m = csoundCreateMutex(recursive ? 1 : 0);
  if (!m) return std::nullopt;
  Mutex out;
  out.mutex_ = m;
  out.recursive_ = recursive;
  return out;
}

void* Mutex::get() const {
  if (!mutex_) throw StateError("mutex was destroyed");
  return mutex_;
}

void Mutex::lock() { csoundLockMutex(get()); }
int Mutex::try_lock() { return csoundLockMutexNoWait(get()); }
void Mutex::unlock() { csoundUnlockMutex(get()); }

void Mutex::destroy() noexcept {
  if (!mutex_) return;
  csoundDestroyMutex(mutex_);
  mutex_ = nullptr;
}

std::optional<Barrier> Barrier::create(unsigned count) {
  if (count == 0) throw std::invalid_argument("max must be >= 1");
  void* b = csoundCreateBarrier(count);
  if (!b) return std::nullopt;
  Barrier out;
  out.barrier_ = b;
  return out;
}

void* Barrier::get() const {
  if (!barrier_) throw StateError("barrier was destroyed");
  return barrier_;
}

int Barrier::wait() { return csoundWaitBarrier(get()); }

int Barrier::destroy() noexcept {
  if (!barrier_) return 0;
  int r = csoundDestroyBarrier(barrier_);
  barrier_ = nullptr;
  return r;
}

}  // namespace csoundpp
