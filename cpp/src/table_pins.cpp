// Pinned function-table memory (see table_pins.hpp).
#include "table_pins.hpp"

#include <csound/version.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "csoundpp/csound.hpp"

#if CS_VERSION < 7
#include <dlfcn.h>
// csdl.h is the plugin SDK's entry to csoundCore.h: the CSOUND struct (its Malloc/Free/ReAlloc
// members) and FUNC, for the installed libcsound 6.
#include <csound/csdl.h>
#endif

namespace csoundpp::detail {

#if CS_VERSION < 7
namespace {

using FreeFn = void (*)(CSOUND*, void*);
using ReallocFn = void* (*)(CSOUND*, void*, size_t);

// libcsound's own functions (the same for every instance: csoundCreate copies one table).
std::atomic<FreeFn> g_free{nullptr};
std::atomic<ReallocFn> g_realloc{nullptr};
std::atomic<std::size_t> g_count{0};  // pinned blocks, all instances: the hooks' fast path

struct Pin {
  CSOUND* cs;
  std::size_t bytes;
  int refs;
  bool released;  // libcsound freed (or moved) it: ours to free when the last pin goes
};
std::mutex g_mutex;  // leaf lock: nothing else is taken while it is held
std::unordered_map<void*, Pin>& pins() {
  static auto* m = new std::unordered_map<void*, Pin>();  // never destroyed: hooks may run at exit
  return *m;
}

void hooked_free(CSOUND* cs, void* p) {
  if (p && g_count.load(std::memory_order_acquire) > 0) {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = pins().find(p);
    if (it != pins().end() && it->second.cs == cs && !it->second.released) {
      it->second.released = true;  // a view still points here: freed when it goes
      return;
    }
  }
  g_free.load(std::memory_order_acquire)(cs, p);
}

void* hooked_realloc(CSOUND* cs, void* p, size_t n) {
  if (p && n && g_count.load(std::memory_order_acquire) > 0) {
    void* q = cs->Malloc(cs, n);  // before the lock: it takes libcsound's own lock
    {
      std::lock_guard<std::mutex> lock(g_mutex);
      auto it = pins().find(p);
      if (it != pins().end() && it->second.cs == cs && !it->second.released) {
        std::memcpy(q, p, std::min<std::size_t>(it->second.bytes, n));
        it->second.released = true;
        return q;
      }
    }
    g_free.load(std::memory_order_acquire)(cs, q);
  }
  return g_realloc.load(std::memory_order_acquire)(cs, p, n);
}

bool in_libcsound(const void* fn) {
  Dl_info lib{}, info{};
  return dladdr(reinterpret_cast<void*>(&csoundGetKsmps), &lib) && lib.dli_fbase && fn &&
         dladdr(fn, &info) && info.dli_fbase == lib.dli_fbase;
}

// Routes cs's Free/ReAlloc through the hooks; false when its functions are not libcsound's
// (a layout that does not match the installed csoundCore.h, or someone else's hooks).
bool install_hooks(CSOUND* cs) {
  if (cs->Free == &hooked_free) return cs->ReAlloc == &hooked_realloc;
  FreeFn f = cs->Free;
  ReallocFn r = cs->ReAlloc;
  if (!in_libcsound(reinterpret_cast<const void*>(f)) || !in_libcsound(reinterpret_cast<const void*>(r)) ||
      !in_libcsound(reinterpret_cast<const void*>(cs->Malloc)))
    return false;
  FreeFn expected_f = nullptr;
  if (!g_free.compare_exchange_strong(expected_f, f) && expected_f != f) return false;
  ReallocFn expected_r = nullptr;
  if (!g_realloc.compare_exchange_strong(expected_r, r) && expected_r != r) return false;
  cs->Free = &hooked_free;
  cs->ReAlloc = &hooked_realloc;
  return true;
}

struct PinOwner {
  std::shared_ptr<Engine> engine;
  CSOUND* cs = nullptr;
  void* block = nullptr;
  ~PinOwner() {
    if (block) {
      bool free_it = false;
      {
        std::lock_guard<std::mutex> lock(g_mutex);
        auto it = pins().find(block);
        if (it != pins().end() && --it->second.refs == 0) {
          free_it = it->second.released;
          pins().erase(it);
          g_count.fetch_sub(1, std::memory_order_acq_rel);
        }
      }
      // libcsound's free takes the instance's memory spin lock: safe while it performs.
      if (free_it) g_free.load(std::memory_order_acquire)(cs, block);
    }
    engine.reset();  // after the block: the CSOUND must outlive it
  }
};

}  // namespace

std::shared_ptr<void> pin_block(const std::shared_ptr<Engine>& engine, void* block, std::size_t bytes) {
  auto owner = std::make_shared<PinOwner>();
  owner->engine = engine;
  CSOUND* cs = engine ? engine->get() : nullptr;
  // A borrowed instance is reset or destroyed by its owner, which frees every block at once.
  if (!cs || !block || !engine->owned() || !install_hooks(cs)) return owner;
  std::lock_guard<std::mutex> lock(g_mutex);
  auto [it, fresh] = pins().try_emplace(block, Pin{cs, bytes, 0, false});
  if (!fresh && (it->second.cs != cs || it->second.released)) return owner;  // cannot happen; stay safe
  ++it->second.refs;
  if (fresh) g_count.fetch_add(1, std::memory_order_acq_rel);
  owner->cs = cs;
  owner->block = block;
  return owner;
}

std::size_t func_args_offset() noexcept { return offsetof(FUNC, args); }
std::size_t func_size() noexcept { return sizeof(FUNC); }
std::size_t pinned_blocks() noexcept { return g_count.load(); }

#else  // Csound 7: not ported (its CSOUND layout differs); the owner keeps the engine alive.

std::shared_ptr<void> pin_block(const std::shared_ptr<Engine>& engine, void*, std::size_t) {
  return std::static_pointer_cast<void>(engine);
}
std::size_t func_args_offset() noexcept { return 0; }
std::size_t func_size() noexcept { return 0; }
std::size_t pinned_blocks() noexcept { return 0; }

#endif

}  // namespace csoundpp::detail
