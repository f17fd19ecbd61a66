// pybind11 face of csoundpp::BlockProcessor: numpy buffers are checked (and
// their pointers collected on the stack) with the GIL held; process() itself
// runs with the GIL released and allocates nothing.
#include <csoundpp/block_processor.hpp>

#include <cmath>
#include <cstring>
#include <optional>

#include "common.hpp"

namespace csoundpp::bind {

namespace {

using BP = BlockProcessor;

enum class Kind { F32, F64 };

Kind kind_of(const py::array& a, const char* what) {
  if (a.dtype().is(py::dtype::of<float>())) return Kind::F32;
  if (a.dtype().is(py::dtype::of<double>())) return Kind::F64;
  throw py::type_error(std::string(what) + " must be float32 or float64 numpy arrays, got dtype " +
                       py::str(a.dtype()).cast<std::string>());
}

// Pointers to the host buffers, collected without allocating.
struct Buffers {
  void* ptr[BP::kMaxChannels] = {};
  void* base = nullptr;  // interleaved
  Kind kind = Kind::F64;
  std::size_t frames = 0;
  bool present = false;
};

void check_array(const py::array& a, const char* what, bool writable) {
  if (!(a.flags() & py::array::c_style)) throw py::value_error(std::string(what) + " must be C-contiguous");
  if (writable && !a.writeable()) throw py::value_error(std::string(what) + " must be writeable");
}

Buffers collect(const py::handle& obj, int channels, bool interleaved, bool writable, const char* what) {
  Buffers b;
  if (obj.is_none()) return b;
  b.present = true;
  if (channels == 0) throw py::value_error(std::string(what) + " given but the processor has 0 such channels");
  if (interleaved || py::isinstance<py::array>(obj)) {
    if (!py::isinstance<py::array>(obj))
      throw py::type_error(std::string(what) + " must be a numpy array of shape (frames, channels)");
    auto a = py::reinterpret_borrow<py::array>(obj);
    b.kind = kind_of(a, what);
    check_array(a, what, writable);
    if (interleaved) {
      if (a.ndim() != 2 || a.shape(1) != channels)
        throw py::value_error(std::string(what) + " must have shape (frames, " + std::to_string(channels) +
                              ") for an interleaved processor");
      b.frames = static_cast<std::size_t>(a.shape(0));
      b.base = const_cast<void*>(a.data());
    } else {
      if (a.ndim() == 1 && channels == 1) {
        b.frames = static_cast<std::size_t>(a.shape(0));
        b.ptr[0] = const_cast<void*>(a.data());
      } else {
        if (a.ndim() != 2 || a.shape(0) != channels)
          throw py::value_error(std::string(what) + " must have shape (" + std::to_string(channels) +
                                ", frames) for a planar processor (or be a list of 1-D arrays)");
        b.frames = static_cast<std::size_t>(a.shape(1));
        const std::size_t item = static_cast<std::size_t>(a.itemsize());
        for (int c = 0; c < channels; ++c)
          b.ptr[c] = static_cast<char*>(const_cast<void*>(a.data())) + c * b.frames * item;
      }
    }
    return b;
  }
  if (!py::isinstance<py::sequence>(obj) || py::isinstance<py::str>(obj))
    throw py::type_error(std::string(what) + " must be a numpy array or a list of 1-D numpy arrays");
  auto seq = py::reinterpret_borrow<py::sequence>(obj);
  if (static_cast<int>(seq.size()) != channels)
    throw py::value_error(std::string(what) + " must hold " + std::to_string(channels) + " arrays, got " +
                          std::to_string(seq.size()));
  for (int c = 0; c < channels; ++c) {
    py::object item = seq[static_cast<std::size_t>(c)];
    if (!py::isinstance<py::array>(item)) throw py::type_error(std::string(what) + " must hold numpy arrays");
    auto a = py::reinterpret_borrow<py::array>(item);
    Kind k = kind_of(a, what);
    check_array(a, what, writable);
    if (a.ndim() != 1) throw py::value_error(std::string(what) + ": each channel must be a 1-D array");
    if (c == 0) {
      b.kind = k;
      b.frames = static_cast<std::size_t>(a.shape(0));
    } else {
      if (k != b.kind) throw py::type_error(std::string(what) + ": all channels must have the same dtype");
      b.frames = std::min(b.frames, static_cast<std::size_t>(a.shape(0)));
    }
    b.ptr[c] = const_cast<void*>(a.data());
  }
  return b;
}

// The Python object: the processor plus the buffer layout chosen at construction.
struct PyBlockProcessor {
  std::unique_ptr<BP> bp;
  bool interleaved = false;
  BP& get() const {
    if (!bp) throw StateError("this BlockProcessor has been closed");
    return *bp;
  }
};

template <typename T>
BP::Status run(BP& bp, const Buffers& in, const Buffers& out, std::size_t n, bool interleaved) {
  release_gil nogil;
  if (interleaved)
    return bp.process_interleaved(static_cast<const T*>(in.base), static_cast<T*>(out.base), n);
  return bp.process(in.present ? reinterpret_cast<const T* const*>(in.ptr) : nullptr,
                    reinterpret_cast<T* const*>(out.ptr), n);
}

bool process(PyBlockProcessor& self, const py::object& inputs, const py::object& outputs,
             std::optional<std::size_t> nframes) {
  BP& bp = self.get();
  const auto& cfg = bp.config();
  if (outputs.is_none() && cfg.host_outputs > 0) throw py::value_error("outputs are required");
  Buffers out = collect(outputs, cfg.host_outputs, self.interleaved, true, "outputs");
  Buffers in = collect(inputs, cfg.host_inputs, self.interleaved, false, "inputs");
  std::size_t n = nframes ? *nframes : (out.present ? out.frames : in.frames);
  if (out.present && n > out.frames)
    throw py::value_error("nframes (" + std::to_string(n) + ") exceeds the outputs' " + std::to_string(out.frames) +
                          " frames");
  if (in.present && n > in.frames)
    throw py::value_error("nframes (" + std::to_string(n) + ") exceeds the inputs' " + std::to_string(in.frames) +
                          " frames");
  if (in.present && out.present && in.kind != out.kind)
    throw py::type_error("inputs and outputs must have the same dtype");
  if (!bp.prepared()) throw StateError("BlockProcessor.process() before start() (or after release())");
  BP::Status st = (out.present ? out.kind : in.kind) == Kind::F32 ? run<float>(bp, in, out, n, self.interleaved)
                                                                    : run<double>(bp, in, out, n, self.interleaved);
  if (st == BP::Status::NotReady)
    throw StateError("the Csound of this BlockProcessor was reset, destroyed or released");
  return st == BP::Status::Finished;
}

}  // namespace

void init_block_processor(py::module_& m) {
  py::class_<ControlHandle>(m, "ControlHandle",
                            "A control channel resolved once. get()/set() are one atomic 8-byte access: safe "
                            "from any thread, no name lookup, no lock.")
      .def("set", &ControlHandle::set, py::arg("value"))
      .def("get", &ControlHandle::get)
      .def_property("value", &ControlHandle::get, &ControlHandle::set)
      .def_property_readonly("name", &ControlHandle::name)
      .def("__repr__", [](const ControlHandle& h) {
        return "<csoundpp.ControlHandle '" + h.name() + "' = " + std::to_string(h.get()) + ">";
      });

  py::class_<StringHandle, std::shared_ptr<StringHandle>>(
      m, "StringHandle",
      "A string channel fed from any thread through a lock-free triple buffer; the processor copies the "
      "newest value into Csound before the next k-cycle.")
      .def("set", [](StringHandle& h, const std::string& v) {
        if (v.size() > h.capacity())
          throw py::value_error("string of " + std::to_string(v.size()) + " bytes exceeds the handle's capacity of " +
                                std::to_string(h.capacity()));
        if (!h.set(v)) throw py::value_error("string contains a NUL byte");
      }, py::arg("value"), "Publishes value (str, at most `capacity` UTF-8 bytes). Any thread; does not block "
                           "the audio thread.")
      .def_property_readonly("capacity", &StringHandle::capacity)
      .def_property_readonly("name", &StringHandle::name);

  py::class_<PyBlockProcessor>(m, "BlockProcessor", py::release_gil_before_calling_cpp_dtor(), R"doc(
Drives a Csound from a host's audio callback, block by block.

BlockProcessor(csound, inputs=0, outputs=2, interleaved=False, variable_blocks=False,
               sample_accurate=True, midi_in=True, midi_out=True, event_capacity=1024,
               midi_capacity=1024)

Create it before compiling: it installs host-implemented audio and MIDI I/O.
Then compile the orchestra, call start(), and call process() from the audio
callback with blocks of any size. Buffers are numpy float32/float64 arrays:
planar (channels, frames) or a list of 1-D arrays; interleaved (frames, channels).
latency is 0 while blocks are multiples of ksmps, else ksmps-1 frames (from the
start with variable_blocks=True). Host full scale (+-1) is Csound's 0dbfs.
)doc")
      .def(py::init([](std::shared_ptr<Csound> cs, int inputs, int outputs, bool interleaved, bool variable_blocks,
                       bool sample_accurate, bool midi_in, bool midi_out, std::size_t event_capacity,
                       std::size_t midi_capacity) {
             if (!cs) throw py::type_error("BlockProcessor needs a csoundpp.Csound");
             BP::Config c;
             c.host_inputs = inputs;
             c.host_outputs = outputs;
             c.variable_blocks = variable_blocks;
             c.sample_accurate = sample_accurate;
             c.midi_in = midi_in;
             c.midi_out = midi_out;
             c.event_capacity = event_capacity;
             c.midi_capacity = midi_capacity;
             auto p = std::make_unique<PyBlockProcessor>();
             p->bp = std::make_unique<BP>(std::move(cs), c);
             p->interleaved = interleaved;
             return p;
           }),
           py::arg("csound"), py::kw_only(), py::arg("inputs") = 0, py::arg("outputs") = 2,
           py::arg("interleaved") = false, py::arg("variable_blocks") = false, py::arg("sample_accurate") = true,
           py::arg("midi_in") = true, py::arg("midi_out") = true, py::arg("event_capacity") = 1024,
           py::arg("midi_capacity") = 1024)
      .def("start", [](PyBlockProcessor& self) {
        BP& bp = self.get();
        release_gil nogil;
        bp.start();
      }, "Starts Csound if needed and prepares the buffers; marks the Csound busy (perform/reset/destroy "
         "elsewhere raise StateError) until release(). Raises CsoundError if Csound cannot start.")
      .def("release", [](PyBlockProcessor& self) {
        if (self.bp) self.bp->release();
      }, "Stops using the Csound (idempotent). process() then raises StateError.")
      .def("close", [](PyBlockProcessor& self) {
        release_gil nogil;
        self.bp.reset();
      }, "Releases the Csound and frees the processor (idempotent).")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyBlockProcessor& self, py::args) {
        release_gil nogil;
        self.bp.reset();
        return false;
      })
      .def("process", &process, py::arg("inputs"), py::arg("outputs"), py::arg("nframes") = py::none(),
           R"doc(Renders nframes (default: the outputs' length) frames.

inputs may be None. Arrays are used in place (C-contiguous, outputs writeable,
inputs and outputs of one dtype). Releases the GIL; the native part neither
allocates nor locks. Returns True once the score has finished (outputs are then
silent). Raises StateError before start() or after release(); ValueError/TypeError
for bad buffers.)doc")
      .def("schedule_event", [](PyBlockProcessor& self, std::int64_t frame, const std::string& type,
                                const py::object& pfields) {
        BP& bp = self.get();
        if (type.size() != 1) throw py::value_error("event type must be one character such as 'i'");
        if (frame < 0) throw py::value_error("frame offset must be >= 0");
        auto p = pfields_from(pfields);
        if (p.size > BP::kMaxPFields)
          throw py::value_error("at most " + std::to_string(BP::kMaxPFields) + " p-fields per scheduled event");
        for (std::size_t i = 0; i < p.size; ++i)
          if (!std::isfinite(p.data[i])) throw py::value_error("p-fields must be finite numbers");
        if (type[0] == 'i' && p.size < 1) throw py::value_error("an 'i' event needs at least p1");
        if (!bp.schedule_event(frame, type[0], p.data, p.size)) {
          if (std::strchr("ifeaqdbBstvxmnrwy", type[0]) == nullptr)
            throw py::value_error("unknown score event type '" + type + "'");
          throw QueueFullError("the BlockProcessor's event ring is full");
        }
      }, py::arg("frame"), py::arg("type"), py::arg("pfields"),
         "Queues a score event for `frame` frames into the next process() block (lock-free, any thread). "
         "With sample_accurate an 'i' note starts on that frame; p2 is added as a further delay in seconds. "
         "Raises QueueFullError when the ring is full.")
      .def("send_midi", [](PyBlockProcessor& self, std::int64_t frame, const py::bytes& data) {
        BP& bp = self.get();
        std::string b = data;
        if (frame < 0) throw py::value_error("frame offset must be >= 0");
        if (!bp.send_midi(frame, reinterpret_cast<const std::uint8_t*>(b.data()), b.size())) {
          if (b.empty() || b.size() > 3 || !(static_cast<unsigned char>(b[0]) & 0x80))
            throw py::value_error("one complete MIDI channel/system message of 1-3 bytes is expected");
          throw QueueFullError("the BlockProcessor's MIDI ring is full (or the message length does not match "
                               "its status byte)");
        }
      }, py::arg("frame"), py::arg("message"),
         "Queues one MIDI message (bytes) for `frame` frames into the next block. Csound receives it in the "
         "k-cycle containing that frame. Lock-free, any thread.")
      .def("midi_out", [](PyBlockProcessor& self) {
        BP& bp = self.get();
        py::list out;
        MidiMessage m;
        while (bp.pop_midi_out(m))
          out.append(py::make_tuple(m.frame, py::bytes(reinterpret_cast<const char*>(m.bytes), m.size)));
        return out;
      }, "MIDI written by Csound since the last call: list of (absolute output frame, bytes).")
      .def("control_handle", [](PyBlockProcessor& self, const std::string& name) {
        return self.get().control_handle(name);
      }, py::arg("name"), "A ControlHandle for the control channel `name` (created if missing).")
      .def("string_handle", [](PyBlockProcessor& self, const std::string& name, std::size_t capacity) {
        return self.get().string_handle(name, capacity);
      }, py::arg("name"), py::arg("capacity") = 255,
         "A StringHandle for the string channel `name`; Csound's buffer is preallocated to capacity bytes.")
      .def_property_readonly("latency", [](const PyBlockProcessor& s) { return s.get().latency(); },
                             "Frames between an input frame (or event) and the output it produces.")
      .def_property_readonly("frames_processed", [](const PyBlockProcessor& s) { return s.get().frames_processed(); })
      .def_property_readonly("finished", [](const PyBlockProcessor& s) { return s.get().finished(); })
      .def_property_readonly("prepared", [](const PyBlockProcessor& s) { return s.bp && s.bp->prepared(); })
      .def_property_readonly("ksmps", [](const PyBlockProcessor& s) { return s.get().ksmps(); })
      .def_property_readonly("nchnls", [](const PyBlockProcessor& s) { return s.get().nchnls(); })
      .def_property_readonly("nchnls_i", [](const PyBlockProcessor& s) { return s.get().nchnls_i(); })
      .def_property_readonly("sr", [](const PyBlockProcessor& s) { return s.get().sample_rate(); })
      .def_property_readonly("inputs", [](const PyBlockProcessor& s) { return s.get().config().host_inputs; })
      .def_property_readonly("outputs", [](const PyBlockProcessor& s) { return s.get().config().host_outputs; })
      .def_property_readonly("interleaved", [](const PyBlockProcessor& s) { return s.interleaved; })
      .def_property_readonly("late_events", [](const PyBlockProcessor& s) { return s.get().late_events(); })
      .def_property_readonly("csound", [](const PyBlockProcessor& s) { return s.get().csound_ptr(); },
                             "The csoundpp.Csound this processor drives.");
}

}  // namespace csoundpp::bind
