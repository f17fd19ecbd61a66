#include "csoundpp/csound.hpp"

#include "capi.hpp"
#include "csoundpp/backend.hpp"
#include "csoundpp/events.hpp"
#include "exit_guard.h"
#include "rt_modules.hpp"
#include "score_text.hpp"
#include "worker_threads.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <dlfcn.h>
#include <link.h>
#include <sys/uio.h>
#include <unistd.h>

namespace csoundpp {

namespace {

using capi::StringDat;

std::once_flag g_init_once;
int g_init_error = 0;

std::mutex g_registry_mutex;
std::unordered_set<Csound*>& registry() {
  // Never destroyed: an instance may still be destroyed on another thread while the process
  // exits (static destructors run then).
  static auto* r = new std::unordered_set<Csound*>();
  return *r;
}

// Messages printed while a compile runs on this thread are captured for exceptions.
thread_local std::string* t_capture = nullptr;

struct CaptureScope {
  std::string buf;
  std::string* prev;
  CaptureScope() : prev(t_capture) { t_capture = &buf; }
  ~CaptureScope() { t_capture = prev; }
};

}  // namespace

// A perform call (perform, performKsmps, performBuffer, render) in progress.
// Refused while another perform call or destroy/reset/cleanup runs.
class Csound::PerformScope {
 public:
  PerformScope(const Csound& cs, const char* what) : cs_(cs) {
    int expected = 0;
    if (!cs_.perform_state_.compare_exchange_strong(expected, 1, std::memory_order_acq_rel))
      throw StateError(std::string(what) +
                       (expected == 1 ? " while another perform call runs this instance (on another thread, or "
                                        "from inside one of its callbacks)"
                                      : " while destroy()/reset()/cleanup() runs on another thread"));
  }
  ~PerformScope() { cs_.perform_state_.store(0, std::memory_order_release); }

 private:
  const Csound& cs_;
};

// destroy/reset/cleanup in progress: refused while a perform call runs (on
// another thread, or this one when called from one of its callbacks).
class Csound::LifecycleScope {
 public:
  LifecycleScope(const Csound& cs, const char* what) : cs_(cs) {
    int expected = 0;
    if (!cs_.perform_state_.compare_exchange_strong(expected, 2, std::memory_order_acq_rel))
      throw StateError(std::string(what) +
                       (expected == 1 ? " is not allowed while perform/performKsmps/render runs this instance "
                                        "(on another thread, or from inside one of its callbacks)"
                                      : " while destroy()/reset()/cleanup() runs on another thread"));
  }
  ~LifecycleScope() { cs_.perform_state_.store(0, std::memory_order_release); }

 private:
  const Csound& cs_;
};

void Csound::check_event(char type, const double* pfields, std::size_t n) {
  if (type == 0 || std::strchr("ifaeqdbBsxmnrtvwy", type) == nullptr)
    throw std::invalid_argument(std::string("unknown score event type '") + (type ? type : '?') + "'");
  if (n > static_cast<std::size_t>(kMaxPfields))
    throw std::invalid_argument("a score event has at most " + std::to_string(kMaxPfields) +
                                " p-fields in Csound 6, got " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(pfields[i]))
      throw std::invalid_argument("p-field " + std::to_string(i + 1) + " is not a finite number");
  if (type == 'f' && n >= 3 && std::fabs(pfields[2]) > kMaxTableLength)
    throw std::invalid_argument("function table size " + std::to_string(pfields[2]) +
                                " is beyond Csound's limit of " + std::to_string(static_cast<long>(kMaxTableLength)) +
                                " points");
}

bool Csound::is_csound_pointer(const void* ptr) noexcept {
  if (!ptr || reinterpret_cast<std::uintptr_t>(ptr) % alignof(void*) != 0) return false;
  // The CSOUND struct starts with libcsound's table of API function pointers
  // (csoundCore.h). Read the first three without touching the memory directly
  // (an unmapped address fails the read) and check they point into libcsound.
  void* head[3] = {nullptr, nullptr, nullptr};
  struct iovec local{head, sizeof head};
  struct iovec remote{const_cast<void*>(ptr), sizeof head};
  if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != static_cast<ssize_t>(sizeof head)) return false;
  Dl_info lib{};
  if (!dladdr(reinterpret_cast<void*>(&csoundGetKsmps), &lib) || !lib.dli_fbase) return false;
  for (void* f : head) {
    Dl_info info{};
    if (!f || !dladdr(f, &info) || info.dli_fbase != lib.dli_fbase) return false;
  }
  return true;
}

int Csound::set_global_env(const std::string& name, const std::optional<std::string>& value) {
  if (name.empty()) throw std::invalid_argument("environment variable name must not be empty");
  for (char c : name)
    if (c == '%' || c == '=' || c == '\0' || static_cast<unsigned char>(c) < 0x20 || c == ' ')
      throw std::invalid_argument("environment variable name '" + name +
                                  "' must not contain '%', '=', spaces or control characters");
  if (value && value->find('\0') != std::string::npos)
    throw std::invalid_argument("environment variable value contains a NUL byte");
  return csoundSetGlobalEnv(name.c_str(), value ? value->c_str() : nullptr);
}

void initialize_library() {
  std::call_once(g_init_once, [] {
    csoundInitialize(CSOUNDINIT_NO_SIGNAL_HANDLER | CSOUNDINIT_NO_ATEXIT);
    if (csoundGetSizeOfMYFLT() != static_cast<int>(sizeof(double))) g_init_error = 1;
  });
  if (g_init_error)
    throw CsoundError("libcsound was built with MYFLT of " + std::to_string(csoundGetSizeOfMYFLT()) +
                      " bytes; csoundpp needs the double-precision build (Debian: libcsound64-6.0)");
}

namespace {
// libcsound dlopens every plugin (and so the libraries they link: libjack, liblo, fluidsynth,
// ...) at each csoundCreate and dlcloses them at csoundDestroy. Loading ~100 shared objects is
// most of the cost of creating and destroying an instance (mmap, relocation, initialisers), and
// libjack runs its static initialisers again on every load and crashes after a few hundred
// create/destroy cycles. So every shared object that appears while libcsound creates an
// instance is marked RTLD_NODELETE: the first instance loads them, later ones find them
// resident (dlopen only counts a reference), and they initialise once. They stay mapped for the
// life of the process, as they are while any instance lives. A plugin directory used later
// (setOpcodedir, OPCODE6DIR64) has its libraries kept the same way when they first load. (Csound 7
// loads the plugins at an instance's first compile: guarded() does the same there.)
struct LoadedObjects {
  unsigned long long adds = 0;      // dl_iterate_phdr's count of objects ever loaded
  std::vector<std::uintptr_t> bases;  // load addresses of the objects resident now, sorted
};

LoadedObjects loaded_objects() {
  LoadedObjects out;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* o = static_cast<LoadedObjects*>(data);
        o->adds = info->dlpi_adds;
        o->bases.push_back(info->dlpi_addr);
        return 0;
      },
      &out);
  std::sort(out.bases.begin(), out.bases.end());
  return out;
}

// Marks the objects loaded since `before` RTLD_NODELETE. dlopen must not run inside
// dl_iterate_phdr's callback (it holds the loader's lock): the names are collected first.
void keep_loaded_since(const LoadedObjects& before) {
  struct Walk {
    const LoadedObjects* before;
    unsigned long long adds = 0;
    std::vector<std::string> names;
  } walk{&before};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* w = static_cast<Walk*>(data);
        w->adds = info->dlpi_adds;
        if (w->adds == w->before->adds) return 1;  // nothing was loaded since: done
        if (info->dlpi_name && *info->dlpi_name &&
            !std::binary_search(w->before->bases.begin(), w->before->bases.end(), info->dlpi_addr))
          w->names.emplace_back(info->dlpi_name);
        return 0;
      },
      &walk);
  for (const auto& name : walk.names) dlopen(name.c_str(), RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
}

