// The rest of the ctcsound 6 / libcsound surface on csoundpp.Csound: I/O
// setters, modules and device lists, UDP, utilities, environment, global
// variables, timers, random numbers, named GENs, opcode list, pvs channels,
// channel locks, circular buffers, threading helpers, orchestra trees and the
// Csound-7-only calls (which raise CsoundError naming Csound 7).
//
// Opaque C handles (circular buffers, threads, locks, mutexes, barriers) are the
// checked owners of csoundpp/handles.hpp: a destroyed or foreign handle raises
// instead of crashing.
#include <csound/csound.h>

#include <cstring>

#include "common.hpp"
#include "csoundpp/handles.hpp"
#include "csoundpp/opcode_info.hpp"
#include "csoundpp/system.hpp"

namespace csoundpp::bind {

namespace {

using CsPtr = std::shared_ptr<Csound>;

std::string no_nul(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) throw py::value_error(std::string(what) + " contains a NUL byte");
  return s;
}

py::object opt_str(const std::optional<std::string>& s) {
  if (!s) return py::none();
  return to_str(*s);
}

OrcTree& tree_of(const py::capsule& tree) {
  if (std::strcmp(tree.name(), "csoundpp.TREE") != 0) throw py::type_error("expected a tree from parseOrc()");
  return *tree.get_pointer<OrcTree>();
}

// Strings as ctcsound accepts them (str or bytes); None stays None.
std::optional<std::string> opt_string(const py::handle& h, const char* what) {
  if (h.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(h) || py::isinstance<py::bytes>(h)) return no_nul(h.cast<std::string>(), what);
  throw py::type_error(std::string(what) + " must be a string or None");
}

std::vector<std::string> string_list(const py::handle& h, const char* what) {
  std::vector<std::string> out;
  if (py::isinstance<py::str>(h) || py::isinstance<py::bytes>(h)) {
    out.push_back(no_nul(h.cast<std::string>(), what));
    return out;
  }
  if (!py::isinstance<py::sequence>(h)) throw py::type_error(std::string(what) + " must be a list of strings");
  for (auto item : h.cast<py::sequence>()) {
    if (py::isinstance<py::list>(item)) {  // ctcsound's csoundArgList accepts [[...]]
      for (auto s : string_list(item, what)) out.push_back(s);
      continue;
    }
    if (!py::isinstance<py::str>(item) && !py::isinstance<py::bytes>(item))
      throw py::type_error(std::string(what) + " must contain only strings");
    out.push_back(no_nul(item.cast<std::string>(), what));
  }
  return out;
}

[[noreturn]] void csound7_only(const std::string& what) {
  throw CsoundError(what + " needs Csound 7 (array channels / ARRAYDAT access do not exist in the Csound 6.18 API "
                           "csoundpp is built against)");
}

// spinLock & co accept a SpinLock, or (ctcsound style) a ctypes c_int32 the host owns.
spin_lock_t* spin_from(const py::handle& h) {
  if (py::isinstance<SpinLock>(h)) return h.cast<SpinLock&>().get();
  py::object ctypes = py::module_::import("ctypes");
  if (py::isinstance(h, ctypes.attr("c_int32")) || py::isinstance(h, ctypes.attr("c_int"))) {
    return reinterpret_cast<spin_lock_t*>(ctypes.attr("addressof")(h).cast<std::uintptr_t>());
  }
  throw py::type_error("expected a SpinLock (from channelLock()/SpinLock()) or a ctypes.c_int32");
}

struct Pvsdat {
  PVSDATEXT d{};
  std::vector<float> frame;
  void sync() {
    std::size_t need = static_cast<std::size_t>(std::max(d.N, 0)) + 2;
    if (frame.size() != need) frame.assign(need, 0.0f);
    d.frame = frame.data();
  }
};

// The address a ctcsound-style pointer argument carries (ctypes.c_void_p or int).
std::uintptr_t address_of(const py::object& p) {
  if (py::hasattr(p, "value")) {
    py::object v = p.attr("value");
    return v.is_none() ? 0 : v.cast<std::uintptr_t>();
  }
  return p.cast<std::uintptr_t>();
}

std::string string_channel_of(Csound& self, const py::object& sdata) {
  return self.string_channel_at(reinterpret_cast<const void*>(address_of(sdata)));
}

std::uint32_t to_u32(const py::handle& h) {
  long long v = h.cast<long long>();
  if (v < 0) v = -v;  // ctcsound: negative seeds are folded
  return static_cast<std::uint32_t>(v);
}

int check_items(const py::buffer_info& bi, int items, int elemsize, const char* what) {
  if (items < 0) throw py::value_error("items must be >= 0");
  if (static_cast<long long>(bi.size) * bi.itemsize < static_cast<long long>(items) * elemsize)
    throw py::value_error(std::string(what) + " holds fewer than items * elemsize bytes");
  return items;
}

}  // namespace

