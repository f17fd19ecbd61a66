// Host callbacks of the ctcsound 6 / libcsound surface: file open, sense
// event, keyboard, yield, graphs, cscore, host-implemented MIDI and audio I/O,
// device-list callbacks, appended opcodes and the default message callback.
//
// Threading: Csound calls these on the thread that performs (or compiles).
// Each trampoline takes the GIL only for the duration of the Python call and
// reports exceptions through sys.unraisablehook; setting one of these
// callbacks is the explicit opt-in to running Python on that thread. The
// host-MIDI ring (setHostMidiIO + pushMidi/popMidiOutput) never takes the GIL.
#include <csound/csound.h>
#include <csound/cwindow.h>

#include <array>
#include <cstdarg>
#include <cstring>

#include "common.hpp"
#include "csoundpp/host_midi.hpp"
#include "csoundpp/opcode_info.hpp"

namespace csoundpp::bind {

namespace {

using CsPtr = std::shared_ptr<Csound>;

// Positional parameters a callable takes (99 for *args, -1 when unknown).
int arity_of(const py::handle& fn) {
  try {
    py::object sig = py::module_::import("inspect").attr("signature")(fn);
    int n = 0;
    for (auto p : sig.attr("parameters").attr("values")()) {
      int kind = p.attr("kind").cast<int>();
      if (kind == 2) return 99;
      if (kind <= 1) ++n;
    }
    return n;
  } catch (py::error_already_set&) {
    return -1;
  }
}

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
  c.arity = arity_of(fn);
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

struct ApiState {
  Cb file_open, yield, cscore, make_graph, draw_graph, kill_graph, exit_graph;
  Cb midi_in_open, midi_read, midi_in_close, midi_out_open, midi_write, midi_out_close, midi_error;
  Cb midi_devlist, audio_devlist;
  Cb play_open, rt_play, rec_open, rt_record, rt_close;
  struct Sense {
    std::weak_ptr<ApiState> api;
    CSOUND* cs = nullptr;
    Cb cb;
    PyRefPtr data;
  };
  std::vector<std::unique_ptr<Sense>> sense;
  struct Kbd {
    Cb cb;
    PyRefPtr data;
    unsigned type = 0;
  };
  std::vector<Kbd> kbd;
  std::shared_ptr<HostMidi> midi;
  std::string midi_error_text;
};

std::shared_ptr<ApiState> api_of(Csound& cs) {
  auto st = state_of(cs);
  if (!st->api) st->api = std::make_shared<ApiState>();
  return std::static_pointer_cast<ApiState>(st->api);
}

// The ApiState of a CSOUND* (through its host data: the csoundpp::Csound). No GIL needed.
ApiState* api_from(CSOUND* cs) noexcept {
  if (!cs) return nullptr;
  auto* self = static_cast<Csound*>(csoundGetHostData(cs));
  if (!self || !self->binding_state) return nullptr;
  auto* st = static_cast<CsoundState*>(self->binding_state.get());
  return static_cast<ApiState*>(st->api.get());
}

std::uintptr_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// Runs body(cb) with the GIL held when the callback picked from the state is set;
// Python errors go to sys.unraisablehook. Returns dflt otherwise.
template <typename R, typename Pick, typename Body>
R with_cb(CSOUND* cs, R dflt, Pick pick, Body body) noexcept {
  if (python_finalizing()) return dflt;
  ApiState* api = api_from(cs);
  if (!api) return dflt;
  try {
    py::gil_scoped_acquire gil;
    Cb cb = pick(*api);
    if (!cb) return dflt;
    try {
      return body(cb);
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable(cb.fn->obj);
    } catch (py::cast_error& e) {
      PyErr_SetString(PyExc_TypeError, (std::string("callback returned a value of the wrong type: ") + e.what()).c_str());
      PyErr_WriteUnraisable(cb.fn->obj.ptr());
    } catch (std::exception& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
      PyErr_WriteUnraisable(cb.fn->obj.ptr());
    }
  } catch (...) {
  }
  return dflt;
}

int int_result(const py::object& r, int dflt = 0) { return r.is_none() ? dflt : r.cast<int>(); }

// ---------------------------------------------------------------- trampolines

void file_open_tramp(CSOUND* cs, const char* path, int type, int write, int temp) {
  with_cb<int>(cs, 0, [](ApiState& a) { return a.file_open; }, [&](Cb& cb) {
    if (cb.arity == 4) cb.fn->obj(to_str(path ? path : "", path ? std::strlen(path) : 0), type, write != 0, temp != 0);
    else cb.fn->obj(addr(cs), py::bytes(path ? path : ""), type, write, temp);
    return 0;
  });
}

int yield_tramp(CSOUND* cs) {
  return with_cb<int>(cs, 1, [](ApiState& a) { return a.yield; }, [&](Cb& cb) {
    py::object r = cb.arity == 0 ? cb.fn->obj() : cb.fn->obj(addr(cs));
    return r.is_none() ? 1 : (py::bool_(r) ? 1 : 0);
  });
}

void cscore_tramp(CSOUND* cs) {
  with_cb<int>(cs, 0, [](ApiState& a) { return a.cscore; }, [&](Cb& cb) {
    if (cb.arity == 0) cb.fn->obj();
    else cb.fn->obj(addr(cs));
    return 0;
  });
}

void sense_tramp(CSOUND* cs, void* user) {
  auto* s = static_cast<ApiState::Sense*>(user);
  if (!s || python_finalizing()) return;
  try {
    py::gil_scoped_acquire gil;
    if (!s->cb) return;
    try {
      py::object data = s->data ? s->data->obj : py::none();
      if (s->cb.arity == 0) s->cb.fn->obj();
      else if (s->cb.arity == 1) s->cb.fn->obj(data);
      else s->cb.fn->obj(addr(cs), data);
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable(s->cb.fn->obj);
    }
  } catch (...) {
  }
}

int keyboard_tramp(void* user, void* p, unsigned type) {
  auto* api = static_cast<ApiState*>(user);
  if (!api || python_finalizing()) return 1;
  int result = 1;
  try {
    py::gil_scoped_acquire gil;
    for (auto it = api->kbd.rbegin(); it != api->kbd.rend(); ++it) {
      if (it->type != 0 && !(it->type & type)) continue;
      Cb cb = it->cb;
      py::object data = it->data ? it->data->obj : py::none();
      try {
        if (cb.arity == 2) {  // fn(userData, type) -> key code (0: no key)
          py::object r = cb.fn->obj(data, type);
          if (p) *static_cast<int*>(p) = r.is_none() ? 0 : r.cast<int>();
          result = 0;
        } else {  // ctcsound: fn(userData, p, type) -> status (writes the key through p)
          result = int_result(cb.fn->obj(data, addr(p), type));
        }
      } catch (py::error_already_set& e) {
        e.discard_as_unraisable(cb.fn->obj);
        result = -1;
      } catch (py::cast_error&) {
        PyErr_SetString(PyExc_TypeError, "keyboard callback must return an int");
        PyErr_WriteUnraisable(cb.fn->obj.ptr());
        result = -1;
      }
      break;
    }
  } catch (...) {
  }
  return result;
}

void make_graph_tramp(CSOUND* cs, WINDAT* w, const char* name) {
  with_cb<int>(cs, 0, [](ApiState& a) { return a.make_graph; }, [&](Cb& cb) {
    py::object win = py::cast(Windat::from(w));
    py::str nm = to_str(name ? name : "", name ? std::strlen(name) : 0);
    if (cb.arity == 2) cb.fn->obj(win, nm);
    else cb.fn->obj(addr(cs), win, nm);
    w->windid = win.cast<Windat&>().windid;  // the host may assign an id
    return 0;
  });
}

void draw_graph_tramp(CSOUND* cs, WINDAT* w) {
  with_cb<int>(cs, 0, [](ApiState& a) { return a.draw_graph; }, [&](Cb& cb) {
    if (cb.arity == 1) cb.fn->obj(Windat::from(w));
    else cb.fn->obj(addr(cs), Windat::from(w));
    return 0;
  });
}

void kill_graph_tramp(CSOUND* cs, WINDAT* w) {
  with_cb<int>(cs, 0, [](ApiState& a) { return a.kill_graph; }, [&](Cb& cb) {
    if (cb.arity == 1) cb.fn->obj(Windat::from(w));
    else cb.fn->obj(addr(cs), Windat::from(w));
    return 0;
  });
}

int exit_graph_tramp(CSOUND* cs) {
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.exit_graph; }, [&](Cb& cb) {
    return int_result(cb.arity == 0 ? cb.fn->obj() : cb.fn->obj(addr(cs)));
  });
}

