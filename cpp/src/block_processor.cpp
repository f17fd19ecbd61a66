#include "csoundpp/block_processor.hpp"

#include "capi.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace csoundpp {

namespace {

// Layout of Csound's string channel payload (csoundCore.h's STRINGDAT).
using capi::StringDat;

// CSOUND* -> BlockProcessor, read only by the MIDI open callbacks (called from
// csoundStart on a non-real-time thread).
std::mutex g_registry_mutex;
std::vector<std::pair<CSOUND*, void*>>& registry() {
  static auto* r = new std::vector<std::pair<CSOUND*, void*>>();  // never destroyed: used at exit
  return *r;
}

void* registry_find(CSOUND* cs) {
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  for (auto& [k, v] : registry())
    if (k == cs) return v;
  return nullptr;
}

std::size_t midi_length(std::uint8_t status) noexcept {
  if (status < 0x80) return 0;
  switch (status & 0xF0) {
    case 0xC0:
    case 0xD0: return 2;
    case 0xF0:
      if (status == 0xF1 || status == 0xF3) return 2;
      if (status == 0xF2) return 3;
      return status >= 0xF6 ? 1 : 0;  // sysex (F0/F7) is not carried
    default: return 3;
  }
}

int midi_read_closed(CSOUND*, void*, unsigned char*, int) { return 0; }
int midi_write_closed(CSOUND*, void*, const unsigned char*, int nbytes) { return nbytes; }

// Host buffers: the same render loop serves every kind. A channel is a base
// pointer and a stride in samples (1 for planar buffers, the channel count for
// interleaved ones), so the sample loops below are plain strided loops that
// the compiler vectorizes when the stride is 1.
template <typename T>
struct InChannel {
  const T* p;
  std::size_t stride;
};
template <typename T>
struct OutChannel {
  T* p;
  std::size_t stride;
};

template <typename T>
struct Planar {
  using Sample = T;
  const T* const* in;
  T* const* out;
  InChannel<T> in_ch(int ch) const noexcept { return {in[ch], 1}; }
  OutChannel<T> out_ch(int ch) const noexcept { return {out[ch], 1}; }
  bool has_in() const noexcept { return in != nullptr; }
  bool has_out() const noexcept { return out != nullptr; }
};

template <typename T>
struct Interleaved {
  using Sample = T;
  const T* in;
  T* out;
  int nin, nout;
  InChannel<T> in_ch(int ch) const noexcept { return {in + ch, static_cast<std::size_t>(nin)}; }
  OutChannel<T> out_ch(int ch) const noexcept { return {out + ch, static_cast<std::size_t>(nout)}; }
  bool has_in() const noexcept { return in != nullptr; }
  bool has_out() const noexcept { return out != nullptr; }
};

// dst[j * ds] = src[j] (+ conversion), n samples.
template <typename T>
inline void store_run(const double* __restrict src, T* __restrict dst, std::size_t ds, std::size_t n) noexcept {
  if (ds == 1) {
    if constexpr (std::is_same_v<T, double>) {
      std::memcpy(dst, src, n * sizeof(double));
    } else {
      for (std::size_t j = 0; j < n; ++j) dst[j] = static_cast<T>(src[j]);
    }
  } else {
    for (std::size_t j = 0; j < n; ++j) dst[j * ds] = static_cast<T>(src[j]);
  }
}

template <typename T>
inline void zero_run(T* __restrict dst, std::size_t ds, std::size_t n) noexcept {
  if (ds == 1) {
    std::memset(dst, 0, n * sizeof(T));
  } else {
    for (std::size_t j = 0; j < n; ++j) dst[j * ds] = T(0);
  }
}

// Planar fifo channel <- interleaved Csound block (stride co), scaled.
inline void deinterleave(const double* __restrict src, std::size_t co, std::size_t c, double* __restrict dst,
                         std::size_t n, double scale) noexcept {
  if (co == 1) {
    for (std::size_t j = 0; j < n; ++j) dst[j] = src[j] * scale;
  } else if (co == 2) {
    for (std::size_t j = 0; j < n; ++j) dst[j] = src[2 * j + c] * scale;
  } else {
    for (std::size_t j = 0; j < n; ++j) dst[j] = src[j * co + c] * scale;
  }
}

}  // namespace

