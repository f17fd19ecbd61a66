// Ending libcsound's -j N worker threads before the CSOUND they use is reset or freed.
//
// With numThreads > 1, starting an instance creates numThreads-1 worker threads. Each k-cycle
// the performing thread and the workers meet at two barriers (barrier1: "work is ready",
// barrier2: "work is done"); between k-cycles a worker waits at barrier1. A worker only ever
// leaves when it passes barrier1 and finds the "complete" flag set, which libcsound does in one
// place: csoundPerform() reaching the end of the score. csoundReset and csoundDestroy neither set
// it nor join the workers; they copy the default struct over the instance (barrier1 becomes
// NULL) and csoundDestroy frees it. A worker that has passed barrier2 of the last k-cycle but not
// yet read csound->barrier1 (a preempted thread on a busy machine) then reads the reset or freed
// struct and calls pthread_barrier_wait(NULL): the process dies some time after the destroy.
//
// end_worker_threads() does what the end of a csoundPerform() does, then waits for the threads:
// it sets the flag, meets the workers at barrier1 (so each one leaves), joins every worker and
// forgets them. Callers run it before csoundReset/csoundDestroy, never during a k-cycle, and
// never after an exit jump (a worker may then be stuck at barrier2; such an instance is leaked).
//
// The fields are private to libcsound (csoundCore.h hides them from hosts): their offsets are in
// libcsound_layouts.h, and are used only when the instance proves the layout (see there).
#include "worker_threads.hpp"

#include <csound/version.h>

#include <cstring>

#include "libcsound_layouts.h"

namespace csoundpp::detail {

#if CS_VERSION < 7
namespace {

namespace L = layouts::cs618;

template <typename T>
T& field(CSOUND* cs, std::size_t offset) {
  return *reinterpret_cast<T*>(reinterpret_cast<char*>(cs) + offset);
}

// The instance is laid out as libcsound 6.18.1 (double) is: its `oparms` pointer points at its
// own `oparms_` storage, both where that layout puts them.
bool layout_matches(CSOUND* cs) {
  return field<char*>(cs, L::kOparmsPointer) == reinterpret_cast<char*>(cs) + L::kOparmsStorage;
}
}  // namespace

bool worker_threads_supported(CSOUND* cs) noexcept { return cs && layout_matches(cs); }

void end_worker_threads(CSOUND* cs) noexcept {
  if (!worker_threads_supported(cs)) return;
  auto*& info = field<L::ThreadInfo*>(cs, L::kThreadInfo);
  if (!info) return;  // not started, or started with one thread
  int& complete = field<int>(cs, L::kComplete);
  if (complete != 1) {
    complete = 1;
    void* barrier1 = field<void*>(cs, L::kBarrier1);
    if (barrier1) csoundWaitBarrier(barrier1);  // every worker is (or will be) there
  }
  for (L::ThreadInfo* t = info; t; t = t->next)
    if (t->thread_id) {
      csoundJoinThread(t->thread_id);
      t->thread_id = nullptr;
    }
  // No workers any more: a k-cycle (there should be none) would run single-threaded instead of
  // waiting at a barrier nobody else comes to. The list is libcsound's memory (its reset frees it).
  info = nullptr;
}
#else
// Csound 7 keeps the same scheme, but csoundpp knows no verified layout of its private fields
// yet: nothing is done (README, "Failure modes").
bool worker_threads_supported(CSOUND*) noexcept { return false; }
void end_worker_threads(CSOUND*) noexcept {}
#endif

}  // namespace csoundpp::detail
