#include "csoundpp/performance_thread.hpp"

#include "capi.hpp"
#include "csoundpp/events.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <pthread.h>
#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#endif

#include "csoundpp/errors.hpp"
#include "exit_guard.h"
#include "score_text.hpp"

namespace csoundpp {

// ------------------------------------------------------------------ payloads
// Allocated by callers, read by the performance thread, deleted by callers
// (CommandQueue::collect) — never on the performance thread.

struct PerformanceThread::Completion {
  std::atomic<bool> done{false};
  int status = 0;      // 0 executed, 1 discarded because the performance ended
  double value = 0.0;  // eval_code result
};

namespace {

struct DoublesPayload final : Payload {
  std::vector<double> values;
};
// A score_events batch: rows of `cols` p-fields each, row-major.
struct BatchPayload final : Payload {
  std::vector<double> values;
  std::size_t rows = 0;
  std::size_t cols = 0;
};
struct TextPayload final : Payload {
  std::string text;
};
struct TreePayload final : Payload {
  CSOUND* cs = nullptr;
  TREE* tree = nullptr;
  ~TreePayload() override {
    if (tree) csoundDeleteTree(cs, tree);
  }
};
struct TaskPayload final : Payload {
  PerformanceThread::Task fn;
};
struct ProcessPayload final : Payload {
  PerformanceThread::ProcessFn fn;
};
template <typename C>
struct CompletionPayload final : Payload {
  std::shared_ptr<C> done;
};
template <typename C>
struct EvalPayload final : Payload {
  std::string code;
  PerformanceThread::EvalFn fn;
  std::shared_ptr<C> done;
};
struct RecordPayload final : Payload {
  std::shared_ptr<Recorder> rec;
};

bool no_interrupt() { return false; }

// Process id at the last fork: a performance thread made before os.fork()
// does not exist in the child.
std::atomic<pid_t> g_pid{0};
void note_fork_child() { g_pid.store(getpid(), std::memory_order_relaxed); }
pid_t current_pid() {
  static const bool registered = [] {
    g_pid.store(getpid());
    pthread_atfork(nullptr, nullptr, &note_fork_child);
    return true;
  }();
  (void)registered;
  return g_pid.load(std::memory_order_relaxed);
}

// How long dropping the last reference waits for a thread that does not end
// (an instrument in an endless loop) before leaving it running, detached.
constexpr auto kAbandonAfter = std::chrono::seconds(5);

}  // namespace

// ---------------------------------------------------------------- live-thread registry

namespace {
std::mutex g_registry_mutex;
// Threads whose last reference went away and that are not deleted (or left) yet.
std::atomic<int> g_releasing{0};
std::vector<std::weak_ptr<PerformanceThread>>& registry() {
  static auto* r = new std::vector<std::weak_ptr<PerformanceThread>>();  // never destroyed: used at exit
  return *r;
}
}  // namespace

std::shared_ptr<PerformanceThread> PerformanceThread::create(std::shared_ptr<Csound> csound, std::size_t capacity) {
  auto* raw = new PerformanceThread(std::move(csound), capacity);
  std::shared_ptr<PerformanceThread> pt(raw, [](PerformanceThread* p) { release(p); });
  std::lock_guard<std::mutex> lock(g_registry_mutex);  // of(), live() and stop_all() know it
  auto& r = registry();
  std::erase_if(r, [](const auto& w) { return w.expired(); });
  r.push_back(pt);
  return pt;
}

void PerformanceThread::release(PerformanceThread* p) noexcept {
  if (!p) return;
  if (p->forked()) {
    // The thread lives in the parent process only; its Csound is in use there.
    // Nothing here can be joined or freed safely: leave it all.
    p->leak();
    return;
  }
  // Counted until p is deleted (or left): a thread no longer in the registry may still be
  // performing, and its Csound being destroyed; stop_all() (interpreter exit) waits for it.
  g_releasing.fetch_add(1, std::memory_order_acq_rel);
  struct Done {
    ~Done() { g_releasing.fetch_sub(1, std::memory_order_acq_rel); }
  } done;
  if (p->on_performance_thread()) {
    // The last reference went away on the performance thread itself (inside
    // one of its callbacks, or the garbage collector running there): it
    // cannot join itself. Another thread finishes the job (counted from here,
    // so there is no moment in which nobody counts it).
    p->stop();
    g_releasing.fetch_add(1, std::memory_order_acq_rel);
    try {
      std::thread([p] {
        release(p);
        g_releasing.fetch_sub(1, std::memory_order_acq_rel);
      }).detach();
    } catch (...) {
      g_releasing.fetch_sub(1, std::memory_order_acq_rel);
      p->leak();
    }
    return;
  }
  p->stop();
  bool ended = false;
  try {
    ended = p->join(kAbandonAfter, {}) != 0 || !p->is_running();
  } catch (...) {
    ended = !p->is_running();
  }
  if (!ended) {
    std::fprintf(stderr,
                 "csoundpp: a performance thread did not end within %lld s of stop() (an instrument in an "
                 "endless loop?); it is left running and its Csound instance is not freed\n",
                 static_cast<long long>(kAbandonAfter.count()));
    p->leak();
    return;
  }
  delete p;
}

void PerformanceThread::leak() noexcept {
  // Keeps the Csound alive and the std::thread unjoined for the rest of the process.
  abandoned_.store(true, std::memory_order_release);
  if (thread_.joinable()) new std::thread(std::move(thread_));
  new std::shared_ptr<Csound>(csound_);
}

bool PerformanceThread::forked() const noexcept { return creator_pid_ != current_pid(); }

void PerformanceThread::check_not_forked(const char* what) const {
  if (forked())
    throw StateError(std::string(what) + ": this performance thread belongs to the parent process (os.fork()); "
                                         "it does not run in this one");
}

// ------------------------------------------------------------------ lifecycle

PerformanceThread::PerformanceThread(std::shared_ptr<Csound> csound, std::size_t capacity,
                                     std::size_t max_queued_work)
    : csound_(std::move(csound)),
      cs_(nullptr),
      queue_(capacity == 0 ? kDefaultCapacity : capacity),
      max_queued_work_(max_queued_work == 0 ? kDefaultMaxQueuedWork : max_queued_work) {
  creator_pid_ = current_pid();
  if (!csound_) throw std::invalid_argument("PerformanceThread needs a Csound instance");
  cs_ = csound_->native();  // StateError once destroyed
  engine_lock_ = &csound_->engine_lock();
  if (csound_->busy()) throw StateError("another performance thread already drives this Csound instance");
  if (csound_->performing())
    throw StateError("this Csound instance is performing (perform/performKsmps/render) on another thread");
  if (!csound_->started()) {
    int r = csound_->start();
    if (r != 0) throw CsoundError("csoundStart failed: compile an orchestra before creating a performance thread", r);
  }
  spout_ = csoundGetSpout(cs_);
  ksmps_ = static_cast<std::size_t>(csoundGetKsmps(cs_));
  if (!spout_) throw StateError("Csound has no output buffer: compile and start it first");
  realtime_ = realtime_output();
  spin_waits_ = more_than_one_cpu();
  csound_->set_busy(true);
  try {
    thread_ = std::thread([this] { run(); });
  } catch (...) {
    csound_->set_busy(false);
    throw;
  }
}

PerformanceThread::~PerformanceThread() {
  stop();
  if (forked()) {  // deleted directly (not through create()'s deleter) in a forked child
    leak();
    return;
  }
  if (on_performance_thread()) {
    // Destroyed from one of its own callbacks: cannot join itself. The thread
    // ends at the next boundary; leaving it detached is the only safe choice.
    if (thread_.joinable()) thread_.detach();
    return;
  }
  try {
    join(kForever, {});
  } catch (...) {
  }
  queue_.collect();
}

bool PerformanceThread::on_performance_thread() const noexcept {
  return thread_id_.load(std::memory_order_acquire) == std::this_thread::get_id();
}

bool PerformanceThread::realtime_output() const {
  const char* out = csoundGetOutputName(cs_);
  if (!out) return false;
  return std::strncmp(out, "dac", 3) == 0 || std::strncmp(out, "devaudio", 8) == 0;
}

void PerformanceThread::check_not_performance_thread(const char* what) const {
  if (on_performance_thread())
    throw StateError(std::string(what) + " called from the performance thread itself would wait for itself forever");
}

// ------------------------------------------------------------------ the loop

void PerformanceThread::run() noexcept {
  thread_id_.store(std::this_thread::get_id(), std::memory_order_release);
  int st = 0;
  for (;;) {
    const std::uint32_t seen = wake_.load();
    // While playing, a bounded batch per k-cycle: libcsound inserts each event
    // into a sorted list (linear walk), so letting cycles run in between keeps
    // that list short and a burst cannot stall the audio for long.
    drain(paused_.load(std::memory_order_acquire) ? queue_.capacity() : kCommandsPerCycle);
    if (stop_requested_.load(std::memory_order_acquire)) {
      st = 1;
      break;
    }
    if (paused_.load(std::memory_order_acquire)) {
      wake_.wait(seen, std::chrono::milliseconds(100));
      continue;
    }
    if (process_fn_) static_cast<ProcessPayload*>(process_fn_)->fn();
    int r;
    {
      // Uncontended unless another thread calls the Csound directly (compile,
      // events): those wait for the end of this k-cycle instead of racing it.
      std::lock_guard<std::recursive_mutex> engine(*engine_lock_);
      r = csoundPerformKsmps(cs_);
      if (r >= CSOUND_EXITJMP_SUCCESS) csound_->note_exit_jump();
    }
    if (r != 0) {  // end of score (> 0), csoundStop, or error (< 0): no new block
      // exitnow and fatal errors longjmp out of the k-cycle: libcsound reports
      // them as CSOUND_EXITJMP_SUCCESS (256) plus a code; they are errors here.
      st = r >= CSOUND_EXITJMP_SUCCESS ? -(r - CSOUND_EXITJMP_SUCCESS + 1) : r;
      break;
    }
    if (rec_) rec_->write(spout_, ksmps_);
    cycles_.fetch_add(1, std::memory_order_release);
  }
  finish_performance(st);
}

void PerformanceThread::drain(std::size_t max) noexcept {
  Command c;
  std::size_t n = 0;     // commands
  std::size_t work = 0;  // commands + events of batches (the per-cycle budget)
  // Paused: every queued command (at most `max`). Playing (a play executed in
  // this drain switches over): up to kCommandsPerCycle units of work; a batch
  // is executed whole when any budget is left, so its events share a k-cycle.
  while ((paused_.load(std::memory_order_relaxed) ? n < max : work < kCommandsPerCycle) && queue_.pop(c)) {
    work += (c.op == OpScoreEvents && c.payload) ? static_cast<BatchPayload*>(c.payload)->rows : 1;
    execute(c);
    ++n;
    executed_.fetch_add(1, std::memory_order_release);
  }
  if (n) progress_.notify();
}

void PerformanceThread::execute(Command& c) noexcept {
  Payload* p = c.payload;
  bool retire = true;
  std::unique_lock<std::recursive_mutex> engine(*engine_lock_, std::defer_lock);
  switch (c.op) {
    case OpScoreEvent: case OpScoreEvents: case OpInputMessage: case OpScoreOffset: case OpEndMarker:
    case OpCompileTree: case OpEvalCode:
      engine.lock();
      break;
    default: break;
  }
  switch (c.op) {
    case OpPlay: paused_.store(false, std::memory_order_release); break;
    case OpPause: paused_.store(true, std::memory_order_release); break;
    case OpTogglePause: paused_.store(!paused_.load(std::memory_order_acquire), std::memory_order_release); break;
    case OpScoreEvent: {
      const double* pf = p ? static_cast<DoublesPayload*>(p)->values.data() : c.args;
      if (c.flags & 1)
        capi::score_event_absolute(cs_, c.type, pf, static_cast<long>(c.count), 0.0, false, true);
      else
        capi::score_event(cs_, c.type, pf, static_cast<long>(c.count), false, true);
      break;
    }
    case OpScoreEvents: {
      const auto* b = static_cast<BatchPayload*>(p);
      queued_work_.fetch_sub(batch_work(b->rows), std::memory_order_acq_rel);
      const double* row = b->values.data();
      const long cols = static_cast<long>(b->cols);
      for (std::size_t i = 0; i < b->rows; ++i, row += b->cols) {
        if (c.flags & 1)
          capi::score_event_absolute(cs_, c.type, row, cols, 0.0, false, true);
        else
          capi::score_event(cs_, c.type, row, cols, false, true);
      }
      break;
    }
    case OpInputMessage: capi::input_message(cs_, static_cast<TextPayload*>(p)->text.c_str(), false); break;
    case OpScoreOffset: csoundSetScoreOffsetSeconds(cs_, c.args[0]); break;
    case OpEndMarker: {
      double pf[2] = {0.0, c.args[0]};
      if (c.flags & 1)
        capi::score_event_absolute(cs_, 'e', pf, 2, 0.0, false, true);
      else
        capi::score_event(cs_, 'e', pf, 2, false, true);
      break;
    }
    case OpCompileTree: capi::compile_tree(cs_, static_cast<TreePayload*>(p)->tree, false); break;
    case OpTask: {
      auto& fn = static_cast<TaskPayload*>(p)->fn;
      if (fn) fn(*csound_);
      break;
    }
    case OpProcessFn:
      if (process_fn_) queue_.retire(process_fn_);
      process_fn_ = (p && static_cast<ProcessPayload*>(p)->fn) ? p : nullptr;
      retire = (process_fn_ == nullptr);
      break;
    case OpEvalCode: {
      auto* e = static_cast<EvalPayload<Completion>*>(p);
      const double v = csoundEvalCode(cs_, e->code.c_str());
      engine.unlock();
      if (e->fn) e->fn(v);
      if (e->done) {
        e->done->value = v;
        e->done->done.store(true, std::memory_order_release);
      }
      break;
    }
    case OpRecord:
      rec_ = static_cast<RecordPayload*>(p)->rec.get();
      break;
    case OpStopRecord:
      rec_ = nullptr;
      [[fallthrough]];
    case OpFlush:
      static_cast<CompletionPayload<Completion>*>(p)->done->done.store(true, std::memory_order_release);
      break;
    default: break;
  }
  if (retire) queue_.retire(p);
}

void PerformanceThread::discard(Command& c) noexcept {
  Payload* p = c.payload;
  switch (c.op) {
    case OpStopRecord:
      rec_ = nullptr;
      [[fallthrough]];
    case OpFlush: {
      auto& d = static_cast<CompletionPayload<Completion>*>(p)->done;
      d->done.store(true, std::memory_order_release);
      break;
    }
    case OpEvalCode: {
      auto& d = static_cast<EvalPayload<Completion>*>(p)->done;
      if (d) {
        d->status = 1;
        d->value = std::nan("");
        d->done.store(true, std::memory_order_release);
      }
      dropped_.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    case OpPlay:
    case OpPause:
    case OpTogglePause:
    case OpRecord:
      break;
    case OpScoreEvents:
      queued_work_.fetch_sub(batch_work(static_cast<BatchPayload*>(p)->rows), std::memory_order_acq_rel);
      dropped_.fetch_add(static_cast<BatchPayload*>(p)->rows, std::memory_order_relaxed);
      break;
    default: dropped_.fetch_add(1, std::memory_order_relaxed); break;
  }
  queue_.retire(p);
}

void PerformanceThread::finish_performance(int st) noexcept {
  // From here on the performance is over: new commands raise StateError.
  status_.store(st == 0 ? 1 : st, std::memory_order_release);
  queue_.close();
  Command c;
  while (queue_.pop(c)) {
    discard(c);
    executed_.fetch_add(1, std::memory_order_release);
  }
  drained_.store(true, std::memory_order_release);
  progress_.notify();
  if (process_fn_) {
    queue_.retire(process_fn_);
    process_fn_ = nullptr;
  }
  if (rec_) {  // not real time any more: close the file here so it is valid as soon as we end
    try {
      rec_->finish();
    } catch (...) {
    }
    rec_ = nullptr;
  }
  {
    std::lock_guard<std::recursive_mutex> engine(*engine_lock_);
    // closes Csound's own output files, as csPerfThread does (Csound 7 has no
    // csoundCleanup: its output files are completed by reset() or destroy()).
    csound_->cleanup_after_performance();
  }
  csound_->set_busy(false);
  thread_id_.store(std::thread::id{}, std::memory_order_release);
  running_.store(false, std::memory_order_release);
  progress_.notify();
}

// ------------------------------------------------------------------ commands

void PerformanceThread::enqueue(Command cmd, std::unique_ptr<Payload> payload) {
  check_not_forked("a performance thread command");
  if (status_.load(std::memory_order_acquire) != 0)
    throw StateError("the performance has ended (status " + std::to_string(status()) +
                     "); commands sent now would never run");
  switch (queue_.push(cmd, payload)) {
    case CommandQueue::PushResult::Ok: break;
    case CommandQueue::PushResult::Full:
      throw QueueFullError("the performance thread's command queue is full (capacity " +
                           std::to_string(queue_.capacity()) + "); nothing was enqueued");
    case CommandQueue::PushResult::Closed:
      throw StateError("the performance has ended; commands sent now would never run");
  }
  wake_.notify();
}

// Transport commands after the end change nothing that could still be heard:
// they are ignored (as csPerfThread does), unlike events, which raise.
void PerformanceThread::enqueue_transport(int op) {
  if (status_.load(std::memory_order_acquire) != 0 || queue_.closed()) return;
  Command c;
  c.op = op;
  try {
    enqueue(c);
  } catch (const StateError&) {
    // the performance ended between the check and the push: nothing to do
  }
}

void PerformanceThread::play() { enqueue_transport(OpPlay); }

void PerformanceThread::pause() { enqueue_transport(OpPause); }

void PerformanceThread::toggle_pause() { enqueue_transport(OpTogglePause); }

void PerformanceThread::stop() noexcept {
  stop_requested_.store(true, std::memory_order_release);
  wake_.notify();
}

void PerformanceThread::score_event(bool absolute, char type, const double* pfields, std::size_t n) {
  Csound::check_event(type, pfields, n);
  Command c;
  c.op = OpScoreEvent;
  c.type = type;
  c.flags = absolute ? 1 : 0;
  c.count = static_cast<std::uint32_t>(n);
  std::unique_ptr<Payload> payload;
  if (n <= Command::kInline) {
    if (n) std::memcpy(c.args, pfields, n * sizeof(double));
  } else {
    auto d = std::make_unique<DoublesPayload>();
    d->values.assign(pfields, pfields + n);
    payload = std::move(d);
  }
  enqueue(c, std::move(payload));
}

namespace {
// Checks a batch before anything is allocated or queued.
void check_batch(char type, const double* values, std::size_t n, std::size_t cols) {
  if (cols == 0) throw std::invalid_argument("score_events: every event needs at least p1");
  if (cols > static_cast<std::size_t>(Csound::kMaxPfields))
    throw std::invalid_argument("score_events: a score event has at most " + std::to_string(Csound::kMaxPfields) +
                                " p-fields in Csound 6, got " + std::to_string(cols));
  if (n % cols != 0)
    throw std::invalid_argument("score_events: " + std::to_string(n) + " values are not rows of " +
                                std::to_string(cols) + " p-fields");
  for (std::size_t i = 0; i < n; i += cols) {
    try {
      Csound::check_event(type, values + i, cols);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("score_events: event " + std::to_string(i / cols) + ", " + e.what());
    }
  }
}
}  // namespace

void PerformanceThread::score_events(bool absolute, char type, const double* values, std::size_t rows,
                                     std::size_t cols) {
  if (cols != 0 && rows > std::vector<double>().max_size() / cols)
    throw std::invalid_argument("score_events: batch too large");
  check_batch(type, values, rows * cols, cols);
  if (rows == 0) return;
  enqueue_batch(absolute, type, std::vector<double>(values, values + rows * cols), cols);
}

void PerformanceThread::score_events(bool absolute, char type, std::vector<double>&& values, std::size_t cols) {
  check_batch(type, values.data(), values.size(), cols);
  if (values.empty()) return;
  enqueue_batch(absolute, type, std::move(values), cols);
}

void PerformanceThread::enqueue_batch(bool absolute, char type, std::vector<double>&& values, std::size_t cols) {
  const std::size_t rows = values.size() / cols;
  const std::size_t work = rows > (std::size_t{1} << 24) ? SIZE_MAX : batch_work(rows);
  if (work > max_queued_work_)
    throw std::invalid_argument("score_events: a batch of " + std::to_string(rows) +
                                " events is too large for one k-cycle boundary (libcsound inserts each event into a "
                                "sorted list: the cost grows with the square of the batch); send it as several "
                                "batches, or individual events");
  // Reserve the work first; give it back if the command is not queued.
  const std::size_t before = queued_work_.fetch_add(work, std::memory_order_acq_rel);
  if (before + work > max_queued_work_) {
    queued_work_.fetch_sub(work, std::memory_order_acq_rel);
    if (status_.load(std::memory_order_acquire) != 0)
      throw StateError("the performance has ended; commands sent now would never run");
    throw QueueFullError("the performance thread's queue already holds as much score_events work as it accepts "
                         "(about 3 s of libcsound's event insertion); a batch of " + std::to_string(rows) +
                         " events more would exceed that; nothing was enqueued");
  }
  auto b = std::make_unique<BatchPayload>();
  b->rows = rows;
  b->cols = cols;
  b->values = std::move(values);
  Command c;
  c.op = OpScoreEvents;
  c.type = type;
  c.flags = absolute ? 1 : 0;
  c.count = static_cast<std::uint32_t>(cols);
  try {
    enqueue(c, std::move(b));
  } catch (...) {
    queued_work_.fetch_sub(work, std::memory_order_acq_rel);
    throw;
  }
}

void PerformanceThread::input_message(const std::string& text) {
  if (text.find('\0') != std::string::npos) throw std::invalid_argument("input message contains a NUL byte");
  // the checks Csound::input_message makes, here on the caller's thread: on the performance thread
  // (Csound 7 reads input messages with its score reader) the text would crash or hang the process
  detail::refuse_fatal_score_text("PerformanceThread.inputMessage()", text);
#if CS_VERSION >= 7
  if (std::string e = detail::missing_include_error(cs_, text); !e.empty())
    throw CsoundError("PerformanceThread.inputMessage(): " + e.substr(0, e.size() - 1), CSOUND_ERROR);
#endif
  auto t = std::make_unique<TextPayload>();
  t->text = text;
  Command c;
  c.op = OpInputMessage;
  enqueue(c, std::move(t));
}

void PerformanceThread::set_score_offset_seconds(double seconds) {
  events::check_time(seconds, "score offset", true);
  Command c;
  c.op = OpScoreOffset;
  c.args[0] = seconds;
  enqueue(c);
}

void PerformanceThread::set_end_marker(double time, bool absolute) {
  events::check_time(time, "end marker time", true);
  Command c;
  c.op = OpEndMarker;
  c.flags = absolute ? 1 : 0;
  c.args[0] = time;
  enqueue(c);
}

void PerformanceThread::compile_orc(const std::string& code) {
  if (status_.load(std::memory_order_acquire) != 0) throw StateError("the performance has ended");
  auto t = std::make_unique<TreePayload>();
  t->cs = cs_;
  {
    std::lock_guard<std::mutex> lock(parse_mutex_);
    t->tree = csound_->parse_orc(code);
  }
  if (!t->tree) {
    std::string diag = csound_->last_errors();
    throw CompileError("orchestra code did not parse" + (diag.empty() ? std::string() : ":\n" + diag), CSOUND_ERROR);
  }
  Command c;
  c.op = OpCompileTree;
  enqueue(c, std::move(t));
}

void PerformanceThread::request_callback(Task task) {
  if (!task) throw std::invalid_argument("request_callback needs a callable");
  auto t = std::make_unique<TaskPayload>();
  t->fn = std::move(task);
  Command c;
  c.op = OpTask;
  enqueue(c, std::move(t));
}

void PerformanceThread::set_process_callback(ProcessFn fn) {
  auto t = std::make_unique<ProcessPayload>();
  t->fn = std::move(fn);
  Command c;
  c.op = OpProcessFn;
  enqueue(c, std::move(t));
}

void PerformanceThread::set_process_queue() { process_queue_.store(true, std::memory_order_release); }

void PerformanceThread::process_queue_task(Task task) {
  if (!has_process_queue()) throw StateError("processQueueTask() needs setProcessQueue() first");
  request_callback(std::move(task));
}

bool PerformanceThread::flush_process_queue(Duration timeout, const Interrupt& interrupt) {
  if (!has_process_queue()) throw StateError("flushProcessQueue() needs setProcessQueue() first");
  return flush(timeout, interrupt);
}

// ------------------------------------------------------------------ waits

namespace {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// A waiter spins (without sleeping) only while the performance thread keeps
// completing k-cycles or commands; once nothing has moved for kSpinStall it
// goes to sleep on the futex. Free-running, a k-cycle takes 1-5 us and a
// futex sleep/wake round trip 15-30 us (plus a FUTEX_WAKE system call paid on
// the performance thread), so spinning returns within the k-cycle that ran
// the command. When both threads share one CPU the counter cannot move while
// the waiter spins, so the waiter sleeps after kSpinStall and the performance
// thread gets the CPU; while paused or waiting for an audio device the
// counter stands still too. kSpinMax bounds the spin behind a long queue.
constexpr auto kSpinStall = std::chrono::microseconds(3);
constexpr auto kSpinMax = std::chrono::milliseconds(1);

}  // namespace

// The performance thread inherits the affinity of the thread that creates it:
// confined to one CPU (taskset, a one-CPU container) a waiter's spin could only
// delay it, so waits sleep at once.
bool PerformanceThread::more_than_one_cpu() noexcept {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set) > 1;
#endif
  return std::thread::hardware_concurrency() > 1;
}

template <typename Pred>
bool PerformanceThread::spin_while_progressing(Pred pred, Duration limit) const noexcept {
  using clock = std::chrono::steady_clock;
  auto progress = [this] {
    return cycles_.load(std::memory_order_acquire) + executed_.load(std::memory_order_acquire);
  };
  std::uint64_t seen = progress();
  const auto start = clock::now();
  auto moved = start;
  for (;;) {
    for (int i = 0; i < 16; ++i) {
      if (pred()) return true;
      cpu_relax();
    }
    const auto now = clock::now();
    const std::uint64_t p = progress();
    if (p != seen) {
      seen = p;
      moved = now;
    } else if (now - moved > kSpinStall) {
      return false;
    }
    if (now - start > limit) return false;
  }
}

bool PerformanceThread::wait_completion(const std::shared_ptr<Completion>& done, Duration timeout,
                                        const Interrupt& interrupt, bool* interrupted) {
  auto pred = [&] {
    return done->done.load(std::memory_order_acquire) || drained_.load(std::memory_order_acquire);
  };
  if (interrupted) *interrupted = false;
  const Duration spin = timeout.count() < 0 ? Duration(kSpinMax) : std::min<Duration>(timeout, kSpinMax);
  if (spin_waits_ && spin.count() > 0 && spin_while_progressing(pred, spin)) return true;
  return wait_until(progress_, pred, timeout, interrupt ? interrupt : Interrupt(no_interrupt), interrupted);
}

bool PerformanceThread::flush(Duration timeout, const Interrupt& interrupt) {
  check_not_performance_thread("flushMessageQueue()");
  check_not_forked("flushMessageQueue()");
  auto done = std::make_shared<Completion>();
  auto p = std::make_unique<CompletionPayload<Completion>>();
  p->done = done;
  Command c;
  c.op = OpFlush;
  std::unique_ptr<Payload> payload(std::move(p));
  for (;;) {
    if (status_.load(std::memory_order_acquire) != 0) break;  // ended: wait for the final drain below
    auto r = queue_.push(c, payload);
    if (r == CommandQueue::PushResult::Ok) {
      wake_.notify();
      break;
    }
    if (r == CommandQueue::PushResult::Closed) break;
    // Full: everything queued is still ahead of us; wait for room.
    bool intr = false;
    const std::size_t before = queue_.size_approx();
    wait_until(progress_, [&] { return queue_.size_approx() < before || drained_.load(); },
               std::chrono::milliseconds(50), interrupt ? interrupt : Interrupt(no_interrupt), &intr);
    if (intr) throw_interrupted();
  }
  bool intr = false;
  bool ok = wait_completion(done, timeout, interrupt, &intr);
  if (intr) throw_interrupted();
  return ok;
}

int PerformanceThread::join(Duration timeout, const Interrupt& interrupt) {
  check_not_performance_thread("join()");
  check_not_forked("join()");
  bool intr = false;
  bool ok = wait_until(progress_, [&] { return !running_.load(std::memory_order_acquire); }, timeout,
                       interrupt ? interrupt : Interrupt(no_interrupt), &intr);
  if (intr) throw_interrupted();
  if (!ok) throw TimeoutError("join() timed out: the performance is still running");
  std::lock_guard<std::mutex> lock(control_mutex_);
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard<std::mutex> rlock(recorder_mutex_);
    if (recorder_) {
      recorder_->finish();
      last_recorder_ = std::move(recorder_);
    }
  }
  queue_.collect();
  joined_.store(true, std::memory_order_release);
  return status();
}