const char* to_string(BlockProcessor::Status s) noexcept {
  switch (s) {
    case BlockProcessor::Status::Ok: return "ok";
    case BlockProcessor::Status::Finished: return "finished";
    case BlockProcessor::Status::NotReady: return "not ready";
  }
  return "?";
}

// ---------------------------------------------------------------- StringHandle

bool StringHandle::set(const std::string& value) {
  if (value.size() > capacity_ || value.find('\0') != std::string::npos) return false;
  std::lock_guard<std::mutex> lock(writers_);
  char* slot = slots_.get() + back_ * (capacity_ + 1);
  std::memcpy(slot, value.data(), value.size());
  slot[value.size()] = '\0';
  back_ = middle_.exchange(back_ | kDirty, std::memory_order_acq_rel) & 3u;
  return true;
}

bool StringHandle::publish_to(char* dest, int dest_size) noexcept {
  if (!(middle_.load(std::memory_order_acquire) & kDirty)) return false;
  front_ = middle_.exchange(front_, std::memory_order_acq_rel) & 3u;
  if (!dest || dest_size <= 0) return false;
  const char* src = slots_.get() + front_ * (capacity_ + 1);
  std::size_t n = std::min(std::strlen(src), static_cast<std::size_t>(dest_size - 1));
  std::memcpy(dest, src, n);
  dest[n] = '\0';
  return true;
}

// ---------------------------------------------------------------- BlockProcessor

BlockProcessor::BlockProcessor(std::shared_ptr<Csound> cs, Config config)
    : cs_(std::move(cs)),
      config_(config),
      event_ring_(config.event_capacity),
      midi_ring_(config.midi_capacity),
      midi_out_ring_(config.midi_capacity) {
  if (!cs_) throw std::invalid_argument("BlockProcessor needs a Csound");
  if (config_.host_inputs < 0 || config_.host_inputs > kMaxChannels || config_.host_outputs < 0 ||
      config_.host_outputs > kMaxChannels)
    throw std::invalid_argument("host channel counts must be 0.." + std::to_string(kMaxChannels));
  if (config_.event_capacity < 1 || config_.midi_capacity < 1)
    throw std::invalid_argument("event and MIDI capacities must be at least 1");
  raw_ = cs_->native();
  if (cs_->started())
    throw StateError("create the BlockProcessor before the Csound is started: it installs host-implemented "
                     "audio and MIDI I/O, which Csound reads at start");
  cs_->check_not_busy("BlockProcessor");
  engine_ = cs_->engine();
  generation_ = cs_->generation();
  pending_events_.reserve(event_ring_.capacity());
  pending_midi_.reserve(midi_ring_.capacity());

  cs_->set_host_implemented_audio_io(true);
  // Real-time device names make Csound use its host-based audio module: no
  // device is opened, spin/spout are the host's. The .csd's own options
  // (e.g. -o file.wav), compiled afterwards, take precedence.
  csoundSetOption(raw_, "-odac");
  if (config_.host_inputs > 0) csoundSetOption(raw_, "-iadc");
  if (config_.sample_accurate) csoundSetOption(raw_, "--sample-accurate");
  if (config_.midi_in || config_.midi_out) {
    capi::host_midi_io(raw_);
    csoundSetExternalMidiInOpenCallback(raw_, &BlockProcessor::midi_in_open);
    csoundSetExternalMidiReadCallback(raw_, &BlockProcessor::midi_read);
    csoundSetExternalMidiInCloseCallback(raw_, &BlockProcessor::midi_close);
    csoundSetExternalMidiOutOpenCallback(raw_, &BlockProcessor::midi_out_open);
    csoundSetExternalMidiWriteCallback(raw_, &BlockProcessor::midi_write);
    csoundSetExternalMidiOutCloseCallback(raw_, &BlockProcessor::midi_close);
    if (config_.midi_in) csoundSetOption(raw_, "-M0");
    if (config_.midi_out) csoundSetOption(raw_, "-Q0");
  }
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  registry().emplace_back(raw_, this);
}

