// csoundpp.PerformanceThread / CsoundPerformanceThread and
// Csound.performanceThread(): argument conversion, GIL policy and Python
// callables only; the logic is csoundpp::PerformanceThread.
#include <pybind11/pybind11.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <vector>

#include "common.hpp"
#include "csoundpp/performance_thread.hpp"

namespace csoundpp::bind {

namespace {

using CsPtr = std::shared_ptr<Csound>;
using Duration = PerformanceThread::Duration;

// What Python wants back from a thread (processCallback() returns the
// callable it was given), kept in PerformanceThread::binding_state so that a
// thread made in C++ and handed to Python works the same way.
struct PtState {
  std::mutex mutex;  // guards the two refs below; never held while taking the GIL
  PyRefPtr process_fn;
  PyRefPtr process_data;
};
std::shared_ptr<PtState> state_of(PerformanceThread& pt) {  // called with the GIL held (serialises creation)
  if (!pt.binding_state) pt.binding_state = std::make_shared<PtState>();
  return std::static_pointer_cast<PtState>(pt.binding_state);
}
using PtPtr = std::shared_ptr<PerformanceThread>;

Duration to_duration(const std::optional<double>& seconds) {
  if (!seconds) return PerformanceThread::kForever;
  if (std::isnan(*seconds) || *seconds < 0) throw py::value_error("timeout must be None or a number >= 0");
  if (*seconds > 1e9) return PerformanceThread::kForever;
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(*seconds));
}

// Runs f with the GIL released; Ctrl-C (any signal handler raising) is polled
// every 50 ms by the waits and re-raised here with the GIL held.
template <typename F>
auto released(F&& f) -> decltype(f()) {
  try {
    release_gil nogil;
    return f();
  } catch (const WaitInterrupted&) {
    throw_pending();
  }
}

const PerformanceThread::Interrupt& signals() {
  static const PerformanceThread::Interrupt hook = [] { return check_signals_from_released(); };
  return hook;
}

CsPtr resolve_csound(const py::object& obj) {
  if (py::isinstance<Csound>(obj)) return obj.cast<CsPtr>();
  std::uintptr_t raw = 0;
  try {
    if (py::isinstance<py::int_>(obj)) {
      raw = obj.cast<std::uintptr_t>();
    } else if (py::hasattr(obj, "value") && !py::isinstance<py::str>(obj)) {
      py::object v = obj.attr("value");  // ctypes.c_void_p
      if (!v.is_none()) raw = v.cast<std::uintptr_t>();
    } else {
      raw = 1;  // neither: the type error below
    }
  } catch (const py::cast_error&) {
    throw py::value_error("CSOUND pointer is not an address (an int in 0 .. 2**64-1)");
  }
  if (raw == 1 && !py::isinstance<py::int_>(obj) && !py::hasattr(obj, "value")) {
    throw py::type_error("expected a csoundpp.Csound or a CSOUND pointer (int), got " +
                         py::repr(py::type::of(obj)).cast<std::string>());
  }
  if (!raw) throw py::value_error("CSOUND pointer is NULL");
  auto* native = reinterpret_cast<CSOUND*>(raw);
  if (Csound* c = Csound::find(native)) {
    py::handle h = py::detail::get_object_handle(c, py::detail::get_type_info(typeid(Csound)));
    if (!h) throw py::value_error("this CSOUND pointer belongs to a csoundpp.Csound that Python no longer holds");
    return py::reinterpret_borrow<py::object>(h).cast<CsPtr>();
  }
  // A pointer from elsewhere (ctypes, ctcsound): wrap it without owning it.
  return std::make_shared<Csound>(native, false);
}

PtPtr make_thread(const CsPtr& cs, std::size_t capacity) {
  PtPtr pt;
  {
    release_gil nogil;  // csoundStart may run here
    pt = PerformanceThread::create(cs, capacity);
  }
  return pt;
}

// Calls fn(args...) from the performance thread (with_gil: the result is dropped under the GIL).
template <typename... Args>
void invoke(const PyRefPtr& fn, Args&&... args) noexcept {
  with_gil(fn, [&](py::object& f) { f(std::forward<Args>(args)...); });
}

char event_type(const std::string& opcod) {
  if (opcod.size() != 1) throw py::value_error("opcod must be one character such as 'i', 'f' or 'e'");
  return opcod[0];
}

bool truthy(const py::handle& o) {
  const int r = PyObject_IsTrue(o.ptr());
  if (r < 0) throw py::error_already_set();
  return r != 0;
}

// Fast path of scoreEvent for the common case, a short list/tuple of floats
// and ints: read in place into `out` (no vector, no new references). Returns
// the count, or -1 to let pfields_from handle (and diagnose) anything else.
constexpr std::size_t kFastPfields = 32;
long fast_pfields(const py::handle& obj, double (&out)[kFastPfields]) {
  PyObject* o = obj.ptr();
  if (!PyList_CheckExact(o) && !PyTuple_CheckExact(o)) return -1;
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
  if (n < 0 || static_cast<std::size_t>(n) > kFastPfields) return -1;
  PyObject** items = PySequence_Fast_ITEMS(o);
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* it = items[i];
    if (PyFloat_CheckExact(it)) {
      out[i] = PyFloat_AS_DOUBLE(it);
    } else if (PyLong_CheckExact(it)) {
      out[i] = PyLong_AsDouble(it);
      if (out[i] == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return -1;
      }
    } else {
      return -1;
    }
  }
  return static_cast<long>(n);
}