// --- MIDI
int midi_in_open_tramp(CSOUND* cs, void** user, const char* dev) {
  if (HostMidi::find(cs)) HostMidi::in_open(cs, user, dev);  // keeps the native ring usable alongside
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.midi_in_open; }, [&](Cb& cb) {
    py::str d = to_str(dev ? dev : "", dev ? std::strlen(dev) : 0);
    return int_result(cb.arity == 1 ? cb.fn->obj(d) : cb.fn->obj(addr(cs), addr(user), d));
  });
}

int midi_read_tramp(CSOUND* cs, void* user, unsigned char* buf, int nbytes) {
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.midi_read; }, [&](Cb& cb) -> int {
    if (cb.arity == 1) {  // fn(nbytes) -> bytes
      py::object r = cb.fn->obj(nbytes);
      if (r.is_none()) return 0;
      std::string b = py::bytes(r).cast<std::string>();
      int n = std::min<int>(nbytes, static_cast<int>(b.size()));
      std::memcpy(buf, b.data(), static_cast<std::size_t>(n));
      return n;
    }
    int n = int_result(cb.fn->obj(addr(cs), addr(user), addr(buf), nbytes));
    return std::max(0, std::min(n, nbytes));
  });
}

int midi_in_close_tramp(CSOUND* cs, void* user) {
  if (HostMidi::find(cs)) HostMidi::in_close(cs, user);
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.midi_in_close; }, [&](Cb& cb) {
    return int_result(cb.arity == 0 ? cb.fn->obj() : cb.fn->obj(addr(cs), addr(user)));
  });
}