BlockProcessor::~BlockProcessor() {
  release();
  {
    std::lock_guard<std::mutex> lock(g_registry_mutex);
    auto& r = registry();
    r.erase(std::remove_if(r.begin(), r.end(), [this](auto& e) { return e.second == this; }), r.end());
  }
  // The CSOUND may outlive us: its MIDI callbacks must not reach this object.
  if (config_.midi_in || config_.midi_out) {
    csoundSetExternalMidiReadCallback(raw_, &midi_read_closed);
    csoundSetExternalMidiWriteCallback(raw_, &midi_write_closed);
  }
}

void BlockProcessor::start() {
  if (prepared()) return;
  if (cs_->native() != raw_ || cs_->generation() != generation_)
    throw StateError("the Csound was reset or destroyed after the BlockProcessor was created");
  cs_->check_not_busy("BlockProcessor.start()");
  if (!cs_->started()) {
    int r = cs_->start();
    if (r != 0) throw CsoundError("csoundStart failed (compile an orchestra first?): " + cs_->last_errors(), r);
  }
  ksmps_ = static_cast<int>(csoundGetKsmps(raw_));
  nchnls_ = capi::nchnls(raw_);
  nchnls_i_ = capi::nchnls_input(raw_);
  sr_ = csoundGetSr(raw_);
  zdbfs_ = csoundGet0dBFS(raw_);
  spin_ = csoundGetSpin(raw_);
  spout_ = csoundGetSpout(raw_);
  if (!spout_ || ksmps_ < 1 || nchnls_ < 1) throw StateError("Csound has no output buffer after start");
  if (zdbfs_ <= 0) zdbfs_ = 1;
  out_cap_ = 2 * static_cast<std::size_t>(ksmps_);
  out_fifo_.assign(out_cap_ * nchnls_, 0.0);
  out_read_ = out_count_ = in_fill_ = 0;
  cycle_start_ = 0;
  frames_.store(0);
  finished_.store(false);
  latency_.store(0);
  if (config_.variable_blocks && ksmps_ > 1) {
    out_count_ = static_cast<std::size_t>(ksmps_ - 1);  // zeros already in the fifo
    latency_.store(out_count_);
  }
  cs_->set_busy(true);
  prepared_.store(true, std::memory_order_release);
}

void BlockProcessor::release() noexcept {
  if (prepared_.exchange(false, std::memory_order_acq_rel)) cs_->set_busy(false);
}

// ---------------------------------------------------------------- channels

ControlHandle BlockProcessor::control_handle(const std::string& name) {
  ControlHandle h;
  h.p_ = static_cast<double*>(
      cs_->lookup_channel(name, CSOUND_CONTROL_CHANNEL | CSOUND_INPUT_CHANNEL | CSOUND_OUTPUT_CHANNEL));
  h.engine_ = engine_;
  h.name_ = name;
  return h;
}