// scoreEvents: the rows of a 2-D array (read in place when float64 and
// C-contiguous) or of a sequence of equal-length sequences, queued as one
// command with the GIL released.
void score_events_py(PerformanceThread& self, const py::object& absp2mode, const std::string& opcod,
                     const py::object& pfields) {
  const bool absolute = truthy(absp2mode);
  const char type = event_type(opcod);
  if (pfields.is_none()) throw py::type_error("scoreEvents needs a 2-D array or a list of p-field lists, not None");
  if (py::isinstance<py::array>(pfields)) {
    auto arr = py::reinterpret_borrow<py::array>(pfields);
    if (arr.ndim() != 2)
      throw py::value_error("scoreEvents needs a 2-D array of shape (n_events, n_pfields), got " +
                            std::to_string(arr.ndim()) + "-D (use scoreEvent for a single event)");
    py::array a = arr;
    if (!arr.dtype().is(py::dtype::of<double>()) || !(arr.flags() & py::array::c_style)) {
      a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(arr);
      if (!a) throw py::type_error("scoreEvents: the array cannot be converted to float64");
    }
    const auto rows = static_cast<std::size_t>(a.shape(0));
    const auto cols = static_cast<std::size_t>(a.shape(1));
    const double* data = static_cast<const double*>(a.data());
    // `a` keeps the array alive (and unresizable) while the GIL is released.
    released([&] { self.score_events(absolute, type, data, rows, cols); });
    return;
  }
  if (py::isinstance<py::str>(pfields) || py::isinstance<py::bytes>(pfields) || !py::isinstance<py::sequence>(pfields))
    throw py::type_error("scoreEvents needs a 2-D array or a list of p-field lists");
  auto seq = py::reinterpret_borrow<py::sequence>(pfields);
  const std::size_t rows = seq.size();
  std::vector<double> values;
  std::size_t cols = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    py::object row = seq[r];
    if (py::isinstance<py::str>(row) || py::isinstance<py::bytes>(row))
      throw py::type_error("scoreEvents: event " + std::to_string(r) + " is a string, not a list of numbers");
    PFields pf = pfields_from(row);
    if (r == 0) {
      cols = pf.size;
      if (cols == 0) throw py::value_error("scoreEvents: every event needs at least p1");
      values.reserve(rows * cols);
    } else if (pf.size != cols) {
      throw py::value_error("scoreEvents: event " + std::to_string(r) + " has " + std::to_string(pf.size) +
                            " p-fields, event 0 has " + std::to_string(cols) + " (all rows must have the same length)");
    }
    values.insert(values.end(), pf.data, pf.data + pf.size);
  }
  if (rows == 0) return;
  released([&] { self.score_events(absolute, type, std::move(values), cols); });
}