int midi_out_open_tramp(CSOUND* cs, void** user, const char* dev) {
  if (HostMidi::find(cs)) HostMidi::out_open(cs, user, dev);
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.midi_out_open; }, [&](Cb& cb) {
    py::str d = to_str(dev ? dev : "", dev ? std::strlen(dev) : 0);
    return int_result(cb.arity == 1 ? cb.fn->obj(d) : cb.fn->obj(addr(cs), addr(user), d));
  });
}

int midi_write_tramp(CSOUND* cs, void* user, const unsigned char* buf, int nbytes) {
  return with_cb<int>(cs, nbytes, [](ApiState& a) { return a.midi_write; }, [&](Cb& cb) {
    py::bytes data(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(std::max(nbytes, 0)));
    if (cb.arity == 1) {
      py::object r = cb.fn->obj(data);
      return r.is_none() ? nbytes : r.cast<int>();
    }
    return int_result(cb.fn->obj(addr(cs), addr(user), data, nbytes), nbytes);
  });
}

int midi_out_close_tramp(CSOUND* cs, void* user) {
  if (HostMidi::find(cs)) HostMidi::out_close(cs, user);
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.midi_out_close; }, [&](Cb& cb) {
    return int_result(cb.arity == 0 ? cb.fn->obj() : cb.fn->obj(addr(cs), addr(user)));
  });
}

// The error-string callback gets no CSOUND*: it uses the last instance that set it.
std::atomic<ApiState*> g_midi_error_api{nullptr};
const char* midi_error_tramp(int code) {
  ApiState* api = g_midi_error_api.load();
  if (!api || python_finalizing()) return nullptr;
  try {
    py::gil_scoped_acquire gil;
    Cb cb = api->midi_error;
    if (!cb) return nullptr;
    try {
      py::object r = cb.fn->obj(code);
      if (r.is_none()) return nullptr;
      api->midi_error_text = py::str(r).cast<std::string>();
      return api->midi_error_text.c_str();
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable(cb.fn->obj);
    }
  } catch (...) {
  }
  return nullptr;
}

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

int audio_devlist_tramp(CSOUND* cs, CS_AUDIODEVICE* list, int is_output) {
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.audio_devlist; }, [&](Cb& cb) {
    py::list devs = py::list(cb.fn->obj(is_output != 0));
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
}

