// pybind11 face of csoundpp::Csound, core area: construction and lifecycle, options
// and attributes, compile, perform, events and score, channels, tables, audio
// buffers and messages. Argument conversion, GIL policy and numpy views only: the
// behaviour is csoundpp::Csound's. The other APIs' names for these methods come from
// python/csoundpp/_spellings.py.
#include <csound/csound.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "common.hpp"
#include "csoundpp/options.hpp"
#include "csoundpp/events.hpp"

namespace csoundpp::bind {

namespace {

using Hints = ChannelHints;

using CsPtr = std::shared_ptr<Csound>;

std::vector<std::string> strings_from_args(const py::args& args) {
  std::vector<std::string> out;
  auto add = [&](py::handle h) {
    if (py::isinstance<py::str>(h)) {
      out.push_back(h.cast<std::string>());
    } else if (py::isinstance<py::bytes>(h)) {
      out.push_back(h.cast<std::string>());
    } else if (py::isinstance<py::sequence>(h)) {
      for (auto item : h.cast<py::sequence>()) {
        if (!py::isinstance<py::str>(item) && !py::isinstance<py::bytes>(item))
          throw py::type_error("arguments must be strings");
        out.push_back(item.cast<std::string>());
      }
    } else {
      throw py::type_error("arguments must be strings, got " + py::repr(h).cast<std::string>());
    }
  };
  for (auto a : args) add(a);
  for (const auto& s : out)
    if (s.find('\0') != std::string::npos) throw py::value_error("argument contains a NUL byte");
  return out;
}

std::string no_nul(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) throw py::value_error(std::string(what) + " contains a NUL byte");
  return s;
}

char event_type(const py::handle& kind) {
  if (py::isinstance<py::str>(kind)) {
    auto s = kind.cast<std::string>();
    if (s.size() != 1) throw py::value_error("event type must be one character such as 'i', 'f' or 'e'");
    return s[0];
  }
  if (py::isinstance<py::bytes>(kind)) {
    auto s = kind.cast<std::string>();
    if (s.size() != 1) throw py::value_error("event type must be one character");
    return s[0];
  }
  if (py::isinstance<py::int_>(kind)) return events::letter_of(kind.cast<int>());  // CS_INSTR_EVENT, ...
  throw py::type_error("event type must be a one-character string such as 'i'");
}

int send_event(Csound& self, const py::handle& kind, const py::handle& pf, bool absolute, bool async) {
  char t = event_type(kind);
  auto p = pfields_from(pf);
  if (t != 'e' && p.size == 0) throw py::value_error("an event needs at least p1");
  release_gil nogil;
  return self.score_event(t, p.data, static_cast<long>(p.size), absolute, async);
}

py::array_t<double> span_view(std::span<double> s, const Csound& self) {
  return view(s.data(), {static_cast<py::ssize_t>(s.size())}, self.engine());
}

py::object channel_ptr_impl(Csound& self, const std::string& name, int type, std::string& err) {
  int code = 0;
  void* p = self.channel_ptr(name, type, &code);
  if (!p) {
    err = code == CSOUND_MEMORY ? "not enough memory to allocate the channel"
                                : "invalid channel name or type (the channel may exist with another type)";
    return py::none();
  }
  err.clear();
  switch (type & CSOUND_CHANNEL_TYPE_MASK) {
    case CSOUND_CONTROL_CHANNEL:
      return view(static_cast<double*>(p), {1}, self.engine());
    case CSOUND_AUDIO_CHANNEL:
      return view(static_cast<double*>(p), {static_cast<py::ssize_t>(self.ksmps())}, self.engine());
    default: {
      py::object ctypes = py::module_::import("ctypes");
      return ctypes.attr("c_void_p")(reinterpret_cast<std::uintptr_t>(p));
    }
  }
}

int kind_from(const py::handle& kind, const std::string& mode) {
  if (py::isinstance<py::int_>(kind)) return kind.cast<int>();
  return Csound::channel_type_from(kind.cast<std::string>(), mode);
}

void ensure_dispatcher(Csound& self, const std::shared_ptr<CsoundState>& st) {
  if (self.dispatcher().running()) return;
  std::weak_ptr<CsoundState> weak = st;
  self.dispatcher().set_handler([weak](const DispatchRecord* recs, std::size_t n) {
    auto st = weak.lock();
    if (!st) return;
    under_gil(0, [&] {  // one GIL acquisition per batch; the callbacks are (re)assigned under the GIL
      PyRefPtr msg = st->message_fn, out = st->output_fn;
      int mask = st->message_attr;
      for (std::size_t i = 0; i < n; ++i) {
        const DispatchRecord& r = recs[i];
        PyRefPtr fn = r.kind == DispatchRecord::Message ? msg : out;
        if (!fn) continue;
        if (r.kind == DispatchRecord::Message && mask != 0 && (r.attr & CSOUNDMSG_TYPE_MASK) != mask) continue;
        report_errors(fn->obj, 0, [&] {
          if (r.kind == DispatchRecord::Message) {
            fn->obj(r.attr, to_str(r.text, r.len));
          } else if (r.kind == DispatchRecord::OutControl) {
            fn->obj(to_str(r.text, r.name_len), r.value);
          } else {
            auto pl = r.payload();
            fn->obj(to_str(r.text, r.name_len), to_str(pl.data(), pl.size()));
          }
          return 0;
        });
      }
      return 0;
    });
  });
}

// performKsmps in a Python `while not cs.performKsmps():` loop costs mostly its dispatch
// (pybind11's argument machinery ~70 ns against a k-cycle of ~1 us). This METH_NOARGS method
// replaces it on the class: it finds the C++ object directly and, with the GIL released, calls
// Csound::try_perform_ksmps() (perform_ksmps()'s checks in one pass, the engine lock, one
// k-cycle). When that declines, the checked binding kept here runs and starts the instance
// or raises the precise error.
PyObject* g_perform_ksmps_checked = nullptr;  // a strong reference, kept until exit (never released)

// True when this is the interpreter's only thread state: no other thread can be waiting for the
// GIL, so releasing it around a k-cycle (~25 ns of CPU per call, measured) buys nothing. A thread
// that starts meanwhile waits for the end of this k-cycle, as it would for any bytecode. Not with
// -j N: Csound's worker threads may then call a Python callback (invalue) while the k-cycle waits
// for them.
bool only_python_thread() {
  PyThreadState* me = PyThreadState_Get();
  PyThreadState* head = PyInterpreterState_ThreadHead(PyThreadState_GetInterpreter(me));
  return head == me && PyThreadState_Next(head) == nullptr;
}

PyObject* perform_ksmps_fast(PyObject* self, PyObject*) {
  auto v_h = reinterpret_cast<py::detail::instance*>(self)->get_value_and_holder();
  Csound* cs = v_h.holder_constructed() ? v_h.value_ptr<Csound>() : nullptr;
  if (cs) {
    int r = 0;
    bool done;
    if (!cs->multithreaded() && only_python_thread()) {
      done = cs->try_perform_ksmps(r);
    } else {
      Py_BEGIN_ALLOW_THREADS
      done = cs->try_perform_ksmps(r);
      Py_END_ALLOW_THREADS
    }
    if (done) return PyLong_FromLong(r);
  }
  return PyObject_CallOneArg(g_perform_ksmps_checked, self);
}

PyMethodDef g_perform_ksmps_def = {
    "performKsmps", perform_ksmps_fast, METH_NOARGS,
    // "name($self, /)\n--\n\n" gives the method a __text_signature__ (inspect.signature); the
    // rest is its __doc__, pybind11's own form (the stub generator reads it).
    "performKsmps($self, /)\n--\n\n"
    "performKsmps(self: csoundpp._core.Csound) -> int\n\n"
    "Performs one k-cycle (releases the GIL). Returns 0 while performing, non-zero at the end."};

void install_fast_perform_ksmps(py::handle cls) {
  g_perform_ksmps_checked = py::object(cls.attr("__dict__")["performKsmps"]).release().ptr();  // the checked binding
  py::object descr = py::reinterpret_steal<py::object>(
      PyDescr_NewMethod(reinterpret_cast<PyTypeObject*>(cls.ptr()), &g_perform_ksmps_def));
  if (!descr) throw py::error_already_set();
  py::setattr(cls, "performKsmps", descr);
}

}  // namespace