// The garbage collector sees the process callback and its data (an owner
// whose bound method is the callback forms a cycle through the thread) and
// can break the cycle: tp_clear stops the thread and drops both references.
// Readers and writers of PtState's refs all hold the GIL.
void setup_gc(PyHeapTypeObject* heap) {
  auto* type = &heap->ht_type;
  type->tp_flags |= Py_TPFLAGS_HAVE_GC;
  type->tp_traverse = [](PyObject* self, visitproc visit, void* arg) -> int {
    Py_VISIT(Py_TYPE(self));
    if (!py::detail::is_holder_constructed(self)) return 0;
    auto& pt = py::cast<PerformanceThread&>(py::handle(self));
    if (!pt.binding_state) return 0;
    auto* st = static_cast<PtState*>(pt.binding_state.get());
    if (st->process_fn && st->process_fn->obj) Py_VISIT(st->process_fn->obj.ptr());
    if (st->process_data && st->process_data->obj) Py_VISIT(st->process_data->obj.ptr());
    return 0;
  };
  type->tp_clear = [](PyObject* self) -> int {
    if (!py::detail::is_holder_constructed(self)) return 0;
    auto& pt = py::cast<PerformanceThread&>(py::handle(self));
    pt.stop();
    if (!pt.binding_state) return 0;
    auto* st = static_cast<PtState*>(pt.binding_state.get());
    py::object fn, data;  // dropped after the mutex is released
    {
      std::lock_guard<std::mutex> lock(st->mutex);
      if (st->process_fn) fn = std::move(st->process_fn->obj);
      if (st->process_data) data = std::move(st->process_data->obj);
    }
    return 0;
  };
}

std::string path_str(const py::object& p) {
  return py::str(py::module_::import("os").attr("fspath")(p)).cast<std::string>();
}

}  // namespace