int midi_devlist_tramp(CSOUND* cs, CS_MIDIDEVICE* list, int is_output) {
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.midi_devlist; }, [&](Cb& cb) {
    py::list devs = py::list(cb.fn->obj(is_output != 0));
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
}

// --- real-time audio
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

int play_open_tramp(CSOUND* cs, const csRtAudioParams* parm) {
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.play_open; }, [&](Cb& cb) {
    return int_result(cb.arity == 1 ? cb.fn->obj(params_from(parm)) : cb.fn->obj(addr(cs), params_from(parm)));
  });
}

int rec_open_tramp(CSOUND* cs, const csRtAudioParams* parm) {
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.rec_open; }, [&](Cb& cb) {
    return int_result(cb.arity == 1 ? cb.fn->obj(params_from(parm)) : cb.fn->obj(addr(cs), params_from(parm)));
  });
}

void rt_play_tramp(CSOUND* cs, const MYFLT* buf, int nbytes) {
  with_cb<int>(cs, 0, [](ApiState& a) { return a.rt_play; }, [&](Cb& cb) {
    py::ssize_t n = nbytes / static_cast<int>(sizeof(MYFLT));
    py::array_t<double> a(n);
    std::memcpy(a.mutable_data(), buf, static_cast<std::size_t>(n) * sizeof(MYFLT));
    if (cb.arity == 1) cb.fn->obj(a);
    else cb.fn->obj(addr(cs), a, nbytes);
    return 0;
  });
}

int rt_record_tramp(CSOUND* cs, MYFLT* buf, int nbytes) {
  return with_cb<int>(cs, 0, [](ApiState& a) { return a.rt_record; }, [&](Cb& cb) -> int {
    py::ssize_t n = nbytes / static_cast<int>(sizeof(MYFLT));
    // A writable view valid for this call only: the base is a private capsule.
    py::capsule base(buf, [](void*) {});
    py::array_t<double> a({n}, {static_cast<py::ssize_t>(sizeof(MYFLT))}, buf, base);
    py::object r = cb.arity == 1 ? cb.fn->obj(a) : cb.fn->obj(addr(cs), a, nbytes);
    int got = r.is_none() ? nbytes : r.cast<int>();
    return std::max(0, std::min(got, nbytes));
  });
}

void rt_close_tramp(CSOUND* cs) {
  with_cb<int>(cs, 0, [](ApiState& a) { return a.rt_close; }, [&](Cb& cb) {
    if (cb.arity == 0) cb.fn->obj();
    else cb.fn->obj(addr(cs));
    return 0;
  });
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
  if (python_finalizing()) return NOTOK_;
  try {
    py::gil_scoped_acquire gil;
    PyRefPtr fn = g_op_slots[S].fn[K];
    if (!fn) return 0;
    try {
      py::object r = fn->obj(addr(cs), addr(p));
      return r.is_none() ? 0 : r.cast<int>();
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable(fn->obj);
    } catch (py::cast_error&) {
      PyErr_SetString(PyExc_TypeError, "opcode function must return an int (0 = OK)");
      PyErr_WriteUnraisable(fn->obj.ptr());
    }
  } catch (...) {
  }
  return NOTOK_;
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

// ---------------------------------------------------------------- default message callback
PyRefPtr g_default_msg;
int g_default_msg_arity = 0;

void default_msg_tramp(CSOUND* cs, int attr, const char* fmt, va_list args) {
  if (!fmt || python_finalizing()) return;
  char buf[4096];
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(buf, sizeof buf, fmt, copy);
  va_end(copy);
  if (n < 0) return;
  std::size_t len = std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1);
  try {
    py::gil_scoped_acquire gil;
    PyRefPtr fn = g_default_msg;
    if (!fn) return;
    try {
      py::str text = to_str(buf, len);
      if (g_default_msg_arity == 2) fn->obj(attr, text);
      else if (g_default_msg_arity == 3) fn->obj(addr(cs), attr, text);
      else fn->obj(addr(cs), attr, text, py::none());
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable(fn->obj);
    }
  } catch (...) {
  }
}

