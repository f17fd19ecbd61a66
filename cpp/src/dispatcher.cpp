#include "csoundpp/dispatcher.hpp"

#include <algorithm>
#include <vector>

namespace csoundpp {

Dispatcher::Dispatcher(std::size_t capacity) : capacity_(capacity) {}

Dispatcher::~Dispatcher() {
  stop();
  std::lock_guard<std::mutex> lock(control_mutex_);
  if (thread_.joinable()) {
    // Destroyed inside its own handler (the last owner went there): the thread cannot be
    // joined from itself. It holds the handler it runs and leaves without touching this.
    gone_->store(true, std::memory_order_release);
    thread_.detach();
  }
}

void Dispatcher::set_handler(Handler h) {
  std::lock_guard<std::mutex> lock(control_mutex_);
  auto fresh = h ? std::make_shared<Handler>(std::move(h)) : nullptr;
  if (thread_.joinable() && on_consumer_thread()) {
    // Replacing from inside the handler: no restart (the running one is held by the thread),
    // and a stop() asked from inside earlier is undone.
    handler_ = std::move(fresh);
    stopping_.store(false, std::memory_order_release);
    running_.store(true, std::memory_order_release);
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
  handler_ = std::move(fresh);
  stopping_.store(false, std::memory_order_release);
  running_.store(true, std::memory_order_release);
  gone_ = std::make_shared<std::atomic<bool>>(false);
  thread_ = std::thread([this, gone = gone_] { run(gone); });
}

void Dispatcher::stop() {
  std::lock_guard<std::mutex> lock(control_mutex_);
  if (!thread_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  running_.store(false, std::memory_order_release);
  wake_.fetch_add(1, std::memory_order_release);
  wake_.notify_one();
  if (on_consumer_thread()) return;  // from inside the handler: it ends after the handler returns
  thread_.join();
  handler_.reset();
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

void Dispatcher::run(std::shared_ptr<std::atomic<bool>> gone) {
  consumer_id_.store(std::this_thread::get_id());
  std::vector<DispatchRecord> batch(64);  // allocated once, off the audio thread
  for (;;) {
    std::uint32_t seen = wake_.load(std::memory_order_acquire);
    std::size_t n = 0;
    while (n < batch.size() && ring_->try_pop(batch[n])) ++n;
    if (n > 0) {
      if (std::shared_ptr<Handler> h = handler_) (*h)(batch.data(), n);
      if (gone->load(std::memory_order_acquire)) return;  // the handler destroyed this Dispatcher
      delivered_.fetch_add(n, std::memory_order_acq_rel);
      continue;
    }
    if (stopping_.load(std::memory_order_acquire)) break;
    wake_.wait(seen, std::memory_order_acquire);
  }
  consumer_id_.store(std::thread::id{});
}

}  // namespace csoundpp