void init_performance_thread(py::module_& m) {
  // csoundpp::PerformanceThread itself is the registered type, so a C++
  // pybind11 extension taking csoundpp::PerformanceThread& (or its shared_ptr)
  // receives the very object Python holds, and one made in C++ becomes a full
  // csoundpp.PerformanceThread in Python.
  py::class_<PerformanceThread, PtPtr> cls(m, "PerformanceThread", py::release_gil_before_calling_cpp_dtor(),
                                           py::custom_type_setup(&setup_gc), R"doc(
Runs a Csound instance on a native thread and takes commands from any thread.

PerformanceThread(csound, capacity=16384): ``csound`` is a csoundpp.Csound or
a raw CSOUND pointer (``cs.csound()``). The instance is compiled beforehand
(it is started here if needed). The thread starts paused; ``play()`` starts it.
Every command is queued (bounded, preallocated; a full queue raises
QueueFullError in the caller) and executed in order at the next k-cycle
boundary on the performance thread. ``with cs.performanceThread() as pt:``
plays on entry and stops and joins on exit. Dropping the last reference stops
and joins (without the GIL). Waits (join, flushMessageQueue, evalCode,
stopRecord, record) release the GIL and let Ctrl-C through.
)doc");

  cls.def(py::init([](py::object csound, bool with_process_queue, std::size_t capacity) {
            auto pt = make_thread(resolve_csound(csound), capacity);
            if (with_process_queue) pt->set_process_queue();
            return pt;
          }),
          py::arg("csound"), py::arg("withProcessQueue") = false, py::kw_only(),
          py::arg("capacity") = PerformanceThread::kDefaultCapacity);

  // ------------------------------------------------------------ state
  cls.def("isRunning", &PerformanceThread::is_running,
          "True until the performance thread has finished (end of score, stop() or error), even before join().")
      .def("status", &PerformanceThread::status,
           "0 while playing or paused; positive after stop() or the end of the score; negative after a Csound error.")
      .def("csoundPtr", [](const PerformanceThread& self) { return reinterpret_cast<std::uintptr_t>(self.native()); },
           "The CSOUND pointer as an int.")
      .def_property_readonly("csound", [](const PerformanceThread& self) { return self.csound(); },
                             "The csoundpp.Csound this thread performs (kept alive by the thread).")
      .def_property_readonly("paused", &PerformanceThread::is_paused, "True while paused (as executed by the thread).")
      .def_property_readonly("queue_capacity", &PerformanceThread::queue_capacity, "Capacity of the command queue.")
      .def_property_readonly("commands_executed", &PerformanceThread::commands_executed)
      .def_property_readonly("cycles", &PerformanceThread::cycles, "k-cycles rendered so far.")
      .def_property_readonly("dropped_after_end", &PerformanceThread::dropped_after_end,
                             "Commands that reached the thread only after the performance had ended.")
      .def_property_readonly("recording", &PerformanceThread::recording, "True while a recording is in progress.")
      .def_property_readonly("record_overruns", &PerformanceThread::record_overruns,
                             "Blocks the current/last recording dropped (only possible in real time).")
      .def_property_readonly("recorded_frames", &PerformanceThread::recorded_frames,
                             "Frames the current/last recording wrote to its file.")
      .def_property_readonly("record_error", &PerformanceThread::record_error);

  // ------------------------------------------------------------ transport
  cls.def("play", &PerformanceThread::play, "Continues the performance if it was paused (queued).")
      .def("pause", &PerformanceThread::pause, "Pauses: no k-cycle is rendered, commands are still executed (queued).")
      .def("togglePause", &PerformanceThread::toggle_pause, "Pauses or continues (queued). play/pause/togglePause are ignored once the performance has ended.")
      .def("stop", &PerformanceThread::stop,
           "Stops the performance (cannot be continued). Never blocks, never fails, idempotent; "
           "the thread ends at the next k-cycle boundary. Use join() to wait.")
      .def("join", [](PerformanceThread& self, std::optional<double> timeout) {
             Duration d = to_duration(timeout);
             return released([&] { return self.join(d, signals()); });
           }, py::arg("timeout") = py::none(),
           "Waits for the end of the performance (end of score or stop()), then returns status(). Idempotent. "
           "Releases the GIL; Ctrl-C interrupts it. Raises TimeoutError after `timeout` seconds, StateError "
           "when called from the performance thread.")
      .def("flushMessageQueue", [](PerformanceThread& self, std::optional<double> timeout) {
             Duration d = to_duration(timeout);
             bool ok = released([&] { return self.flush(d, signals()); });
             if (!ok) throw TimeoutError("flushMessageQueue() timed out");
           }, py::arg("timeout") = py::none(),
           "Returns once every command queued before the call has been executed (or the performance has "
           "ended). Works in every state. Releases the GIL. TimeoutError on timeout; StateError from the "
           "performance thread.");

  // ------------------------------------------------------------ events
  cls.def("scoreEvent", [](PerformanceThread& self, py::object absp2mode, const std::string& opcod, py::object pFields) {
             const bool absolute = truthy(absp2mode);
             const char type = event_type(opcod);
             double buf[kFastPfields];
             const long n = fast_pfields(pFields, buf);
             if (n >= 0) {
               self.score_event(absolute, type, buf, static_cast<std::size_t>(n));
               return;
             }
             PFields pf = pfields_from(pFields);
             self.score_event(absolute, type, pf.data, pf.size);
           }, py::arg("absp2mode"), py::arg("opcod"), py::arg("pFields"),
           "Queues a score event; pFields[0] is p1. A float64 numpy array is read without conversion. "
           "absp2mode true: p2 counts from the start of the performance. Never blocks; QueueFullError "
           "when the queue is full, StateError after the end of the performance. An event queued before "
           "a k-cycle boundary with p2 = 0 starts in the k-cycle right after that boundary.")
      .def("scoreEvents", &score_events_py, py::arg("absp2mode"), py::arg("opcod"), py::arg("pFields"),
           "Queues a batch of score events as ONE command: pFields is a 2-D array of shape "
           "(n_events, n_pfields) (float64 C-contiguous is read in place, other arrays are converted) or a "
           "list of equal-length p-field lists. The GIL is released while the batch is checked and queued. "
           "All or nothing: a NaN/inf anywhere raises ValueError and a full queue raises QueueFullError, "
           "with nothing queued. The performance thread schedules every event of the batch at the same "
           "k-cycle boundary, in row order (relative p2 counts from that boundary). Never blocks; StateError "
           "after the end of the performance.")
      .def("inputMessage", [](PerformanceThread& self, const std::string& s) { self.input_message(s); },
           py::arg("s"), "Queues a line of score text (any length), as csoundInputMessage.")
      .def("setScoreOffsetSeconds", &PerformanceThread::set_score_offset_seconds, py::arg("time"),
           "Queues a jump of the score time pointer to `time` seconds.")
      .def("setEndMarker", &PerformanceThread::set_end_marker, py::arg("time"), py::arg("absolute") = false,
           "Queues an 'e' event: the performance ends at `time` (relative to now, or absolute).")
      .def("compileOrc", [](PerformanceThread& self, const std::string& code) {
             released([&] { self.compile_orc(code); });
           }, py::arg("code"),
           "Parses `code` now on the calling thread (CompileError with Csound's diagnostics on a syntax "
           "error) and merges it at the next k-cycle boundary, in order with the other commands.")
      .def("evalCode", [](PerformanceThread& self, const std::string& code, py::object callback, std::optional<double> timeout) -> double {
             if (!callback.is_none()) {
               if (!PyCallable_Check(callback.ptr())) throw py::type_error("callback must be callable");
               PyRefPtr fn = hold(callback);
               self.eval_code_async(code, [fn](double v) { invoke(fn, v); });
               return 0.0;
             }
             Duration d = to_duration(timeout);
             return released([&] { return self.eval_code(code, d, signals()); });
           }, py::arg("code"), py::arg("callback") = py::none(), py::arg("timeout") = 5.0,
           "Runs csoundEvalCode at the next k-cycle boundary. Without callback: blocks (GIL released) and "
           "returns the value; TimeoutError after `timeout` s. With callback: returns 0.0 at once and "
           "calls callback(value) on the performance thread.");

  // ------------------------------------------------------------ callbacks
  cls.def("requestCallback", [](PerformanceThread& self, py::object callback) {
             if (!PyCallable_Check(callback.ptr())) throw py::type_error("callback must be callable");
             PyRefPtr fn = hold(callback);
             CsPtr cs = self.csound();
             self.request_callback([fn, cs](Csound&) { invoke(fn, cs); });
           }, py::arg("callback"),
           "Calls callback(csound) once, on the performance thread between two k-cycles (takes the GIL there). "
           "The callable is kept alive until it ran; exceptions go to sys.unraisablehook.")
      .def("setProcessQueue", &PerformanceThread::set_process_queue,
           "Enables processQueueTask()/flushProcessQueue() (libcsound's process queue).")
      .def("_hasProcessQueue", &PerformanceThread::has_process_queue, "True after setProcessQueue().")
      .def("processQueueTask", [](PerformanceThread& self, py::object func) {
             if (!PyCallable_Check(func.ptr())) throw py::type_error("func must be callable");
             PyRefPtr fn = hold(func);
             CsPtr cs = self.csound();
             self.process_queue_task([fn, cs](Csound&) { invoke(fn, cs); });
           }, py::arg("func"),
           "Queues func(csound) to run on the performance thread at a k-cycle boundary. Needs setProcessQueue().")
      .def("flushProcessQueue", [](PerformanceThread& self, std::optional<double> timeout) {
             Duration d = to_duration(timeout);
             bool ok = released([&] { return self.flush_process_queue(d, signals()); });
             if (!ok) throw TimeoutError("flushProcessQueue() timed out");
           }, py::arg("timeout") = py::none(),
           "Waits until every task queued before the call has run. TimeoutError on timeout.")
      .def("setProcessCallback", [](PerformanceThread& self, py::object function, py::object data) {
             PyRefPtr fn, dt;
             if (!function.is_none()) {
               if (!PyCallable_Check(function.ptr())) throw py::type_error("function must be callable or None");
               fn = hold(function);
               dt = hold(data);
             }
             PerformanceThread::ProcessFn cb;
             if (fn) {
               cb = [fn, dt] {
                 if (dt) invoke(fn, dt->obj);
                 else invoke(fn, py::handle(Py_None));
               };
             }
             self.set_process_callback(std::move(cb));
             auto st = state_of(self);
             PyRefPtr old_fn, old_dt;  // dropped after the mutex is released
             {
               std::lock_guard<std::mutex> lock(st->mutex);
               old_fn = std::exchange(st->process_fn, fn);
               old_dt = std::exchange(st->process_data, dt);
             }
           }, py::arg("function"), py::arg("data") = py::none(),
           "Calls function(data) on the performance thread before every k-cycle (takes the GIL each time). "
           "None removes it. Queued like the other commands. The callable and data are kept alive.")
      .def("processCallback", [](PerformanceThread& self) -> py::object {
             auto st = state_of(self);
             PyRefPtr fn;
             {
               std::lock_guard<std::mutex> lock(st->mutex);
               fn = st->process_fn;
             }
             return fn ? fn->obj : py::none();
           }, "The process callback given to setProcessCallback/setProcessCB, or None.");

  // ------------------------------------------------------------ recording
  cls.def("record", [](PerformanceThread& self, py::object filename, int samplebits, int numbufs, std::optional<bool> realtime) {
             std::string path = path_str(filename);
             PerformanceThread::RecordOptions o;
             o.samplebits = samplebits;
             o.numbufs = numbufs;
             o.realtime = realtime;
             released([&] { self.record(path, o, signals()); });
           }, py::arg("filename"), py::arg("samplebits") = 16, py::arg("numbufs") = 4, py::arg("realtime") = py::none(),
           "Records the output (scaled by 1/0dBFS) from the next k-cycle into `filename`; the format comes "
           "from the extension (wav, aif/aiff, flac, ogg), samplebits 16/24 (PCM) or 32 (float). Not in real "
           "time (no audio device) nothing is dropped: the thread waits for the writer. In real time "
           "(-odac, or realtime=True) blocks that do not fit are counted in record_overruns. The file is "
           "opened here (errors raise here); a recording in progress is finished first.")
      .def("stopRecord", [](PerformanceThread& self) { released([&] { self.stop_record(signals()); }); },
           "Stops recording; when it returns the file is complete and closed. Idempotent. Releases the GIL.");

  // ------------------------------------------------------------ context manager
  cls.def("__enter__", [](PtPtr self) {
         self->play();
         return self;
       })
      .def("__exit__", [](PerformanceThread& self, py::args) {
        self.stop();
        released([&] { self.join(PerformanceThread::kForever, signals()); });
        return false;
      });

  // ctcsound's class: same object, but csound() is a method returning the pointer.
  py::handle meta(reinterpret_cast<PyObject*>(Py_TYPE(cls.ptr())));
  py::dict ns;
  ns["__module__"] = m.attr("__name__");
  ns["__doc__"] = "ctcsound's name for PerformanceThread: CsoundPerformanceThread(cs.csound()) or "
                  "CsoundPerformanceThread(cs). Identical except that csound() is a method returning the "
                  "CSOUND pointer, as in ctcsound.";
  py::object compat = meta("CsoundPerformanceThread", py::make_tuple(cls), ns);
  py::setattr(compat, "csound",
              py::cpp_function([](const PerformanceThread& self) { return reinterpret_cast<std::uintptr_t>(self.native()); },
                               py::is_method(compat), py::name("csound"), "The CSOUND pointer as an int (ctcsound)."));
  m.attr("CsoundPerformanceThread") = compat;

  // Csound.performanceThread(): one live thread per instance, as libcsound.
  py::object csound_cls = m.attr("Csound");
  py::setattr(csound_cls, "performanceThread",
              py::cpp_function([](CsPtr self, bool with_process_queue, std::size_t capacity) -> PtPtr {
                                 PtPtr found = PerformanceThread::of(*self);
                                 if (!found) found = make_thread(self, capacity);
                                 if (with_process_queue) found->set_process_queue();
                                 return found;
                               }, py::is_method(csound_cls), py::name("performanceThread"),
                               py::arg("withProcessQueue") = false, py::kw_only(),
                               py::arg("capacity") = PerformanceThread::kDefaultCapacity,
                               "The PerformanceThread of this instance (created paused on first call; the same "
                               "object until it is joined)."));
}

}  // namespace csoundpp::bind
