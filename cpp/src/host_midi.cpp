#include "csoundpp/host_midi.hpp"

#include <stdexcept>
#include <string>

#include "capi.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "csoundpp/errors.hpp"

namespace csoundpp {

ByteRing::ByteRing(std::size_t capacity) : buf_(capacity + 1), cap_(capacity) {}

std::size_t ByteRing::size() const noexcept {
  std::size_t h = head_.load(std::memory_order_acquire), t = tail_.load(std::memory_order_acquire);
  return t >= h ? t - h : buf_.size() - h + t;
}

std::size_t ByteRing::push(const std::uint8_t* data, std::size_t n) noexcept {
  std::size_t t = tail_.load(std::memory_order_relaxed);
  std::size_t h = head_.load(std::memory_order_acquire);
  std::size_t used = t >= h ? t - h : buf_.size() - h + t;
  std::size_t room = cap_ - used;
  n = std::min(n, room);
  for (std::size_t i = 0; i < n; ++i) {
    buf_[t] = data[i];
    t = t + 1 == buf_.size() ? 0 : t + 1;
  }
  tail_.store(t, std::memory_order_release);
  return n;
}

std::size_t ByteRing::pop(std::uint8_t* out, std::size_t n) noexcept {
  std::size_t h = head_.load(std::memory_order_relaxed);
  std::size_t t = tail_.load(std::memory_order_acquire);
  std::size_t i = 0;
  while (i < n && h != t) {
    out[i++] = buf_[h];
    h = h + 1 == buf_.size() ? 0 : h + 1;
  }
  head_.store(h, std::memory_order_release);
  return i;
}

void ByteRing::clear() noexcept { head_.store(tail_.load(std::memory_order_acquire), std::memory_order_release); }

namespace {
std::mutex g_mutex;
std::unordered_map<CSOUND*, HostMidi*>& attached_map() {
  static auto* m = new std::unordered_map<CSOUND*, HostMidi*>();  // never destroyed: used at exit
  return *m;
}
}  // namespace

namespace {
std::size_t checked_capacity(std::size_t capacity) {
  if (capacity == 0 || capacity > HostMidi::kMaxCapacity)
    throw std::invalid_argument("host MIDI ring capacity " + std::to_string(capacity) + " is outside 1 .. " +
                                std::to_string(HostMidi::kMaxCapacity) + " bytes");
  return capacity;
}
}  // namespace

HostMidi::HostMidi(std::size_t capacity) : in_(checked_capacity(capacity)), out_(capacity) {}

HostMidi::~HostMidi() { detach(); }

HostMidi* HostMidi::find(CSOUND* cs) noexcept {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = attached_map().find(cs);
  return it == attached_map().end() ? nullptr : it->second;
}

void HostMidi::attach(CSOUND* cs) {
  if (!cs) throw CsoundError("HostMidi::attach: no Csound instance");
  detach();
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    attached_map()[cs] = this;
  }
  cs_.store(cs);
  capi::host_midi_io(cs);
  csoundSetExternalMidiInOpenCallback(cs, &HostMidi::in_open);
  csoundSetExternalMidiReadCallback(cs, &HostMidi::read);
  csoundSetExternalMidiInCloseCallback(cs, &HostMidi::in_close);
  csoundSetExternalMidiOutOpenCallback(cs, &HostMidi::out_open);
  csoundSetExternalMidiWriteCallback(cs, &HostMidi::write);
  csoundSetExternalMidiOutCloseCallback(cs, &HostMidi::out_close);
  // the callbacks are only opened when a real-time MIDI device is requested
  csoundSetOption(cs, "-M0");
  csoundSetOption(cs, "-Q0");
}

void HostMidi::detach() noexcept {
  CSOUND* cs = cs_.exchange(nullptr);
  if (!cs) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = attached_map().find(cs);
  if (it != attached_map().end() && it->second == this) attached_map().erase(it);
}

bool HostMidi::push(const std::uint8_t* data, std::size_t n) {
  std::lock_guard<std::mutex> lock(push_mutex_);
  if (in_.capacity() - in_.size() < n) return false;
  in_.push(data, n);
  return true;
}

std::size_t HostMidi::pop(std::uint8_t* out, std::size_t n) {
  std::lock_guard<std::mutex> lock(pop_mutex_);
  return out_.pop(out, n);
}

int HostMidi::in_open(CSOUND* cs, void** user, const char*) {
  HostMidi* self = find(cs);
  if (!self) return -1;
  *user = self;
  self->in_open_.store(true);
  return 0;
}

int HostMidi::read(CSOUND*, void* user, unsigned char* buf, int nbytes) {
  auto* self = static_cast<HostMidi*>(user);
  if (!self || nbytes <= 0) return 0;
  return static_cast<int>(self->in_.pop(buf, static_cast<std::size_t>(nbytes)));
}

int HostMidi::in_close(CSOUND* cs, void*) {
  if (HostMidi* self = find(cs)) self->in_open_.store(false);
  return 0;
}

int HostMidi::out_open(CSOUND* cs, void** user, const char*) {
  HostMidi* self = find(cs);
  if (!self) return -1;
  *user = self;
  self->out_open_.store(true);
  return 0;
}

int HostMidi::write(CSOUND*, void* user, const unsigned char* buf, int nbytes) {
  auto* self = static_cast<HostMidi*>(user);
  if (!self || nbytes <= 0) return 0;
  std::size_t n = self->out_.push(buf, static_cast<std::size_t>(nbytes));
  if (n < static_cast<std::size_t>(nbytes)) self->dropped_.fetch_add(static_cast<std::size_t>(nbytes) - n);
  return nbytes;
}

int HostMidi::out_close(CSOUND* cs, void*) {
  if (HostMidi* self = find(cs)) self->out_open_.store(false);
  return 0;
}

}  // namespace csoundpp
