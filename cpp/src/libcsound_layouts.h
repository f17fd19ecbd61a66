// Every private libcsound layout csoundpp relies on, in one place. These come from
// csoundCore.h (not a header for hosts) of Csound 6.18 and are checked by the tests
// (string channels, namedGens). A Csound 7 backend starts here.
#pragma once

#include <cstddef>

namespace csoundpp::layouts {

// The payload of a string channel (csoundCore.h's STRINGDAT) differs between Csound 6 and 7:
// it is capi::StringDat in capi.hpp, with the other version differences.

// One entry of the list csoundGetNamedGens returns (csoundCore.h's NAMEDGEN).
struct NamedGen {
  char* name;
  int genum;
  NamedGen* next;
};

// Private fields of the CSOUND struct of libcsound 6.18.1, double precision (Debian's
// libcsound64), as offsets: csoundCore.h only declares them when building libcsound itself.
// Computed with offsetof from the 6.18.1 tag's csoundCore.h (H/ and include/, USE_DOUBLE,
// PARCS). worker_threads.cpp uses them only when an instance's `oparms` pointer is found at
// kOparmsPointer pointing at kOparmsStorage (the layout proves itself).
namespace cs618 {
constexpr std::size_t kOparmsPointer = 12232;  // OPARMS* oparms
constexpr std::size_t kOparmsStorage = 62816;  // OPARMS oparms_
constexpr std::size_t kComplete = 79224;       // int multiThreadedComplete
constexpr std::size_t kThreadInfo = 79232;     // THREADINFO* multiThreadedThreadInfo
constexpr std::size_t kBarrier1 = 79248;       // void* barrier1
// csoundCore.h's THREADINFO: one -j N worker thread.
struct ThreadInfo {
  ThreadInfo* next;
  void* thread_id;
};
}  // namespace cs618

}  // namespace csoundpp::layouts