std::shared_ptr<StringHandle> BlockProcessor::string_handle(const std::string& name, std::size_t capacity) {
  if (capacity < 1 || capacity > (1u << 20)) throw std::invalid_argument("string capacity must be 1..1048576 bytes");
  std::lock_guard<std::mutex> lock(strings_mutex_);
  std::size_t n = string_count_.load();
  for (std::size_t i = 0; i < n; ++i)
    if (strings_[i]->name_ == name && strings_[i]->capacity_ >= capacity) return strings_[i];
  if (n == kMaxStringHandles) throw std::length_error("too many string handles on one BlockProcessor");
  auto* dat = static_cast<StringDat*>(cs_->lookup_channel(name, CSOUND_STRING_CHANNEL | CSOUND_INPUT_CHANNEL |
                                                                    CSOUND_OUTPUT_CHANNEL));
  if (static_cast<std::size_t>(dat->size) < capacity + 1) {
    // Let Csound allocate the channel buffer at full capacity now, then restore the value.
    std::string old = cs_->string_channel(name);
    std::string big(capacity, ' ');
    csoundSetStringChannel(raw_, name.c_str(), big.data());
    csoundSetStringChannel(raw_, name.c_str(), old.data());
  }
  auto h = std::make_shared<StringHandle>();
  h->name_ = name;
  h->capacity_ = capacity;
  h->slots_ = std::make_unique<char[]>(3 * (capacity + 1));
  h->dat_ = dat;
#if CS_VERSION < 7
  h->lock_ = csoundGetChannelLock(raw_, name.c_str());  // Csound 7 locks by name (render_cycle)
#endif
  h->engine_ = engine_;
  strings_[n] = h;
  string_count_.store(n + 1, std::memory_order_release);
  return h;
}

// ---------------------------------------------------------------- queues (any thread)

bool BlockProcessor::schedule_event(std::int64_t frame_offset, char type, const double* pfields,
                                    std::size_t n) noexcept {
  if (n > kMaxPFields || frame_offset < 0 || (n > 0 && !pfields)) return false;
  if (type == 0 || std::strchr("ifeaqdbBstvxmnrwy", type) == nullptr) return false;
  if (type == 'i' && n < 1) return false;
  Event e{};
  e.frame = frame_offset;
  e.type = type;
  e.n = static_cast<std::uint8_t>(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(pfields[i])) return false;
    e.p[i] = pfields[i];
  }
  return event_ring_.try_push(e);
}

bool BlockProcessor::send_midi(std::int64_t frame_offset, const std::uint8_t* bytes, std::size_t n) noexcept {
  if (frame_offset < 0 || n < 1 || n > 3 || !bytes) return false;
  if (midi_length(bytes[0]) != n) return false;
  for (std::size_t i = 1; i < n; ++i)
    if (bytes[i] & 0x80) return false;
  MidiMessage m;
  m.frame = frame_offset;
  m.size = static_cast<std::uint8_t>(n);
  std::memcpy(m.bytes, bytes, n);
  return midi_ring_.try_push(m);
}

bool BlockProcessor::pop_midi_out(MidiMessage& out) noexcept { return midi_out_ring_.try_pop(out); }

// ---------------------------------------------------------------- audio thread

void BlockProcessor::drain_rings(std::int64_t block_start) noexcept {
  Event e;
  while (pending_events_.size() < pending_events_.capacity() && event_ring_.try_pop(e)) {
    e.frame += block_start;
    auto at = std::upper_bound(pending_events_.begin(), pending_events_.end(), e.frame,
                               [](std::int64_t f, const Event& x) { return f < x.frame; });
    pending_events_.insert(at, e);  // within capacity: no allocation
  }
  MidiMessage m;
  while (pending_midi_.size() < pending_midi_.capacity() && midi_ring_.try_pop(m)) {
    m.frame += block_start;
    auto at = std::upper_bound(pending_midi_.begin(), pending_midi_.end(), m.frame,
                               [](std::int64_t f, const MidiMessage& x) { return f < x.frame; });
    pending_midi_.insert(at, m);
  }
}