void init_csound(py::module_& m) {
  py::class_<csoundpp::Params>(m, "CsoundParams", "Csound's CSOUND_PARAMS (field names as in ctcsound).")
      .def(py::init([]() {
        csoundpp::Params p;
        std::memset(&p, 0, sizeof p);
        return p;
      }))
#define F(x) .def_readwrite(#x, &csoundpp::Params::x)
      F(debug_mode) F(buffer_frames) F(hardware_buffer_frames) F(displays) F(ascii_graphs) F(postscript_graphs)
      F(message_level) F(tempo) F(ring_bell) F(use_cscore) F(terminate_on_midi) F(heartbeat) F(defer_gen01_load)
      F(midi_key) F(midi_key_cps) F(midi_key_oct) F(midi_key_pch) F(midi_velocity) F(midi_velocity_amp)
      F(no_default_paths) F(number_of_threads) F(syntax_check_only) F(csd_line_counts) F(compute_weights)
      F(realtime_mode) F(sample_accurate) F(sample_rate_override) F(control_rate_override) F(nchnls_override)
      F(nchnls_i_override) F(e0dbfs_override) F(daemon) F(ksmps_override) F(FFT_library)
#undef F
      ;

  py::class_<Hints>(m, "ControlChannelHints", "Hints of a control channel (fields as in ctcsound).")
      .def(py::init<>())
      .def_property("behav", [](const Hints& h) { return h.behav; }, [](Hints& h, int b) {
        if (b < 0 || b > 3) throw py::value_error("behav must be 0..3 (CSOUND_CONTROL_CHANNEL_*)");
        h.behav = b;
      })
      .def_readwrite("dflt", &Hints::dflt)
      .def_readwrite("min", &Hints::min)
      .def_readwrite("max", &Hints::max)
      .def_readwrite("x", &Hints::x)
      .def_readwrite("y", &Hints::y)
      .def_readwrite("width", &Hints::width)
      .def_readwrite("height", &Hints::height)
      .def_readwrite("attributes", &Hints::attributes)
      .def("__repr__", [](const Hints& h) {
        return "ControlChannelHints(behav=" + std::to_string(h.behav) + ", dflt=" + std::to_string(h.dflt) +
               ", min=" + std::to_string(h.min) + ", max=" + std::to_string(h.max) + ")";
      });

  py::class_<Csound, CsPtr> cls(m, "Csound", py::release_gil_before_calling_cpp_dtor(), R"doc(
One Csound instance.

Answers to the names of ctcsound 6 (camelCase), libcsound's Csound 7 API and
the snake_case ctcsound. Calls that render or compile release the GIL. Use it
as a context manager (``with Csound() as cs:``) to clean up and destroy it
deterministically.
)doc");

  cls.def(py::init([](py::object hostData, py::object second, py::object pointer_, py::kwargs kw) {
            py::object host = hostData, opcode_dir = py::none(), ptr = pointer_;
            // ctcsound 6: Csound(hostData, pointer_); libcsound/seed 002: Csound(hostData, opcodeDir, pointer)
            if (!second.is_none()) {
              if (py::isinstance<py::int_>(second)) ptr = second;
              else opcode_dir = second;
            }
            for (auto item : kw) {
              auto k = item.first.cast<std::string>();
              if (k == "host_data") host = py::reinterpret_borrow<py::object>(item.second);
              else if (k == "opcodeDir" || k == "opcode_dir") opcode_dir = py::reinterpret_borrow<py::object>(item.second);
              else if (k == "pointer") ptr = py::reinterpret_borrow<py::object>(item.second);
              else throw py::type_error("Csound() got an unexpected keyword argument '" + k + "'");
            }
            CsPtr cs;
            if (!ptr.is_none()) {
              std::uintptr_t raw = 0;
              try {
                if (py::isinstance<py::int_>(ptr)) raw = ptr.cast<std::uintptr_t>();
                else if (py::hasattr(ptr, "value")) raw = ptr.attr("value").cast<std::uintptr_t>();  // ctypes.c_void_p
                else throw py::type_error("pointer must be an int or ctypes.c_void_p");
              } catch (const py::cast_error&) {
                throw py::value_error("pointer is not an address (an int in 0 .. 2**64-1)");
              }
              if (!raw) throw py::value_error("pointer is NULL");
              if (Csound::find(reinterpret_cast<CSOUND*>(raw)))
                throw py::value_error("this CSOUND pointer is already wrapped by a live csoundpp.Csound; use that object");
              cs = std::make_shared<Csound>(reinterpret_cast<CSOUND*>(raw), false);
            } else {
              std::string dir = opcode_dir.is_none() ? std::string() : opcode_dir.cast<std::string>();
              cs = std::make_shared<Csound>(dir);
            }
            if (!host.is_none()) state_of(*cs)->host_data = hold(host);
            return cs;
          }),
          py::arg("hostData") = py::none(), py::arg("opcodeDir") = py::none(), py::arg("pointer_") = py::none(),
          "Csound(hostData=None, opcodeDir=None, pointer_=None). The second positional argument is an "
          "opcode directory (str) or, as in ctcsound 6, an existing CSOUND pointer (int). Keywords "
          "host_data/opcode_dir/pointer are accepted too. A wrapped pointer is not destroyed by csoundpp.");

  // ------------------------------------------------------------ lifecycle
  cls.def("__enter__", [](CsPtr self) { return self; })
      .def("__exit__", [](Csound& self, py::args) {
        release_gil nogil;
        if (!self.destroyed() && !self.busy()) self.destroy();
        return false;
      })
      .def("destroy", [](Csound& self) {
        release_gil nogil;
        self.destroy();
      }, "Destroys the instance now (idempotent). Views made before stay valid memory but are detached. "
         "Raises StateError while a performance thread runs it.")
      .def_property_readonly("destroyed", &Csound::destroyed)
      .def("csound", [](const Csound& self) { return reinterpret_cast<std::uintptr_t>(self.native()); },
           "The CSOUND* as an int (for CsoundPerformanceThread(cs.csound()) and ctypes).")
      .def("version", [](const Csound&) { return Csound::version(); })
      .def("APIVersion", [](const Csound&) { return Csound::api_version(); })
      .def("hostData", [](Csound& self) -> py::object {
        auto st = state_of(self);
        return st->host_data ? st->host_data->obj : py::none();
      })
      .def("setHostData", [](Csound& self, py::object data) { state_of(self)->host_data = hold(data); })
      .def("loadPlugins", [](Csound& self, const std::string& dir) { return self.load_plugins(dir); });

  // ------------------------------------------------------------ options and attributes
  m.def("_split_options", [](const std::string& text) {
        try {
          return csoundpp::split_options(text);
        } catch (const csoundpp::OptionSyntaxError& e) {
          throw py::value_error(e.what());
        }
      }, py::arg("text"), "The options setOption(text) passes to csoundSetOption, one by one (tests).");
  cls.def("setOption", [](Csound& self, const std::string& option) { return self.set_options(option); }, py::arg("option"),
         "Sets one or several command-line options (before compilation), as a command line would: "
         "'-k 9600', '-o dac -dm0', '--sample-rate 48000'. Returns 0 on success. ValueError for an "
         "unterminated quote or an option missing its value.")
      .def("params", [](Csound& self, py::object p) -> py::object {
        if (p.is_none()) p = py::module_::import("csoundpp._core").attr("CsoundParams")();
        self.get_params(*p.cast<csoundpp::Params*>());
        return p;
      }, py::arg("params") = py::none(), "Fills (or creates) a CsoundParams with the current parameters and returns it.")
      .def("setParams", [](Csound& self, const csoundpp::Params& p) {
        csoundpp::Params copy = p;
        release_gil nogil;
        self.set_params(copy);
      }, py::arg("params"), "Sets the parameters (before compilation). ValueError names a field out of range; "
         "nothing is changed then.")
      .def("sr", &Csound::sr)
      .def("kr", &Csound::kr)
      .def("ksmps", [](const Csound& self) { return static_cast<std::uint32_t>(self.ksmps()); })
      .def("nchnls", [](const Csound& self) { return static_cast<std::uint32_t>(self.nchnls()); })
      .def("nchnlsInput", [](const Csound& self) { return static_cast<std::uint32_t>(self.nchnls_input()); })
      .def("channels", [](const Csound& self, bool is_input) {
        return static_cast<std::uint32_t>(is_input ? self.nchnls_input() : self.nchnls());
      }, py::arg("is_input") = false)
      .def("get0dBFS", &Csound::zero_dbfs)
      .def("A4", &Csound::a4)
      .def("currentTimeSamples", &Csound::current_time_samples)
      .def("sizeOfMYFLT", [](const Csound&) { return Csound::size_of_myflt(); })
      .def("debug", &Csound::debug)
      .def("setDebug", &Csound::set_debug)
      .def("messageLevel", &Csound::message_level)
      .def("setMessageLevel", &Csound::set_message_level)
      .def("systemSr", &Csound::system_sr, py::arg("val") = 0.0);

  // ------------------------------------------------------------ compile
  cls.def("compile_", [](Csound& self, py::args args) {
        auto argv = strings_from_args(args);
        release_gil nogil;
        return self.compile_args(argv, true);
      }, "compile_(*args) or compile_([args]): csoundCompile, argv[0] being the program name ("
         "'csound' is put first when the first argument is an option or a file). Starts Csound. Returns 0 on success.")
      .def("compileArgs", [](Csound& self, py::args args) {
        auto argv = strings_from_args(args);
        release_gil nogil;
        return self.compile_args(argv, false);
      }, "compileArgs(*args): csoundCompileArgs, which does not start. Returns 0 on success.")
      .def("compileOrc", [](Csound& self, const std::string& orc, bool block) {
        no_nul(orc, "orchestra");
        release_gil nogil;
        return self.compile_orc(orc, !block);
      }, py::arg("orc"), py::arg("block") = true,
         "Compiles orchestra code (releases the GIL). block=False uses csoundCompileOrcAsync. Returns 0 on success.")
      .def("compile_orc", [](Csound& self, const std::string& orc, bool async_) {
        no_nul(orc, "orchestra");
        release_gil nogil;
        return self.compile_orc(orc, async_);
      }, py::arg("orc"), py::arg("async_") = false, "compile_orc(orc, async_=False) as in ctcsound's snake_case API.")
      .def("compileOrcAsync", [](Csound& self, const std::string& orc) {
        no_nul(orc, "orchestra");
        release_gil nogil;
        return self.compile_orc(orc, true);
      })
      .def("evalCode", [](Csound& self, const std::string& code) {
        no_nul(code, "code");
        release_gil nogil;
        return self.eval_code(code);
      }, py::arg("code"), "Compiles and evaluates global code, returns the value given to 'return' (releases the GIL).")
      .def("compileCsd", [](Csound& self, const std::string& path, py::object block) {
        no_nul(path, "path");
        release_gil nogil;
        return self.compile_csd(path);
      }, py::arg("path"), py::arg("block") = true, "Compiles a .csd file (releases the GIL). Returns 0 on success.")
      .def("compileCsdText", [](Csound& self, const std::string& text, py::object block) {
        no_nul(text, "CSD text");
        release_gil nogil;
        return self.compile_csd_text(text);
      }, py::arg("code"), py::arg("block") = true, "Compiles CSD text (releases the GIL). Returns 0 on success.")
      .def("compile_csd", [](Csound& self, const std::string& csd, int mode, bool async_) {
        no_nul(csd, "csd");
        if (mode != 0 && mode != 1) throw py::value_error("mode must be 0 (file) or 1 (text)");
        release_gil nogil;
        return mode == 0 ? self.compile_csd(csd) : self.compile_csd_text(csd);
      }, py::arg("csd"), py::arg("mode") = 0, py::arg("async_") = false)
      .def("start", [](Csound& self) {
        release_gil nogil;
        return self.start();
      }, "Prepares Csound for performance (releases the GIL). Returns 0 on success.")
      .def("lastErrors", &Csound::last_errors,
           "Messages Csound printed during the last failed compile/start/evalCode call through this object.");

  // ------------------------------------------------------------ perform
  cls.def("perform", [](Csound& self) {
        bool interrupted = false;
        int r;
        {
          release_gil nogil;
          r = self.perform([&interrupted] { return interrupted = check_signals_from_released(); });
        }
        if (interrupted) throw py::error_already_set();
        return r;
      }, "Performs until the end of the score (> 0), an error (< 0) or stop() (0). Releases the GIL; "
         "Ctrl-C raises KeyboardInterrupt within ~20 ms and leaves the instance usable.")
      .def("performKsmps", [](Csound& self) {
        release_gil nogil;
        return self.perform_ksmps();
      }, "Performs one k-cycle (releases the GIL). Returns 0 while performing, non-zero at the end.")
      .def("performBuffer", [](Csound& self) {
        release_gil nogil;
        return self.perform_buffer();
      }, "Performs one -b buffer (releases the GIL). Returns 0 while performing, non-zero at the end.")
      .def("performKsmpsInto", [](Csound& self, py::object out_obj) {
        // The array itself is written: anything that would need a converted copy is refused.
        if (!py::isinstance<py::array>(out_obj))
          throw py::type_error("performKsmpsInto needs a float64 numpy array, got " +
                               py::repr(py::type::of(out_obj)).cast<std::string>());
        auto out = py::reinterpret_borrow<py::array>(out_obj);
        if (!out.dtype().is(py::dtype::of<double>()))
          throw py::type_error("performKsmpsInto needs a float64 array, got " + py::str(out.dtype()).cast<std::string>());
        if (!(out.flags() & py::array::c_style))
          throw py::value_error("performKsmpsInto needs a C-contiguous array (use np.ascontiguousarray)");
        if (!out.writeable()) throw py::value_error("performKsmpsInto needs a writable array");
        py::buffer_info bi = out.request(true);
        const std::size_t block = static_cast<std::size_t>(self.ksmps()) * self.nchnls();
        if (block == 0 || static_cast<std::size_t>(bi.size) % block != 0)
          throw py::value_error("output size must be a multiple of ksmps*nchnls = " + std::to_string(block));
        bool finished = false;
        std::size_t n;
        {
          release_gil nogil;
          n = self.render_cycles(static_cast<double*>(bi.ptr), bi.size / block, &finished);
        }
        return py::make_tuple(n, finished);
      }, py::arg("out"),
         "Fast path: renders len(out)/(ksmps*nchnls) k-cycles in one call (GIL released), copying each "
         "k-cycle's interleaved spout into out. Returns (cycles_rendered, finished).")
      .def("render", [](Csound& self, std::size_t cycles) {
        const auto ch = static_cast<py::ssize_t>(self.nchnls());
        const auto ks = static_cast<py::ssize_t>(self.ksmps());
        constexpr auto kMaxBytes = static_cast<std::size_t>(std::numeric_limits<py::ssize_t>::max());
        if (ch <= 0 || ks <= 0 || cycles > kMaxBytes / (sizeof(double) * static_cast<std::size_t>(ks * ch)))
          throw py::value_error("render(" + std::to_string(cycles) + "): that many k-cycles do not fit in memory");
        py::array_t<double> out({static_cast<py::ssize_t>(cycles) * ks, ch});
        bool finished = false;
        std::size_t n;
        {
          release_gil nogil;
          n = self.render_cycles(out.mutable_data(), cycles, &finished);
        }
        if (n < cycles) out.resize({static_cast<py::ssize_t>(n) * ks, ch}, false);
        return out;
      }, py::arg("cycles"),
         "Renders up to `cycles` k-cycles (GIL released) and returns a (frames, nchnls) float64 array; "
         "fewer frames when the score ends.")
      .def("stop", [](Csound& self) { self.stop(); }, "Stops perform() running in another thread (any thread).")
      .def("cleanup", [](Csound& self) {
        release_gil nogil;
        return self.cleanup();
      })
      .def("reset", [](Csound& self) {
        release_gil nogil;
        self.reset();
      }, "Resets for a new performance (releases the GIL). Live numpy views keep the old memory, detached.");

  // ------------------------------------------------------------ events and score
  cls.def("scoreEvent", [](Csound& self, py::object kind, py::object pf) { return send_event(self, kind, pf, false, false); },
          py::arg("type_"), py::arg("pFields"), "Sends a score event ('i', 'f', 'e', ...) with p-fields starting at p1.")
      .def("scoreEventAsync", [](Csound& self, py::object kind, py::object pf) { return send_event(self, kind, pf, false, true); },
           py::arg("type_"), py::arg("pFields"))
      .def("scoreEventAbsolute", [](Csound& self, py::object kind, py::object pf, double offset) {
        char t = event_type(kind);
        auto p = pfields_from(pf);
        release_gil nogil;
        return self.score_event_absolute(t, p.data, static_cast<long>(p.size), offset);
      }, py::arg("type_"), py::arg("pFields"), py::arg("timeOffset") = 0.0)
      .def("scoreEventAbsoluteAsync", [](Csound& self, py::object kind, py::object pf, double offset) {
        char t = event_type(kind);
        auto p = pfields_from(pf);
        release_gil nogil;
        return self.score_event_absolute_async(t, p.data, static_cast<long>(p.size), offset);
      }, py::arg("type_"), py::arg("pFields"), py::arg("timeOffset") = 0.0)
      .def("event", [](Csound& self, py::object kind, py::object pf, bool block, py::object async_) {
        send_event(self, kind, pf, false, async_.is_none() ? !block : async_.cast<bool>());
      }, py::arg("kind"), py::arg("pfields"), py::arg("block") = true, py::arg("async_") = py::none(),
         "Sends an event: kind is 'i'/'f'/'e' or CS_INSTR_EVENT/CS_TABLE_EVENT/CS_END_EVENT; pfields from p1. "
         "block=False (Csound 7) or async_=True (snake_case ctcsound) queues it asynchronously.")
      .def("eventString", [](Csound& self, const std::string& msg, bool block) {
        no_nul(msg, "message");
        release_gil nogil;
        self.input_message(msg, !block);
      }, py::arg("message"), py::arg("block") = true, "Csound 7 style eventString(message, block=True): score lines.")
      .def("event_string", [](Csound& self, const std::string& msg, bool async_) {
        no_nul(msg, "message");
        release_gil nogil;
        self.input_message(msg, async_);
      }, py::arg("message"), py::arg("async_") = false)
      .def("inputMessage", [](Csound& self, const std::string& msg) {
        no_nul(msg, "message");
        release_gil nogil;
        self.input_message(msg, false);
      }, py::arg("message"))
      .def("inputMessageAsync", [](Csound& self, const std::string& msg) {
        no_nul(msg, "message");
        self.input_message(msg, true);
      }, py::arg("message"))
      .def("readScore", [](Csound& self, const std::string& sco) {
        no_nul(sco, "score");
        release_gil nogil;
        return self.read_score(sco, false);
      }, py::arg("sco"), "Reads, preprocesses and schedules score text (releases the GIL). Returns 0 on success.")
      .def("readScoreAsync", [](Csound& self, const std::string& sco) {
        no_nul(sco, "score");
        self.read_score(sco, true);
      }, py::arg("sco"))
      .def("killInstance", [](Csound& self, py::args args, py::kwargs kw) {
        // ctcsound 6: (instr, instrName, mode, allowRelease); Csound 7: (instr, mode, allowRelease=True)
        double instr = 0;
        std::string name;
        int mode = 0;
        bool allow = true;
        std::vector<py::object> a;
        for (auto x : args) a.push_back(py::reinterpret_borrow<py::object>(x));
        if (a.size() == 4) {
          instr = a[0].cast<double>();
          if (!a[1].is_none()) name = a[1].cast<std::string>();
          mode = a[2].cast<int>();
          allow = a[3].cast<bool>();
        } else if (a.size() >= 1 && a.size() <= 3) {
          if (py::isinstance<py::str>(a[0])) name = a[0].cast<std::string>();
          else instr = a[0].cast<double>();
          if (a.size() >= 2) mode = a[1].cast<int>();
          if (a.size() == 3) allow = a[2].cast<bool>();
        } else {
          throw py::type_error("killInstance(instr, mode, allowRelease=True) or killInstance(instr, instrName, mode, allowRelease)");
        }
        if (kw.contains("mode")) mode = kw["mode"].cast<int>();
        if (kw.contains("allowRelease")) allow = kw["allowRelease"].cast<bool>();
        if (mode < 0 || mode > 15) throw py::value_error("mode must be 0..15 (0,1,2 plus 4 and/or 8)");
        if (!std::isfinite(instr)) throw py::value_error("instrument number must be finite");
        release_gil nogil;
        return self.kill_instance(instr, name.empty() ? nullptr : name.c_str(), mode, allow);
      })
      .def("scoreTime", &Csound::score_time)
      .def("isScorePending", &Csound::score_pending)
      .def("setScorePending", &Csound::set_score_pending)
      .def("scoreOffsetSeconds", &Csound::score_offset_seconds)
      .def("setScoreOffsetSeconds", &Csound::set_score_offset_seconds)
      .def("rewindScore", &Csound::rewind_score)
      .def("setEndMarker", [](Csound& self, double t) {
             release_gil nogil;
             self.set_end_marker(t);
           }, py::arg("time"),
           "Schedules an end-of-score event 'e' `time` seconds from now.");

  // ------------------------------------------------------------ channels
  cls.def("controlChannel", [](const Csound& self, const std::string& name) {
        int err = 0;
        double v = self.control_channel(name, &err);
        return py::make_tuple(v, err);
      }, py::arg("name"), "Returns (value, err): err is 0 (CSOUND_SUCCESS) when the channel exists.")
      .def("setControlChannel", [](Csound& self, const std::string& name, double v) { self.set_control_channel(name, v); },
           py::arg("name"), py::arg("val"),
           "Sets a control channel (created if missing). Raises CsoundError if the name is a channel of another type.")
      .def("stringChannel", [](const Csound& self, const std::string& name, py::object ignored) {
        auto s = self.string_channel(name);
        return to_str(s);
      }, py::arg("name"), py::arg("string") = py::none(),
         "Returns the text of a string channel. The ctcsound 6 two-argument form is accepted (the second argument is ignored).")
      .def("setStringChannel", [](Csound& self, const std::string& name, const std::string& v) { self.set_string_channel(name, v); },
           py::arg("name"), py::arg("string"))
      .def("audioChannel", [](const Csound& self, const std::string& name, py::object samples) -> py::object {
        const auto ks = static_cast<py::ssize_t>(self.ksmps());
        py::array_t<double> out;
        if (samples.is_none()) {
          out = py::array_t<double>(ks);
        } else {
          if (!py::isinstance<py::array_t<double>>(samples))
            throw py::type_error("samples must be a float64 numpy array");
          out = samples.cast<py::array_t<double>>();
          if (!(out.flags() & py::array::c_style) || out.size() < ks || !out.writeable())
            throw py::value_error("samples must be a writable contiguous float64 array of at least ksmps = " +
                                  std::to_string(ks) + " elements");
        }
        self.audio_channel(name, out.mutable_data());
        return out;
      }, py::arg("name"), py::arg("samples") = py::none(),
         "Copies ksmps samples of an audio channel into `samples` (or a new array) and returns it.")
      .def("setAudioChannel", [](Csound& self, const std::string& name, py::array_t<double, py::array::c_style | py::array::forcecast> s) {
        const auto ks = static_cast<py::ssize_t>(self.ksmps());
        if (s.size() < ks) throw py::value_error("samples must hold at least ksmps = " + std::to_string(ks) + " values");
        self.set_audio_channel(name, s.data());
      }, py::arg("name"), py::arg("samples"))
      .def("channelPtr", [](Csound& self, const std::string& name, py::object kind, const std::string& mode) {
        std::string err;
        py::object p = channel_ptr_impl(self, name, kind_from(kind, mode), err);
        return py::make_tuple(p, err);
      }, py::arg("name"), py::arg("type_"), py::arg("mode") = "rw",
         "Returns (pointer, error). Control and audio channels come as zero-copy float64 numpy views "
         "(size 1 and ksmps); string/pvs channels as ctypes.c_void_p. type_ is a CSOUND_*_CHANNEL | "
         "CSOUND_INPUT/OUTPUT_CHANNEL int (ctcsound) or 'control'/'audio'/'string'/'pvs' with mode 'r'/'w'/'rw' (Csound 7).")
      .def("_listChannels", [](Csound& self) {
        int n = 0;
        py::list out;
        for (auto& c : self.list_channels(&n)) out.append(py::make_tuple(to_str(c.name), c.type, py::cast(c.hints)));
        return py::make_tuple(out, n);
      }, "Raw channel list: ([(name, type, hints), ...], count_or_error).")
      .def("channelDatasize", &Csound::channel_datasize)
      .def("channelType", &Csound::channel_type, py::arg("name"),
           "The CSOUND_*_CHANNEL | direction bits of an existing channel, or -1.")
      .def("setControlChannelHints", [](Csound& self, const std::string& name, py::object hints, py::kwargs kw) {
        Hints h;
        if (!hints.is_none()) {
          h = hints.cast<Hints>();
        } else {
          h.dflt = 0.01;
          h.max = 1.0;
          if (kw.contains("behav")) h.behav = kw["behav"].cast<int>();
          if (kw.contains("dflt")) h.dflt = kw["dflt"].cast<double>();
          if (kw.contains("min")) h.min = kw["min"].cast<double>();
          if (kw.contains("max")) h.max = kw["max"].cast<double>();
          if (kw.contains("x")) h.x = kw["x"].cast<int>();
          if (kw.contains("y")) h.y = kw["y"].cast<int>();
          if (kw.contains("width")) h.width = kw["width"].cast<int>();
          if (kw.contains("height")) h.height = kw["height"].cast<int>();
          if (kw.contains("attributes") && !kw["attributes"].is_none()) h.attributes = kw["attributes"].cast<std::string>();
        }
        return self.set_control_channel_hints(name, h);
      }, py::arg("name"), py::arg("hints") = py::none(),
         "Sets hints from a ControlChannelHints or keywords (behav, dflt, min, max, x, y, width, height, "
         "attributes). Returns 0 or a Csound error code (e.g. the channel is not a control channel).")
      .def("controlChannelHints", [](Csound& self, const std::string& name) {
        Hints h;
        int r = self.control_channel_hints(name, h);
        if (r != CSOUND_SUCCESS) return py::tuple(py::make_tuple(py::none(), r));
        return py::tuple(py::make_tuple(py::cast(h), r));
      }, py::arg("name"), "Returns (hints, err): hints is None when the channel does not exist or is not a control channel.")
      .def("setInputChannelCallback", [](Csound& self, py::object fn) {
        auto st = state_of(self);
        if (fn.is_none()) {
          self.set_input_channel_callback({});
          st->input_fn = {};
          return;
        }
        int n = arity(fn);
        PyRefPtr ref = hold(fn);
        st->input_fn = ref;
        if (n == 1) {
          // modern form: fn(name) -> value (float or str), called on the performing thread
          self.set_input_channel_callback([ref](CSOUND*, const char* name, void* value, const void* type) {
            const char* tname = type ? *static_cast<const char* const*>(type) : nullptr;
            if (tname && tname[0] == 'S') return;  // string invalue: use the ctcsound (pointer) form
            with_gil(ref, [&](py::object& f) {
              py::object r = f(to_str(name, std::strlen(name)));
              if (!r.is_none()) *static_cast<double*>(value) = r.cast<double>();
            });
          });
        } else {
          // ctcsound form: fn(csound_ptr, name_bytes, value_ptr, channel_type_ptr) with int pointers
          self.set_input_channel_callback([ref](CSOUND* cs, const char* name, void* value, const void* type) {
            with_gil(ref, [&](py::object& f) {
              f(reinterpret_cast<std::uintptr_t>(cs), py::bytes(name), reinterpret_cast<std::uintptr_t>(value),
                reinterpret_cast<std::uintptr_t>(type));
            });
          });
        }
      }, py::arg("function"),
         "invalue callback. fn(name) -> float, or ctcsound's fn(csound, name, valuePtr, chanType) with "
         "int pointers. Runs on the thread that performs, holding the GIL (explicit opt-in).")
      .def("setOutputChannelCallback", [](Csound& self, py::object fn) {
        auto st = state_of(self);
        if (fn.is_none()) {
          self.set_output_channel_callback({}, false);
          st->output_fn = {};
          st->output_raw_fn = {};
          return;
        }
        int n = arity(fn);
        if (n == 2) {
          st->output_fn = hold(fn);
          ensure_dispatcher(self, st);
          self.set_output_channel_callback({}, true);
        } else {
          PyRefPtr ref = hold(fn);
          st->output_raw_fn = ref;
          self.set_output_channel_callback([ref](CSOUND* cs, const char* name, void* value, const void* type) {
            with_gil(ref, [&](py::object& f) {
              f(reinterpret_cast<std::uintptr_t>(cs), py::bytes(name), reinterpret_cast<std::uintptr_t>(value),
                reinterpret_cast<std::uintptr_t>(type));
            });
          }, false);
        }
      }, py::arg("function"),
         "outvalue callback. fn(name, value) is called on the dispatcher thread, never on the thread that "
         "performs (value is a float or str); ctcsound's fn(csound, name, valuePtr, chanType) is called "
         "synchronously on the performing thread.");

  // ------------------------------------------------------------ tables
  cls.def("tableLength", [](const Csound& self, int t) { return self.table_length(t); }, py::arg("table"))
      .def("tableGet", [](const Csound& self, int t, int i) { return self.table_get(t, i); }, py::arg("table"), py::arg("index"))
      .def("tableSet", [](Csound& self, int t, int i, double v) { self.table_set(t, i, v); },
           py::arg("table"), py::arg("index"), py::arg("value"))
      .def("table", [](Csound& self, int t) -> py::object {
        Csound::TableView v;
        {
          release_gil nogil;  // waits for a k-cycle on another thread
          v = self.table_view(t);
        }
        if (!v.data.data()) return py::none();
        return view(v.data.data(), {static_cast<py::ssize_t>(v.data.size())}, v.owner);
      }, py::arg("tableNum"),
         "Zero-copy float64 view of a function table, or None if it does not exist. The view stays valid "
         "memory for as long as it lives: when the table is later redefined with another size (or deleted), "
         "the view keeps the old samples, detached from the table; ask for a new view to see the new table.")
      .def("tableArgs", [](Csound& self, int t) -> py::object {
        Csound::TableView v;
        {
          release_gil nogil;
          v = self.table_args_view(t);
        }
        if (!v.data.data()) return py::none();
        return view(v.data.data(), {static_cast<py::ssize_t>(v.data.size())}, v.owner);
      }, py::arg("tableNum"), "View of the GEN arguments of a table (GEN number first), or None. Detached, like "
                              "table(), when the table is redefined or deleted.")
      .def("tableCopyOut", [](const Csound& self, int t, py::object dest, bool async) -> py::object {
        int len = self.table_length(t);
        if (len < 0) throw CsoundError("function table " + std::to_string(t) + " does not exist");
        py::array_t<double> out;
        if (dest.is_none()) out = py::array_t<double>(len);
        else {
          if (!py::isinstance<py::array_t<double>>(dest)) throw py::type_error("dest must be a float64 numpy array");
          out = dest.cast<py::array_t<double>>();
          if (!(out.flags() & py::array::c_style) || !out.writeable()) throw py::value_error("dest must be writable and contiguous");
        }
        self.table_copy_out(t, out.mutable_data(), static_cast<std::size_t>(out.size()), async);
        return out;
      }, py::arg("table"), py::arg("dest") = py::none(), py::arg("async_") = false)
      .def("tableCopyIn", [](Csound& self, int t, py::array_t<double, py::array::c_style | py::array::forcecast> src, bool async) {
        self.table_copy_in(t, src.data(), static_cast<std::size_t>(src.size()), async);
      }, py::arg("table"), py::arg("src"), py::arg("async_") = false);
  cls.def("tableCopyOutAsync", [](const Csound& self, int t, py::array_t<double> dest) {
        if (!(dest.flags() & py::array::c_style) || !dest.writeable()) throw py::value_error("dest must be writable and contiguous");
        self.table_copy_out(t, dest.mutable_data(), static_cast<std::size_t>(dest.size()), true);
      }, py::arg("table"), py::arg("dest"),
         "Copies table `table` into `dest` now, synchronously: libcsound's async variant keeps the pointer and "
         "writes later, which a caller cannot rely on.")
      .def("tableCopyInAsync", [](Csound& self, int t, py::array_t<double, py::array::c_style | py::array::forcecast> src) {
        self.table_copy_in(t, src.data(), static_cast<std::size_t>(src.size()), true);
      }, py::arg("table"), py::arg("src"),
         "Copies `src` into table `table` now, synchronously (see tableCopyOutAsync).");

  // ------------------------------------------------------------ audio buffers
  cls.def("spin", [](Csound& self) { return span_view(self.spin(), self); },
          "Zero-copy view of the input working buffer (ksmps * nchnls_i, interleaved).")
      .def("spout", [](Csound& self) { return span_view(self.spout(), self); },
           "Zero-copy view of the output working buffer (ksmps * nchnls, interleaved).")
      .def("inputBuffer", [](Csound& self) { return span_view(self.input_buffer(), self); })
      .def("outputBuffer", [](Csound& self) { return span_view(self.output_buffer(), self); })
      .def("inputBufferSize", &Csound::input_buffer_size)
      .def("outputBufferSize", &Csound::output_buffer_size)
      .def("clearSpin", [](Csound& self) { self.clear_spin(); }, "Zeroes the input buffer (StateError before start()).")
      .def("spoutSample", &Csound::spout_sample, py::arg("frame"), py::arg("channel"))
      .def("addSpinSample", &Csound::add_spin_sample, py::arg("frame"), py::arg("channel"), py::arg("sample"))
      .def("setSpinSample", &Csound::set_spin_sample, py::arg("frame"), py::arg("channel"), py::arg("sample"))
      .def("setHostImplementedAudioIO", &Csound::set_host_implemented_audio_io, py::arg("state"), py::arg("bufSize") = 0)
      .def("setHostAudioIO", [](Csound& self) { self.set_host_implemented_audio_io(true, 0); },
           "Disables Csound's own audio I/O (Csound 7 name); use spin/spout.");

  // ------------------------------------------------------------ messages
  cls.def("createMessageBuffer", [](Csound& self, py::object to_std_out, py::object to_stdout, py::object echo) {
        bool on = false;
        for (const py::object& o : {to_std_out, to_stdout, echo})
          if (!o.is_none()) on = o.cast<bool>();
        self.create_message_buffer(on);
      }, py::arg("toStdOut") = py::none(), py::arg("to_stdout") = py::none(), py::arg("echo") = py::none(),
         "Buffers Csound's messages for firstMessage/popFirstMessage/readMessage (replaces any message callback). "
         "toStdOut / to_stdout / echo: also print them.")
      .def("messageCnt", &Csound::message_count)
      .def("firstMessage", [](const Csound& self) -> py::str { return to_str(self.first_message()); })
      .def("firstMessageAttr", &Csound::first_message_attr)
      .def("popFirstMessage", &Csound::pop_first_message)
      .def("readMessage", [](Csound& self) {
        auto m = self.read_message();
        if (!m) return py::tuple(py::make_tuple(py::str(""), 0));
        return py::tuple(py::make_tuple(to_str(m->text), m->attr));
      }, "Pops the first buffered message: (message, attr); ('', 0) when empty.")
      .def("destroyMessageBuffer", [](Csound& self) {
        self.destroy_message_buffer();
        self.route_messages(static_cast<bool>(state_of(self)->message_fn));
      })
      .def("message", [](Csound& self, const std::string& fmt, py::args args) {
        std::string text = fmt;
        if (args.size()) {
          py::object f = py::str(fmt);
          text = (fmt.find('%') != std::string::npos ? f.attr("__mod__")(py::tuple(args)) : f.attr("format")(*args)).cast<std::string>();
        }
        self.message(0, text);
      }, py::arg("fmt"))
      .def("messageS", [](Csound& self, int attr, const std::string& fmt, py::args args) {
        std::string text = fmt;
        if (args.size()) {
          py::object f = py::str(fmt);
          text = (fmt.find('%') != std::string::npos ? f.attr("__mod__")(py::tuple(args)) : f.attr("format")(*args)).cast<std::string>();
        }
        self.message(attr, text);
      }, py::arg("attr"), py::arg("fmt"))
      .def("setMessageStringCallback", [](Csound& self, int attr, py::object fn) {
        auto st = state_of(self);
        if (fn.is_none()) {
          st->message_fn = {};
          self.route_messages(false);
          return;
        }
        st->message_fn = hold(fn);
        st->message_attr = attr;
        ensure_dispatcher(self, st);
        self.route_messages(true);
      }, py::arg("attr"), py::arg("function"),
         "Delivers every message Csound prints to function(attr, text), called on csoundpp's dispatcher "
         "thread shortly after the message is printed (never on the thread that performs). attr=0 delivers "
         "all messages; otherwise only those whose CSOUNDMSG_TYPE_MASK bits equal attr. None restores printing.")
      .def("flushMessages", [](Csound& self, double timeout) {
        bool ok;
        {
          release_gil nogil;
          ok = !self.dispatcher().running() ||
               self.dispatcher().wait_delivered(std::chrono::milliseconds(static_cast<long long>(timeout * 1000)));
        }
        return ok;
      }, py::arg("timeout") = 5.0, "Waits until messages/outvalues printed so far reached their callbacks. False on timeout.")
      .def_property_readonly("droppedMessages", [](Csound& self) { return self.dispatcher().dropped(); },
                             "Messages dropped because the dispatcher ring was full (never blocks the audio thread).");
  install_fast_perform_ksmps(cls);
}

}  // namespace csoundpp::bind
