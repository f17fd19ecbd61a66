// The rest of the ctcsound 6 / libcsound surface on csoundpp.Csound: I/O
// setters, modules and device lists, UDP, utilities, environment, global
// variables, timers, random numbers, named GENs, opcode list, pvs channels,
// channel locks, circular buffers, threading helpers, orchestra trees and the
// Csound-7-only calls (which raise CsoundError naming Csound 7).
//
// Opaque C handles (circular buffers, threads, locks, mutexes, barriers) are
// Python objects that own them and validate every use: a destroyed or foreign
// handle raises instead of crashing.
#include <csound/csound.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "common.hpp"
#include "csoundpp/host_midi.hpp"
#include "csoundpp/opcode_info.hpp"

namespace csoundpp::bind {

namespace {

using CsPtr = std::shared_ptr<Csound>;

std::string no_nul(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) throw py::value_error(std::string(what) + " contains a NUL byte");
  return s;
}

py::object str_or_none(const char* s) {
  if (!s) return py::none();
  return to_str(s, std::strlen(s));
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

// ---------------------------------------------------------------- handles

// Memory Csound allocated for one engine generation: invalid after reset/destroy.
struct EngineBound {
  std::weak_ptr<Csound> owner;
  std::shared_ptr<Engine> engine;
  std::uint64_t generation = 0;
  CSOUND* check(const char* what) const {
    auto cs = owner.lock();
    if (!cs || cs->destroyed() || cs->generation() != generation)
      throw StateError(std::string(what) + " belongs to a Csound instance that was reset or destroyed");
    return cs->native();
  }
};

struct CircularBuffer : EngineBound {
  void* ptr = nullptr;
  int numelem = 0;
  int elemsize = 0;
  void* live(const Csound& cs, const char* what) const {
    if (!ptr) throw StateError(std::string(what) + ": the circular buffer was destroyed");
    CSOUND* c = check("circular buffer");
    if (c != cs.native()) throw py::value_error("this circular buffer belongs to another Csound instance");
    return ptr;
  }
};

struct ThreadHandle {
  void* thread = nullptr;
  bool joined = false;
  std::uintptr_t result = 0;
};

struct ThreadLock {
  void* lock = nullptr;
  void* get() const {
    if (!lock) throw StateError("thread lock was destroyed");
    return lock;
  }
};

struct Mutex {
  void* mutex = nullptr;
  bool recursive = false;
  void* get() const {
    if (!mutex) throw StateError("mutex was destroyed");
    return mutex;
  }
};

struct Barrier {
  void* barrier = nullptr;
  unsigned max = 0;
  void* get() const {
    if (!barrier) throw StateError("barrier was destroyed");
    return barrier;
  }
};

// A channel's spin lock (csoundGetChannelLock), or a lock of the host's own.
struct SpinLock : EngineBound {
  int* ptr = nullptr;
  std::shared_ptr<spin_lock_t> own;  // a standalone lock (SpinLock())
  spin_lock_t* get() const {
    if (own) return own.get();
    check("channel lock");
    return reinterpret_cast<spin_lock_t*>(ptr);
  }
};

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

// Name of the string channel of cs whose STRINGDAT* (from channelPtr) is sdata.
std::string string_channel_of(Csound& self, const py::object& sdata) {
  std::uintptr_t addr = 0;
  if (py::hasattr(sdata, "value")) {
    py::object v = sdata.attr("value");
    addr = v.is_none() ? 0 : v.cast<std::uintptr_t>();
  } else {
    addr = sdata.cast<std::uintptr_t>();
  }
  CSOUND* cs = self.native();
  controlChannelInfo_t* lst = nullptr;
  int n = csoundListChannels(cs, &lst);
  std::string name;
  for (int i = 0; i < n && addr; ++i) {
    if ((lst[i].type & CSOUND_CHANNEL_TYPE_MASK) != CSOUND_STRING_CHANNEL) continue;
    MYFLT* p = nullptr;
    if (csoundGetChannelPtr(cs, &p, lst[i].name, CSOUND_STRING_CHANNEL) == 0 && reinterpret_cast<std::uintptr_t>(p) == addr) {
      name = lst[i].name;
      break;
    }
  }
  if (lst) csoundDeleteChannelList(cs, lst);
  if (name.empty()) throw py::value_error("sdata is not a string channel pointer of this instance (use channelPtr)");
  return name;
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
      .def_readonly("numelem", &CircularBuffer::numelem)
      .def_readonly("elemsize", &CircularBuffer::elemsize)
      .def_property_readonly("destroyed", [](const CircularBuffer& b) { return b.ptr == nullptr; });
  py::class_<ThreadHandle>(m, "CsoundThread", "A thread created with createThread(); pass it to joinThread().");
  py::class_<ThreadLock>(m, "ThreadLock", "A Csound monitor object (createThreadLock).");
  py::class_<Mutex>(m, "CsoundMutex", "A Csound mutex (createMutex).");
  py::class_<Barrier>(m, "CsoundBarrier", "A Csound thread barrier (createBarrier).");
  py::class_<SpinLock>(m, "SpinLock", "A spin lock: a channel's lock (channelLock) or a standalone one (SpinLock()).")
      .def(py::init([]() {
        SpinLock s;
        s.own = std::make_shared<spin_lock_t>(0);
        return s;
      }));

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
  m.attr("OPDS_SIZE") = py::int_(opds_size());

  // ------------------------------------------------------------ general I/O
  cls.def("outputName", [](const Csound& self) { return str_or_none(csoundGetOutputName(self.native())); },
          "The audio output name (-o), or None before it is set.")
      .def("inputName", [](const Csound& self) { return str_or_none(csoundGetInputName(self.native())); },
           "The audio input name (-i), or None.")
      .def("setOutput", [](Csound& self, const std::string& name, py::object type_, py::object format) {
        auto t = opt_string(type_, "type_"), f = opt_string(format, "format");
        if (t && t->empty()) t.reset();
        if (f && f->empty()) f.reset();
        csoundSetOutput(self.native(), no_nul(name, "name").c_str(), t ? t->c_str() : nullptr, f ? f->c_str() : nullptr);
      }, py::arg("name"), py::arg("type_") = py::none(), py::arg("format") = py::none(),
         "Sets output destination, file type ('wav', 'aiff', 'flac', ...) and sample format ('short', 'float', "
         "'24bit', ...). Before compilation.")
      .def("outputFormat", [](const Csound& self) {
        char type[16] = {0}, format[16] = {0};
        csoundGetOutputFormat(self.native(), type, format);
        return py::make_tuple(to_str(type, std::strlen(type)), to_str(format, std::strlen(format)));
      }, "(type, format) of the output file, e.g. ('wav', 'short').")
      .def("setInput", [](Csound& self, const std::string& name) { csoundSetInput(self.native(), no_nul(name, "name").c_str()); },
           py::arg("name"))
      .def("setMIDIInput", [](Csound& self, const std::string& name) { csoundSetMIDIInput(self.native(), no_nul(name, "name").c_str()); },
           py::arg("name"), "MIDI input device name/number (-M).")
      .def("setMIDIFileInput", [](Csound& self, const std::string& name) { csoundSetMIDIFileInput(self.native(), no_nul(name, "name").c_str()); },
           py::arg("name"), "MIDI file to read (-F).")
      .def("setMIDIOutput", [](Csound& self, const std::string& name) { csoundSetMIDIOutput(self.native(), no_nul(name, "name").c_str()); },
           py::arg("name"), "MIDI output device name/number (-Q).")
      .def("setMIDIFileOutput", [](Csound& self, const std::string& name) { csoundSetMIDIFileOutput(self.native(), no_nul(name, "name").c_str()); },
           py::arg("name"), "MIDI file to write (--midioutfile).");

  // ------------------------------------------------------------ modules and devices
  cls.def("setRTAudioModule", [](Csound& self, const std::string& module) {
        csoundSetRTAudioModule(self.native(), no_nul(module, "module").c_str());
      }, py::arg("module"), "Sets the real-time audio module ('alsa', 'jack', 'pa_cb', 'null', ...).")
      .def("setMIDIModule", [](Csound& self, const std::string& module) {
        csoundSetMIDIModule(self.native(), no_nul(module, "module").c_str());
      }, py::arg("module"), "Sets the MIDI module ('alsa', 'portmidi', 'null', ...).")
      .def("module", [](Csound& self, int number) {
        char* name = nullptr;
        char* type = nullptr;
        int err = csoundGetModule(self.native(), number, &name, &type);
        if (err != CSOUND_SUCCESS || !name) return py::make_tuple(py::object(py::none()), py::object(py::none()), err);
        return py::make_tuple(str_or_none(name), str_or_none(type), err);
      }, py::arg("number"),
         "(name, type, err) of module `number`; type is 'audio' or 'midi'. (None, None, CSOUND_ERROR) past the end.")
      .def("modules", [](Csound& self) {
        py::list out;
        CSOUND* cs = self.native();
        for (int n = 0; n < 4096; ++n) {
          char* name = nullptr;
          char* type = nullptr;
          if (csoundGetModule(cs, n, &name, &type) != CSOUND_SUCCESS || !name) break;
          out.append(py::make_tuple(str_or_none(name), str_or_none(type)));
        }
        return out;
      }, "[(name, type), ...] of all loaded audio and MIDI modules.")
      .def("_audioDevList", [](Csound& self, bool is_output) {
        CSOUND* cs = self.native();
        py::list out;
        int n = csoundGetAudioDevList(cs, nullptr, is_output ? 1 : 0);
        if (n <= 0) return out;
        std::vector<CS_AUDIODEVICE> devs(static_cast<std::size_t>(n) + 1);
        int got = csoundGetAudioDevList(cs, devs.data(), is_output ? 1 : 0);
        for (int i = 0; i < std::min(n, got); ++i) {
          const auto& d = devs[i];
          out.append(py::make_tuple(to_str(d.device_name, strnlen(d.device_name, 64)),
                                    to_str(d.device_id, strnlen(d.device_id, 64)),
                                    to_str(d.rt_module, strnlen(d.rt_module, 64)), d.max_nchnls, d.isOutput != 0));
        }
        return out;
      }, py::arg("isOutput"))
      .def("_midiDevList", [](Csound& self, bool is_output) {
        CSOUND* cs = self.native();
        py::list out;
        int n = csoundGetMIDIDevList(cs, nullptr, is_output ? 1 : 0);
        if (n <= 0) return out;
        std::vector<CS_MIDIDEVICE> devs(static_cast<std::size_t>(n) + 1);
        int got = csoundGetMIDIDevList(cs, devs.data(), is_output ? 1 : 0);
        for (int i = 0; i < std::min(n, got); ++i) {
          const auto& d = devs[i];
          out.append(py::make_tuple(to_str(d.device_name, strnlen(d.device_name, 64)),
                                    to_str(d.interface_name, strnlen(d.interface_name, 64)),
                                    to_str(d.device_id, strnlen(d.device_id, 64)),
                                    to_str(d.midi_module, strnlen(d.midi_module, 64)), d.isOutput != 0));
        }
        return out;
      }, py::arg("isOutput"));

  // ------------------------------------------------------------ UDP
  cls.def("UDPServerStart", [](Csound& self, int port) {
        if (port <= 0 || port > 65535) throw py::value_error("port must be in 1..65535");
        return csoundUDPServerStart(self.native(), static_cast<unsigned>(port));
      }, py::arg("port"),
         "Starts Csound's UDP server (orchestra code; lines starting with '$' are score events, '@name value' "
         "sets a channel). Returns CSOUND_SUCCESS or CSOUND_ERROR.")
      .def("UDPServerStatus", [](Csound& self) { return csoundUDPServerStatus(self.native()); },
           "The port the UDP server listens on, or CSOUND_ERROR when it is not running.")
      .def("UDPServerClose", [](Csound& self) {
        py::gil_scoped_release nogil;
        return csoundUDPServerClose(self.native());
      }, "Closes the UDP server (waits for its thread, GIL released).")
      .def("UDPConsole", [](Csound& self, const std::string& addr, int port, bool mirror) {
        if (port <= 0 || port > 65535) throw py::value_error("port must be in 1..65535");
        return csoundUDPConsole(self.native(), no_nul(addr, "addr").c_str(), static_cast<unsigned>(port), mirror ? 1 : 0);
      }, py::arg("addr"), py::arg("port"), py::arg("mirror"),
         "Sends console messages to addr:port over UDP (mirror=True keeps the usual destination too).")
      .def("stopUDPConsole", [](Csound& self) { csoundStopUDPConsole(self.native()); });

  // ------------------------------------------------------------ utilities, commands, environment
  cls.def("runUtility", [](Csound& self, const std::string& name, py::object args) {
        auto v = string_list(args, "args");
        if (v.empty() || v.front() != name) v.insert(v.begin(), name);  // argv[0] is the utility name
        std::vector<char*> argv;
        for (auto& s : v) argv.push_back(s.data());
        argv.push_back(nullptr);
        no_nul(name, "name");
        py::gil_scoped_release nogil;
        return csoundRunUtility(self.native(), name.c_str(), static_cast<int>(v.size()), argv.data());
      }, py::arg("name"), py::arg("args"),
         "Runs a utility (e.g. 'sndinfo', 'lpanal', 'pvanal') with its arguments (GIL released). Returns 0 on "
         "success. Call reset() afterwards.")
      .def("listUtilities", [](Csound& self) -> py::object {
        CSOUND* cs = self.native();
        char** lst = csoundListUtilities(cs);
        if (!lst) return py::none();
        py::list out;
        for (char** p = lst; *p; ++p) out.append(str_or_none(*p));
        csoundDeleteUtilityList(cs, lst);
        return out;
      }, "Names of the registered utilities (None on error).")
      .def("utilityDescription", [](Csound& self, const std::string& name) {
        return str_or_none(csoundGetUtilityDescription(self.native(), no_nul(name, "name").c_str()));
      }, py::arg("name"), "A utility's description, or None.")
      .def("runCommand", [](Csound&, py::object args, bool no_wait) {
        auto v = string_list(args, "args");
        if (v.empty()) throw py::value_error("runCommand needs the program name in args[0]");
        std::vector<const char*> argv;
        for (auto& s : v) argv.push_back(s.c_str());
        argv.push_back(nullptr);
        py::gil_scoped_release nogil;
        return csoundRunCommand(argv.data(), no_wait ? 1 : 0);
      }, py::arg("args"), py::arg("noWait") = false,
         "Runs an external program (args[0] searched in PATH). Waits (GIL released) and returns its exit status, or "
         "with noWait returns its PID. Negative on error.")
      .def("env", [](Csound& self, const std::string& name, bool with_instance) {
        return str_or_none(csoundGetEnv(with_instance ? self.native() : nullptr, no_nul(name, "name").c_str()));
      }, py::arg("name"), py::arg("withCsoundInstance") = true,
         "Value of an environment variable (Csound's own first, then setGlobalEnv, then the process), or None.")
      .def("setGlobalEnv", [](Csound&, const std::string& name, py::object value) {
        auto v = opt_string(value, "value");
        return Csound::set_global_env(no_nul(name, "name"), v ? std::optional<std::string>(*v) : std::nullopt);
      }, py::arg("name"), py::arg("value"),
         "Sets (None deletes) a global Csound environment variable such as SFDIR or OPCODE6DIR64. Returns 0 on "
         "success. Not safe while instances perform.")
      .def("setLanguage", [](Csound&, int lang) {
        if (lang < 0 || lang > 72) throw py::value_error("lang_code must be a CSLANGUAGE_* value (0..72)");
        csoundSetLanguage(static_cast<cslanguage_t>(lang));
      }, py::arg("lang_code"));

  // ------------------------------------------------------------ global variables
  cls.def("createGlobalVariable", [](Csound& self, const std::string& name, long long nbytes) {
        if (nbytes <= 0 || nbytes > (1LL << 31)) return static_cast<int>(CSOUND_ERROR);
        return (int)csoundCreateGlobalVariable(self.native(), no_nul(name, "name").c_str(), static_cast<size_t>(nbytes));
      }, py::arg("name"), py::arg("nbytes"),
         "Allocates nbytes of zeroed memory under `name`. CSOUND_SUCCESS, CSOUND_ERROR (bad size, name in use) "
         "or CSOUND_MEMORY.")
      .def("queryGlobalVariable", [](Csound& self, const std::string& name) -> py::object {
        void* p = csoundQueryGlobalVariable(self.native(), no_nul(name, "name").c_str());
        if (!p) return py::none();
        return py::module_::import("ctypes").attr("c_void_p")(reinterpret_cast<std::uintptr_t>(p));
      }, py::arg("name"), "Address of a global variable as ctypes.c_void_p, or None when not defined.");
  // The NoCheck variant would crash on an unknown name; here it is the checked call.
  cls.def("destroyGlobalVariable", [](Csound& self, const std::string& name) {
        return csoundDestroyGlobalVariable(self.native(), no_nul(name, "name").c_str());
      }, py::arg("name"), "CSOUND_SUCCESS, or CSOUND_ERROR when the name is not defined.");

  // ------------------------------------------------------------ timers and random numbers
  cls.def("initTimerStruct", [](Csound&, py::object t) {
        if (t.is_none()) t = py::module_::import("csoundpp._core").attr("RtClock")();
        csoundInitTimerStruct(t.cast<RTCLOCK*>());
        return t;
      }, py::arg("timerStruct") = py::none(), "Starts a timer (an RtClock, created when omitted) and returns it.")
      .def("realTime", [](Csound&, RTCLOCK& t) { return csoundGetRealTime(&t); }, py::arg("timerStruct"),
           "Elapsed real time in seconds since initTimerStruct(timerStruct).")
      .def("CPUTime", [](Csound&, RTCLOCK& t) { return csoundGetCPUTime(&t); }, py::arg("timerStruct"),
           "Elapsed CPU time in seconds since initTimerStruct(timerStruct).")
      .def("randomSeedFromTime", [](Csound&) { return csoundGetRandomSeedFromTime(); })
      .def("rand31", [](Csound&, long long seed) {
        if (seed < 1 || seed > 2147483646) throw py::value_error("seed must be in 1..2147483646");
        int s = static_cast<int>(seed);
        return csoundRand31(&s);
      }, py::arg("seed"), "Next value (1..2147483646) of the linear congruential generator seed*742938285 % (2**31-1).")
      .def("seedRandMT", [](Csound&, py::object key) {
        CsoundRandMTState st;
        std::memset(&st, 0, sizeof st);
        if (py::isinstance<py::int_>(key)) {
          csoundSeedRandMT(&st, nullptr, to_u32(key));
        } else if (py::isinstance<py::sequence>(key) || py::isinstance<py::array>(key)) {
          std::vector<uint32_t> k;
          for (auto item : key) k.push_back(to_u32(item));
          if (k.empty()) throw py::value_error("initKey must not be empty");
          csoundSeedRandMT(&st, k.data(), static_cast<uint32_t>(k.size()));
        } else {
          throw py::type_error("initKey must be an int, a list of ints or an integer ndarray");
        }
        return st;
      }, py::arg("initKey"), "Seeds an MT19937 generator; returns its CsoundRandMTState.")
      .def("randMT", [](Csound&, CsoundRandMTState& st) { return csoundRandMT(&st); }, py::arg("state"),
           "Next 32-bit value of the MT19937 generator.");

  // ------------------------------------------------------------ named GENs, opcodes, trees
  cls.def("isNamedGEN", [](Csound& self, int num) { return csoundIsNamedGEN(self.native(), num); }, py::arg("num"),
          "Length of the name when GEN `num` is a named GEN, else 0.")
      .def("namedGEN", [](Csound& self, int num, int name_len) {
        if (name_len <= 0 || name_len > 4096) throw py::value_error("nameLen must be in 1..4096");
        CSOUND* cs = self.native();
        if (csoundIsNamedGEN(cs, num) == 0) return py::str("");
        std::vector<char> buf(static_cast<std::size_t>(name_len) + 1, 0);
        csoundGetNamedGEN(cs, num, buf.data(), name_len);
        return to_str(buf.data(), strnlen(buf.data(), static_cast<std::size_t>(name_len)));
      }, py::arg("num"), py::arg("nameLen"), "The name of a named GEN ('' when `num` is not one).")
      .def("namedGens", [](Csound& self) {
        struct NG {
          char* name;
          int genum;
          NG* next;
        };  // csound's NAMEDGEN layout (csoundCore.h)
        py::list out;
        for (auto* p = static_cast<NG*>(csoundGetNamedGens(self.native())); p; p = p->next)
          out.append(py::make_tuple(str_or_none(p->name), p->genum));
        return out;
      }, "[(name, number), ...] of the named GENs.")
      .def("_opcodeList", [](Csound& self) {
        CSOUND* cs = self.native();
        opcodeListEntry* lst = nullptr;
        int n = csoundNewOpcodeList(cs, &lst);
        py::list out;
        for (int i = 0; i < n && lst; ++i)
          out.append(py::make_tuple(str_or_none(lst[i].opname), str_or_none(lst[i].outypes),
                                    str_or_none(lst[i].intypes), lst[i].flags));
        if (lst) csoundDisposeOpcodeList(cs, lst);
        return py::make_tuple(out, n);
      })
      .def("parseOrc", [](Csound& self, const std::string& orc) -> py::object {
        no_nul(orc, "orchestra");
        TREE* t;
        {
          py::gil_scoped_release nogil;
          t = self.parse_orc(orc);  // guarded: a missing #include is a failed parse, not a crash
        }
        if (!t) return py::none();
        // The tree is Csound memory; the capsule frees it unless compileTree/deleteTree did.
        struct Tree {
          std::weak_ptr<Engine> engine;
          TREE* tree;
        };
        auto* holder = new Tree{self.engine(), t};
        return py::capsule(holder, "csoundpp.TREE", [](PyObject* cap) {
          auto* h = static_cast<Tree*>(PyCapsule_GetPointer(cap, "csoundpp.TREE"));
          if (!h) return;
          if (auto e = h->engine.lock(); e && h->tree) csoundDeleteTree(e->get(), h->tree);
          delete h;
        });
      }, py::arg("orc"), "Parses orchestra code into a tree (opaque capsule) for compileTree(); None on a syntax error.")
      .def("compileTree", [](Csound& self, py::capsule tree, bool async) {
        struct Tree {
          std::weak_ptr<Engine> engine;
          TREE* tree;
        };
        if (std::strcmp(tree.name(), "csoundpp.TREE") != 0) throw py::type_error("expected a tree from parseOrc()");
        auto* h = tree.get_pointer<Tree>();
        auto e = h->engine.lock();
        if (!e || e->get() != self.native()) throw py::value_error("this tree was parsed by another (or a reset) instance");
        if (!h->tree) throw py::value_error("this tree was deleted");
        CSOUND* cs = self.native();
        py::gil_scoped_release nogil;
        return async ? csoundCompileTreeAsync(cs, h->tree) : csoundCompileTree(cs, h->tree);
      }, py::arg("tree"), py::arg("async_") = false, "Compiles a parsed tree (GIL released). Returns 0 on success.")
      .def("deleteTree", [](Csound& self, py::capsule tree) {
        struct Tree {
          std::weak_ptr<Engine> engine;
          TREE* tree;
        };
        if (std::strcmp(tree.name(), "csoundpp.TREE") != 0) throw py::type_error("expected a tree from parseOrc()");
        auto* h = tree.get_pointer<Tree>();
        if (auto e = h->engine.lock(); e && h->tree) csoundDeleteTree(e->get(), h->tree);
        h->tree = nullptr;
        (void)self;
      }, py::arg("tree"), "Frees a parsed tree now (it is freed with its capsule otherwise).")
      .def("instrNumber", [](Csound& self, const std::string& name) {
        if (name.empty() || name.find_first_of("\"\n\r\\") != std::string::npos)
          throw py::value_error("invalid instrument name");
        std::string code = "return nstrnum(\"" + name + "\")";
        CSOUND* cs = self.native();
        double v;
        {
          py::gil_scoped_release nogil;
          v = csoundEvalCode(cs, code.c_str());
        }
        return v > 0 ? static_cast<int>(v) : -1;
      }, py::arg("name"), "Number of a named instrument, or -1 (Csound 7 API; computed with nstrnum).");
  cls.def("compileTreeAsync", [](py::object self, py::object tree) { return self.attr("compileTree")(tree, true); },
          py::arg("tree"));

  // ------------------------------------------------------------ pvs channels and channel data
  cls.def("setPvsChannel", [](Csound& self, Pvsdat& fin, const std::string& name) {
        fin.sync();
        return csoundSetPvsChannel(self.native(), &fin.d, no_nul(name, "name").c_str());
      }, py::arg("fin"), py::arg("name"),
         "Sends a PvsdatExt to the pvsin opcode on channel `name`. 0, CSOUND_ERROR or CSOUND_MEMORY.")
      .def("pvsChannel", [](Csound& self, Pvsdat& fout, const std::string& name) {
        fout.sync();
        return csoundGetPvsChannel(self.native(), &fout.d, no_nul(name, "name").c_str());
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
        int r = csoundSetPvsChannel(self.native(), &p.d, no_nul(name, "name").c_str());
        if (r != 0) throw CsoundError("could not create pvs channel '" + name + "'", r);
        return p;
      }, py::arg("name"), py::arg("fftsize"), py::arg("overlap"), py::arg("winsize"), py::arg("wintype"),
         py::arg("format") = 0,
         "Creates an f-sig channel (Csound 7 name) and returns a zeroed PvsdatExt of that shape for "
         "setPvsChannel/pvsChannel and the pvsData* accessors.")
      .def("pvsData", [](Csound&, py::object p) -> py::array { return p.attr("frame"); }, py::arg("pvsdat"),
           "The frame of a PvsdatExt as a float32 numpy view.")
      .def("pvsDataFftSize", [](Csound&, const Pvsdat& p) { return p.d.N; }, py::arg("pvsdat"))
      .def("pvsDataOverlap", [](Csound&, const Pvsdat& p) { return p.d.overlap; }, py::arg("pvsdat"))
      .def("pvsDataWindowSize", [](Csound&, const Pvsdat& p) { return p.d.winsize; }, py::arg("pvsdat"))
      .def("pvsDataFormat", [](Csound&, const Pvsdat& p) { return p.d.format; }, py::arg("pvsdat"))
      .def("pvsDataFramecount", [](Csound&, const Pvsdat& p) { return p.d.framecount; }, py::arg("pvsdat"))
      .def("setPvsData", [](Csound&, py::object p, py::object frame) { p.attr("frame") = frame; },
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
        int* p = csoundGetChannelLock(self->native(), no_nul(name, "name").c_str());
        if (!p) return py::none();
        SpinLock s;
        s.owner = self;
        s.engine = self->engine();
        s.generation = self->generation();
        s.ptr = p;
        return py::cast(s);
      }, py::arg("name"), "The spin lock of a channel (for spinLock/spinUnlock), or None when it does not exist.")
      .def("lockChannel", [](CsPtr self, const std::string& name) {
        int* p = csoundGetChannelLock(self->native(), no_nul(name, "name").c_str());
        if (!p) throw CsoundError("channel '" + name + "' does not exist");
        py::gil_scoped_release nogil;
        csoundSpinLock(reinterpret_cast<spin_lock_t*>(p));
      }, py::arg("channel"), "Locks a channel's spin lock (waits with the GIL released).")
      .def("unlockChannel", [](CsPtr self, const std::string& name) {
        int* p = csoundGetChannelLock(self->native(), no_nul(name, "name").c_str());
        if (!p) throw CsoundError("channel '" + name + "' does not exist");
        csoundSpinUnLock(reinterpret_cast<spin_lock_t*>(p));
      }, py::arg("channel"))
      .def("spinLockInit", [](Csound&, py::object lock) { return csoundSpinLockInit(spin_from(lock)); }, py::arg("spinlock"))
      .def("spinLock", [](Csound&, py::object lock) {
        spin_lock_t* p = spin_from(lock);
        py::gil_scoped_release nogil;
        csoundSpinLock(p);
      }, py::arg("spinlock"), "Locks (spins with the GIL released).")
      .def("spinTryLock", [](Csound&, py::object lock) { return csoundSpinTryLock(spin_from(lock)); }, py::arg("spinlock"),
           "CSOUND_SUCCESS when the lock was taken, CSOUND_ERROR when it is held.")
      .def("spinUnlock", [](Csound&, py::object lock) { csoundSpinUnLock(spin_from(lock)); }, py::arg("spinlock"));

  // ------------------------------------------------------------ circular buffers
  // read and peek differ only in the libcsound call
  auto drain_circular_buffer = [](int (*op)(CSOUND*, void*, void*, int), const char* what) {
    return [op, what](Csound& self, CircularBuffer& b, py::array out, int items) {
      void* p = b.live(self, what);
      if (!out.writeable() || !(out.flags() & py::array::c_style)) throw py::value_error("out must be a writable contiguous array");
      py::buffer_info bi = out.request(true);
      if (static_cast<long long>(bi.size) * bi.itemsize < static_cast<long long>(items) * b.elemsize) return 0;
      check_items(bi, items, b.elemsize, "out");
      CSOUND* cs = self.native();
      py::gil_scoped_release nogil;
      return op(cs, p, bi.ptr, items);
    };
  };
  cls.def("createCircularBuffer", [](CsPtr self, int numelem, int elemsize) {
        if (numelem <= 0) throw py::value_error("numelem must be > 0");
        if (elemsize == 0) elemsize = static_cast<int>(sizeof(MYFLT));
        if (elemsize < 0 || elemsize > 4096) throw py::value_error("elemsize must be in 1..4096 bytes");
        void* p = csoundCreateCircularBuffer(self->native(), numelem, elemsize);
        if (!p) throw CsoundError("csoundCreateCircularBuffer failed", CSOUND_MEMORY);
        CircularBuffer b;
        b.owner = self;
        b.engine = self->engine();
        b.generation = self->generation();
        b.ptr = p;
        b.numelem = numelem;
        b.elemsize = elemsize;
        return b;
      }, py::arg("numelem"), py::arg("elemsize") = 0,
         "Creates a lock-free circular buffer of numelem elements of elemsize bytes (0: float64).")
      .def("readCircularBuffer", drain_circular_buffer(csoundReadCircularBuffer, "readCircularBuffer"),
           py::arg("circularBuffer"), py::arg("out"), py::arg("items"),
           "Moves up to `items` elements into the numpy array `out`; returns how many were read. 0 when `out` is too small (as ctcsound).")
      .def("peekCircularBuffer", drain_circular_buffer(csoundPeekCircularBuffer, "peekCircularBuffer"),
           py::arg("circularBuffer"), py::arg("out"), py::arg("items"),
           "Like readCircularBuffer without removing the elements.")
      .def("writeCircularBuffer", [](Csound& self, CircularBuffer& b, py::array in, int items) {
        void* p = b.live(self, "writeCircularBuffer");
        if (!(in.flags() & py::array::c_style)) throw py::value_error("in_ must be a contiguous array");
        py::buffer_info bi = in.request();
        if (static_cast<long long>(bi.size) * bi.itemsize < static_cast<long long>(items) * b.elemsize) return 0;
        check_items(bi, items, b.elemsize, "in_");
        CSOUND* cs = self.native();
        py::gil_scoped_release nogil;
        return csoundWriteCircularBuffer(cs, p, bi.ptr, items);
      }, py::arg("circularBuffer"), py::arg("in_"), py::arg("items"),
         "Writes up to `items` elements from the numpy array `in_`; returns how many fitted.")
      .def("flushCircularBuffer", [](Csound& self, CircularBuffer& b) {
        csoundFlushCircularBuffer(self.native(), b.live(self, "flushCircularBuffer"));
      }, py::arg("circularBuffer"))
      .def("destroyCircularBuffer", [](Csound& self, CircularBuffer& b) {
        if (!b.ptr) return;
        void* p = b.live(self, "destroyCircularBuffer");
        csoundDestroyCircularBuffer(self.native(), p);
        b.ptr = nullptr;
      }, py::arg("circularBuffer"), "Frees the buffer (idempotent); later use raises StateError.");

  // ------------------------------------------------------------ threads, locks, mutexes, barriers
  cls.def("createThread", [](Csound&, py::object fn, py::object userdata) -> py::object {
        if (!PyCallable_Check(fn.ptr())) throw py::type_error("function must be callable");
        struct Job {
          PyRefPtr fn, data;
        };
        auto* job = new Job{hold(fn), std::make_shared<PyRef>(userdata)};
        auto routine = [](void* arg) -> uintptr_t {
          std::unique_ptr<Job> j(static_cast<Job*>(arg));
          uintptr_t out = call_from_native_as<uintptr_t>(j->fn, 0, j->data->obj);
          if (!python_finalizing()) {
            py::gil_scoped_acquire gil;  // Job holds Python references: drop them with the GIL
            j.reset();
          } else {
            j.release();
          }
          return out;
        };
        void* t = csoundCreateThread(routine, job);
        if (!t) {
          delete job;
          return py::none();
        }
        ThreadHandle h;
        h.thread = t;
        return py::cast(h);
      }, py::arg("function"), py::arg("userdata") = py::none(),
         "Runs function(userdata) on a new native thread (it takes the GIL to run). Returns a CsoundThread for "
         "joinThread (whose result is the function's int return value), or None on failure.")
      .def("createThread2", [](py::object self, py::object fn, unsigned stack, py::object userdata) {
        (void)stack;  // Python code needs the interpreter's own stack size; the default is used
        return self.attr("createThread")(fn, userdata);
      }, py::arg("function"), py::arg("stack"), py::arg("userdata") = py::none())
      .def("joinThread", [](Csound&, ThreadHandle& h) {
        if (!h.thread && h.joined) return h.result;
        if (!h.thread) throw StateError("not a started thread");
        void* t = h.thread;
        uintptr_t r;
        {
          py::gil_scoped_release nogil;
          r = csoundJoinThread(t);
        }
        h.thread = nullptr;
        h.joined = true;
        h.result = r;
        return r;
      }, py::arg("thread"), "Waits (GIL released) for the thread and returns its result.")
      .def("currentThreadId", [](Csound&) -> py::object {
        void* p = csoundGetCurrentThreadId();
        if (!p) return py::none();
        std::uintptr_t id = reinterpret_cast<std::uintptr_t>(*static_cast<pthread_t*>(p));
        std::free(p);
        return py::int_(id);
      }, "The calling thread's id as an int (comparable with ==).")
      .def("createThreadLock", [](Csound&) -> py::object {
        void* l = csoundCreateThreadLock();
        if (!l) return py::none();
        ThreadLock t;
        t.lock = l;
        return py::cast(t);
      }, "A monitor object, initially notified.")
      .def("waitThreadLock", [](Csound&, ThreadLock& l, std::size_t ms) {
        void* p = l.get();
        py::gil_scoped_release nogil;
        return csoundWaitThreadLock(p, ms);
      }, py::arg("lock"), py::arg("milliseconds"), "0 when notified, non-zero on timeout (GIL released while waiting).")
      .def("waitThreadLockNoTimeout", [](Csound&, ThreadLock& l) {
        void* p = l.get();
        // Waits in slices so Ctrl-C can interrupt.
        while (true) {
          int r;
          {
            py::gil_scoped_release nogil;
            r = csoundWaitThreadLock(p, 50);
          }
          if (r == 0) return;
          if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        }
      }, py::arg("lock"))
      .def("notifyThreadLock", [](Csound&, ThreadLock& l) { csoundNotifyThreadLock(l.get()); }, py::arg("lock"))
      .def("destroyThreadLock", [](Csound&, ThreadLock& l) {
        if (!l.lock) return;
        csoundDestroyThreadLock(l.lock);
        l.lock = nullptr;
      }, py::arg("lock"))
      .def("createMutex", [](Csound&, bool recursive) -> py::object {
        void* mx = csoundCreateMutex(recursive ? 1 : 0);
        if (!mx) return py::none();
        Mutex m;
        m.mutex = mx;
        m.recursive = recursive;
        return py::cast(m);
      }, py::arg("isRecursive") = false)
      .def("lockMutex", [](Csound&, Mutex& m) {
        void* p = m.get();
        py::gil_scoped_release nogil;
        csoundLockMutex(p);
      }, py::arg("mutex"), "Acquires the mutex (waits with the GIL released).")
      .def("lockMutexNoWait", [](Csound&, Mutex& m) { return csoundLockMutexNoWait(m.get()); }, py::arg("mutex"),
           "0 when acquired, non-zero when another thread holds it.")
      .def("unlockMutex", [](Csound&, Mutex& m) { csoundUnlockMutex(m.get()); }, py::arg("mutex"))
      .def("destroyMutex", [](Csound&, Mutex& m) {
        if (!m.mutex) return;
        csoundDestroyMutex(m.mutex);
        m.mutex = nullptr;
      }, py::arg("mutex"))
      .def("createBarrier", [](Csound&, unsigned max) -> py::object {
        if (max == 0) throw py::value_error("max must be >= 1");
        void* b = csoundCreateBarrier(max);
        if (!b) return py::none();
        Barrier out;
        out.barrier = b;
        out.max = max;
        return py::cast(out);
      }, py::arg("max_"), "A barrier for `max_` threads (children + the master).")
      .def("destroyBarrier", [](Csound&, Barrier& b) {
        if (!b.barrier) return 0;
        int r = csoundDestroyBarrier(b.barrier);
        b.barrier = nullptr;
        return r;
      }, py::arg("barrier"))
      .def("waitBarrier", [](Csound&, Barrier& b) {
        void* p = b.get();
        py::gil_scoped_release nogil;
        return csoundWaitBarrier(p);
      }, py::arg("barrier"), "Waits (GIL released) until max_ threads arrived.")
      .def("sleep", [](Csound&, std::size_t ms) {
        py::gil_scoped_release nogil;
        csoundSleep(ms);
      }, py::arg("milliseconds"), "Sleeps at least `milliseconds` (GIL released).");

  // ------------------------------------------------------------ shared libraries
  cls.def("openLibrary", [](Csound&, const std::string& path) {
        void* lib = nullptr;
        int r = csoundOpenLibrary(&lib, no_nul(path, "libraryPath").c_str());
        py::object ctypes = py::module_::import("ctypes");
        return py::make_tuple(r, ctypes.attr("c_void_p")(reinterpret_cast<std::uintptr_t>(lib)));
      }, py::arg("libraryPath"), "(status, library handle as ctypes.c_void_p); status 0 on success.")
      .def("closeLibrary", [](Csound&, py::object lib) {
        std::uintptr_t p = py::hasattr(lib, "value") ? (lib.attr("value").is_none() ? 0 : lib.attr("value").cast<std::uintptr_t>())
                                                     : lib.cast<std::uintptr_t>();
        if (!p) throw py::value_error("library handle is NULL");
        return csoundCloseLibrary(reinterpret_cast<void*>(p));
      }, py::arg("library"))
      .def("getLibrarySymbol", [](Csound&, py::object lib, const std::string& sym) -> py::object {
        std::uintptr_t p = py::hasattr(lib, "value") ? (lib.attr("value").is_none() ? 0 : lib.attr("value").cast<std::uintptr_t>())
                                                     : lib.cast<std::uintptr_t>();
        if (!p) throw py::value_error("library handle is NULL");
        void* s = csoundGetLibrarySymbol(reinterpret_cast<void*>(p), no_nul(sym, "symbolName").c_str());
        if (!s) return py::none();
        return py::module_::import("ctypes").attr("c_void_p")(reinterpret_cast<std::uintptr_t>(s));
      }, py::arg("library"), py::arg("symbolName"));

  // ------------------------------------------------------------ rt user data (pointers, as ctcsound)
  cls.def("rtRecordUserData", [](Csound& self) {
        return reinterpret_cast<std::uintptr_t>(csoundGetRtRecordUserData(self.native()));
      }, "Address of Csound's real-time input user-data pointer (as ctcsound: an int address).")
      .def("rtPlaydUserData", [](Csound& self) {
        return reinterpret_cast<std::uintptr_t>(csoundGetRtPlayUserData(self.native()));
      }, "Address of Csound's real-time output user-data pointer (ctcsound's spelling).");
}

}  // namespace csoundpp::bind