void BlockProcessor::dispatch_until(std::int64_t end) noexcept {
  std::size_t k = 0;
  for (; k < pending_events_.size() && pending_events_[k].frame < end; ++k) {
    const Event& e = pending_events_[k];
    double p[kMaxPFields + 1];
    std::size_t n = e.n;
    std::memcpy(p, e.p, n * sizeof(double));
    std::int64_t offset = e.frame - cycle_start_;
    if (offset < 0) {
      late_.fetch_add(1, std::memory_order_relaxed);
      offset = 0;
    }
    if (e.type == 'i' && config_.sample_accurate && offset > 0) {
      // Csound starts an API event in k-cycle llrint(start * kr) at sample
      // (int64)(start * sr) % ksmps of it. For the upper half of the cycle
      // the start is therefore given one cycle earlier, which selects this
      // cycle and the same in-cycle sample; the quarter sample keeps the
      // truncation away from rounding error.
      double s = static_cast<double>(offset) + 0.25;
      if (2 * offset >= ksmps_) s -= ksmps_;
      if (n < 2) {
        p[1] = 0.0;
        n = 2;
      }
      p[1] += s / sr_;
    }
    capi::score_event(raw_, e.type, p, static_cast<long>(n), false, true);
  }
  if (k) pending_events_.erase(pending_events_.begin(), pending_events_.begin() + static_cast<std::ptrdiff_t>(k));
}

bool BlockProcessor::perform_cycle() noexcept {
  if (finished_.load(std::memory_order_relaxed)) return false;
  dispatch_until(cycle_start_ + ksmps_);
  std::size_t ns = string_count_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < ns; ++i) {
    StringHandle* h = strings_[i].get();
    auto* sd = static_cast<StringDat*>(h->dat_);
    if (!(h->middle_.load(std::memory_order_acquire) & StringHandle::kDirty)) continue;
#if CS_VERSION >= 7
    capi::ChannelLock lock(raw_, h->name_.c_str());
    lock.lock();
    h->publish_to(sd->data, static_cast<int>(sd->size));
    lock.unlock();
#else
    if (h->lock_) csoundSpinLock(h->lock_);
    h->publish_to(sd->data, sd->size);
    if (h->lock_) csoundSpinUnLock(h->lock_);
#endif
  }
  midi_deliver_end_ = cycle_start_ + ksmps_;
  if (csoundPerformKsmps(raw_) == 0) return true;
  finished_.store(true, std::memory_order_relaxed);
  return false;
}

void BlockProcessor::render_cycle() noexcept {
  const std::size_t frame_len = static_cast<std::size_t>(nchnls_);
  const std::size_t ks = static_cast<std::size_t>(ksmps_);
  const bool rendered = perform_cycle();
  // append ksmps frames to the planar output fifo (at most two parts per channel), scaled to host full scale
  const std::size_t w = (out_read_ + out_count_) % out_cap_;
  const std::size_t first = std::min(ks, out_cap_ - w);
  const double scale = 1.0 / zdbfs_;
  for (std::size_t c = 0; c < frame_len; ++c) {
    double* fifo = out_fifo_.data() + c * out_cap_;
    if (rendered) {
      deinterleave(spout_, frame_len, c, fifo + w, first, scale);
      deinterleave(spout_ + first * frame_len, frame_len, c, fifo, ks - first, scale);
    } else {
      std::memset(fifo + w, 0, first * sizeof(double));
      std::memset(fifo, 0, (ks - first) * sizeof(double));
    }
  }
  out_count_ += ks;
  cycle_start_ += ksmps_;
}

