// Dispatcher: records from many producer threads reach the handler exactly once, in
// order per producer; long messages are split; a full ring drops and counts; stop()
// delivers what was queued; wait_delivered times out without a consumer.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "csoundpp/dispatcher.hpp"
#include "testing.hpp"

using csoundpp::DispatchRecord;
using csoundpp::Dispatcher;
using namespace std::chrono_literals;

TEST(every_record_arrives_once_in_producer_order) {
  Dispatcher d(1 << 14);
  std::mutex m;
  std::map<int, std::vector<int>> seen;  // producer -> sequence numbers
  d.set_handler([&](const DispatchRecord* r, std::size_t n) {
    std::lock_guard<std::mutex> lock(m);
    for (std::size_t i = 0; i < n; ++i) {
      CHECK_EQ(static_cast<int>(r[i].kind), static_cast<int>(DispatchRecord::OutControl));
      seen[std::stoi(std::string(r[i].name()))].push_back(static_cast<int>(r[i].value));
    }
  });
  constexpr int kProducers = 4, kEach = 2000;
  std::vector<std::thread> ts;
  for (int p = 0; p < kProducers; ++p)
    ts.emplace_back([&d, p] {
      for (int i = 0; i < kEach; ++i)
        while (!d.post_out_control(std::to_string(p), i)) std::this_thread::yield();
    });
  for (auto& t : ts) t.join();
  CHECK(d.wait_delivered(10s));
  std::lock_guard<std::mutex> lock(m);
  for (int p = 0; p < kProducers; ++p) {
    CHECK_EQ(seen[p].size(), static_cast<std::size_t>(kEach));
    for (int i = 0; i < kEach; ++i) CHECK_EQ(seen[p][static_cast<std::size_t>(i)], i);
  }
  d.stop();
}

TEST(long_messages_are_split_and_reassemble) {
  Dispatcher d;
  std::string got;
  std::mutex m;
  d.set_handler([&](const DispatchRecord* r, std::size_t n) {
    std::lock_guard<std::mutex> lock(m);
    for (std::size_t i = 0; i < n; ++i) got.append(r[i].message());
  });
  std::string text(3 * DispatchRecord::kTextCap + 17, 'x');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
  CHECK(d.post_message(0, text));
  CHECK(d.wait_delivered(5s));
  std::lock_guard<std::mutex> lock(m);
  CHECK(got == text);
}

TEST(out_string_carries_name_and_payload) {
  Dispatcher d;
  std::string name, payload;
  d.set_handler([&](const DispatchRecord* r, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      name = r[i].name();
      payload = r[i].payload();
    }
  });
  CHECK(d.post_out_string("chan", "value text"));
  CHECK(d.wait_delivered(5s));
  CHECK(name == "chan");
  CHECK(payload == "value text");
}

TEST(a_full_ring_drops_and_counts_without_blocking) {
  Dispatcher d(16);
  std::atomic<bool> release{false};
  std::atomic<std::size_t> handled{0};
  d.set_handler([&](const DispatchRecord*, std::size_t n) {
    while (!release.load()) std::this_thread::sleep_for(1ms);  // a stuck consumer
    handled += n;
  });
  std::size_t ok = 0;
  for (int i = 0; i < 200; ++i) ok += d.post_out_control("x", i) ? 1 : 0;
  CHECK(ok < 200);
  CHECK_EQ(d.dropped(), static_cast<std::uint64_t>(200 - ok));
  release = true;
  CHECK(d.wait_delivered(5s));
  CHECK_EQ(handled.load(), ok);
  d.stop();
}

TEST(stop_delivers_what_was_queued) {
  Dispatcher d(1024);
  std::atomic<int> count{0};
  d.set_handler([&](const DispatchRecord*, std::size_t n) { count += static_cast<int>(n); });
  for (int i = 0; i < 100; ++i) CHECK(d.post_out_control("x", i));
  d.stop();
  CHECK_EQ(count.load(), 100);
  CHECK(!d.running());
}

TEST(without_consumer_posts_report_failure) {
  Dispatcher d;
  CHECK(!d.running());
  CHECK(!d.post_message(0, "nobody listens"));
  CHECK_EQ(d.delivered(), 0u);
}

TEST(stop_and_restart_from_inside_the_handler) {
  Dispatcher d(256);
  std::atomic<int> calls{0};
  d.set_handler([&](const DispatchRecord*, std::size_t n) {
    calls += static_cast<int>(n);
    d.stop();  // from its own thread: must neither join itself nor free this handler
    d.set_handler([&](const DispatchRecord*, std::size_t m) { calls += 100 * static_cast<int>(m); });
  });
  CHECK(d.post_message(0, "a"));
  for (int i = 0; i < 200 && calls.load() == 0; ++i) std::this_thread::sleep_for(5ms);
  CHECK(d.post_message(0, "b"));
  CHECK(d.wait_delivered(5s));
  CHECK_EQ(calls.load(), 101);
  d.stop();  // joins from here
  CHECK(!d.running());
}

TEST(destroyed_inside_its_own_handler) {
  // The last owner of a Dispatcher lets go of it inside its handler (a Csound dropped in its
  // own message callback): the thread cannot join itself and must not touch it afterwards.
  for (int round = 0; round < 50; ++round) {
    auto* d = new Dispatcher(64);
    std::atomic<bool> done{false}, posted{false};
    auto keep = std::make_shared<int>(7);  // captured state must stay valid while the handler runs
    // the owner lets go only once no other thread is still inside push() (as a Csound's owner
    // does: destroy waits for the engine, so its producer has left push())
    d->set_handler([d, &done, &posted, keep](const DispatchRecord*, std::size_t) {
      while (!posted.load()) std::this_thread::sleep_for(1ms);
      delete d;
      CHECK_EQ(*keep, 7);
      done = true;
    });
    CHECK(d->post_message(0, "x"));
    posted = true;
    for (int i = 0; i < 400 && !done.load(); ++i) std::this_thread::sleep_for(5ms);
    CHECK(done.load());
  }
  std::this_thread::sleep_for(50ms);  // the detached threads end
}

CSOUNDPP_TEST_MAIN()