void init_csound_api(py::module_& m) {
  auto cls = py::reinterpret_borrow<py::class_<Csound, CsPtr>>(m.attr("Csound"));

  // ------------------------------------------------------------ handle classes
  py::class_<CircularBuffer>(m, "CircularBuffer",
                             "A Csound circular buffer (createCircularBuffer). Lock-free single reader/single writer; "
                             "elements are `elemsize` bytes (float64 by default). Valid until destroyed or the instance "
                             "is reset/destroyed.")
      .def_property_readonly("numelem", &CircularBuffer::numelem)
      .def_property_readonly("elemsize", &CircularBuffer::elemsize)
      .def_property_readonly("destroyed", &CircularBuffer::destroyed);
  py::class_<Thread>(m, "CsoundThread", "A thread created with createThread(); pass it to joinThread().");
  py::class_<ThreadLock>(m, "ThreadLock", "A Csound monitor object (createThreadLock).");
  py::class_<Mutex>(m, "CsoundMutex", "A Csound mutex (createMutex).");
  py::class_<Barrier>(m, "CsoundBarrier", "A Csound thread barrier (createBarrier).");
  py::class_<SpinLock>(m, "SpinLock", "A spin lock: a channel's lock (channelLock) or a standalone one (SpinLock()).")
      .def(py::init([]() { return SpinLock::standalone(); }));

  py::class_<RTCLOCK>(m, "RtClock", "Timer structure for initTimerStruct/realTime/CPUTime (fields as in ctcsound).")
      .def(py::init([]() {
        RTCLOCK c;
        std::memset(&c, 0, sizeof c);
        return c;
      }))
      .def_readwrite("starttime_real", &RTCLOCK::starttime_real)
      .def_readwrite("starttime_CPU", &RTCLOCK::starttime_CPU);

  py::class_<CsoundRandMTState>(m, "CsoundRandMTState", "Mersenne Twister state (seedRandMT/randMT).")
      .def(py::init([]() {
        CsoundRandMTState s;
        std::memset(&s, 0, sizeof s);
        return s;
      }))
      .def_readwrite("mti", &CsoundRandMTState::mti)
      .def_property_readonly("mt", [](py::object self) {
        auto& s = self.cast<CsoundRandMTState&>();
        return py::array_t<std::uint32_t>({624}, {4}, s.mt, self);
      }, "The 624-word state as a uint32 numpy view.");

  py::class_<Pvsdat>(m, "PvsdatExt",
                     "PVSDATEXT for setPvsChannel/pvsChannel (fields as in ctcsound; `frame` is a float32 numpy "
                     "view of N+2 values, resized when N changes).")
      .def(py::init([](int N, int overlap, int winsize, int wintype, int format) {
        if (N < 0 || overlap < 0 || winsize < 0) throw py::value_error("sizes must be >= 0");
        Pvsdat p;
        p.d.N = N;
        p.d.overlap = overlap;
        p.d.winsize = winsize;
        p.d.wintype = wintype;
        p.d.format = format;
        p.sync();
        return p;
      }), py::arg("N") = 0, py::arg("overlap") = 0, py::arg("winsize") = 0, py::arg("wintype") = 0, py::arg("format") = 0)
      .def_property("N", [](const Pvsdat& p) { return p.d.N; }, [](Pvsdat& p, int v) {
        if (v < 0) throw py::value_error("N must be >= 0");
        p.d.N = v;
        p.sync();
      })
      .def_property("sliding", [](const Pvsdat& p) { return p.d.sliding; }, [](Pvsdat& p, int v) { p.d.sliding = v; })
      .def_property("NB", [](const Pvsdat& p) { return p.d.NB; }, [](Pvsdat& p, int v) { p.d.NB = v; })
      .def_property("overlap", [](const Pvsdat& p) { return p.d.overlap; }, [](Pvsdat& p, int v) { p.d.overlap = v; })
      .def_property("winsize", [](const Pvsdat& p) { return p.d.winsize; }, [](Pvsdat& p, int v) { p.d.winsize = v; })
      .def_property("wintype", [](const Pvsdat& p) { return p.d.wintype; }, [](Pvsdat& p, int v) { p.d.wintype = v; })
      .def_property("format", [](const Pvsdat& p) { return p.d.format; }, [](Pvsdat& p, int v) { p.d.format = v; })
      .def_property("framecount", [](const Pvsdat& p) { return p.d.framecount; },
                    [](Pvsdat& p, std::uint32_t v) { p.d.framecount = v; })
      .def_property("frame", [](py::object self) {
        auto& p = self.cast<Pvsdat&>();
        p.sync();
        return py::array_t<float>({static_cast<py::ssize_t>(p.frame.size())}, {4}, p.frame.data(), self);
      }, [](Pvsdat& p, py::array_t<float, py::array::c_style | py::array::forcecast> a) {
        p.sync();
        if (static_cast<std::size_t>(a.size()) != p.frame.size())
          throw py::value_error("frame must hold N+2 = " + std::to_string(p.frame.size()) + " values");
        std::memcpy(p.frame.data(), a.data(), p.frame.size() * sizeof(float));
      });

  // ------------------------------------------------------------ general I/O
  cls.def("outputName", [](const Csound& self) { return opt_str(self.output_name()); },
          "The audio output name (-o), or None before it is set.")
      .def("inputName", [](const Csound& self) { return opt_str(self.input_name()); },
           "The audio input name (-i), or None.")
      .def("setOutput", [](Csound& self, const std::string& name, py::object type_, py::object format) {
        self.set_output(no_nul(name, "name"), opt_string(type_, "type_"), opt_string(format, "format"));
      }, py::arg("name"), py::arg("type_") = py::none(), py::arg("format") = py::none(),
         "Sets output destination, file type ('wav', 'aiff', 'flac', ...) and sample format ('short', 'float', "
         "'24bit', ...). Before compilation.")
      .def("outputFormat", [](const Csound& self) {
        auto [type, format] = self.output_format();
        return py::make_tuple(to_str(type), to_str(format));
      }, "(type, format) of the output file, e.g. ('wav', 'short').")
      .def("setInput", [](Csound& self, const std::string& name) { self.set_input(no_nul(name, "name")); },
           py::arg("name"))
      .def("setMIDIInput", [](Csound& self, const std::string& name) { self.set_midi_input(no_nul(name, "name")); },
           py::arg("name"), "MIDI input device name/number (-M).")
      .def("setMIDIFileInput", [](Csound& self, const std::string& name) { self.set_midi_file_input(no_nul(name, "name")); },
           py::arg("name"), "MIDI file to read (-F).")
      .def("setMIDIOutput", [](Csound& self, const std::string& name) { self.set_midi_output(no_nul(name, "name")); },
           py::arg("name"), "MIDI output device name/number (-Q).")
      .def("setMIDIFileOutput", [](Csound& self, const std::string& name) { self.set_midi_file_output(no_nul(name, "name")); },
           py::arg("name"), "MIDI file to write (--midioutfile).");

  // ------------------------------------------------------------ modules and devices
  cls.def("setRTAudioModule", [](Csound& self, const std::string& module) {
        self.set_rt_audio_module(no_nul(module, "module"));
      }, py::arg("module"), "Sets the real-time audio module ('alsa', 'jack', 'pa_cb', 'null', ...).")
      .def("setMIDIModule", [](Csound& self, const std::string& module) {
        self.set_midi_module(no_nul(module, "module"));
      }, py::arg("module"), "Sets the MIDI module ('alsa', 'portmidi', 'null', ...).")
      .def("module", [](Csound& self, int number) {
        ModuleInfo info;
        int err = self.module(number, info);
        if (err != CSOUND_SUCCESS) return py::make_tuple(py::object(py::none()), py::object(py::none()), err);
        return py::make_tuple(py::object(to_str(info.name)), py::object(to_str(info.type)), err);
      }, py::arg("number"),
         "(name, type, err) of module `number`; type is 'audio' or 'midi'. (None, None, CSOUND_ERROR) past the end.")
      .def("modules", [](Csound& self) {
        py::list out;
        for (const auto& info : self.modules()) out.append(py::make_tuple(to_str(info.name), to_str(info.type)));
        return out;
      }, "[(name, type), ...] of all loaded audio and MIDI modules.")
      .def("_audioDevList", [](Csound& self, bool is_output) {
        py::list out;
        for (const auto& d : self.audio_devices(is_output))
          out.append(py::make_tuple(to_str(d.name), to_str(d.id), to_str(d.module), d.max_nchnls, d.is_output));
        return out;
      }, py::arg("isOutput"))
      .def("_midiDevList", [](Csound& self, bool is_output) {
        py::list out;
        for (const auto& d : self.midi_devices(is_output))
          out.append(py::make_tuple(to_str(d.name), to_str(d.interface_name), to_str(d.id), to_str(d.module), d.is_output));
        return out;
      }, py::arg("isOutput"));

  // ------------------------------------------------------------ UDP
  cls.def("UDPServerStart", &Csound::udp_server_start, py::arg("port"),
         "Starts Csound's UDP server (orchestra code; lines starting with '$' are score events, '@name value' "
         "sets a channel). Returns CSOUND_SUCCESS or CSOUND_ERROR.")
      .def("UDPServerStatus", &Csound::udp_server_status,
           "The port the UDP server listens on, or CSOUND_ERROR when it is not running.")
      .def("UDPServerClose", [](Csound& self) {
        release_gil nogil;
        return self.udp_server_close();
      }, "Closes the UDP server (waits for its thread, GIL released).")
      .def("UDPConsole", [](Csound& self, const std::string& addr, int port, bool mirror) {
        return self.udp_console(no_nul(addr, "addr"), port, mirror);
      }, py::arg("addr"), py::arg("port"), py::arg("mirror"),
         "Sends console messages to addr:port over UDP (mirror=True keeps the usual destination too).")
      .def("stopUDPConsole", &Csound::stop_udp_console);

  // ------------------------------------------------------------ utilities, commands, environment
  cls.def("runUtility", [](Csound& self, const std::string& name, py::object args) {
        auto v = string_list(args, "args");
        no_nul(name, "name");
        release_gil nogil;
        return self.run_utility(name, std::move(v));
      }, py::arg("name"), py::arg("args"),
         "Runs a utility (e.g. 'sndinfo', 'lpanal', 'pvanal') with its arguments (GIL released). Returns 0 on "
         "success. Call reset() afterwards.")
      .def("listUtilities", [](Csound& self) -> py::object {
        auto lst = self.list_utilities();
        if (!lst) return py::none();
        py::list out;
        for (const auto& u : *lst) out.append(to_str(u));
        return out;
      }, "Names of the registered utilities (None on error).")
      .def("utilityDescription", [](Csound& self, const std::string& name) {
        return opt_str(self.utility_description(no_nul(name, "name")));
      }, py::arg("name"), "A utility's description, or None.")
      .def("runCommand", [](Csound&, py::object args, bool no_wait) {
        auto v = string_list(args, "args");
        if (v.empty()) throw py::value_error("runCommand needs the program name in args[0]");
        release_gil nogil;
        return sys::run_command(v, no_wait);
      }, py::arg("args"), py::arg("noWait") = false,
         "Runs an external program (args[0] searched in PATH). Waits (GIL released) and returns its exit status, or "
         "with noWait returns its PID. Negative on error.")
      .def("env", [](Csound& self, const std::string& name, bool with_instance) {
        return opt_str(self.env(no_nul(name, "name"), with_instance));
      }, py::arg("name"), py::arg("withCsoundInstance") = true,
         "Value of an environment variable (Csound's own first, then setGlobalEnv, then the process), or None.")
      .def("setGlobalEnv", [](Csound&, const std::string& name, py::object value) {
        auto v = opt_string(value, "value");
        return Csound::set_global_env(no_nul(name, "name"), v ? std::optional<std::string>(*v) : std::nullopt);
      }, py::arg("name"), py::arg("value"),
         "Sets (None deletes) a global Csound environment variable such as SFDIR or OPCODE6DIR64. Returns 0 on "
         "success. Not safe while instances perform.")
      .def("setLanguage", [](Csound&, int lang) { sys::set_language(lang); }, py::arg("lang_code"));

  // ------------------------------------------------------------ global variables
  cls.def("createGlobalVariable", [](Csound& self, const std::string& name, long long nbytes) {
        return self.create_global_variable(no_nul(name, "name"), nbytes);
      }, py::arg("name"), py::arg("nbytes"),
         "Allocates nbytes of zeroed memory under `name`. CSOUND_SUCCESS, CSOUND_ERROR (bad size, name in use) "
         "or CSOUND_MEMORY.")
      .def("queryGlobalVariable", [](Csound& self, const std::string& name) -> py::object {
        void* p = self.query_global_variable(no_nul(name, "name"));
        if (!p) return py::none();
        return py::module_::import("ctypes").attr("c_void_p")(reinterpret_cast<std::uintptr_t>(p));
      }, py::arg("name"), "Address of a global variable as ctypes.c_void_p, or None when not defined.");
  // The NoCheck variant would crash on an unknown name; here it is the checked call.
  cls.def("destroyGlobalVariable", [](Csound& self, const std::string& name) {
        return self.destroy_global_variable(no_nul(name, "name"));
      }, py::arg("name"), "CSOUND_SUCCESS, or CSOUND_ERROR when the name is not defined.");

  // ------------------------------------------------------------ timers and random numbers
  cls.def("initTimerStruct", [](Csound&, py::object t) {
        if (t.is_none()) t = py::module_::import("csoundpp._core").attr("RtClock")();
        sys::init_timer(*t.cast<RTCLOCK*>());
        return t;
      }, py::arg("timerStruct") = py::none(), "Starts a timer (an RtClock, created when omitted) and returns it.")
      .def("realTime", [](Csound&, RTCLOCK& t) { return sys::real_time(t); }, py::arg("timerStruct"),
           "Elapsed real time in seconds since initTimerStruct(timerStruct).")
      .def("CPUTime", [](Csound&, RTCLOCK& t) { return sys::cpu_time(t); }, py::arg("timerStruct"),
           "Elapsed CPU time in seconds since initTimerStruct(timerStruct).")
      .def("randomSeedFromTime", [](Csound&) { return sys::random_seed_from_time(); })
      .def("rand31", [](Csound&, long long seed) {
        if (seed < 1 || seed > 2147483646) throw py::value_error("seed must be in 1..2147483646");
        return sys::rand31(static_cast<int>(seed));
      }, py::arg("seed"), "Next value (1..2147483646) of the linear congruential generator seed*742938285 % (2**31-1).")
      .def("seedRandMT", [](Csound&, py::object key) {
        if (py::isinstance<py::int_>(key)) return sys::seed_rand_mt(to_u32(key));
        if (py::isinstance<py::sequence>(key) || py::isinstance<py::array>(key)) {
          std::vector<uint32_t> k;
          for (auto item : key) k.push_back(to_u32(item));
          return sys::seed_rand_mt(k);
        }
        throw py::type_error("initKey must be an int, a list of ints or an integer ndarray");
      }, py::arg("initKey"), "Seeds an MT19937 generator; returns its CsoundRandMTState.")
      .def("randMT", [](Csound&, CsoundRandMTState& st) { return sys::rand_mt(st); }, py::arg("state"),
           "Next 32-bit value of the MT19937 generator.");

  // ------------------------------------------------------------ named GENs, opcodes, trees
  cls.def("isNamedGEN", &Csound::is_named_gen, py::arg("num"),
          "Length of the name when GEN `num` is a named GEN, else 0.")
      .def("namedGEN", [](Csound& self, int num, int name_len) { return to_str(self.named_gen(num, name_len)); }, py::arg("num"), py::arg("nameLen"), "The name of a named GEN ('' when `num` is not one).")
      .def("namedGens", [](Csound& self) {
        py::list out;
        for (const auto& [name, number] : self.named_gens()) out.append(py::make_tuple(to_str(name), number));
        return out;
      }, "[(name, number), ...] of the named GENs.")
      .def("_opcodeList", [](Csound& self) {
        int n = 0;
        py::list out;
        for (const auto& e : self.opcode_list(&n))
          out.append(py::make_tuple(to_str(e.name), to_str(e.outypes), to_str(e.intypes), e.flags));
        return py::make_tuple(out, n);
      })
      .def("parseOrc", [](Csound& self, const std::string& orc) -> py::object {
        no_nul(orc, "orchestra");
        std::unique_ptr<OrcTree> t;
        {
          release_gil nogil;
          t = self.parse_tree(orc);
        }
        if (!t) return py::none();
        // The capsule owns the tree: freed with it unless compileTree/deleteTree did.
        return py::capsule(t.release(), "csoundpp.TREE", [](PyObject* cap) {
          delete static_cast<OrcTree*>(PyCapsule_GetPointer(cap, "csoundpp.TREE"));
        });
      }, py::arg("orc"), "Parses orchestra code into a tree (opaque capsule) for compileTree(); None on a syntax error.")
      .def("compileTree", [](Csound& self, py::capsule tree, bool async) {
        OrcTree& t = tree_of(tree);
        release_gil nogil;
        return self.compile_tree(t, async);
      }, py::arg("tree"), py::arg("async_") = false, "Compiles a parsed tree (GIL released). Returns 0 on success.")
      .def("deleteTree", [](Csound&, py::capsule tree) { tree_of(tree).release(); }, py::arg("tree"),
           "Frees a parsed tree now (it is freed with its capsule otherwise).")
      .def("instrNumber", [](Csound& self, const std::string& name) {
        release_gil nogil;
        return self.instr_number(name);
      }, py::arg("name"), "Number of a named instrument, or -1 (Csound 7 API; computed with nstrnum).");
  cls.def("compileTreeAsync", [](py::object self, py::object tree) { return self.attr("compileTree")(tree, true); },
          py::arg("tree"));

  // ------------------------------------------------------------ pvs channels and channel data
  cls.def("setPvsChannel", [](Csound& self, Pvsdat& fin, const std::string& name) {
        fin.sync();
        return self.set_pvs_channel(fin.d, no_nul(name, "name"));
      }, py::arg("fin"), py::arg("name"),
         "Sends a PvsdatExt to the pvsin opcode on channel `name`. 0, CSOUND_ERROR or CSOUND_MEMORY.")
      .def("pvsChannel", [](Csound& self, Pvsdat& fout, const std::string& name) {
        fout.sync();
        return self.pvs_channel(fout.d, no_nul(name, "name"));
      }, py::arg("fout"), py::arg("name"),
         "Receives the frame written by pvsout on channel `name` into fout (its N must match). 0 or an error code.")
      .def("initPvsChannel", [](Csound& self, const std::string& name, int fftsize, int overlap, int winsize,
                                int wintype, int format) {
        if (fftsize <= 0 || overlap <= 0 || winsize <= 0) throw py::value_error("fftsize, overlap and winsize must be > 0");
        Pvsdat p;
        p.d.N = fftsize;
        p.d.overlap = overlap;
        p.d.winsize = winsize;
        p.d.wintype = wintype;
        p.d.format = format;
        p.sync();
        int r = self.set_pvs_channel(p.d, no_nul(name, "name"));
        if (r != 0) throw CsoundError("could not create pvs channel '" + name + "'", r);
        return p;
      }, py::arg("name"), py::arg("fftsize"), py::arg("overlap"), py::arg("winsize"), py::arg("wintype"),
         py::arg("format") = 0,
         "Creates an f-sig channel (Csound 7 name) and returns a zeroed PvsdatExt of that shape for "
         "setPvsChannel/pvsChannel and the pvsData* accessors.")
      .def("pvsData", [](Csound&, py::object p) -> py::array {
             if (!py::isinstance<Pvsdat>(p)) throw py::type_error("pvsdat must be a PvsdatExt (from createPvsChannel)");
             return p.attr("frame");
           }, py::arg("pvsdat"),
           "The frame of a PvsdatExt as a float32 numpy view.")
      .def("pvsDataFftSize", [](Csound&, const Pvsdat& p) { return p.d.N; }, py::arg("pvsdat"))
      .def("pvsDataOverlap", [](Csound&, const Pvsdat& p) { return p.d.overlap; }, py::arg("pvsdat"))
      .def("pvsDataWindowSize", [](Csound&, const Pvsdat& p) { return p.d.winsize; }, py::arg("pvsdat"))
      .def("pvsDataFormat", [](Csound&, const Pvsdat& p) { return p.d.format; }, py::arg("pvsdat"))
      .def("pvsDataFramecount", [](Csound&, const Pvsdat& p) { return p.d.framecount; }, py::arg("pvsdat"))
      .def("setPvsData", [](Csound&, py::object p, py::object frame) {
             if (!py::isinstance<Pvsdat>(p)) throw py::type_error("pvsdat must be a PvsdatExt (from createPvsChannel)");
             p.attr("frame") = frame;
           },
           py::arg("pvsdat"), py::arg("frame"))
      .def("stringData", [](Csound& self, py::object sdata) {
        return to_str(self.string_channel(string_channel_of(self, sdata)));
      }, py::arg("sdata"), "Text of the string channel whose channelPtr() pointer is sdata.")
      .def("setStringData", [](Csound& self, py::object sdata, const std::string& value) {
        self.set_string_channel(string_channel_of(self, sdata), value);
      }, py::arg("sdata"), py::arg("string"), "Sets the string channel whose channelPtr() pointer is sdata.");

  // Csound 7 array channels: impossible on 6.18.
  for (const char* name : {"arrayData", "arrayDataDimensions", "arrayDataSizes", "arrayDataType"}) {
    std::string n = name;
    cls.def(name, [n](Csound&, py::object) -> py::object { csound7_only(n + "()"); }, py::arg("adat"));
  }
  cls.def("setArrayData", [](Csound&, py::object, py::object) -> py::object { csound7_only("setArrayData()"); },
          py::arg("adat"), py::arg("data"))
      .def("initArrayChannel", [](Csound&, py::object, py::object, py::object) -> py::object {
        csound7_only("initArrayChannel()");
      }, py::arg("name"), py::arg("dtype"), py::arg("size"));

  // ------------------------------------------------------------ channel locks and spin locks
  cls.def("channelLock", [](CsPtr self, const std::string& name) -> py::object {
        auto lock = SpinLock::of_channel(self, no_nul(name, "name"));
        if (!lock) return py::none();
        return py::cast(*lock);
      }, py::arg("name"), "The spin lock of a channel (for spinLock/spinUnlock), or None when it does not exist.")
      .def("lockChannel", [](Csound& self, const std::string& name) {
        no_nul(name, "name");
        release_gil nogil;
        self.lock_channel(name);
      }, py::arg("channel"), "Locks a channel's spin lock (waits with the GIL released).")
      .def("unlockChannel", [](Csound& self, const std::string& name) { self.unlock_channel(no_nul(name, "name")); },
           py::arg("channel"))
      .def("spinLockInit", [](Csound&, py::object lock) { return SpinLock::init(spin_from(lock)); }, py::arg("spinlock"))
      .def("spinLock", [](Csound&, py::object lock) {
        spin_lock_t* p = spin_from(lock);
        release_gil nogil;
        SpinLock::lock(p);
      }, py::arg("spinlock"), "Locks (spins with the GIL released).")
      .def("spinTryLock", [](Csound&, py::object lock) { return SpinLock::try_lock(spin_from(lock)); }, py::arg("spinlock"),
           "CSOUND_SUCCESS when the lock was taken, CSOUND_ERROR when it is held.")
      .def("spinUnlock", [](Csound&, py::object lock) { SpinLock::unlock(spin_from(lock)); }, py::arg("spinlock"));

  // ------------------------------------------------------------ circular buffers
  // read and peek differ only in the CircularBuffer method
  auto drain_circular_buffer = [](int (CircularBuffer::*op)(const Csound&, void*, int)) {
    return [op](Csound& self, CircularBuffer& b, py::array out, int items) {
      if (!out.writeable() || !(out.flags() & py::array::c_style)) throw py::value_error("out must be a writable contiguous array");
      py::buffer_info bi = out.request(true);
      if (static_cast<long long>(bi.size) * bi.itemsize < static_cast<long long>(items) * b.elemsize()) return 0;
      check_items(bi, items, b.elemsize(), "out");
      release_gil nogil;
      return (b.*op)(self, bi.ptr, items);
    };
  };
  cls.def("createCircularBuffer", [](CsPtr self, int numelem, int elemsize) { return CircularBuffer(self, numelem, elemsize); },
          py::arg("numelem"), py::arg("elemsize") = 0,
          "Creates a lock-free circular buffer of numelem elements of elemsize bytes (0: float64).")
      .def("readCircularBuffer", drain_circular_buffer(&CircularBuffer::read),
           py::arg("circularBuffer"), py::arg("out"), py::arg("items"),
           "Moves up to `items` elements into the numpy array `out`; returns how many were read. 0 when `out` is too small (as ctcsound).")
      .def("peekCircularBuffer", drain_circular_buffer(&CircularBuffer::peek),
           py::arg("circularBuffer"), py::arg("out"), py::arg("items"),
           "Like readCircularBuffer without removing the elements.")
      .def("writeCircularBuffer", [](Csound& self, CircularBuffer& b, py::array in, int items) {
        if (!(in.flags() & py::array::c_style)) throw py::value_error("in_ must be a contiguous array");
        py::buffer_info bi = in.request();
        if (static_cast<long long>(bi.size) * bi.itemsize < static_cast<long long>(items) * b.elemsize()) return 0;
        check_items(bi, items, b.elemsize(), "in_");
        release_gil nogil;
        return b.write(self, bi.ptr, items);
      }, py::arg("circularBuffer"), py::arg("in_"), py::arg("items"),
         "Writes up to `items` elements from the numpy array `in_`; returns how many fitted.")
      .def("flushCircularBuffer", [](Csound& self, CircularBuffer& b) { b.flush(self); }, py::arg("circularBuffer"))
      .def("destroyCircularBuffer", [](Csound& self, CircularBuffer& b) { b.destroy(self); }, py::arg("circularBuffer"),
           "Frees the buffer (idempotent); later use raises StateError.");

  // ------------------------------------------------------------ threads, locks, mutexes, barriers
  cls.def("createThread", [](Csound&, py::object fn, py::object userdata) -> py::object {
        if (!PyCallable_Check(fn.ptr())) throw py::type_error("function must be callable");
        // The routine holds Python references; they are dropped on the thread (PyRef takes the GIL).
        auto t = Thread::start([f = hold(fn), data = std::make_shared<PyRef>(userdata)]() {
          return with_gil(f, std::uintptr_t{0}, [&](py::object& fn) {
            py::object r = fn(data->obj);
            return r.is_none() ? std::uintptr_t{0} : r.cast<std::uintptr_t>();
          });
        });
        if (!t) return py::none();
        return py::cast(std::move(*t));
      }, py::arg("function"), py::arg("userdata") = py::none(),
         "Runs function(userdata) on a new native thread (it takes the GIL to run). Returns a CsoundThread for "
         "joinThread (whose result is the function's int return value), or None on failure.")
      .def("createThread2", [](py::object self, py::object fn, unsigned stack, py::object userdata) {
        (void)stack;  // Python code needs the interpreter's own stack size; the default is used
        return self.attr("createThread")(fn, userdata);
      }, py::arg("function"), py::arg("stack"), py::arg("userdata") = py::none())
      .def("joinThread", [](Csound&, Thread& h) {
        release_gil nogil;
        return h.join();
      }, py::arg("thread"), "Waits (GIL released) for the thread and returns its result.")
      .def("currentThreadId", [](Csound&) -> py::object {
        std::uintptr_t id = Thread::current_id();
        if (!id) return py::none();
        return py::int_(id);
      }, "The calling thread's id as an int (comparable with ==).")
      .def("createThreadLock", [](Csound&) -> py::object {
        auto l = ThreadLock::create();
        if (!l) return py::none();
        return py::cast(*l);
      }, "A monitor object, initially notified.")
      .def("waitThreadLock", [](Csound&, ThreadLock& l, std::size_t ms) {
        release_gil nogil;
        return l.wait(ms);
      }, py::arg("lock"), py::arg("milliseconds"), "0 when notified, non-zero on timeout (GIL released while waiting).")
      .def("waitThreadLockNoTimeout", [](Csound&, ThreadLock& l) {
        // Waits in slices so Ctrl-C can interrupt.
        while (true) {
          int r;
          {
            release_gil nogil;
            r = l.wait(50);
          }
          if (r == 0) return;
          if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        }
      }, py::arg("lock"))
      .def("notifyThreadLock", [](Csound&, ThreadLock& l) { l.notify(); }, py::arg("lock"))
      .def("destroyThreadLock", [](Csound&, ThreadLock& l) { l.destroy(); }, py::arg("lock"))
      .def("createMutex", [](Csound&, bool recursive) -> py::object {
        auto mx = Mutex::create(recursive);
        if (!mx) return py::none();
        return py::cast(*mx);
      }, py::arg("isRecursive") = false)
      .def("lockMutex", [](Csound&, Mutex& m) {
        release_gil nogil;
        m.lock();
      }, py::arg("mutex"), "Acquires the mutex (waits with the GIL released).")
      .def("lockMutexNoWait", [](Csound&, Mutex& m) { return m.try_lock(); }, py::arg("mutex"),
           "0 when acquired, non-zero when another thread holds it.")
      .def("unlockMutex", [](Csound&, Mutex& m) { m.unlock(); }, py::arg("mutex"))
      .def("destroyMutex", [](Csound&, Mutex& m) { m.destroy(); }, py::arg("mutex"))
      .def("createBarrier", [](Csound&, unsigned max) -> py::object {
        if (max == 0) throw py::value_error("max must be >= 1");
        auto b = Barrier::create(max);
        if (!b) return py::none();
        return py::cast(*b);
      }, py::arg("max_"), "A barrier for `max_` threads (children + the master).")
      .def("destroyBarrier", [](Csound&, Barrier& b) { return b.destroy(); }, py::arg("barrier"))
      .def("waitBarrier", [](Csound&, Barrier& b) {
        release_gil nogil;
        return b.wait();
      }, py::arg("barrier"), "Waits (GIL released) until max_ threads arrived.")
      .def("sleep", [](Csound&, std::size_t ms) {
        release_gil nogil;
        Thread::sleep_ms(ms);
      }, py::arg("milliseconds"), "Sleeps at least `milliseconds` (GIL released).");

  // ------------------------------------------------------------ shared libraries
  cls.def("openLibrary", [](Csound&, const std::string& path) {
        auto [r, lib] = sys::open_library(no_nul(path, "libraryPath"));
        py::object ctypes = py::module_::import("ctypes");
        return py::make_tuple(r, ctypes.attr("c_void_p")(reinterpret_cast<std::uintptr_t>(lib)));
      }, py::arg("libraryPath"), "(status, library handle as ctypes.c_void_p); status 0 on success.")
      .def("closeLibrary", [](Csound&, py::object lib) {
        std::uintptr_t p = address_of(lib);
        if (!p) throw py::value_error("library handle is NULL");
        return sys::close_library(reinterpret_cast<void*>(p));
      }, py::arg("library"))
      .def("getLibrarySymbol", [](Csound&, py::object lib, const std::string& sym) -> py::object {
        std::uintptr_t p = address_of(lib);
        if (!p) throw py::value_error("library handle is NULL");
        void* s = sys::library_symbol(reinterpret_cast<void*>(p), no_nul(sym, "symbolName"));
        if (!s) return py::none();
        return py::module_::import("ctypes").attr("c_void_p")(reinterpret_cast<std::uintptr_t>(s));
      }, py::arg("library"), py::arg("symbolName"));

  // ------------------------------------------------------------ rt user data (pointers, as ctcsound)
  cls.def("rtRecordUserData", [](Csound& self) {
        return reinterpret_cast<std::uintptr_t>(self.rt_record_user_data());
      }, "Address of Csound's real-time input user-data pointer (as ctcsound: an int address).")
      .def("rtPlaydUserData", [](Csound& self) {
        return reinterpret_cast<std::uintptr_t>(self.rt_play_user_data());
      }, "Address of Csound's real-time output user-data pointer (ctcsound's spelling).");
}

}  // namespace csoundpp::bind