// The same callback for csoundpp's own instances that route no messages themselves.
void default_msg_sink(CSOUND* cs, int attr, const char* text) {
  if (!text || python_finalizing()) return;
  try {
    py::gil_scoped_acquire gil;
    PyRefPtr fn = g_default_msg;
    if (!fn) return;
    try {
      py::str s = to_str(text, std::strlen(text));
      if (g_default_msg_arity == 2) fn->obj(attr, s);
      else if (g_default_msg_arity == 3) fn->obj(addr(cs), attr, s);
      else fn->obj(addr(cs), attr, s, py::none());
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable(fn->obj);
    }
  } catch (...) {
  }
}

template <typename Setter>
void set_cb(Csound& self, Cb ApiState::*member, py::object fn, Setter install) {
  auto api = api_of(self);
  (*api).*member = make_cb(fn);
  install(self.native(), static_cast<bool>((*api).*member));
}

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
        set_cb(self, &ApiState::file_open, fn, [](CSOUND* cs, bool on) {
          csoundSetFileOpenCallback(cs, on ? &file_open_tramp : nullptr);
        });
      }, py::arg("function"),
         "Called after Csound opens a file: fn(csound, path: bytes, filetype, write, temporary) as in ctcsound, or "
         "fn(path: str, filetype, write: bool, temporary: bool). Runs on the thread that compiles/performs.")
      .def("setYieldCallback", [](Csound& self, py::object fn) {
        // None keeps a trampoline that answers "continue": libcsound calls its yield callback unchecked.
        set_cb(self, &ApiState::yield, fn, [](CSOUND* cs, bool) { csoundSetYieldCallback(cs, &yield_tramp); });
      }, py::arg("function"),
         "fn(csound) or fn() -> bool ('OK to continue'; False stops a running utility/performance).")
      .def("setCscoreCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::cscore, fn, [](CSOUND* cs, bool on) { csoundSetCscoreCallback(cs, on ? &cscore_tramp : nullptr); });
      }, py::arg("function"), "Called for cscore processing (-C): fn(csound) or fn().")
      .def("registerSenseEventCallback", [](Csound& self, py::object fn, py::object user) {
        if (!PyCallable_Check(fn.ptr())) throw py::type_error("function must be callable");
        auto api = api_of(self);
        auto s = std::make_unique<ApiState::Sense>();
        s->api = api;
        s->cs = self.native();
        s->cb = make_cb(fn);
        s->data = std::make_shared<PyRef>(user);
        int r = csoundRegisterSenseEventCallback(self.native(), &sense_tramp, s.get());
        if (r == 0) api->sense.push_back(std::move(s));
        return r;
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
        csoundKeyPress(self.native(), static_cast<char>(code));
      }, py::arg("c"), "Sets the key the sensekey opcode reports when no keyboard callback is registered.")
      .def("registerKeyboardCallback", [](Csound& self, py::object fn, py::object user, unsigned type) {
        if (!PyCallable_Check(fn.ptr())) throw py::type_error("function must be callable");
        if (type > 3) throw py::value_error("type_ must be 0, CSOUND_CALLBACK_KBD_EVENT or CSOUND_CALLBACK_KBD_TEXT");
        auto api = api_of(self);
        // The same function again only updates its data and type (as Csound does).
        for (auto it = api->kbd.begin(); it != api->kbd.end(); ++it)
          if (it->cb.fn->obj.equal(fn)) {
            api->kbd.erase(it);
            break;
          }
        ApiState::Kbd k;
        k.cb = make_cb(fn);
        k.data = std::make_shared<PyRef>(user);
        k.type = type;
        api->kbd.push_back(k);
        return csoundRegisterKeyboardCallback(self.native(), &keyboard_tramp, api.get(), CSOUND_CALLBACK_KBD_EVENT | CSOUND_CALLBACK_KBD_TEXT);
      }, py::arg("function"), py::arg("userData") = py::none(), py::arg("type_") = 0,
         "Keyboard events for sensekey, called on the performing thread: ctcsound's fn(userData, p, type) "
         "(writes the key code through the int pointer p) or fn(userData, type) -> key code (0 = none). "
         "Later registrations are asked first. Returns 0 on success.")
      .def("removeKeyboardCallback", [](Csound& self, py::object fn) {
        auto api = api_of(self);
        for (auto it = api->kbd.begin(); it != api->kbd.end(); ++it)
          if (it->cb.fn->obj.equal(fn)) {
            api->kbd.erase(it);
            break;
          }
        if (api->kbd.empty()) csoundRemoveKeyboardCallback(self.native(), &keyboard_tramp);
      }, py::arg("function"));

  // The Csound 7 sound-file-open hook does not exist in 6.18: the file-open callback reports sound files too.
  cls.def("setOpenSoundFileCallback", [](Csound&, py::object) {
        throw CsoundError("setOpenSoundFileCallback() needs Csound 7 (Csound 6.18 can only report opened files: "
                          "use setFileOpenCallback)");
      }, py::arg("function"));

  // ------------------------------------------------------------ graphs
  cls.def("setIsGraphable", [](Csound& self, bool g) { return csoundSetIsGraphable(self.native(), g ? 1 : 0) != 0; },
          py::arg("isGraphable"), "Tells Csound the host displays graphs; returns the previous setting.")
      .def("setMakeGraphCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::make_graph, fn, [](CSOUND* cs, bool on) { csoundSetMakeGraphCallback(cs, on ? &make_graph_tramp : nullptr); });
      }, py::arg("function"), "fn(csound, windat, name) or fn(windat, name); may set windat.windid.")
      .def("setDrawGraphCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::draw_graph, fn, [](CSOUND* cs, bool on) { csoundSetDrawGraphCallback(cs, on ? &draw_graph_tramp : nullptr); });
      }, py::arg("function"), "fn(csound, windat) or fn(windat); windat.fdata holds the points.")
      .def("setKillGraphCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::kill_graph, fn, [](CSOUND* cs, bool on) { csoundSetKillGraphCallback(cs, on ? &kill_graph_tramp : nullptr); });
      }, py::arg("function"))
      .def("setExitGraphCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::exit_graph, fn, [](CSOUND* cs, bool on) { csoundSetExitGraphCallback(cs, on ? &exit_graph_tramp : nullptr); });
      }, py::arg("function"));

  // ------------------------------------------------------------ MIDI
  cls.def("setHostImplementedMIDIIO", [](Csound& self, bool state) {
        csoundSetHostImplementedMIDIIO(self.native(), state ? 1 : 0);
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
        std::string out(max, '\0');
        std::size_t n;
        {
          py::gil_scoped_release nogil;
          n = api->midi->pop(reinterpret_cast<std::uint8_t*>(out.data()), max);
        }
        out.resize(n);
        return py::bytes(out);
      }, py::arg("max") = 65536, "MIDI bytes Csound wrote (midiout, noteon, ...) since the last call.")
      .def_property_readonly("midiOutputDropped", [](Csound& self) -> std::uint64_t {
        auto api = api_of(self);
        return api->midi ? api->midi->dropped() : 0;
      }, "MIDI output bytes dropped because the output ring was full.");