// Host input frames [pos, pos + n) -> Csound's spin (interleaved, nchnls_i
// per frame) from frame in_fill_ on, scaled by 0dbfs, mapped as documented.
template <typename Acc>
void BlockProcessor::read_input(const Acc& acc, std::size_t pos, std::size_t n) noexcept {
  const int ci = nchnls_i_, hin = config_.host_inputs;
  const std::size_t cs = static_cast<std::size_t>(ci);
  double* s = spin_ + in_fill_ * cs;
  if (!(hin > 0 && acc.has_in())) {  // no host input: silence, one memset
    std::memset(s, 0, n * cs * sizeof(double));
    return;
  }
  const double scale = zdbfs_;
  auto copy = [&](int h, int c) {
    auto src = acc.in_ch(h);
    const auto* p = src.p + pos * src.stride;
    for (std::size_t j = 0; j < n; ++j) s[j * cs + c] = static_cast<double>(p[j * src.stride]) * scale;
  };
  if (hin == ci) {
    for (int c = 0; c < ci; ++c) copy(c, c);
  } else if (ci == 1) {  // host channels averaged into Csound's mono input
    for (std::size_t j = 0; j < n; ++j) s[j] = 0.0;
    for (int h = 0; h < hin; ++h) {
      auto src = acc.in_ch(h);
      const auto* p = src.p + pos * src.stride;
      for (std::size_t j = 0; j < n; ++j) s[j] += static_cast<double>(p[j * src.stride]);
    }
    for (std::size_t j = 0; j < n; ++j) s[j] = s[j] / hin * scale;
  } else if (hin == 1) {  // host mono copied to every Csound input
    for (int c = 0; c < ci; ++c) copy(0, c);
  } else {
    for (int c = 0; c < ci; ++c) {
      if (c < hin) {
        copy(c, c);
      } else {
        for (std::size_t j = 0; j < n; ++j) s[j * cs + c] = 0.0;
      }
    }
  }
}

// The k-cycle just rendered (spout, interleaved) -> host output frames
// [pos, pos + ksmps) directly, scaled and converted in one pass: the path of
// every block while latency is 0 (blocks are multiples of ksmps), so the
// fifo is not touched. rendered=false writes silence.
template <typename Acc>
void BlockProcessor::write_cycle(const Acc& acc, std::size_t pos, bool rendered) noexcept {
  using T = typename Acc::Sample;
  const int co = nchnls_, hout = config_.host_outputs;
  const std::size_t ks = static_cast<std::size_t>(ksmps_);
  const double k = 1.0 / zdbfs_;
  const double* src = spout_;
  if (!rendered) {
    for (int h = 0; h < hout; ++h) {
      auto dst = acc.out_ch(h);
      zero_run(dst.p + pos * dst.stride, dst.stride, ks);
    }
    return;
  }
  if (hout == 1 && co > 1) {  // Csound's outputs averaged into the host mono output
    auto dst = acc.out_ch(0);
    const std::size_t cs = static_cast<std::size_t>(co);
    for (std::size_t j = 0; j < ks; ++j) {
      double sum = 0;
      for (std::size_t c = 0; c < cs; ++c) sum += src[j * cs + c] * k;
      dst.p[(pos + j) * dst.stride] = static_cast<T>(sum / co);
    }
    return;
  }
  if (co == 2 && hout >= 2) {  // stereo, the common case: both channels in one pass
    auto d0 = acc.out_ch(0), d1 = acc.out_ch(1);
    if (d0.stride == 1 && d1.stride == 1) {
      T* __restrict o0 = d0.p + pos;
      T* __restrict o1 = d1.p + pos;
      for (std::size_t j = 0; j < ks; ++j) {
        o0[j] = static_cast<T>(src[2 * j] * k);
        o1[j] = static_cast<T>(src[2 * j + 1] * k);
      }
    } else {
      for (std::size_t j = 0; j < ks; ++j) {
        d0.p[(pos + j) * d0.stride] = static_cast<T>(src[2 * j] * k);
        d1.p[(pos + j) * d1.stride] = static_cast<T>(src[2 * j + 1] * k);
      }
    }
    for (int h = 2; h < hout; ++h) {
      auto dst = acc.out_ch(h);
      zero_run(dst.p + pos * dst.stride, dst.stride, ks);
    }
    return;
  }
  const std::size_t cs = static_cast<std::size_t>(co);
  for (int h = 0; h < hout; ++h) {
    auto dst = acc.out_ch(h);
    const int c = (co == 1) ? 0 : h;  // Csound mono goes to every host output
    T* o = dst.p + pos * dst.stride;
    if (c >= co) {
      zero_run(o, dst.stride, ks);
    } else if (dst.stride == 1) {
      for (std::size_t j = 0; j < ks; ++j) o[j] = static_cast<T>(src[j * cs + c] * k);
    } else {
      for (std::size_t j = 0; j < ks; ++j) o[j * dst.stride] = static_cast<T>(src[j * cs + c] * k);
    }
  }
}

