#include "csoundpp/dispatcher.hpp"

#include <algorithm>
#include <vector>

namespace csoundpp {

Dispatcher::Dispatcher(std::size_t capacity) : capacity_(capacity) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::set_handler(Handler h) {
  std::lock_guard<std::mutex> lock(control_mutex_);
  if (thread_.joinable() && on_consumer_thread()) {
    handler_ = std::move(h);  // replacing from inside the handler: no restart
    return;
  }
  // Stop the consumer so the handler is never swapped while it runs.
  if (thread_.joinable()) {
    stopping_.store(true, std::memory_order_release);
    wake_.fetch_add(1, std::memory_order_release);
    wake_.notify_one();
    thread_.join();
  }
  if (!ring_) ring_ = std::make_unique<MpmcRing<DispatchRecord>>(capacity_);
  handler_ = std::move(h);
  stopping_.store(false, std::memory_order_release);
  running_.store(true, std::memory_order_release);
  thread_ = std::thread([this] { run(); });
}

void Dispatcher::stop() {
  std::lock_guard<std::mutex> lock(control_mutex_);
  if (!thread_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  wake_.fetch_add(1, std::memory_order_release);
  wake_.notify_one();
  if (on_consumer_thread()) {
    thread_.detach();  // stop() from inside the handler: let the thread finish by itself
  } else {
    thread_.join();
  }
  running_.store(false, std::memory_order_release);
  Handler none;
  handler_.swap(none);
}

bool Dispatcher::push(const DispatchRecord& r) noexcept {
  if (!running_.load(std::memory_order_acquire)) return false;
  if (!ring_->try_push(r)) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  posted_.fetch_add(1, std::memory_order_acq_rel);
  wake_.fetch_add(1, std::memory_order_release);
  wake_.notify_one();
  return true;
}

bool Dispatcher::post_message(int attr, std::string_view text) noexcept {
  bool ok = true;
  do {
    DispatchRecord r;
    r.kind = DispatchRecord::Message;
    r.attr = attr;
    std::size_t n = std::min(text.size(), DispatchRecord::kTextCap);
    std::memcpy(r.text, text.data(), n);
    r.len = static_cast<std::uint16_t>(n);
    ok = push(r) && ok;
    text.remove_prefix(n);
  } while (!text.empty());
  return ok;
}

bool Dispatcher::post_out_control(std::string_view name, double value) noexcept {
  DispatchRecord r;
  r.kind = DispatchRecord::OutControl;
  std::size_t n = std::min<std::size_t>(name.size(), 255);
  std::memcpy(r.text, name.data(), n);
  r.name_len = static_cast<std::uint8_t>(n);
  r.len = static_cast<std::uint16_t>(n);
  r.value = value;
  return push(r);
}

bool Dispatcher::post_out_string(std::string_view name, std::string_view value) noexcept {
  DispatchRecord r;
  r.kind = DispatchRecord::OutString;
  std::size_t n = std::min<std::size_t>(name.size(), 120);
  std::memcpy(r.text, name.data(), n);
  std::size_t m = std::min(value.size(), DispatchRecord::kTextCap - n);
  std::memcpy(r.text + n, value.data(), m);
  r.name_len = static_cast<std::uint8_t>(n);
  r.len = static_cast<std::uint16_t>(n + m);
  return push(r);
}

bool Dispatcher::wait_delivered(std::chrono::milliseconds timeout) {
  const std::uint64_t target = posted_.load(std::memory_order_acquire);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (delivered_.load(std::memory_order_acquire) < target) {
    if (!running_.load(std::memory_order_acquire)) return false;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

void Dispatcher::run() {
  consumer_id_.store(std::this_thread::get_id());
  std::vector<DispatchRecord> batch(64);  // allocated once, off the audio thread
  for (;;) {
    std::uint32_t seen = wake_.load(std::memory_order_acquire);
    std::size_t n = 0;
    while (n < batch.size() && ring_->try_pop(batch[n])) ++n;
    if (n > 0) {
      if (handler_) handler_(batch.data(), n);
      delivered_.fetch_add(n, std::memory_order_acq_rel);
      continue;
    }
    if (stopping_.load(std::memory_order_acquire)) break;
    wake_.wait(seen, std::memory_order_acquire);
  }
  consumer_id_.store(std::thread::id{});
}

}  // namespace csoundpp
