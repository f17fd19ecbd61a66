// PerformanceThread: runs one Csound instance on its own thread and takes
// commands from any number of other threads (a native replacement for
// Csound's csPerfThread; no libcsnd6).
//
// Threads
// - The performance thread renders k-cycles (csoundPerformKsmps). At every
//   k-cycle boundary it first executes the commands queued so far, in order,
//   then calls the process callback (if any), renders, and hands the block to
//   the recorder (if recording).
// - Callers (any thread) enqueue commands into a bounded CommandQueue; a full
//   queue throws QueueFullError in the caller and never blocks the audio.
// - Waits (flush, join, eval_code, stop_record) sleep on a futex word with a
//   timeout and call an `interrupt` hook at least every 50 ms (the Python
//   binding runs signal handlers there, so Ctrl-C works).
//
// Real-time contract of the performance thread: no allocation or free in
// csoundpp code, no lock a caller can hold, no GIL unless the user installed
// a callback that runs between k-cycles (process callback, request_callback,
// process-queue tasks, eval_code callbacks). What libcsound itself does inside
// csoundPerformKsmps, csoundScoreEvent, csoundCompileTree, csoundEvalCode is
// out of our hands (compilation allocates).
//
// States: constructed paused (as csPerfThread) -> playing <-> paused ->
// ended (stop(), end of score or error). status() is 0 until ended, then
// positive (stopped / end of score) or negative (Csound error).
#pragma once

#include <csound/csound.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "csoundpp/command_queue.hpp"
#include "csoundpp/csound.hpp"
#include "csoundpp/recorder.hpp"
#include "csoundpp/wait_word.hpp"

namespace csoundpp {

// Thrown by a wait whose interrupt hook returned true (the Python binding then
// raises the pending exception, e.g. KeyboardInterrupt).
struct WaitInterrupted : std::exception {
  const char* what() const noexcept override { return "wait interrupted"; }
};

class PerformanceThread {
 public:
  using Interrupt = std::function<bool()>;        // return true to abandon a wait
  using ProcessFn = std::function<void()>;        // called before every k-cycle
  using Task = std::function<void(Csound&)>;      // runs once at a k-cycle boundary
  using EvalFn = std::function<void(double)>;     // receives an eval_code result
  using Duration = std::chrono::nanoseconds;
  static constexpr Duration kForever{-1};

  static constexpr std::size_t kDefaultCapacity = 16384;
  // Work done per k-cycle boundary while playing (all queued commands while
  // paused): one unit per command, one per event of a score_events batch. A
  // batch is never split: it runs whole at the first boundary with budget
  // left, so all its events are scheduled against the same k-cycle.
  static constexpr std::size_t kCommandsPerCycle = 256;
  // The queue is bounded in commands (capacity) and, for score_events
  // batches, in the work they hold. libcsound inserts every event into a
  // sorted linked list, walking past the events of the same k-cycle, so a
  // batch of r events run at one boundary costs about r + r*r/256 units
  // (batch_work(); ~1.5 us per unit measured with libcsound 6.18: 256-event
  // batches ~3 us per event, one batch of 16000 events ~1.5 s). Batches are
  // accepted while the queued units stay within max_queued_work (default 2^21,
  // about 3 s of work): a full queue never holds more than a few seconds of
  // work (16384 batches of 256 events used to queue 4.2 M events, 12 s).
  static constexpr std::size_t kDefaultMaxQueuedWork = std::size_t{1} << 21;
  static constexpr std::size_t batch_work(std::size_t rows) noexcept { return rows + rows / 16 * (rows / 16); }

  // Starts the thread, paused. The Csound must have been compiled; it is
  // started (csoundStart) here if that was not done yet. Throws StateError
  // when another performance thread already drives this instance.
  explicit PerformanceThread(std::shared_ptr<Csound> csound, std::size_t capacity = kDefaultCapacity,
                             std::size_t max_queued_work = kDefaultMaxQueuedWork);
  // stop() + join(); finishes any recording.
  ~PerformanceThread();
  // The way to make one that may be dropped anywhere: the returned pointer's
  // deleter (release) never deletes the thread from its own performance
  // thread (a callback dropping the last reference: another thread joins and
  // deletes it), waits a bounded time for a thread that does not end (an
  // endless instrument loop: it is then left running, detached, with a
  // message on stderr) and never touches a thread inherited through fork().
  static std::shared_ptr<PerformanceThread> create(std::shared_ptr<Csound> csound,
                                                   std::size_t capacity = kDefaultCapacity);
  static void release(PerformanceThread* p) noexcept;
  // True in a child process forked after this thread was made: it does not
  // run there; waits and commands raise StateError.
  bool forked() const noexcept;
  // A thread that did not end when it was released (left running, detached).
  bool abandoned() const noexcept { return abandoned_.load(std::memory_order_acquire); }
  PerformanceThread(const PerformanceThread&) = delete;
  PerformanceThread& operator=(const PerformanceThread&) = delete;