double PerformanceThread::eval_code(const std::string& code, Duration timeout, const Interrupt& interrupt) {
  check_not_performance_thread("evalCode()");
  auto done = std::make_shared<Completion>();
  auto e = std::make_unique<EvalPayload<Completion>>();
  e->code = code;
  e->done = done;
  Command c;
  c.op = OpEvalCode;
  enqueue(c, std::move(e));
  bool intr = false;
  bool ok = wait_completion(done, timeout, interrupt, &intr);
  if (intr) throw_interrupted();
  if (!ok) throw TimeoutError("evalCode() timed out waiting for the performance thread");
  if (!done->done.load(std::memory_order_acquire) || done->status != 0)
    throw StateError("the performance ended before evalCode() ran");
  if (std::isnan(done->value)) throw CompileError("evalCode(): the code did not compile (see Csound's messages)");
  return done->value;
}

void PerformanceThread::eval_code_async(const std::string& code, EvalFn fn) {
  auto e = std::make_unique<EvalPayload<Completion>>();
  e->code = code;
  e->fn = std::move(fn);
  Command c;
  c.op = OpEvalCode;
  enqueue(c, std::move(e));
}

// ------------------------------------------------------------------ recording

void PerformanceThread::record(const std::string& path, const RecordOptions& opts, const Interrupt& interrupt) {
  check_not_performance_thread("record()");
  check_not_forked("record()");
  std::lock_guard<std::mutex> lock(control_mutex_);
  if (status_.load(std::memory_order_acquire) != 0) throw StateError("record(): the performance has ended");
  detach_recorder_from_thread(interrupt);
  Recorder::Spec spec;
  spec.path = path;
  spec.samplebits = opts.samplebits;
  spec.numbufs = opts.numbufs;
  spec.sr = csoundGetSr(cs_);
  spec.nchnls = capi::nchnls(cs_);
  spec.block_frames = static_cast<int>(ksmps_);
  spec.zero_dbfs = csoundGet0dBFS(cs_);
  spec.lossless = !opts.realtime.value_or(realtime_);
  auto rec = std::make_shared<Recorder>(spec);
  auto p = std::make_unique<RecordPayload>();
  p->rec = rec;
  Command c;
  c.op = OpRecord;
  try {
    enqueue(c, std::move(p));
  } catch (...) {
    rec->finish();
    throw;
  }
  std::lock_guard<std::mutex> rlock(recorder_mutex_);
  recorder_ = std::move(rec);
}