// n fifo frames from out_read_ on -> host output frames [pos, pos + n),
// mapped as documented. The fifo is planar and already scaled.
template <typename Acc>
void BlockProcessor::write_output(const Acc& acc, std::size_t pos, std::size_t n) noexcept {
  using T = typename Acc::Sample;
  const int co = nchnls_, hout = config_.host_outputs;
  // the n frames are at most two contiguous runs of the fifo
  const std::size_t first = std::min(n, out_cap_ - out_read_);
  const std::size_t runs[2][3] = {{out_read_, pos, first}, {0, pos + first, n - first}};
  for (const auto& r : runs) {
    const std::size_t from = r[0], at = r[1], len = r[2];
    if (len == 0) continue;
    if (hout == 1 && co > 1) {  // Csound's outputs averaged into the host mono output
      auto dst = acc.out_ch(0);
      const double k = 1.0 / co;
      for (std::size_t j = 0; j < len; ++j) {
        double sum = 0;
        for (int c = 0; c < co; ++c) sum += out_fifo_[static_cast<std::size_t>(c) * out_cap_ + from + j];
        dst.p[(at + j) * dst.stride] = static_cast<T>(sum * k);
      }
      continue;
    }
    for (int h = 0; h < hout; ++h) {
      auto dst = acc.out_ch(h);
      const int c = (co == 1) ? 0 : h;  // Csound mono goes to every host output
      if (c < co)
        store_run(out_fifo_.data() + static_cast<std::size_t>(c) * out_cap_ + from, dst.p + at * dst.stride,
                  dst.stride, len);
      else
        zero_run(dst.p + at * dst.stride, dst.stride, len);
    }
  }
}

template <typename Acc>
BlockProcessor::Status BlockProcessor::run(const Acc& acc, std::size_t nframes) noexcept {
  const int hout = config_.host_outputs;
  auto silence = [&] {
    if (acc.has_out())
      for (int h = 0; h < hout; ++h) {
        auto dst = acc.out_ch(h);
        zero_run(dst.p, dst.stride, nframes);
      }
  };
  if (!prepared_.load(std::memory_order_acquire) || cs_->native_or_null() != raw_ ||
      cs_->generation() != generation_) {
    silence();
    return Status::NotReady;
  }
  if (nframes == 0) return finished_.load(std::memory_order_relaxed) ? Status::Finished : Status::Ok;
  const std::size_t ks = static_cast<std::size_t>(ksmps_);
  if (latency_.load(std::memory_order_relaxed) == 0 && ks > 1 && nframes % ks != 0) {
    // First misaligned block: switch once to the latency that fits any block size.
    std::size_t w = (out_read_ + out_count_) % out_cap_;
    for (int c = 0; c < nchnls_; ++c)
      for (std::size_t f = 0; f < ks - 1; ++f) out_fifo_[static_cast<std::size_t>(c) * out_cap_ + (w + f) % out_cap_] = 0.0;
    out_count_ += ks - 1;
    latency_.store(ks - 1, std::memory_order_relaxed);
  }
  const std::int64_t block_start = frames_.load(std::memory_order_relaxed);
  drain_rings(block_start);

  const bool use_in = spin_ && nchnls_i_ > 0;
  const bool use_out = acc.has_out();
  std::size_t pos = 0;
  // Latency 0 (blocks so far all multiples of ksmps): the fifo is empty at
  // every cycle boundary, so each k-cycle goes straight to the host buffer.
  if (out_count_ == 0 && in_fill_ == 0 && latency_.load(std::memory_order_relaxed) == 0 && nframes % ks == 0) {
    for (; pos < nframes; pos += ks) {
      if (use_in) read_input(acc, pos, ks);
      const bool rendered = perform_cycle();
      if (use_out) write_cycle(acc, pos, rendered);
      cycle_start_ += ksmps_;
    }
    frames_.store(block_start + static_cast<std::int64_t>(nframes), std::memory_order_relaxed);
    return finished_.load(std::memory_order_relaxed) ? Status::Finished : Status::Ok;
  }
  while (pos < nframes) {
    const std::size_t n = std::min(nframes - pos, ks - in_fill_);
    if (use_in) read_input(acc, pos, n);
    in_fill_ += n;
    if (in_fill_ == ks) {
      render_cycle();
      in_fill_ = 0;
    }
    if (use_out) write_output(acc, pos, n);
    out_read_ += n;
    if (out_read_ >= out_cap_) out_read_ -= out_cap_;
    out_count_ -= n;
    pos += n;
  }
  frames_.store(block_start + static_cast<std::int64_t>(nframes), std::memory_order_relaxed);
  return finished_.load(std::memory_order_relaxed) ? Status::Finished : Status::Ok;
}