  const std::shared_ptr<Csound>& csound() const noexcept { return csound_; }
  CSOUND* native() const noexcept { return cs_; }

  // --- state
  int status() const noexcept { return status_.load(std::memory_order_acquire); }
  // True until the performance thread has finished (not only until join()).
  bool is_running() const noexcept { return running_.load(std::memory_order_acquire); }
  bool is_paused() const noexcept { return paused_.load(std::memory_order_acquire); }
  bool joined() const noexcept { return joined_.load(std::memory_order_acquire); }
  bool on_performance_thread() const noexcept;
  std::size_t queue_capacity() const noexcept { return queue_.capacity(); }
  // Work units of score_events batches the queue accepts at once, and queued now.
  std::size_t max_queued_work() const noexcept { return max_queued_work_; }
  std::size_t queued_work() const noexcept { return queued_work_.load(std::memory_order_acquire); }
  std::uint64_t commands_executed() const noexcept { return executed_.load(std::memory_order_acquire); }
  std::uint64_t cycles() const noexcept { return cycles_.load(std::memory_order_acquire); }
  // Commands that reached the performance thread after the performance ended.
  std::uint64_t dropped_after_end() const noexcept { return dropped_.load(std::memory_order_relaxed); }

  // --- commands (non-blocking; QueueFullError when the queue is full,
  // StateError once the performance has ended)
  void play();
  void pause();
  void toggle_pause();
  // Never throws and never fails, whatever the state or queue fill.
  void stop() noexcept;
  void score_event(bool absolute, char type, const double* pfields, std::size_t n);
  // A batch of `rows` events of `cols` p-fields each (row-major, p1 first),
  // queued as ONE command: either all of them are queued or none (QueueFullError
  // when the queue is full in commands or its batches would hold more than
  // max_queued_work() units; std::invalid_argument for a batch whose
  // batch_work() alone exceeds that, which could never be queued),
  // and the performance thread schedules them all at the same k-cycle boundary,
  // in row order. Every value is checked (finite) before anything is queued.
  // The pointer form copies the values; the vector form takes them over.
  void score_events(bool absolute, char type, const double* values, std::size_t rows, std::size_t cols);
  void score_events(bool absolute, char type, std::vector<double>&& values, std::size_t cols);
  void input_message(const std::string& text);
  void set_score_offset_seconds(double seconds);
  void set_end_marker(double time, bool absolute);
  // Parses on the calling thread (CompileError with Csound's diagnostics on a
  // syntax error), merges at the next k-cycle boundary.
  void compile_orc(const std::string& code);
  void request_callback(Task task);
  void set_process_callback(ProcessFn fn);  // empty fn removes it
  // eval_code: runs csoundEvalCode at a k-cycle boundary. Blocking form
  // returns the value (TimeoutError after `timeout`); async form calls fn.
  double eval_code(const std::string& code, Duration timeout, const Interrupt& interrupt = {});
  void eval_code_async(const std::string& code, EvalFn fn);

  // --- process queue (libcsound's setProcessQueue/processQueueTask)
  void set_process_queue();
  bool has_process_queue() const noexcept { return process_queue_.load(std::memory_order_acquire); }
  void process_queue_task(Task task);  // StateError unless set_process_queue() was called
  bool flush_process_queue(Duration timeout, const Interrupt& interrupt = {});

  // --- recording
  struct RecordOptions {
    int samplebits = 16;
    int numbufs = 4;
    std::optional<bool> realtime;  // default: real time when Csound writes to "dac*"
  };
  // Opens the file now (errors raise here), starts recording at the next
  // k-cycle boundary. A recording in progress is stopped first.
  void record(const std::string& path, const RecordOptions& opts, const Interrupt& interrupt = {});
  // Stops recording; when it returns the file is complete and closed.
  void stop_record(const Interrupt& interrupt = {});
  bool recording() const;
  std::uint64_t record_overruns() const;
  std::uint64_t recorded_frames() const;
  // Error reported by the last recording (write/close), empty if none.
  std::string record_error() const;