// With control_mutex_ held: makes the performance thread let go of the
// current recorder, then closes the file.
void PerformanceThread::detach_recorder_from_thread(const Interrupt& interrupt) {
  std::shared_ptr<Recorder> rec;
  {
    std::lock_guard<std::mutex> rlock(recorder_mutex_);
    rec = recorder_;
  }
  if (!rec) return;
  auto done = std::make_shared<Completion>();
  auto p = std::make_unique<CompletionPayload<Completion>>();
  p->done = done;
  std::unique_ptr<Payload> payload(std::move(p));
  Command c;
  c.op = OpStopRecord;
  bool queued = false;
  for (;;) {
    if (status_.load(std::memory_order_acquire) != 0) break;
    auto r = queue_.push(c, payload);
    if (r == CommandQueue::PushResult::Ok) {
      queued = true;
      wake_.notify();
      break;
    }
    if (r == CommandQueue::PushResult::Closed) break;
    bool intr = false;  // full: wait for room, the performance thread drains every cycle
    wait_until(progress_, [] { return false; }, std::chrono::milliseconds(20),
               interrupt ? interrupt : Interrupt(no_interrupt), &intr);
    if (intr) throw_interrupted();
  }
  bool intr = false;
  if (queued) {
    wait_completion(done, kForever, interrupt, &intr);
  } else {
    // Ended: the thread drops the recorder before it stops running.
    wait_until(progress_, [&] { return !running_.load(std::memory_order_acquire); }, kForever,
               interrupt ? interrupt : Interrupt(no_interrupt), &intr);
  }
  if (intr) throw_interrupted();
  // The performance thread no longer touches rec: close the file here.
  rec->finish();
  std::lock_guard<std::mutex> rlock(recorder_mutex_);
  last_recorder_ = rec;
  if (recorder_ == rec) recorder_.reset();
}