#define MIDI_SETTER(NAME, MEMBER, CSFN, TRAMP, DOC)                                                   \
  cls.def(NAME, [](Csound& self, py::object fn) {                                                      \
    set_cb(self, &ApiState::MEMBER, fn, [](CSOUND* cs, bool on) { CSFN(cs, on ? &TRAMP : nullptr); }); \
  }, py::arg("function"), DOC);
  MIDI_SETTER("setExternalMidiInOpenCallback", midi_in_open, csoundSetExternalMidiInOpenCallback, midi_in_open_tramp,
              "fn(csound, userDataPtr, devName) -> int as in ctcsound, or fn(devName) -> int (0 = OK).")
  MIDI_SETTER("setExternalMidiReadCallback", midi_read, csoundSetExternalMidiReadCallback, midi_read_tramp,
              "Every k-cycle on the performing thread: fn(nbytes) -> bytes (at most nbytes), or ctcsound's "
              "fn(csound, userData, bufPtr, nbytes) -> count (writes through the int pointer bufPtr).")
  MIDI_SETTER("setExternalMidiInCloseCallback", midi_in_close, csoundSetExternalMidiInCloseCallback, midi_in_close_tramp,
              "fn(csound, userData) or fn().")
  MIDI_SETTER("setExternalMidiOutOpenCallback", midi_out_open, csoundSetExternalMidiOutOpenCallback, midi_out_open_tramp,
              "fn(csound, userDataPtr, devName) -> int, or fn(devName) -> int.")
  MIDI_SETTER("setExternalMidiWriteCallback", midi_write, csoundSetExternalMidiWriteCallback, midi_write_tramp,
              "fn(data: bytes) or ctcsound's fn(csound, userData, data: bytes, nbytes) -> count.")
  MIDI_SETTER("setExternalMidiOutCloseCallback", midi_out_close, csoundSetExternalMidiOutCloseCallback,
              midi_out_close_tramp, "fn(csound, userData) or fn().")
  MIDI_SETTER("setMidiDevListCallback", midi_devlist, csoundSetMIDIDeviceListCallback, midi_devlist_tramp,
              "fn(isOutput) -> list of dicts/objects with device_name, interface_name, device_id, midi_module "
              "(what midiDevList() reports; normally set by MIDI modules, not hosts).")
  MIDI_SETTER("setAudioDevListCallback", audio_devlist, csoundSetAudioDeviceListCallback, audio_devlist_tramp,
              "fn(isOutput) -> list of dicts/objects with device_name, device_id, rt_module, max_nchnls.")