  // --- waits (not from the performance thread: StateError)
  // Returns once every command queued before the call was executed (or the
  // performance ended). false on timeout; WaitInterrupted when interrupted.
  bool flush(Duration timeout, const Interrupt& interrupt = {});
  // Waits for the end of the performance, then joins. Returns status().
  // Throws TimeoutError on timeout, WaitInterrupted when interrupted.
  int join(Duration timeout, const Interrupt& interrupt = {});

  // Is Csound performing in real time (output to an audio device)?
  bool realtime_output() const;

  // --- the live-thread registry (csoundpp's performance threads, process-wide)
  // (create() registers every thread it makes.)
  // The created thread of this Csound that has not been joined, or nullptr.
  static std::shared_ptr<PerformanceThread> of(const Csound& csound);
  static std::vector<std::shared_ptr<PerformanceThread>> live();
  // Stops every live thread and joins each within what is left of `timeout` (at exit); then
  // waits, within the same bound, for threads already released elsewhere (a last reference
  // dropped on a performance thread is joined and deleted by a helper thread) to be deleted.
  static void stop_all(Duration timeout) noexcept;

  // Opaque state a language binding attaches to this thread (the Python
  // binding keeps the process callback it returns from processCallback()).
  // Destroyed with the thread, after it has been joined.
  std::shared_ptr<void> binding_state;

 private:
  enum Op : std::uint8_t {
    OpPlay = 1, OpPause, OpTogglePause, OpScoreEvent, OpInputMessage, OpScoreOffset, OpEndMarker,
    OpCompileTree, OpTask, OpProcessFn, OpEvalCode, OpRecord, OpStopRecord, OpFlush, OpScoreEvents,
  };
  struct Completion;

  void enqueue(Command cmd, std::unique_ptr<Payload> payload = nullptr);
  void enqueue_transport(int op);  // play/pause/togglePause: ignored after the end
  void enqueue_batch(bool absolute, char type, std::vector<double>&& values, std::size_t cols);
  void run() noexcept;
  void execute(Command& c) noexcept;
  void discard(Command& c) noexcept;  // after the end: complete waiters, drop the rest
  void drain(std::size_t max) noexcept;
  void finish_performance(int status) noexcept;
  bool wait_completion(const std::shared_ptr<Completion>& done, Duration timeout, const Interrupt& interrupt,
                       bool* interrupted);
  static bool more_than_one_cpu() noexcept;
  template <typename Pred>
  bool spin_while_progressing(Pred pred, Duration limit) const noexcept;  // see performance_thread.cpp
  void check_not_performance_thread(const char* what) const;
  void check_not_forked(const char* what) const;
  void leak() noexcept;
  void detach_recorder_from_thread(const Interrupt& interrupt);
  [[noreturn]] static void throw_interrupted() { throw WaitInterrupted(); }

  std::shared_ptr<Csound> csound_;
  CSOUND* cs_;
  std::recursive_mutex* engine_lock_ = nullptr;  // csound_->engine_lock()
  pid_t creator_pid_ = 0;
  std::atomic<bool> abandoned_{false};
  CommandQueue queue_;
  WaitWord wake_;       // callers -> performance thread: new commands / stop
  WaitWord progress_;   // performance thread -> waiters: something completed

  std::atomic<int> status_{0};
  std::atomic<bool> running_{true};
  std::atomic<bool> paused_{true};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> drained_{false};  // final drain after the end is done
  std::atomic<bool> joined_{false};
  std::atomic<bool> process_queue_{false};
  std::atomic<std::uint64_t> executed_{0};
  std::atomic<std::uint64_t> cycles_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::size_t> queued_work_{0};  // batch_work() of queued batches: callers add, the thread subtracts
  const std::size_t max_queued_work_;
  std::atomic<std::thread::id> thread_id_{};

  // Performance-thread-only state.
  Payload* process_fn_ = nullptr;  // current process callback payload
  Recorder* rec_ = nullptr;        // recorder being fed
  const double* spout_ = nullptr;
  std::size_t ksmps_ = 0;
  bool realtime_ = false;
  bool spin_waits_ = true;  // waits spin while the thread progresses (false when confined to one CPU)

  // Caller side.
  std::mutex control_mutex_;   // record/stop_record/join (never taken by the performance thread)
  mutable std::mutex recorder_mutex_;  // guards the two pointers below (short sections only)
  std::shared_ptr<Recorder> recorder_;   // owned here; rec_ points to it while recording
  std::shared_ptr<Recorder> last_recorder_;
  std::mutex parse_mutex_;     // serialises csoundParseOrc calls of callers
  std::thread thread_;
};

}  // namespace csoundpp