CSOUND* create_instance(void* host_data, const char* opcode_dir) {
  const LoadedObjects before = loaded_objects();
  CSOUND* cs = capi::create(host_data, opcode_dir);
  keep_loaded_since(before);
  return cs;
}
}  // namespace

Engine::~Engine() {
  if (!owned_ || !cs_) return;
  detail::end_worker_threads(cs_);  // -j N: libcsound's destroy leaves them on the freed struct
  csoundDestroy(cs_);
}

Csound::Csound(const std::string& opcode_dir) {
  initialize_library();
  // libcsound 6 keeps the override process-wide (csoundSetOpcodedir(NULL) crashes):
  // it stays in effect for instances created later, as ctcsound's setOpcodedir does.
  // Csound 7 takes it for this instance only.
  CSOUND* cs = create_instance(this, opcode_dir.c_str());
  if (!cs) throw CsoundError("csoundCreate failed");
  engine_ = std::make_shared<Engine>(cs, true);
  cs_.store(cs);
  install_callbacks(cs);
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  registry().insert(this);
}

Csound::Csound(CSOUND* existing, bool owned) {
  initialize_library();
  if (!existing) throw CsoundError("null CSOUND pointer");
  if (!is_csound_pointer(existing))
    throw std::invalid_argument("this pointer does not point to a live CSOUND instance");
  foreign_host_data_ = csoundGetHostData(existing);
  csoundSetHostData(existing, this);
  engine_ = std::make_shared<Engine>(existing, owned);
  cs_.store(existing);
  install_callbacks(existing);
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  registry().insert(this);
}

Csound::~Csound() {
  try {
    destroy();
  } catch (...) {
  }
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  registry().erase(this);
}

Csound* Csound::find(CSOUND* cs) noexcept {
  if (!cs) return nullptr;
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  for (Csound* c : registry())
    if (c->native_or_null() == cs) return c;
  return nullptr;
}

CSOUND* Csound::native() const {
  CSOUND* cs = cs_.load(std::memory_order_acquire);
  if (!cs) throw StateError("this Csound instance has been destroyed");
  return cs;
}

std::shared_ptr<Engine> Csound::engine() const {
  std::lock_guard<std::mutex> lock(engine_mutex_);
  if (!engine_) throw StateError("this Csound instance has been destroyed");
  return engine_;
}

bool Csound::owns_instance() const noexcept {
  std::lock_guard<std::mutex> lock(engine_mutex_);
  return engine_ && engine_->owned();
}

void Csound::check_not_busy(const char* what) const {
  if (busy())
    throw StateError(std::string(what) +
                     " is not allowed while a performance thread runs this instance; stop and join it first");
}

void Csound::install_callbacks(CSOUND* cs) {
  csoundSetHostData(cs, this);
  csoundSetMessageStringCallback(cs, &Csound::message_trampoline);
  if (have_input_fn_.load()) csoundSetInputChannelCallback(cs, &Csound::input_channel_trampoline);
  if (have_output_fn_.load()) csoundSetOutputChannelCallback(cs, &Csound::output_channel_trampoline);
}

void Csound::uninstall_callbacks(CSOUND* cs) noexcept {
  csoundSetInputChannelCallback(cs, nullptr);
  csoundSetOutputChannelCallback(cs, nullptr);
  // Leave the message callback (it only prints when the host data is gone).
  csoundSetHostData(cs, foreign_host_data_);
}

void Csound::detach_engine() {
  // Called with engine_mutex_ held by the caller's scope.
  CSOUND* cs = engine_->get();
  uninstall_callbacks(cs);
  cs_.store(nullptr, std::memory_order_release);
  engine_.reset();
  generation_.fetch_add(1);
}

void Csound::destroy() {
  if (destroyed()) return;
  check_not_busy("destroy()");
  LifecycleScope scope(*this, "destroy()");
  // Waits for a call running on another thread (start, compile, score: they hold the API lock)
  // instead of destroying the CSOUND under it -- e.g. destroy() from a message callback, which
  // runs on the dispatcher thread while the caller is still inside start().
  std::unique_lock<std::recursive_mutex> api(api_mutex_);
  {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (!engine_) return;
    if (exit_jumped_.load(std::memory_order_acquire) || bad_channels_.load(std::memory_order_acquire)) {
      // libcsound still holds its API lock for the thread that performed the
      // jump: csoundCleanup/csoundDestroy would wait for it forever. Leak it.
      // (Or its channel count is beyond what csoundCleanup can write: same.)
      engine_->leak();
    } else if (engine_.use_count() > 1) {
      // Views still point into this instance: close files/devices now; the memory
      // is released when the last view goes away.
      // (Csound 7 closes them only in csoundReset/csoundDestroy: when the last view goes.)
      if (CS_VERSION < 7 && started_.load()) cleanup_files(engine_->get());
    } else if (engine_->owned() && messages_to_dispatcher_.load()) {
      // Destroy it while its messages ("end of score", statistics) still reach the
      // callback the user routed them to, rather than stderr.
      std::shared_ptr<Engine> last = std::move(engine_);
      cs_.store(nullptr, std::memory_order_release);
      generation_.fetch_add(1);
      last.reset();  // csoundDestroy, host data still this object
    }
    if (engine_) detach_engine();
    started_.store(false);
    compiled_.store(false);
  }
  api.unlock();  // the dispatcher's last callbacks may call in (and get StateError)
  dispatcher_.stop();
}