#undef MIDI_SETTER
  cls.def("setExternalMidiErrorStringCallback", [](Csound& self, py::object fn) {
        auto api = api_of(self);
        api->midi_error = make_cb(fn);
        g_midi_error_api.store(api->midi_error ? api.get() : nullptr);
        csoundSetExternalMidiErrorStringCallback(self.native(), api->midi_error ? &midi_error_tramp : nullptr);
      }, py::arg("function"), "fn(errorCode) -> str.");

  // ------------------------------------------------------------ real-time audio callbacks
  cls.def("setPlayOpenCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::play_open, fn, [](CSOUND* cs, bool on) { csoundSetPlayopenCallback(cs, on ? &play_open_tramp : nullptr); });
      }, py::arg("function"),
         "fn(csound, params: CsoundRtAudioParams) -> int or fn(params) -> int. Use with -odac and "
         "setRTAudioModule('null')/-+rtaudio=null so no audio module replaces it.")
      .def("setRtPlayCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::rt_play, fn, [](CSOUND* cs, bool on) { csoundSetRtplayCallback(cs, on ? &rt_play_tramp : nullptr); });
      }, py::arg("function"),
         "fn(csound, samples: float64 ndarray (a copy), nbytes) or fn(samples), once per output buffer on the "
         "performing thread.")
      .def("setRecordOpenCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::rec_open, fn, [](CSOUND* cs, bool on) { csoundSetRecopenCallback(cs, on ? &rec_open_tramp : nullptr); });
      }, py::arg("function"))
      .def("setRtRecordCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::rt_record, fn, [](CSOUND* cs, bool on) { csoundSetRtrecordCallback(cs, on ? &rt_record_tramp : nullptr); });
      }, py::arg("function"),
         "fn(csound, buffer, nbytes) -> bytes filled, or fn(buffer) -> bytes filled; `buffer` is a writable "
         "float64 view valid during the call only.")
      .def("setRtCloseCallback", [](Csound& self, py::object fn) {
        set_cb(self, &ApiState::rt_close, fn, [](CSOUND* cs, bool on) { csoundSetRtcloseCallback(cs, on ? &rt_close_tramp : nullptr); });
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
        int r = csoundAppendOpcode(self.native(), s.opname.c_str(), dsblksiz, flags, thread, s.outypes.c_str(), s.intypes.c_str(),
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

  // ------------------------------------------------------------ module level
  m.def("_setDefaultMessageCallback", [](py::object fn) {
    if (fn.is_none()) {
      Csound::set_default_message_sink(nullptr);
      g_default_msg = {};
      csoundSetDefaultMessageCallback(nullptr);
      return;
    }
    if (!PyCallable_Check(fn.ptr())) throw py::type_error("function must be callable");
    g_default_msg_arity = arity_of(fn);
    g_default_msg = hold(fn);
    csoundSetDefaultMessageCallback(&default_msg_tramp);
    Csound::set_default_message_sink(&default_msg_sink);
  }, py::arg("function"));
  m.def("_csoundInitialize", [](int flags) { return csoundInitialize(flags); }, py::arg("flags"));
  m.def("_setOpcodedir", [](const std::string& dir) { csoundSetOpcodedir(dir.c_str()); }, py::arg("s"));
}

}  // namespace csoundpp::bind