BlockProcessor::Status BlockProcessor::process(const float* const* in, float* const* out, std::size_t nframes) noexcept {
  return run(Planar<float>{in, out}, nframes);
}
BlockProcessor::Status BlockProcessor::process(const double* const* in, double* const* out,
                                               std::size_t nframes) noexcept {
  return run(Planar<double>{in, out}, nframes);
}
BlockProcessor::Status BlockProcessor::process_interleaved(const float* in, float* out, std::size_t nframes) noexcept {
  return run(Interleaved<float>{in, out, config_.host_inputs, config_.host_outputs}, nframes);
}
BlockProcessor::Status BlockProcessor::process_interleaved(const double* in, double* out,
                                                           std::size_t nframes) noexcept {
  return run(Interleaved<double>{in, out, config_.host_inputs, config_.host_outputs}, nframes);
}

// ---------------------------------------------------------------- host-implemented MIDI

int BlockProcessor::midi_in_open(CSOUND* cs, void** user, const char*) {
  *user = registry_find(cs);
  return 0;
}

int BlockProcessor::midi_out_open(CSOUND* cs, void** user, const char*) {
  *user = registry_find(cs);
  return 0;
}

int BlockProcessor::midi_close(CSOUND*, void*) { return 0; }

int BlockProcessor::midi_read(CSOUND*, void* user, unsigned char* buf, int nbytes) {
  auto* self = static_cast<BlockProcessor*>(user);
  if (!self || !self->config_.midi_in) return 0;
  auto& pend = self->pending_midi_;
  std::size_t k = 0;
  int written = 0;
  for (; k < pend.size() && pend[k].frame < self->midi_deliver_end_; ++k) {
    if (written + pend[k].size > nbytes) break;
    std::memcpy(buf + written, pend[k].bytes, pend[k].size);
    written += pend[k].size;
  }
  if (k) pend.erase(pend.begin(), pend.begin() + static_cast<std::ptrdiff_t>(k));
  return written;
}

int BlockProcessor::midi_write(CSOUND*, void* user, const unsigned char* buf, int nbytes) {
  auto* self = static_cast<BlockProcessor*>(user);
  if (!self) return nbytes;
  int i = 0;
  while (i < nbytes) {
    std::size_t len = midi_length(buf[i]);
    if (len == 0 || i + static_cast<int>(len) > nbytes) break;  // running status / sysex: not carried
    MidiMessage m;
    m.frame = self->cycle_start_ + static_cast<std::int64_t>(self->latency_.load(std::memory_order_relaxed));
    m.size = static_cast<std::uint8_t>(len);
    std::memcpy(m.bytes, buf + i, len);
    if (!self->midi_out_ring_.try_push(m)) self->dropped_midi_out_.fetch_add(1, std::memory_order_relaxed);
    i += static_cast<int>(len);
  }
  return nbytes;
}

}  // namespace csoundpp