void Csound::reset() {
  check_not_busy("reset()");
  LifecycleScope scope(*this, "reset()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  std::lock_guard<std::mutex> lock(engine_mutex_);
  if (!engine_) throw StateError("this Csound instance has been destroyed");
  stop_.store(false);
  started_.store(false);
  needs_reset_.store(false);
  compiled_.store(false);
  cleaned_.store(false);
#if CS_VERSION >= 7
  {
    std::lock_guard<std::mutex> lock(async_mutex_);
    pre_start_score_.clear();
  }
#endif
  {
    std::lock_guard<std::mutex> lock(async_mutex_);
    async_pfields_.clear();  // csoundReset drops Csound's async queue with the rest
  }
  // In place unless live views share the engine (a borrowed instance is always reset in place:
  // csoundpp cannot create its replacement).
  const bool bad_channels = bad_channels_.exchange(0) != 0;
  const bool jumped = exit_jumped_.exchange(false) || bad_channels;
  if (jumped && !engine_->owned() && !bad_channels)
    throw StateError("reset(): after exitnow/a fatal error in a k-cycle, libcsound keeps this borrowed instance "
                     "locked; it cannot be reset");
  if (!jumped && (engine_.use_count() == 1 || !engine_->owned())) {
    detail::end_worker_threads(engine_->get());  // -j N: csoundReset leaves them running
    csoundReset(engine_->get());
    install_callbacks(engine_->get());
    generation_.fetch_add(1);
    return;
  }
  // Shared with live numpy views: give the views the old engine and carry on with a new one.
  // (After an exit jump the old instance is left as it is, leaked: libcsound
  // would wait forever for the API lock the jump left held.)
  CSOUND* old = engine_->get();
  if (jumped)
    engine_->leak();
  else if (CS_VERSION < 7)
    cleanup_files(old);  // Csound 7: closed when the last view lets go (csoundDestroy)
  uninstall_callbacks(old);
  CSOUND* fresh = create_instance(this, nullptr);
  if (!fresh) throw CsoundError("csoundCreate failed during reset()");
  engine_ = std::make_shared<Engine>(fresh, true);
  cs_.store(fresh, std::memory_order_release);
  install_callbacks(fresh);
  generation_.fetch_add(1);
}

int Csound::cleanup() {
  if (busy()) {
    // A performance thread drives this instance: cleaning up means ending that performance
    // (csoundengine's Engine.stop() does pt.stop(); cs.stop(); cs.cleanup()). Ask it to
    // stop and wait for it to wind down; it cleans up itself as it ends.
    stop();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (busy()) {
      if (std::chrono::steady_clock::now() > deadline)
        throw StateError("cleanup(): the performance thread did not end within 10 s of stop()");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  CSOUND* cs = native();
  check_not_jumped("cleanup()");
#if CS_VERSION >= 7
  // Csound 7 has no csoundCleanup: ending a performance and closing its files is part of
  // csoundReset. cleanup() is therefore a reset (the instance is ready for a new compile).
  (void)cs;
  reset();
  return CSOUND_SUCCESS;
#else
  LifecycleScope scope(*this, "cleanup()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  cleaned_.store(true, std::memory_order_release);
  return csoundCleanup(cs);
#endif
}

void Csound::cleanup_after_performance() noexcept {
  CSOUND* cs = native_or_null();
  if (!cs) return;
  cleaned_.store(true, std::memory_order_release);
  cleanup_files(cs);
}

void Csound::cleanup_files(CSOUND* cs) noexcept {
#if CS_VERSION >= 7
  (void)cs;
#else
  csoundCleanup(cs);
#endif
}

// ---------------------------------------------------------------- compile

// Runs a libcsound call that may longjmp out (exit_guard.c). A jump leaves the
// instance needing reset(); what Csound printed meanwhile becomes last_errors()
// according to `keep`.
int Csound::guarded(CSOUND* cs, GuardedFn fn, const void* arg, KeepOutput keep) {
  CaptureScope capture;
  int jumped = 0;
#if CS_VERSION >= 7
  // Csound 7 loads its plugins at an instance's first compile, not in csoundCreate: keep them
  // loaded from there (create_instance).
  const bool first_compile = !compiled_.load(std::memory_order_acquire);
  LoadedObjects before;
  if (first_compile) before = loaded_objects();
  int r = csoundpp_guarded_call(cs, fn, arg, &jumped);
  if (first_compile) keep_loaded_since(before);
#else
  int r = csoundpp_guarded_call(cs, fn, arg, &jumped);
#endif
  if (jumped) needs_reset_.store(true, std::memory_order_release);
  if (keep == KeepOutput::Always || (keep == KeepOutput::OnFailure && r != 0)) set_errors(capture.buf);
  return r;
}

void Csound::set_errors(const std::string& text) {
  std::lock_guard<std::mutex> lock(errors_mutex_);
  errors_ = text;
}

int Csound::compile_args(const std::vector<std::string>& args, bool compile_mode) {
  CSOUND* cs = native();
  check_not_busy("compile");
  if (args.empty()) throw std::invalid_argument("compile needs at least an input file or options");
  for (const auto& a : args)
    if (a.find('\0') != std::string::npos) throw std::invalid_argument("argument contains a NUL byte");
  // ctcsound callers pass argv[0] ("csound", "-odac", "x.csd"); seed 002 shows compile_("x.csd")
  // too, so a first argument that is an option or an input file gets "csound" put before it.
  const std::string& first = args.front();
  auto ends = [&](const char* suf) {
    std::size_t n = std::strlen(suf);
    return first.size() >= n && first.compare(first.size() - n, n, suf) == 0;
  };
  const bool add_name =
      first.rfind('-', 0) == 0 || ends(".csd") || ends(".orc") || ends(".sco") || ends(".CSD");
  std::vector<const char*> argv;
  argv.reserve(args.size() + 2);
  if (add_name) argv.push_back("csound");
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  // Csound 6's csoundCompile is csoundCompileArgs + csoundStart (7's does not start): compile,
  // then start(), which adds the real-time module checks (and, on 7, notes the buffer size).
  int r = check_channels_after_compile(cs, guarded(cs, csoundpp_call_compile_args, argv.data()));
  if (r == 0) compiled_.store(true);
  if (r == 0 && compile_mode) return start();
  return r;
}

namespace {
// libcsound 6.18 folds constant expressions while parsing; one that is not finite
// (1/0) becomes a constant named "inf" that the compiler cannot load ("Missing local
// arg: inf"): csoundCompileTree succeeds and the instrument dereferences a NULL
// argument at init. Returns the line of the first such constant, or 0.
int nonfinite_constant_line(const TREE* root) {
#if CS_VERSION >= 7
  (void)root;
  return 0;
#else
  std::vector<const TREE*> stack{root};
  std::size_t visited = 0;
  while (!stack.empty() && ++visited < 10'000'000) {
    const TREE* t = stack.back();
    stack.pop_back();
    if (!t) continue;
    if (t->value && !std::isfinite(t->value->fvalue) && t->value->lexeme &&
        (std::strstr(t->value->lexeme, "inf") || std::strstr(t->value->lexeme, "nan")))
      return t->line > 0 ? t->line : 1;
    stack.push_back(t->next);
    stack.push_back(t->right);
    stack.push_back(t->left);
  }
  return 0;
#endif
}

std::string nonfinite_message(int line) {
  return "line " + std::to_string(line) +
         ": a constant expression is not a finite number (division by zero?); Csound would compile it "
         "into an instrument that crashes\n";
}
}  // namespace

int Csound::compile_orc(const std::string& code, bool async) {
  CSOUND* cs = native();
  check_not_jumped("compileOrc()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
#if CS_VERSION < 7
  {
    // Checked on a parse of its own first (see nonfinite_constant_line).
    CaptureScope capture;
    int jumped = 0;
    auto* tree = static_cast<TREE*>(csoundpp_guarded_parse(cs, code.c_str(), &jumped));
    if (tree) {
      const int line = nonfinite_constant_line(tree);
      csoundDeleteTree(cs, tree);
      if (line) {
        set_errors(nonfinite_message(line));
        return CSOUND_ERROR;
      }
    }
  }
#endif
  int r = guarded(cs, async ? csoundpp_call_compile_orc_async : csoundpp_call_compile_orc, code.c_str());
  if (!async) r = check_channels_after_compile(cs, r);
  if (r == 0 && !async) compiled_.store(true);
  return r;
}

TREE* Csound::parse_orc(const std::string& code) {
  CSOUND* cs = native();
  CaptureScope capture;
  int jumped = 0;
#if CS_VERSION >= 7
  if (std::string e = detail::missing_include_error(cs, code); !e.empty()) {
    set_errors(e);
    return nullptr;
  }
#endif
  // The engine lock keeps a performing thread out of csoundPerformKsmps, which
  // owns the exit jump buffer the guard arms (a missing #include jumps).
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  TREE* tree = static_cast<TREE*>(csoundpp_guarded_parse(cs, code.c_str(), &jumped));
  // A jump out of the parser (preprocessor errors) leaves the engine as it was:
  // the parse just failed.
  if (jumped) tree = nullptr;
  if (!tree) set_errors(capture.buf);
  if (tree) {
    if (const int line = nonfinite_constant_line(tree)) {
      csoundDeleteTree(cs, tree);
      set_errors(nonfinite_message(line));
      return nullptr;
    }
  }
  return tree;
}

double Csound::eval_code(const std::string& code) {
  csoundpp_eval_io io{code.c_str(), 0.0};
  CSOUND* cs = native();
  check_not_jumped("evalCode()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  // evalCode reports no status: keep its output either way
  guarded(cs, csoundpp_call_eval_code, &io, KeepOutput::Always);
  if (check_channels_after_compile(cs, 0) != 0) return std::nan("");
  if (!std::isnan(io.value)) compiled_.store(true);
  return io.value;
}

int Csound::compile_csd(const std::string& path) {
  CSOUND* cs = native();
  check_not_jumped("compileCsd()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  int r = check_channels_after_compile(cs, guarded(cs, csoundpp_call_compile_csd, path.c_str()));
  if (r == 0) compiled_.store(true);
  if (r == 0 && !started_.load()) started_.store(csoundGetSpout(cs) != nullptr);
  return r;
}

int Csound::compile_csd_text(const std::string& text) {
  CSOUND* cs = native();
  detail::refuse_fatal_csd_score(text);
  check_not_jumped("compileCsdText()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  int r = check_channels_after_compile(cs, guarded(cs, csoundpp_call_compile_csd_text, text.c_str()));
  if (r == 0) compiled_.store(true);
  return r;
}

#if CS_VERSION >= 7
bool Csound::queue_before_start(const std::string& text) {
  std::lock_guard<std::mutex> lock(async_mutex_);
  if (started()) return false;
  pre_start_score_ += text;
  if (!pre_start_score_.empty() && pre_start_score_.back() != '\n') pre_start_score_ += '\n';
  return true;
}
#endif

int Csound::read_score(const std::string& text, bool async) {
  CSOUND* cs = native();
  detail::refuse_fatal_score_text(async ? "readScoreAsync()" : "readScore()", text);
#if CS_VERSION >= 7
  // Csound 7's score reader (csoundEventString -> scsortstr) reports an #include'd file it
  // cannot open through csoundDie, whose exit jump is not armed there: the process would end.
  if (std::string e = detail::missing_include_error(cs, text); !e.empty()) {
    set_errors(e);
    return CSOUND_ERROR;
  }
  if (queue_before_start(text)) return 0;
#endif
  if (async) return capi::read_score(cs, text.c_str(), true);
  check_not_jumped("readScore()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  return guarded(cs, csoundpp_call_read_score, text.c_str(), KeepOutput::Never);
}

void Csound::check_usable(const char* what) const {
  if (needs_reset_.load(std::memory_order_acquire))
    throw StateError(std::string(what) + ": an earlier call ended in a fatal Csound error; call reset() first");
}

int Csound::set_option(const std::string& option) {
  return guarded(native(), csoundpp_call_set_option, option.c_str());
}

namespace {
void check_range(const char* field, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi))  // NaN fails too
    throw std::invalid_argument(std::string("CsoundParams.") + field + " = " + std::to_string(v) + " is outside " +
                                std::to_string(lo) + " .. " + std::to_string(hi));
}
}  // namespace

#if CS_VERSION >= 7
namespace {
// Csound 6's csoundSetParams on Csound 7, which has no setter: the same fields, set through the
// command-line options (csoundSetOption) and csoundSetDebug/csoundSetMessageLevel. A field set
// to a value no option can give raises CsoundError before anything is changed.
struct ParamPlan {
  std::vector<std::string> options;
  std::vector<std::string> impossible;  // "field = value (why)"
};

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A 0/1 switch that Csound 6 copies whatever it is: `on` / `off` are the options that set it
// (nullptr: none does).
void plan_switch(ParamPlan& plan, const char* field, int want, int have, const char* on, const char* off) {
  if (want == have) return;
  const char* opt = want == 1 ? on : want == 0 ? off : nullptr;
  if (opt)
    plan.options.emplace_back(opt);
  else
    plan.impossible.push_back(std::string(field) + " = " + std::to_string(want) +
                              (want == 0 || want == 1 ? " (no Csound 7 option turns it " + std::string(want ? "on" : "off") + ")"
                                                      : " (Csound 7's option sets it to 0 or 1 only)"));
}

// A number Csound 7's option parser reads with atof; -r and -k are then stored as float, as
// Csound 6's csoundSetParams stores them (the same rounding on both).
void plan_number(ParamPlan& plan, double want, double have, const char* option) {
  if (want != have) plan.options.push_back(std::string(option) + num(want));
}
}  // namespace
#endif

void Csound::set_params(const Params& p) {
  CSOUND* cs = native();
  check_not_busy("setParams()");
  check_not_jumped("setParams()");
  // 0 (or less, for the overrides) means "not overridden" to libcsound.
  check_range("buffer_frames", p.buffer_frames, -1048576, 1048576);
  check_range("hardware_buffer_frames", p.hardware_buffer_frames, -1048576, 1048576);
  check_range("message_level", p.message_level, 0, 1023);
  check_range("number_of_threads", p.number_of_threads, 0, 256);
  check_range("sample_rate_override", p.sample_rate_override, 0, 10e6);
  check_range("control_rate_override", p.control_rate_override, 0, 10e6);
  check_range("nchnls_override", p.nchnls_override, 0, kMaxOutputChannels);
  check_range("nchnls_i_override", p.nchnls_i_override, 0, kMaxInputChannels);
  check_range("e0dbfs_override", p.e0dbfs_override, 0, 1e12);
  check_range("ksmps_override", p.ksmps_override, 0, 65536);
  check_range("tempo", p.tempo, 0, 1e6);
  for (int key : {p.midi_key, p.midi_key_cps, p.midi_key_oct, p.midi_key_pch, p.midi_velocity, p.midi_velocity_amp})
    check_range("midi_* p-field", key, 0, kMaxPfields);
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
#if CS_VERSION >= 7
  // As csoundSetParams in 6: no effect once compiled (nor do options have any then).
  if (compiled()) return;
  Params cur;
  get_params(cur);
  ParamPlan plan;
  // --displays also clears ascii graphs: first, so that -d / -g can follow it.
  if (p.ascii_graphs == 0 && cur.ascii_graphs != 0) {
    plan.options.emplace_back("--displays");
    cur.ascii_graphs = 0;
    cur.displays = 1;
  }
  plan_switch(plan, "displays", p.displays, cur.displays, "--displays", "--nodisplays");
  plan_switch(plan, "ascii_graphs", p.ascii_graphs, cur.ascii_graphs, "--asciidisplay", nullptr);
  plan_switch(plan, "postscript_graphs", p.postscript_graphs, cur.postscript_graphs, "--postscriptdisplay", nullptr);
  if (p.use_cscore != 0) plan.impossible.push_back("use_cscore = " + std::to_string(p.use_cscore) + " (Csound 7 removed Cscore)");
  plan_switch(plan, "ring_bell", p.ring_bell, cur.ring_bell, "--notify", nullptr);
  plan_switch(plan, "defer_gen01_load", p.defer_gen01_load, cur.defer_gen01_load, "--defer-gen1", nullptr);
  plan_switch(plan, "terminate_on_midi", p.terminate_on_midi, cur.terminate_on_midi, "--terminate-on-midi", nullptr);
  plan_switch(plan, "no_default_paths", p.no_default_paths, cur.no_default_paths, "--no-default-paths", "--default-paths");
  plan_switch(plan, "syntax_check_only", p.syntax_check_only, cur.syntax_check_only, "--syntax-check-only", nullptr);
  plan_switch(plan, "sample_accurate", p.sample_accurate, cur.sample_accurate, "--sample-accurate", nullptr);
  plan_switch(plan, "realtime_mode", p.realtime_mode, cur.realtime_mode, "--realtime", nullptr);
  plan_switch(plan, "csd_line_counts", p.csd_line_counts, cur.csd_line_counts, "--csd-line-nums=1", "--csd-line-nums=0");
  if (p.heartbeat != cur.heartbeat) plan.options.push_back("--heartbeat=" + std::to_string(p.heartbeat));
  if (p.daemon != cur.daemon) plan.options.push_back("--port=" + std::to_string(p.daemon));
  if (p.tempo > 0) plan_number(plan, p.tempo, cur.tempo, "--tempo=");
  if (p.buffer_frames > 0 && p.buffer_frames != cur.buffer_frames)
    plan.options.push_back("--iobufsamps=" + std::to_string(p.buffer_frames));
  if (p.hardware_buffer_frames > 0 && p.hardware_buffer_frames != cur.hardware_buffer_frames)
    plan.options.push_back("-B" + std::to_string(p.hardware_buffer_frames));  // (--hardwarebufsamps= sets -b's field)
  if (p.number_of_threads > 1 && p.number_of_threads != cur.number_of_threads)
    plan.options.push_back("--num-threads=" + std::to_string(p.number_of_threads));
  // The MIDI p-field mappings: the first one given of each group, as Csound 6 does.
  if (p.midi_key > 0)
    plan.options.push_back("--midi-key=" + std::to_string(p.midi_key));
  else if (p.midi_key_cps > 0)
    plan.options.push_back("--midi-key-cps=" + std::to_string(p.midi_key_cps));
  else if (p.midi_key_pch > 0)
    plan.options.push_back("--midi-key-pch=" + std::to_string(p.midi_key_pch));
  else if (p.midi_key_oct > 0)
    plan.options.push_back("--midi-key-oct=" + std::to_string(p.midi_key_oct));
  if (p.midi_velocity > 0)
    plan.options.push_back("--midi-velocity=" + std::to_string(p.midi_velocity));
  else if (p.midi_velocity_amp > 0)
    plan.options.push_back("--midi-velocity-amp=" + std::to_string(p.midi_velocity_amp));
  if (p.control_rate_override > 0)
    plan_number(plan, p.control_rate_override, cur.control_rate_override, "--control-rate=");
  if (p.sample_rate_override > 0)
    plan_number(plan, p.sample_rate_override, cur.sample_rate_override, "--sample-rate=");
  if (p.nchnls_override != cur.nchnls_override) plan.options.push_back("--nchnls=" + std::to_string(p.nchnls_override));
  if (p.nchnls_i_override != cur.nchnls_i_override)
    plan.options.push_back("--nchnls_i=" + std::to_string(p.nchnls_i_override));
  if (p.e0dbfs_override != cur.e0dbfs_override) {
    if (p.e0dbfs_override != std::floor(p.e0dbfs_override))
      plan.impossible.push_back("e0dbfs_override = " + num(p.e0dbfs_override) +
                                " (Csound 7's --0dbfs= takes a whole number: set 0dbfs in the orchestra)");
    else
      plan.options.push_back("--0dbfs=" + num(p.e0dbfs_override));
  }
  if (p.ksmps_override > 0 && p.ksmps_override != cur.ksmps_override)
    plan.options.push_back("--ksmps=" + std::to_string(p.ksmps_override));
  if (!plan.impossible.empty()) {
    std::string what;
    for (const auto& s : plan.impossible) what += (what.empty() ? "" : "; ") + s;
    throw CsoundError("setParams(): Csound 7 has no csoundSetParams; csoundpp sets the parameters through options, "
                      "and none gives " + what + ". Nothing was changed; use setOption() for what Csound 7 offers");
  }
  if (p.debug_mode != cur.debug_mode) csoundSetDebug(cs, p.debug_mode);
  if (p.message_level > 0 && p.message_level != cur.message_level) csoundSetMessageLevel(cs, p.message_level);
  for (const auto& opt : plan.options)
    if (set_option(opt) != 0) throw CsoundError("setParams(): Csound 7 refused the option " + opt);
#else
  csoundSetParams(cs, const_cast<CSOUND_PARAMS*>(&p));
#endif
}

void Csound::clear_spin() {
  CSOUND* cs = native();
  if (!started()) throw StateError("clearSpin() before start(): the input buffer does not exist yet");
  double* spin = csoundGetSpin(cs);
  if (!spin) throw StateError("clearSpin(): Csound has no input buffer");
  // Zeroed here rather than by csoundClearSpin, which crashes before the first k-cycle.
  std::memset(spin, 0, sizeof(double) * csoundGetKsmps(cs) * capi::nchnls_input(cs));
}

int Csound::start() {
  CSOUND* cs = native();
  check_usable("start()");
  check_not_jumped("start()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
#if CS_VERSION >= 7
  // -b (frames per buffer) as given; csoundStart turns it into samples of all channels.
  if (const OPARMS* o = csoundGetParams(cs)) requested_frames_ = o->outbufsamps;
#endif
  // libcsound would fall back to a silent dummy module (audio) or fail with "Unknown MIDI
  // error" (MIDI) when a real-time module's system library is missing: name the package.
  if (!host_audio_io_.load())
    if (std::string why = detail::rt_audio_problem(cs); !why.empty()) throw CsoundError(why);
#if CS_VERSION >= 7
  {
    std::string score;
    {
      std::lock_guard<std::mutex> lock(async_mutex_);
      score.swap(pre_start_score_);
    }
    if (!score.empty()) guarded(cs, csoundpp_call_read_score, score.c_str(), KeepOutput::Never);
    check_usable("start()");  // the score text ended in a fatal error (caught by the exit guard)
  }
#endif
  check_header_before_start(cs);
  int r = guarded(cs, csoundpp_call_start, nullptr);
  if (r == 0) {
    Params p{};
    get_params(p);
    multithreaded_.store(p.number_of_threads > 1, std::memory_order_release);
    started_.store(true);
    compiled_.store(true);
  }
  else if (std::string why = detail::rt_midi_problem(cs, last_errors()); !why.empty()) throw CsoundError(why, r);
  return r;
}

void Csound::check_can_perform(const char* what) const {
  check_not_busy(what);
  check_usable(what);
  if (!started())
    throw StateError(std::string(what) + " before the orchestra was compiled and started (call compile_/compileCsd/start first)");
  check_not_jumped(what);
  if (cleaned_.load(std::memory_order_acquire))
    throw StateError(std::string(what) + " after cleanup() or the end of a performance thread: call reset() first");
}

void Csound::check_not_jumped(const char* what) const {
  if (const int n = bad_channels_.load(std::memory_order_acquire))
    throw StateError(std::string(what) + ": the orchestra or options set nchnls = " + std::to_string(n) +
                     ", beyond the " + std::to_string(kMaxOutputChannels) +
                     " output channels libcsound can clean up (it would overwrite memory); this instance is set "
                     "aside: call reset() for a fresh one");
  if (exit_jumped_.load(std::memory_order_acquire))
    throw StateError(std::string(what) + " after exitnow or a fatal error ended a k-cycle: libcsound keeps this "
                                         "instance locked; call reset() first");
}

int Csound::check_channels_after_compile(CSOUND* cs, int r) {
  const int out = capi::nchnls(cs);
  if (out >= 0 && out <= kMaxOutputChannels) return r;
  // csound->nchnls is set (the header or an option applied by the compile): csoundCleanup,
  // csoundReset and csoundDestroy would write past libcsound's arrays. Never call them on it.
  bad_channels_.store(out == 0 ? -1 : out, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (engine_) engine_->leak();
  }
  set_errors("the orchestra or options set nchnls = " + std::to_string(out) + "; libcsound can clean up at most " +
             std::to_string(kMaxOutputChannels) + " output channels (it would overwrite memory): this instance is set "
             "aside (never cleaned up); reset() continues on a fresh one\n");
  return CSOUND_ERROR;
}

void Csound::check_header_before_start(CSOUND* cs) const {
  auto fail = [](const std::string& what) {
    throw CsoundError("start(): " + what + ": libcsound cannot perform with that", CSOUND_INITIALIZATION);
  };
  const double sr = csoundGetSr(cs), kr = csoundGetKr(cs);
  const long ksmps = static_cast<long>(csoundGetKsmps(cs));
  if (!(sr > 0) || !std::isfinite(sr) || sr > 10e6) fail("sr = " + std::to_string(sr));
  if (!(kr > 0) || !std::isfinite(kr)) fail("kr = " + std::to_string(kr));
  if (ksmps < 1 || ksmps > 65536) fail("ksmps = " + std::to_string(ksmps));
  const int in = capi::nchnls_input(cs);
  if (in < 0 || in > kMaxInputChannels) fail("nchnls_i = " + std::to_string(in));
#if CS_VERSION < 7
  // Overrides set after the last compile are applied by csoundStart itself.
  CSOUND_PARAMS p{};
  csoundGetParams(cs, &p);
  if (p.nchnls_override > kMaxOutputChannels) fail("nchnls override " + std::to_string(p.nchnls_override));
  if (p.nchnls_i_override > kMaxInputChannels) fail("nchnls_i override " + std::to_string(p.nchnls_i_override));
  if (p.ksmps_override > 65536) fail("ksmps override " + std::to_string(p.ksmps_override));
  if (!std::isfinite(p.sample_rate_override) || p.sample_rate_override > 10e6)
    fail("sample-rate override " + std::to_string(p.sample_rate_override));
  if (!std::isfinite(p.control_rate_override) || p.control_rate_override > 10e6)
    fail("control-rate override " + std::to_string(p.control_rate_override));
#endif
}

void Csound::check_compiled(const char* what) const {
  check_not_jumped(what);
  if (!compiled())
    throw StateError(std::string(what) + " before any orchestra was compiled: libcsound has nowhere to put it yet");
}

int Csound::start_if_needed(const char* what) {
  // perform*() before start(): libcsound and ctcsound7 start implicitly, and so do we once
  // something was compiled (with nothing compiled Csound would start and perform forever).
  check_not_busy(what);
  check_usable(what);
  if (started()) return 0;
  if (!compiled())
    throw StateError(std::string(what) + " before anything was compiled (compileOrc/compileCsd first; "
                     "it starts Csound itself after that)");
  return start();
}

bool Csound::started() const {
  // csoundStart allocates spout; before that performing is not possible.
  CSOUND* cs = native_or_null();
  return cs && started_.load() ;
}

std::string Csound::last_errors() const {
  std::lock_guard<std::mutex> lock(errors_mutex_);
  return errors_;
}

// ---------------------------------------------------------------- perform

int Csound::perform(const std::function<bool()>& interrupt) {
  CSOUND* cs = native();
  if (int r = start_if_needed("perform()"); r != 0) return r;
  check_can_perform("perform()");
  PerformScope scope(*this, "perform()");
  stop_.store(false);
  using clock = std::chrono::steady_clock;
  auto next_poll = clock::now() + std::chrono::milliseconds(20);
  int r = 0;
  for (unsigned n = 0;; ++n) {
    {
      std::lock_guard<std::recursive_mutex> api(api_mutex_);
      r = csoundPerformKsmps(cs);
      if (r >= CSOUND_EXITJMP_SUCCESS) note_exit_jump();
    }
    if (r != 0) break;
    if (stop_.load(std::memory_order_acquire)) return 0;
    if ((n & 15) == 0 && interrupt) {
      auto now = clock::now();
      if (now >= next_poll) {
        next_poll = now + std::chrono::milliseconds(20);
        if (interrupt()) return 0;
      }
    }
  }
  // Finished (end of score, > 0) or stopped by csoundStop (also non-zero here).
  return r;
}

int Csound::perform_ksmps() {
  CSOUND* cs = native();
  if (int r = start_if_needed("performKsmps()"); r != 0) return r;
  check_can_perform("performKsmps()");
  PerformScope scope(*this, "performKsmps()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  const int r = csoundPerformKsmps(cs);
  if (r >= CSOUND_EXITJMP_SUCCESS) note_exit_jump();
  return r;
}

bool Csound::try_perform_ksmps(int& result) noexcept {
  // Claim the perform state first: destroy/reset/cleanup and other perform calls are then
  // excluded (they take the same state), so the checks below cannot go stale.
  int expected = 0;
  if (!perform_state_.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) return false;
  CSOUND* cs = cs_.load(std::memory_order_acquire);
  bool ok = cs && started_.load(std::memory_order_acquire) && !busy_.load(std::memory_order_acquire) &&
            !needs_reset_.load(std::memory_order_acquire) && !exit_jumped_.load(std::memory_order_acquire) &&
            !cleaned_.load(std::memory_order_acquire);
  if (ok) {
    std::lock_guard<std::recursive_mutex> api(api_mutex_);
    result = csoundPerformKsmps(cs);
    if (result >= CSOUND_EXITJMP_SUCCESS) note_exit_jump();
  }
  perform_state_.store(0, std::memory_order_release);
  return ok;
}

int Csound::perform_buffer() {
  CSOUND* cs = native();
  if (int r = start_if_needed("performBuffer()"); r != 0) return r;
  check_can_perform("performBuffer()");
  PerformScope scope(*this, "performBuffer()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
#if CS_VERSION >= 7
  return perform_buffer_cycles(cs);
#else
  return csoundPerformBuffer(cs);
#endif
}

#if CS_VERSION >= 7
// Csound 7 has no csoundPerformBuffer: one "buffer" of -b frames is performed as k-cycles,
// spin filled from input_buffer() and spout copied into output_buffer() for each.
void Csound::size_host_buffers(CSOUND* cs) {
  const std::size_t ksmps = csoundGetKsmps(cs);
  std::size_t frames = requested_frames_ > 0 ? static_cast<std::size_t>(requested_frames_) : ksmps;
  frames = std::max<std::size_t>(ksmps, frames / ksmps * ksmps);
  const std::size_t nout = frames * static_cast<std::size_t>(capi::nchnls(cs));
  const std::size_t nin = frames * static_cast<std::size_t>(capi::nchnls_input(cs));
  if (host_frames_ != frames || host_out_.size() != nout || host_in_.size() != nin) {
    host_frames_ = frames;
    host_out_.assign(nout, 0.0);
    host_in_.assign(nin, 0.0);
  }
}

int Csound::perform_buffer_cycles(CSOUND* cs) {
  size_host_buffers(cs);
  const std::size_t ksmps = csoundGetKsmps(cs);
  const std::size_t out_block = ksmps * static_cast<std::size_t>(capi::nchnls(cs));
  const std::size_t in_block = ksmps * static_cast<std::size_t>(capi::nchnls_input(cs));
  MYFLT* spin = csoundGetSpin(cs);
  const MYFLT* spout = csoundGetSpout(cs);
  for (std::size_t k = 0; k < host_frames_ / ksmps; ++k) {
    if (spin && in_block) std::memcpy(spin, host_in_.data() + k * in_block, in_block * sizeof(double));
    int r = csoundPerformKsmps(cs);
    if (r != 0) return r;
    std::memcpy(host_out_.data() + k * out_block, spout, out_block * sizeof(double));
    if (stop_.load(std::memory_order_acquire)) return 1;
  }
  return 0;
}

// Csound 7 has no csoundKillInstance: the same request is made with the turnoff2_i opcode,
// compiled as global code.
int Csound::kill_instance_v7(double instr, const char* name, int mode, bool allow_release) {
  // Before start() no instance can be active (and Csound 7 evaluates no code): Csound 6's
  // answer for "nothing to kill".
  if (!started()) return CSOUND_ERROR;
  char buf[512];
  // Csound 6 reports CSOUND_ERROR when no instance was active; so does this.
  if (name && *name) {
    if (std::strpbrk(name, "\"\n\r") != nullptr) throw std::invalid_argument("instrument name contains a quote or newline");
    std::snprintf(buf, sizeof buf, "ires active \"%.400s\"\nreturn ires\n", name);
  } else {
    std::snprintf(buf, sizeof buf, "ires active %.17g\nreturn ires\n", instr);
  }
  csoundpp_eval_io io{buf, 0.0};
  guarded(native(), csoundpp_call_eval_code, &io, KeepOutput::Never);
  if (io.value <= 0) return CSOUND_ERROR;
  if (name && *name) {
    if (std::strpbrk(name, "\"\n\r") != nullptr) throw std::invalid_argument("instrument name contains a quote or newline");
    std::snprintf(buf, sizeof buf, "turnoff2_i \"%.400s\", %d, %d\n", name, mode, allow_release ? 1 : 0);
  } else {
    std::snprintf(buf, sizeof buf, "turnoff2_i %.17g, %d, %d\n", instr, mode, allow_release ? 1 : 0);
  }
  return guarded(native(), csoundpp_call_compile_orc, buf);
}
#endif

double* Csound::output_buffer(std::size_t* n) {
  CSOUND* cs = native();
  if (!started()) throw StateError("the output buffer exists only after start()");
#if CS_VERSION >= 7
  size_host_buffers(cs);
  *n = host_out_.size();
  return host_out_.data();
#else
  double* p = csoundGetOutputBuffer(cs);
  if (!p) throw StateError("Csound has no output buffer (it writes no audio: -n?)");
  *n = static_cast<std::size_t>(csoundGetOutputBufferSize(cs));
  return p;
#endif
}

double* Csound::input_buffer(std::size_t* n) {
  CSOUND* cs = native();
  if (!started()) throw StateError("the input buffer exists only after start()");
#if CS_VERSION >= 7
  size_host_buffers(cs);
  *n = host_in_.size();
  return host_in_.data();
#else
  double* p = csoundGetInputBuffer(cs);
  if (!p) throw StateError("Csound has no input buffer (it reads no audio: no -i?)");
  *n = static_cast<std::size_t>(csoundGetInputBufferSize(cs));
  return p;
#endif
}

std::size_t Csound::render_cycles(double* out, std::size_t max_cycles, bool* finished) {
  CSOUND* cs = native();
  if (start_if_needed("render") != 0)
    throw StateError("render: Csound could not start" +
                     (last_errors().empty() ? std::string() : ": " + last_errors()));
  check_can_perform("render");
  PerformScope scope(*this, "render");
  const std::size_t block = static_cast<std::size_t>(csoundGetKsmps(cs)) * capi::nchnls(cs);
  const MYFLT* spout = csoundGetSpout(cs);
  std::size_t n = 0;
  *finished = false;
  while (n < max_cycles) {
    std::lock_guard<std::recursive_mutex> api(api_mutex_);
    if (const int r = csoundPerformKsmps(cs); r != 0) {
      if (r >= CSOUND_EXITJMP_SUCCESS) note_exit_jump();
      *finished = true;
      break;
    }
    std::memcpy(out + n * block, spout, block * sizeof(double));
    ++n;
  }
  return n;
}

void Csound::stop() {
  stop_.store(true, std::memory_order_release);
#if CS_VERSION < 7
  // Csound 7 has no csoundStop: perform() and the performance thread poll stop_ instead.
  if (CSOUND* cs = native_or_null()) csoundStop(cs);
#endif
}

// ---------------------------------------------------------------- events

int Csound::score_event(char type, const double* pfields, long n, bool absolute, bool async) {
  CSOUND* cs = native();
  if (n < 0) throw std::invalid_argument("negative p-field count");
  check_event(type, pfields, static_cast<std::size_t>(n));
  check_not_jumped("a score event");
  if (async) {
#if CS_VERSION >= 7
    if (!started() && queue_before_start(capi::event_text(type, pfields, n))) return 0;
#endif
    // libcsound's async variants queue the p-field *pointer*; keep a copy alive
    // until Csound has dequeued it (see keep_async_pfields).
    // (Csound 7 copies them itself.)
    const double* kept = CS_VERSION >= 7 ? pfields : keep_async_pfields(cs, pfields, n);
    if (absolute) {
      return capi::score_event_absolute(cs, type, kept, n, 0.0, true, started());
    }
    return capi::score_event(cs, type, kept, n, true, started());
  }
  check_compiled("a score event");
#if CS_VERSION >= 7
  if (!started() && queue_before_start(capi::event_text(type, pfields, n))) return 0;
#endif
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  if (absolute) {
    return capi::score_event_absolute(cs, type, pfields, n, 0.0, false, started());
  }
  return capi::score_event(cs, type, pfields, n, false, started());
}

int Csound::score_event_absolute(char type, const double* pfields, long n, double time_offset) {
  CSOUND* cs = native();
  if (n < 0) throw std::invalid_argument("negative p-field count");
  if (!std::isfinite(time_offset)) throw std::invalid_argument("time offset must be finite");
  check_event(type, pfields, static_cast<std::size_t>(n));
  check_compiled("a score event");
#if CS_VERSION >= 7
  if (!started() && queue_before_start(capi::event_text(type, pfields, n))) return 0;
#endif
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  return capi::score_event_absolute(cs, type, pfields, n, time_offset, false, started());
}

const double* Csound::keep_async_pfields(CSOUND* cs, const double* pfields, long n) {
  // Csound drains its async queue at the start of every k-cycle; a copy made at
  // time t is no longer referenced once two k-cycles have been performed after t.
  // Reclaimed here, on the caller's thread, never on the audio thread.
  const std::int64_t now = csoundGetCurrentTimeSamples(cs);
  const std::int64_t horizon = 2 * static_cast<std::int64_t>(csoundGetKsmps(cs));
  std::lock_guard<std::mutex> lock(async_mutex_);
  while (!async_pfields_.empty() && now - async_pfields_.front().first >= horizon) async_pfields_.pop_front();
  async_pfields_.emplace_back(now, std::vector<double>(pfields, pfields + n));
  return async_pfields_.back().second.data();
}

void Csound::input_message(const std::string& text, bool async) {
  CSOUND* cs = native();
  detail::refuse_fatal_score_text(async ? "inputMessageAsync()" : "inputMessage()", text);
#if CS_VERSION >= 7
  if (std::string e = detail::missing_include_error(cs, text); !e.empty()) {  // as read_score: Csound 7 would end the process
    set_errors(e);
    return;
  }
  if (queue_before_start(text)) return;
#endif
  if (!async) {
    check_not_jumped("inputMessage()");
    std::lock_guard<std::recursive_mutex> api(api_mutex_);
#if CS_VERSION >= 7
    // csoundEventString, through the guard: Csound 7's score reader may csoundDie
    guarded(cs, csoundpp_call_read_score, text.c_str(), KeepOutput::Never);
#else
    capi::input_message(cs, text.c_str(), false);
#endif
    return;
  }
  capi::input_message(cs, text.c_str(), true);
}

int Csound::kill_instance(double instr, const char* name, int mode, bool allow_release) {
  CSOUND* cs = native();
  check_compiled("killInstance()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
#if CS_VERSION >= 7
  (void)cs;
  return kill_instance_v7(instr, name, mode, allow_release);
#else
  return csoundKillInstance(cs, instr, const_cast<char*>(name), mode, allow_release ? 1 : 0);
#endif
}

void Csound::set_end_marker(double time) {
  events::check_time(time, "end marker time", true);
  double p[3] = {0.0, time, 0.0};
  CSOUND* cs = native();
  check_compiled("setEndMarker()");
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
#if CS_VERSION >= 7
  if (queue_before_start(capi::event_text('e', p + 1, 1))) return;  // score text: "e <time>"
#endif
  capi::score_event(cs, 'e', p, 2, false, started());
}

// ---------------------------------------------------------------- channels

int Csound::channel_type(const std::string& name) const {
  CSOUND* cs = native();
  controlChannelInfo_t* list = nullptr;
  int n = csoundListChannels(cs, &list);
  int found = -1;
  for (int i = 0; i < n; ++i)
    if (list[i].name && name == list[i].name) {
      found = list[i].type;
      break;
    }
  if (list) csoundDeleteChannelList(cs, list);
  return found;
}

void* Csound::channel_ptr(const std::string& name, int type, int* err) const {
  if (name.empty()) throw std::invalid_argument("channel name must not be empty");
  void* p = nullptr;
  int r = capi::channel_ptr(native(), &p, name.c_str(), type);
  if (err) *err = r;
  return r == CSOUND_SUCCESS ? p : nullptr;
}

void* Csound::lookup_channel(const std::string& name, int type) const {
  if (name.empty()) throw std::invalid_argument("channel name must not be empty");
  void* p = nullptr;
  int r = capi::channel_ptr(native(), &p, name.c_str(), type);
  if (r == CSOUND_SUCCESS && p) return p;
  static const char* kinds[] = {"", "control", "audio", "string", "pvs", "var"};
  int k = type & CSOUND_CHANNEL_TYPE_MASK;
  throw CsoundError("channel '" + name + "' exists with another type than " + (k >= 0 && k <= 5 ? kinds[k] : "?"),
                    r ? r : CSOUND_ERROR);
}

double Csound::control_channel(const std::string& name, int* err) const {
  int e = 0;
  double v = csoundGetControlChannel(native(), name.c_str(), &e);
  if (err) *err = e;
  return v;
}

void Csound::set_control_channel(const std::string& name, double value) {
  auto* p = static_cast<double*>(lookup_channel(name, CSOUND_CONTROL_CHANNEL | CSOUND_INPUT_CHANNEL));
  // the same atomic 8-byte store Csound uses for control channels
  std::atomic_ref<double>(*p).store(value, std::memory_order_relaxed);
}

std::string Csound::string_channel(const std::string& name) const {
  CSOUND* cs = native();
  auto* sd = static_cast<StringDat*>(lookup_channel(name, CSOUND_STRING_CHANNEL | CSOUND_OUTPUT_CHANNEL));
  capi::ChannelLock lock(cs, name.c_str());
  lock.lock();
  std::string out;
  if (sd->data && sd->size > 0) out.assign(sd->data, strnlen(sd->data, static_cast<size_t>(sd->size)));
  lock.unlock();
  return out;
}

void Csound::set_string_channel(const std::string& name, const std::string& value) {
  if (value.find('\0') != std::string::npos) throw std::invalid_argument("string channel value contains a NUL byte");
  lookup_channel(name, CSOUND_STRING_CHANNEL | CSOUND_INPUT_CHANNEL);
  csoundSetStringChannel(native(), name.c_str(), const_cast<char*>(value.c_str()));
}

void Csound::audio_channel(const std::string& name, double* out) const {
  if (!started()) throw StateError("audio channels exist only after start()");
  lookup_channel(name, CSOUND_AUDIO_CHANNEL | CSOUND_OUTPUT_CHANNEL);
  csoundGetAudioChannel(native(), name.c_str(), out);
}

void Csound::set_audio_channel(const std::string& name, const double* in) {
  if (!started()) throw StateError("audio channels exist only after start()");
  lookup_channel(name, CSOUND_AUDIO_CHANNEL | CSOUND_INPUT_CHANNEL);
  csoundSetAudioChannel(native(), name.c_str(), const_cast<double*>(in));
}

// ---------------------------------------------------------------- tables

int Csound::table_length(int table) const { return csoundTableLength(native(), table); }

void Csound::check_table(int table) const {
  if (table <= 0 || csoundTableLength(native(), table) < 0)
    throw CsoundError("function table " + std::to_string(table) + " does not exist");
}

double Csound::table_get(int table, int index) const {
  check_table(table);
  int len = csoundTableLength(native(), table);
  if (index < 0 || index >= len)
    throw std::out_of_range("index " + std::to_string(index) + " outside table " + std::to_string(table) +
                            " of length " + std::to_string(len));
  return capi::table_get(native(), table, index);
}

void Csound::table_set(int table, int index, double value) {
  check_table(table);
  int len = csoundTableLength(native(), table);
  if (index < 0 || index >= len)
    throw std::out_of_range("index " + std::to_string(index) + " outside table " + std::to_string(table) +
                            " of length " + std::to_string(len));
  capi::table_set(native(), table, index, value);
}

void Csound::table_copy_out(int table, double* dest, std::size_t n, bool async) const {
  check_table(table);
  if (n < static_cast<std::size_t>(csoundTableLength(native(), table)))
    throw std::invalid_argument("destination is shorter than table " + std::to_string(table));
  // libcsound's csoundTableCopyOutAsync keeps the caller's pointer and writes
  // later; the copy is done now instead, which is what a caller can rely on.
  (void)async;
  capi::table_copy_out(native(), table, dest);
}

void Csound::table_copy_in(int table, const double* src, std::size_t n, bool async) {
  check_table(table);
  if (n < static_cast<std::size_t>(csoundTableLength(native(), table)))
    throw std::invalid_argument("source is shorter than table " + std::to_string(table));
  (void)async;  // as table_copy_out: the async C variant keeps the caller's pointer
  capi::table_copy_in(native(), table, src);
}

// ---------------------------------------------------------------- messages and callbacks

namespace {
std::atomic<Csound::MessageSink> g_default_sink{nullptr};
}  // namespace

void Csound::set_default_message_sink(MessageSink sink) noexcept {
  g_default_sink.store(sink, std::memory_order_release);
}

void Csound::message_trampoline(CSOUND* cs, int attr, const char* text) {
  if (!text) return;
  if (t_capture && t_capture->size() < 65536) t_capture->append(text);
  auto* self = static_cast<Csound*>(csoundGetHostData(cs));
  if (self && self->messages_to_dispatcher_.load(std::memory_order_acquire)) {
    self->dispatcher_.post_message(attr, text);
    return;
  }
  if (MessageSink sink = g_default_sink.load(std::memory_order_acquire)) {
    sink(cs, attr, text);
    return;
  }
  std::fputs(text, stderr);
}

void Csound::route_messages(bool to_dispatcher) {
  messages_to_dispatcher_.store(to_dispatcher, std::memory_order_release);
  if (CSOUND* cs = native_or_null()) csoundSetMessageStringCallback(cs, &Csound::message_trampoline);
}

void Csound::input_channel_trampoline(CSOUND* cs, const char* name, void* value, const void* type) {
  auto* self = static_cast<Csound*>(csoundGetHostData(cs));
  if (self && self->have_input_fn_.load(std::memory_order_acquire) && self->input_fn_)
    self->input_fn_(cs, name, value, type);
}

void Csound::output_channel_trampoline(CSOUND* cs, const char* name, void* value, const void* type) {
  auto* self = static_cast<Csound*>(csoundGetHostData(cs));
  if (!self || !self->have_output_fn_.load(std::memory_order_acquire)) return;
  if (self->output_async_.load(std::memory_order_acquire)) {
    // outvalue passes a MYFLT* for k/i values and the char data for strings; the
    // type pointer tells which (its first member is the type name, "S" for strings).
    const char* tname = type ? *static_cast<const char* const*>(type) : nullptr;
    if (tname && tname[0] == 'S')
      self->dispatcher_.post_out_string(name, value ? static_cast<const char*>(value) : "");  // outvalue passes the chars
    else
      self->dispatcher_.post_out_control(name, *static_cast<MYFLT*>(value));
    return;
  }
  if (const OutputChannelFn* fn = self->output_fn_.load(std::memory_order_acquire)) (*fn)(cs, name, value, type);
}

void Csound::set_input_channel_callback(InputChannelFn fn) {
  CSOUND* cs = native();
  check_not_busy("setInputChannelCallback()");
  have_input_fn_.store(false);
  input_fn_ = std::move(fn);
  have_input_fn_.store(static_cast<bool>(input_fn_));
  csoundSetInputChannelCallback(cs, input_fn_ ? &Csound::input_channel_trampoline : nullptr);
}

void Csound::set_output_channel_callback(OutputChannelFn fn, bool async) {
  CSOUND* cs = native();
  const OutputChannelFn* installed = nullptr;
  if (fn) {
    std::lock_guard<std::mutex> lock(output_fns_mutex_);
    output_fns_.push_back(std::make_unique<OutputChannelFn>(std::move(fn)));
    installed = output_fns_.back().get();
  }
  const bool any = async || installed;
  // Allowed while a performance thread runs: the trampoline sees either the old or the new
  // (function, async) pair's flags, never a half-written function.
  have_output_fn_.store(false, std::memory_order_release);
  output_fn_.store(installed, std::memory_order_release);
  output_async_.store(async, std::memory_order_release);
  have_output_fn_.store(any, std::memory_order_release);
  if (any || !busy()) csoundSetOutputChannelCallback(cs, any ? &Csound::output_channel_trampoline : nullptr);
}

}  // namespace csoundpp