void PerformanceThread::stop_record(const Interrupt& interrupt) {
  check_not_performance_thread("stopRecord()");
  check_not_forked("stopRecord()");
  std::lock_guard<std::mutex> lock(control_mutex_);
  detach_recorder_from_thread(interrupt);
}

bool PerformanceThread::recording() const {
  std::lock_guard<std::mutex> rlock(recorder_mutex_);
  return recorder_ && !recorder_->finished();
}

std::uint64_t PerformanceThread::record_overruns() const {
  std::lock_guard<std::mutex> rlock(recorder_mutex_);
  const auto& r = recorder_ ? recorder_ : last_recorder_;
  return r ? r->overruns() : 0;
}

std::uint64_t PerformanceThread::recorded_frames() const {
  std::lock_guard<std::mutex> rlock(recorder_mutex_);
  const auto& r = recorder_ ? recorder_ : last_recorder_;
  return r ? r->frames_written() : 0;
}

std::string PerformanceThread::record_error() const {
  std::lock_guard<std::mutex> rlock(recorder_mutex_);
  const auto& r = recorder_ ? recorder_ : last_recorder_;
  return r ? r->error() : std::string();
}

std::vector<std::shared_ptr<PerformanceThread>> PerformanceThread::live() {
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  std::vector<std::shared_ptr<PerformanceThread>> out;
  for (auto& w : registry())
    if (auto p = w.lock()) out.push_back(std::move(p));
  return out;
}

std::shared_ptr<PerformanceThread> PerformanceThread::of(const Csound& csound) {
  for (auto& pt : live())
    if (pt->csound().get() == &csound && !pt->joined()) return pt;
  return nullptr;
}

void PerformanceThread::stop_all(Duration timeout) noexcept {
  auto threads = live();
  for (auto& pt : threads) pt->stop();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (auto& pt : threads) {
    auto left = std::chrono::duration_cast<Duration>(deadline - std::chrono::steady_clock::now());
    try {
      pt->join(std::max(left, Duration(0)), {});
    } catch (...) {
      // still running after the deadline: leave it, the process is exiting
    }
  }
  // Threads already released (no longer in the registry) may still be ending, or their Csound
  // being destroyed, on another thread: the process must not exit under them.
  while (g_releasing.load(std::memory_order_acquire) > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace csoundpp
