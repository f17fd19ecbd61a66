// Host callbacks of the ctcsound 6 / libcsound surface: file open, sense
// event, keyboard, yield, graphs, cscore, host-implemented MIDI and audio I/O,
// device-list callbacks, appended opcodes and the default message callback.
//
// The C side (trampolines, installation in libcsound) is csoundpp::HostCallbacks
// (Csound::hooks()); here each Python callable becomes the std::function a hook
// holds, converting libcsound's arguments under the GIL (with_gil).
//
// Threading: Csound calls these on the thread that performs (or compiles).
// Each function takes the GIL only for the duration of the Python call and
// reports exceptions through sys.unraisablehook; setting one of these
// callbacks is the explicit opt-in to running Python on that thread. The
// host-MIDI ring (setHostMidiIO + pushMidi/popMidiOutput) never takes the GIL.
#include <csound/csound.h>
#include <csound/cwindow.h>

#include <algorithm>
#include <array>
#include <cstdarg>
#include <cstring>

#include "common.hpp"
#include "csoundpp/host_midi.hpp"
#include "csoundpp/opcode_info.hpp"
#include "csoundpp/system.hpp"

namespace csoundpp::bind {

namespace {

using CsPtr = std::shared_ptr<Csound>;

struct Cb {
  PyRefPtr fn;
  int arity = 0;
  explicit operator bool() const { return static_cast<bool>(fn); }
};

Cb make_cb(const py::object& fn) {
  Cb c;
  if (fn.is_none()) return c;
  if (!PyCallable_Check(fn.ptr())) throw py::type_error("callback must be callable or None");
  c.fn = hold(fn);
  c.arity = arity(fn);
  return c;
}

struct RtParams {
  std::optional<std::string> devName;
  int devNum = 1024;
  unsigned bufSamp_SW = 0;
  int bufSamp_HW = 0;
  int nChannels = 0;
  int sampleFormat = 0;
  float sampleRate = 0;
};

struct Windat {
  std::uintptr_t windid = 0;
  std::vector<double> fdata;
  int npts = 0;
  std::string caption;
  int waitflg = 0, polarity = 0;
  double max = 0, min = 0, absmax = 0, oabsmax = 0;
  int danflag = 0, absflag = 0;
  static Windat from(const WINDAT* w) {
    Windat o;
    o.windid = w->windid;
    o.npts = w->npts;
    if (w->fdata && w->npts > 0) o.fdata.assign(w->fdata, w->fdata + w->npts);
    o.caption.assign(w->caption, strnlen(w->caption, CAPSIZE));
    o.waitflg = w->waitflg;
    o.polarity = w->polarity;
    o.max = w->max;
    o.min = w->min;
    o.absmax = w->absmax;
    o.oabsmax = w->oabsmax;
    o.danflag = w->danflag;
    o.absflag = w->absflag;
    return o;
  }
};

// Python-side state of the host callbacks of one Csound: the keyboard callbacks (to
// find them again in removeKeyboardCallback) and the host-MIDI rings.
struct ApiState {
  struct Kbd {
    PyRefPtr fn;
    int token = 0;
  };
  std::vector<Kbd> kbd;
  std::shared_ptr<HostMidi> midi;
};

std::shared_ptr<ApiState> api_of(Csound& cs) {
  auto st = state_of(cs);
  if (!st->api) st->api = std::make_shared<ApiState>();
  return std::static_pointer_cast<ApiState>(st->api);
}

std::uintptr_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

int int_result(const py::object& r, int dflt = 0) { return r.is_none() ? dflt : r.cast<int>(); }

py::str str_of(const char* s) { return to_str(s ? s : "", s ? std::strlen(s) : 0); }

// Stores what make(cb) returns in the hook (installing it), or clears the hook for None.
template <typename H, typename Make>
void set_hook(H& hook, const py::object& fn, Make make) {
  Cb cb = make_cb(fn);
  if (!cb) {
    hook.set({});
    return;
  }
  hook.set(make(cb));
}

// ---------------------------------------------------------------- the functions hooks hold

void copy_field(char* dst, const py::object& v) {
  std::string s = v.is_none() ? std::string() : py::str(v).cast<std::string>();
  std::size_t n = std::min<std::size_t>(s.size(), 63);
  std::memcpy(dst, s.data(), n);
  dst[n] = 0;
}

py::object field(const py::handle& dev, const char* key) {
  if (py::isinstance<py::dict>(dev)) {
    auto d = py::reinterpret_borrow<py::dict>(dev);
    return d.contains(key) ? py::object(d[key]) : py::object(py::none());
  }
  return py::getattr(dev, key, py::none());
}

RtParams params_from(const csRtAudioParams* p) {
  RtParams r;
  if (p->devName) r.devName = std::string(p->devName);
  r.devNum = p->devNum;
  r.bufSamp_SW = p->bufSamp_SW;
  r.bufSamp_HW = p->bufSamp_HW;
  r.nChannels = p->nChannels;
  r.sampleFormat = p->sampleFormat;
  r.sampleRate = p->sampleRate;
  return r;
}

// draw/kill graph: fn(windat) or fn(csound, windat).
auto graph_fn(Cb cb) {
  return [cb](CSOUND* cs, WINDAT* w) {
    with_gil(cb.fn, [&](py::object& f) {
      if (cb.arity == 1) f(Windat::from(w));
      else f(addr(cs), Windat::from(w));
    });
  };
}

// MIDI in/out open: fn(devName) or fn(csound, userDataPtr, devName) -> int.
auto midi_open_fn(Cb cb) {
  return [cb](CSOUND* cs, void** user, const char* dev) {
    return with_gil(cb.fn, 0, [&](py::object& f) {
      return int_result(cb.arity == 1 ? f(str_of(dev)) : f(addr(cs), addr(user), str_of(dev)));
    });
  };
}

// MIDI in/out close: fn() or fn(csound, userData) -> int.
auto midi_close_fn(Cb cb) {
  return [cb](CSOUND* cs, void* user) {
    return with_gil(cb.fn, 0, [&](py::object& f) { return int_result(cb.arity == 0 ? f() : f(addr(cs), addr(user))); });
  };
}

// One rt-audio open callback: fn(params) or fn(csound, params) -> int.
auto rt_open_fn(Cb cb) {
  return [cb](CSOUND* cs, const csRtAudioParams* parm) {
    return with_gil(cb.fn, 0, [&](py::object& f) {
      return int_result(cb.arity == 1 ? f(params_from(parm)) : f(addr(cs), params_from(parm)));
    });
  };
}

// ---------------------------------------------------------------- appended opcodes
// Each appended opcode gets three C entry points from a fixed pool of slots.
constexpr int kOpcodeSlots = 64;
struct OpSlot {
  PyRefPtr fn[3];  // init, k-perf, a-perf
  bool used = false;
  std::string opname, outypes, intypes;  // libcsound keeps pointers to these strings
};
std::array<OpSlot, kOpcodeSlots> g_op_slots;
constexpr int NOTOK_ = -1;

template <int S, int K>
int op_tramp(CSOUND* cs, void* p) {
  return under_gil(NOTOK_, [&] {
    PyRefPtr fn = g_op_slots[S].fn[K];  // read under the GIL: appendOpcode fills the slots holding it
    if (!fn) return 0;
    return report_errors(fn->obj, NOTOK_, [&] {
      py::object r = fn->obj(addr(cs), addr(p));
      return r.is_none() ? 0 : r.cast<int>();  // a non-int result is reported as a TypeError
    });
  });
}
using SubrFn = int (*)(CSOUND*, void*);
template <int S>
constexpr std::array<SubrFn, 3> slot_fns() {
  return {&op_tramp<S, 0>, &op_tramp<S, 1>, &op_tramp<S, 2>};
}
template <int... S>
constexpr std::array<std::array<SubrFn, 3>, sizeof...(S)> all_slots(std::integer_sequence<int, S...>) {
  return {slot_fns<S>()...};
}
const auto g_op_fns = all_slots(std::make_integer_sequence<int, kOpcodeSlots>{});

}  // namespace

void init_callbacks(py::module_& m) {
  auto cls = py::reinterpret_borrow<py::class_<Csound, CsPtr>>(m.attr("Csound"));

  py::class_<RtParams>(m, "CsoundRtAudioParams", "Real-time audio parameters given to play/record open callbacks.")
      .def(py::init<>())
      .def_readwrite("devName", &RtParams::devName)
      .def_readwrite("devNum", &RtParams::devNum)
      .def_readwrite("bufSamp_SW", &RtParams::bufSamp_SW)
      .def_readwrite("bufSamp_HW", &RtParams::bufSamp_HW)
      .def_readwrite("nChannels", &RtParams::nChannels)
      .def_readwrite("sampleFormat", &RtParams::sampleFormat)
      .def_readwrite("sampleRate", &RtParams::sampleRate)
      .def("__repr__", [](const RtParams& p) {
        return "CsoundRtAudioParams(devName=" + p.devName.value_or("None") + ", nChannels=" + std::to_string(p.nChannels) +
               ", sampleRate=" + std::to_string(p.sampleRate) + ", bufSamp_SW=" + std::to_string(p.bufSamp_SW) + ")";
      });

  py::class_<Windat>(m, "Windat", "A graph passed to the make/draw/kill graph callbacks (a copy; fields as in ctcsound).")
      .def(py::init<>())
      .def_readwrite("windid", &Windat::windid)
      .def_property_readonly("fdata", [](const Windat& w) {
        py::array_t<double> a(static_cast<py::ssize_t>(w.fdata.size()));
        if (!w.fdata.empty()) std::memcpy(a.mutable_data(), w.fdata.data(), w.fdata.size() * sizeof(double));
        return a;
      })
      .def_readonly("npts", &Windat::npts)
      .def_readonly("caption", &Windat::caption)
      .def_readonly("waitflg", &Windat::waitflg)
      .def_readonly("polarity", &Windat::polarity)
      .def_readonly("max", &Windat::max)
      .def_readonly("min", &Windat::min)
      .def_readonly("absmax", &Windat::absmax)
      .def_readonly("oabsmax", &Windat::oabsmax)
      .def_readonly("danflag", &Windat::danflag)
      .def_readonly("absflag", &Windat::absflag);

  // ------------------------------------------------------------ file open, yield, cscore, sense, keyboard
  cls.def("setFileOpenCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().file_open, fn, [](Cb cb) {
          return [cb](CSOUND* cs, const char* path, int type, int write, int temp) {
            with_gil(cb.fn, [&](py::object& f) {
              if (cb.arity == 4) f(str_of(path), type, write != 0, temp != 0);
              else f(addr(cs), py::bytes(path ? path : ""), type, write, temp);
            });
          };
        });
      }, py::arg("function"),
         "Called after Csound opens a file: fn(csound, path: bytes, filetype, write, temporary) as in ctcsound, or "
         "fn(path: str, filetype, write: bool, temporary: bool). Runs on the thread that compiles/performs.")
      .def("setYieldCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().yield, fn, [](Cb cb) {
          return [cb](CSOUND* cs) {
            return with_gil(cb.fn, 1, [&](py::object& f) {
              py::object r = cb.arity == 0 ? f() : f(addr(cs));
              return r.is_none() ? 1 : (py::bool_(r) ? 1 : 0);
            });
          };
        });
      }, py::arg("function"),
         "fn(csound) or fn() -> bool ('OK to continue'; False stops a running utility/performance).")
      .def("setCscoreCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().cscore, fn, [](Cb cb) {
          return [cb](CSOUND* cs) {
            with_gil(cb.fn, [&](py::object& f) {
              if (cb.arity == 0) f();
              else f(addr(cs));
            });
          };
        });
      }, py::arg("function"), "Called for cscore processing (-C): fn(csound) or fn().")
      .def("registerSenseEventCallback", [](Csound& self, py::object fn, py::object user) {
        if (!PyCallable_Check(fn.ptr())) throw py::type_error("function must be callable");
        Cb cb = make_cb(fn);
        auto data = std::make_shared<PyRef>(user);
        return self.hooks().add_sense_event([cb, data](CSOUND* cs) {
          with_gil(cb.fn, [&](py::object& f) {
            if (cb.arity == 0) f();
            else if (cb.arity == 1) f(data->obj);
            else f(addr(cs), data->obj);
          });
        });
      }, py::arg("function"), py::arg("userData") = py::none(),
         "Called once per k-cycle before it is rendered, on the performing thread: fn(csound, userData) as in "
         "ctcsound, fn(userData) or fn(). Cleared by cleanup()/reset(). Returns 0 on success.")
      .def("keyPress", [](Csound& self, py::object c) {
        int code;
        if (py::isinstance<py::str>(c) || py::isinstance<py::bytes>(c)) {
          auto s = c.cast<std::string>();
          if (s.size() != 1) throw py::value_error("keyPress expects one character");
          code = static_cast<unsigned char>(s[0]);
        } else {
          code = c.cast<int>();
          if (code < 0 || code > 255) throw py::value_error("key code must be 0..255");
        }
        self.key_press(static_cast<char>(code));
      }, py::arg("c"), "Sets the key the sensekey opcode reports when no keyboard callback is registered.")
      .def("registerKeyboardCallback", [](Csound& self, py::object fn, py::object user, unsigned type) {
        if (!PyCallable_Check(fn.ptr())) throw py::type_error("function must be callable");
        if (type > 3) throw py::value_error("type_ must be 0, CSOUND_CALLBACK_KBD_EVENT or CSOUND_CALLBACK_KBD_TEXT");
        auto api = api_of(self);
        // The same function again only updates its data and type (as Csound does).
        for (auto it = api->kbd.begin(); it != api->kbd.end(); ++it)
          if (it->fn->obj.equal(fn)) {
            self.hooks().remove_keyboard(it->token);
            api->kbd.erase(it);
            break;
          }
        Cb cb = make_cb(fn);
        auto data = std::make_shared<PyRef>(user);
        int token = 0;
        int r = self.hooks().add_keyboard([cb, data](void* p, unsigned t) {
          return with_gil(cb.fn, -1, [&](py::object& f) {
            if (cb.arity == 2) {  // fn(userData, type) -> key code (0: no key)
              py::object k = f(data->obj, t);
              if (p) *static_cast<int*>(p) = k.is_none() ? 0 : k.cast<int>();
              return 0;
            }
            return int_result(f(data->obj, addr(p), t));  // ctcsound: writes the key through p
          });
        }, type, &token);
        api->kbd.push_back({cb.fn, token});
        return r;
      }, py::arg("function"), py::arg("userData") = py::none(), py::arg("type_") = 0,
         "Keyboard events for sensekey, called on the performing thread: ctcsound's fn(userData, p, type) "
         "(writes the key code through the int pointer p) or fn(userData, type) -> key code (0 = none). "
         "Later registrations are asked first. Returns 0 on success.")
      .def("removeKeyboardCallback", [](Csound& self, py::object fn) {
        auto api = api_of(self);
        for (auto it = api->kbd.begin(); it != api->kbd.end(); ++it)
          if (it->fn->obj.equal(fn)) {
            self.hooks().remove_keyboard(it->token);
            api->kbd.erase(it);
            break;
          }
      }, py::arg("function"));

  // The Csound 7 sound-file-open hook does not exist in 6.18: the file-open callback reports sound files too.
  cls.def("setOpenSoundFileCallback", [](Csound&, py::object) {
        throw CsoundError("setOpenSoundFileCallback() needs Csound 7 (Csound 6.18 can only report opened files: "
                          "use setFileOpenCallback)");
      }, py::arg("function"));

  // ------------------------------------------------------------ graphs
  cls.def("setIsGraphable", &Csound::set_is_graphable,
          py::arg("isGraphable"), "Tells Csound the host displays graphs; returns the previous setting.")
      .def("setMakeGraphCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().make_graph, fn, [](Cb cb) {
          return [cb](CSOUND* cs, WINDAT* w, const char* name) {
            with_gil(cb.fn, [&](py::object& f) {
              py::object win = py::cast(Windat::from(w));
              if (cb.arity == 2) f(win, str_of(name));
              else f(addr(cs), win, str_of(name));
              w->windid = win.cast<Windat&>().windid;  // the host may assign an id
            });
          };
        });
      }, py::arg("function"), "fn(csound, windat, name) or fn(windat, name); may set windat.windid.")
      .def("setDrawGraphCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().draw_graph, fn, graph_fn);
      }, py::arg("function"), "fn(csound, windat) or fn(windat); windat.fdata holds the points.")
      .def("setKillGraphCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().kill_graph, fn, graph_fn);
      }, py::arg("function"))
      .def("setExitGraphCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().exit_graph, fn, [](Cb cb) {
          return [cb](CSOUND* cs) {
            return with_gil(cb.fn, 0, [&](py::object& f) { return int_result(cb.arity == 0 ? f() : f(addr(cs))); });
          };
        });
      }, py::arg("function"));

  // ------------------------------------------------------------ MIDI
  cls.def("setHostImplementedMIDIIO", [](Csound& self, bool state) {
        self.set_host_implemented_midi_io(state);
      }, py::arg("state"), "True: the host supplies MIDI I/O through the setExternalMidi*Callback functions.")
      .def("setHostMidiIO", [](Csound& self, std::size_t capacity) {
        auto api = api_of(self);
        if (!api->midi) api->midi = std::make_shared<HostMidi>(capacity);
        api->midi->attach(self.native());
      }, py::arg("capacity") = 65536,
         "Host MIDI through native rings: Csound reads what pushMidi() queues and its MIDI output is drained by "
         "popMidiOutput(). Sets -M0 -Q0. Before compiling, and again after reset() (which clears options). "
         "No Python runs on the audio thread.")
      .def("pushMidi", [](Csound& self, py::object data) {
        auto api = api_of(self);
        if (!api->midi || api->midi->attached() != self.native())
          throw StateError("pushMidi needs setHostMidiIO() before compiling");
        std::string bytes;
        if (py::isinstance<py::bytes>(data) || py::isinstance<py::bytearray>(data) || py::isinstance<py::memoryview>(data)) {
          bytes = py::bytes(data).cast<std::string>();
        } else if (py::isinstance<py::sequence>(data) || py::isinstance<py::array>(data)) {
          for (auto item : data) {
            long v = item.cast<long>();
            if (v < 0 || v > 255) throw py::value_error("MIDI bytes must be in 0..255");
            bytes.push_back(static_cast<char>(v));
          }
        } else {
          throw py::type_error("pushMidi expects bytes, bytearray, a list of ints or a uint8 array");
        }
        if (!api->midi->push(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()))
          throw QueueFullError("MIDI input ring is full (" + std::to_string(api->midi->pending_input()) + " bytes pending)");
      }, py::arg("data"), "Queues raw MIDI bytes for Csound's MIDI input (any thread; never blocks). "
                          "Raises QueueFullError when the ring lacks room (nothing queued).")
      .def("popMidiOutput", [](Csound& self, std::size_t max) {
        auto api = api_of(self);
        if (!api->midi) throw StateError("popMidiOutput needs setHostMidiIO()");
        max = std::min(max, api->midi->capacity());  // never more than the ring holds
        std::string out(max, '\0');
        std::size_t n;
        {
          release_gil nogil;
          n = api->midi->pop(reinterpret_cast<std::uint8_t*>(out.data()), max);
        }
        out.resize(n);
        return py::bytes(out);
      }, py::arg("max") = 65536, "MIDI bytes Csound wrote (midiout, noteon, ...) since the last call.")
      .def_property_readonly("midiOutputDropped", [](Csound& self) -> std::uint64_t {
        auto api = api_of(self);
        return api->midi ? api->midi->dropped() : 0;
      }, "MIDI output bytes dropped because the output ring was full.");
  cls.def("setExternalMidiInOpenCallback", [](Csound& self, py::object fn) { set_hook(self.hooks().midi_in_open, fn, midi_open_fn); },
          py::arg("function"), "fn(csound, userDataPtr, devName) -> int as in ctcsound, or fn(devName) -> int (0 = OK).")
      .def("setExternalMidiReadCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().midi_read, fn, [](Cb cb) {
          return [cb](CSOUND* cs, void* user, unsigned char* buf, int nbytes) {
            return with_gil(cb.fn, 0, [&](py::object& f) -> int {
              if (cb.arity == 1) {  // fn(nbytes) -> bytes
                py::object r = f(nbytes);
                if (r.is_none()) return 0;
                std::string b = py::bytes(r).cast<std::string>();
                int n = std::min<int>(nbytes, static_cast<int>(b.size()));
                std::memcpy(buf, b.data(), static_cast<std::size_t>(n));
                return n;
              }
              int n = int_result(f(addr(cs), addr(user), addr(buf), nbytes));
              return std::max(0, std::min(n, nbytes));
            });
          };
        });
      }, py::arg("function"),
         "Every k-cycle on the performing thread: fn(nbytes) -> bytes (at most nbytes), or ctcsound's "
         "fn(csound, userData, bufPtr, nbytes) -> count (writes through the int pointer bufPtr).")
      .def("setExternalMidiInCloseCallback", [](Csound& self, py::object fn) { set_hook(self.hooks().midi_in_close, fn, midi_close_fn); },
           py::arg("function"), "fn(csound, userData) or fn().")
      .def("setExternalMidiOutOpenCallback", [](Csound& self, py::object fn) { set_hook(self.hooks().midi_out_open, fn, midi_open_fn); },
           py::arg("function"), "fn(csound, userDataPtr, devName) -> int, or fn(devName) -> int.")
      .def("setExternalMidiWriteCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().midi_write, fn, [](Cb cb) {
          return [cb](CSOUND* cs, void* user, const unsigned char* buf, int nbytes) {
            return with_gil(cb.fn, nbytes, [&](py::object& f) {
              py::bytes data(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(std::max(nbytes, 0)));
              if (cb.arity == 1) {
                py::object r = f(data);
                return r.is_none() ? nbytes : r.cast<int>();
              }
              return int_result(f(addr(cs), addr(user), data, nbytes), nbytes);
            });
          };
        });
      }, py::arg("function"), "fn(data: bytes) or ctcsound's fn(csound, userData, data: bytes, nbytes) -> count.")
      .def("setExternalMidiOutCloseCallback", [](Csound& self, py::object fn) { set_hook(self.hooks().midi_out_close, fn, midi_close_fn); },
           py::arg("function"), "fn(csound, userData) or fn().")
      .def("setMidiDevListCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().midi_dev_list, fn, [](Cb cb) {
          return [cb](CSOUND*, CS_MIDIDEVICE* list, int is_output) {
            return with_gil(cb.fn, 0, [&](py::object& f) {
              py::list devs = py::list(f(is_output != 0));
              if (list) {
                int i = 0;
                for (auto d : devs) {
                  std::memset(&list[i], 0, sizeof(CS_MIDIDEVICE));
                  copy_field(list[i].device_name, field(d, "device_name"));
                  copy_field(list[i].interface_name, field(d, "interface_name"));
                  copy_field(list[i].device_id, field(d, "device_id"));
                  copy_field(list[i].midi_module, field(d, "midi_module"));
                  list[i].isOutput = is_output;
                  ++i;
                }
              }
              return static_cast<int>(devs.size());
            });
          };
        });
      }, py::arg("function"),
         "fn(isOutput) -> list of dicts/objects with device_name, interface_name, device_id, midi_module "
         "(what midiDevList() reports; normally set by MIDI modules, not hosts).")
      .def("setAudioDevListCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().audio_dev_list, fn, [](Cb cb) {
          return [cb](CSOUND*, CS_AUDIODEVICE* list, int is_output) {
            return with_gil(cb.fn, 0, [&](py::object& f) {
              py::list devs = py::list(f(is_output != 0));
              if (list) {
                int i = 0;
                for (auto d : devs) {
                  std::memset(&list[i], 0, sizeof(CS_AUDIODEVICE));
                  copy_field(list[i].device_name, field(d, "device_name"));
                  copy_field(list[i].device_id, field(d, "device_id"));
                  copy_field(list[i].rt_module, field(d, "rt_module"));
                  py::object mx = field(d, "max_nchnls");
                  list[i].max_nchnls = mx.is_none() ? 2 : mx.cast<int>();
                  list[i].isOutput = is_output;
                  ++i;
                }
              }
              return static_cast<int>(devs.size());
            });
          };
        });
      }, py::arg("function"), "fn(isOutput) -> list of dicts/objects with device_name, device_id, rt_module, max_nchnls.");
  cls.def("setExternalMidiErrorStringCallback", [](Csound& self, py::object fn) {
        auto text = std::make_shared<std::string>();  // keeps the answer alive for Csound
        set_hook(self.hooks().midi_error, fn, [text](Cb cb) {
          return [cb, text](int code) -> const char* {
            return with_gil(cb.fn, static_cast<const char*>(nullptr), [&](py::object& f) -> const char* {
              py::object r = f(code);
              if (r.is_none()) return nullptr;
              *text = py::str(r).cast<std::string>();
              return text->c_str();
            });
          };
        });
      }, py::arg("function"), "fn(errorCode) -> str.");

  // ------------------------------------------------------------ real-time audio callbacks
  cls.def("setPlayOpenCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().play_open, fn, rt_open_fn);
      }, py::arg("function"),
         "fn(csound, params: CsoundRtAudioParams) -> int or fn(params) -> int. Use with -odac and "
         "setRTAudioModule('null')/-+rtaudio=null so no audio module replaces it.")
      .def("setRtPlayCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().rt_play, fn, [](Cb cb) {
          return [cb](CSOUND* cs, const MYFLT* buf, int nbytes) {
            with_gil(cb.fn, [&](py::object& f) {
              py::ssize_t n = nbytes / static_cast<int>(sizeof(MYFLT));
              py::array_t<double> a(n);
              std::memcpy(a.mutable_data(), buf, static_cast<std::size_t>(n) * sizeof(MYFLT));
              if (cb.arity == 1) f(a);
              else f(addr(cs), a, nbytes);
            });
          };
        });
      }, py::arg("function"),
         "fn(csound, samples: float64 ndarray (a copy), nbytes) or fn(samples), once per output buffer on the "
         "performing thread.")
      .def("setRecordOpenCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().record_open, fn, rt_open_fn);
      }, py::arg("function"))
      .def("setRtRecordCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().rt_record, fn, [](Cb cb) {
          return [cb](CSOUND* cs, MYFLT* buf, int nbytes) {
            return with_gil(cb.fn, 0, [&](py::object& f) {
              py::ssize_t n = nbytes / static_cast<int>(sizeof(MYFLT));
              // A writable view valid for this call only: the base is a private capsule.
              py::capsule base(buf, [](void*) {});
              py::array_t<double> a({n}, {static_cast<py::ssize_t>(sizeof(MYFLT))}, buf, base);
              py::object r = cb.arity == 1 ? f(a) : f(addr(cs), a, nbytes);
              int got = r.is_none() ? nbytes : r.cast<int>();
              return std::max(0, std::min(got, nbytes));
            });
          };
        });
      }, py::arg("function"),
         "fn(csound, buffer, nbytes) -> bytes filled, or fn(buffer) -> bytes filled; `buffer` is a writable "
         "float64 view valid during the call only.")
      .def("setRtCloseCallback", [](Csound& self, py::object fn) {
        set_hook(self.hooks().rt_close, fn, [](Cb cb) {
          return [cb](CSOUND* cs) {
            with_gil(cb.fn, [&](py::object& f) {
              if (cb.arity == 0) f();
              else f(addr(cs));
            });
          };
        });
      }, py::arg("function"));

  // ------------------------------------------------------------ appendOpcode
  cls.def("appendOpcode", [](Csound& self, const std::string& opname, int dsblksiz, int flags, py::args rest) {
        // ctcsound 6: (thread, outypes, intypes, iopfunc, kopfunc, aopfunc)
        // Csound 7:   (outypes, intypes, initfunc, perffunc, deinitfunc=None)
        int thread = 0;
        std::string outypes, intypes;
        py::object fi = py::none(), fk = py::none(), fa = py::none();
        std::vector<py::object> a;
        for (auto x : rest) a.push_back(py::reinterpret_borrow<py::object>(x));
        if (!a.empty() && py::isinstance<py::int_>(a[0])) {
          if (a.size() != 6) throw py::type_error("appendOpcode(opname, dsblksiz, flags, thread, outypes, intypes, iopfunc, kopfunc, aopfunc)");
          thread = a[0].cast<int>();
          outypes = a[1].cast<std::string>();
          intypes = a[2].cast<std::string>();
          fi = a[3];
          fk = a[4];
          fa = a[5];
        } else {
          if (a.size() < 4 || a.size() > 5)
            throw py::type_error("appendOpcode(opname, dsblksiz, flags, outypes, intypes, initfunc, perffunc, deinitfunc=None)");
          outypes = a[0].cast<std::string>();
          intypes = a[1].cast<std::string>();
          fi = a[2];
          bool arate = outypes.find('a') != std::string::npos || intypes.find('a') != std::string::npos;
          (arate ? fa : fk) = a[3];
          if (a.size() == 5 && !a[4].is_none())
            throw CsoundError("appendOpcode: a deinit function needs Csound 7 (Csound 6.18 opcodes have none)");
          thread = (fi.is_none() ? 0 : 1) | (a[3].is_none() ? 0 : (arate ? 4 : 2));
        }
        for (auto* f : {&fi, &fk, &fa})
          if (!f->is_none() && !PyCallable_Check(f->ptr())) throw py::type_error("opcode functions must be callables or None");
        if (dsblksiz < static_cast<int>(opds_size()))
          throw py::value_error("dsblksiz must be at least OPDS_SIZE = " + std::to_string(opds_size()) +
                                " plus 8 bytes per argument");
        if (thread < 0 || thread > 7) throw py::value_error("thread must be 0..7 (1 init, 2 k-rate, 4 a-rate)");
        int slot = -1;
        for (int i = 0; i < kOpcodeSlots; ++i)
          if (!g_op_slots[i].used) {
            slot = i;
            break;
          }
        if (slot < 0) throw CsoundError("appendOpcode: all " + std::to_string(kOpcodeSlots) + " Python opcode slots are used");
        OpSlot& s = g_op_slots[slot];
        s.fn[0] = hold(fi);
        s.fn[1] = hold(fk);
        s.fn[2] = hold(fa);
        s.used = true;
        s.opname = opname;
        s.outypes = outypes;
        s.intypes = intypes;
        const auto& f = g_op_fns[slot];
        int r = self.append_opcode(s.opname.c_str(), dsblksiz, flags, thread, s.outypes.c_str(), s.intypes.c_str(),
                                   fi.is_none() ? nullptr : f[0], fk.is_none() ? nullptr : f[1], fa.is_none() ? nullptr : f[2]);
        if (r != 0) {
          s = OpSlot{};
        }
        return r;
      }, py::arg("opname"), py::arg("dsblksiz"), py::arg("flags"),
         "Adds an opcode implemented in Python. ctcsound 6 form (thread, outypes, intypes, iopfunc, kopfunc, "
         "aopfunc) or Csound 7 form (outypes, intypes, initfunc, perffunc). Each function is called as "
         "fn(csound, data) with int addresses (argument pointers start at data + OPDS_SIZE, 8 bytes each, outputs "
         "first) and returns 0 (OK). They run on the performing thread with the GIL. Returns 0 on success.");

}

}  // namespace csoundpp::bind
