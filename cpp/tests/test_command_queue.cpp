// CommandQueue: ownership of payloads (every one constructed is destroyed
// exactly once, never by the consumer), bounds, close semantics and a
// multi-producer fuzz with exact per-producer ordering.
#include <atomic>
#include <thread>
#include <vector>

#include "csoundpp/command_queue.hpp"
#include "testing.hpp"

using csoundpp::Command;
using csoundpp::CommandQueue;
using csoundpp::Payload;
using PR = CommandQueue::PushResult;

namespace {
std::atomic<long> g_constructed{0};
std::atomic<long> g_destroyed{0};
std::atomic<std::thread::id> g_forbidden_thread{};  // payloads must never die here

struct Counted final : Payload {
  std::vector<double> data;
  explicit Counted(std::size_t n, double v) : data(n, v) { g_constructed.fetch_add(1); }
  ~Counted() override {
    g_destroyed.fetch_add(1);
    if (std::this_thread::get_id() == g_forbidden_thread.load()) std::abort();
  }
};

void reset_counts() {
  g_constructed = 0;
  g_destroyed = 0;
}
}  // namespace

TEST(push_pop_inline_commands_keep_order) {
  CommandQueue q(8);
  CHECK_EQ(q.capacity(), 8u);
  for (int i = 0; i < 8; ++i) {
    Command c;
    c.op = 1;
    c.args[0] = i;
    CHECK(q.push(c) == PR::Ok);
  }
  Command extra;
  CHECK(q.push(extra) == PR::Full);
  for (int i = 0; i < 8; ++i) {
    Command c;
    CHECK(q.pop(c));
    CHECK_EQ(c.args[0], static_cast<double>(i));
    CHECK(c.payload == nullptr);
  }
  Command c;
  CHECK(!q.pop(c));
}

TEST(payloads_are_destroyed_exactly_once) {
  reset_counts();
  {
    CommandQueue q(16);
    for (int i = 0; i < 10; ++i) {
      std::unique_ptr<Payload> p = std::make_unique<Counted>(100, i);
      Command c;
      CHECK(q.push(c, p) == PR::Ok);
      CHECK(!p);  // ownership moved into the queue
    }
    CHECK_EQ(q.payloads_alive(), 10u);
    // The consumer pops 6 and retires them; none is destroyed by retire().
    for (int i = 0; i < 6; ++i) {
      Command c;
      CHECK(q.pop(c));
      CHECK(c.payload != nullptr);
      CHECK_EQ(static_cast<Counted*>(c.payload)->data[0], static_cast<double>(i));
      q.retire(c.payload);
    }
    CHECK_EQ(g_destroyed.load(), 0L);
    CHECK_EQ(q.collect(), 6u);
    CHECK_EQ(g_destroyed.load(), 6L);
    CHECK_EQ(q.payloads_alive(), 4u);
    // 4 left in the ring: the destructor must delete them.
  }
  CHECK_EQ(g_constructed.load(), 10L);
  CHECK_EQ(g_destroyed.load(), 10L);
}

TEST(failed_push_leaves_the_payload_with_the_caller) {
  reset_counts();
  {
    CommandQueue q(2);
    Command c;
    CHECK(q.push(c) == PR::Ok);
    CHECK(q.push(c) == PR::Ok);
    std::unique_ptr<Payload> p = std::make_unique<Counted>(3, 1.0);
    CHECK(q.push(c, p) == PR::Full);
    CHECK(p != nullptr);
    CHECK_EQ(q.payloads_alive(), 0u);
    q.close();
    CHECK(q.push(c, p) == PR::Closed);
    CHECK(p != nullptr);
  }
  CHECK_EQ(g_constructed.load(), 1L);
  CHECK_EQ(g_destroyed.load(), 1L);
}

TEST(payload_limit_is_the_capacity_and_push_collects_first) {
  reset_counts();
  {
    CommandQueue q(4);
    Command c;
    for (int i = 0; i < 4; ++i) {
      std::unique_ptr<Payload> p = std::make_unique<Counted>(1, i);
      CHECK(q.push(c, p) == PR::Ok);
    }
    for (int i = 0; i < 4; ++i) {
      Command out;
      CHECK(q.pop(out));
      q.retire(out.payload);
    }
    CHECK_EQ(q.payloads_alive(), 4u);  // retired, not yet collected
    std::unique_ptr<Payload> p = std::make_unique<Counted>(1, 9);
    CHECK(q.push(c, p) == PR::Ok);  // push collects the retired ones first
    CHECK_EQ(g_destroyed.load(), 4L);
    CHECK_EQ(q.leaked(), 0u);
  }
  CHECK_EQ(g_destroyed.load(), g_constructed.load());
}

TEST(multi_producer_fuzz_exact_counts_and_order) {
  reset_counts();
  constexpr int kProducers = 8;
  constexpr int kPerProducer = 20000;
  std::atomic<long> full_retries{0};
  {
    CommandQueue q(256);
    std::vector<long> seen(kProducers, -1);
    long received = 0;
    bool order_ok = true, payload_ok = true;
    std::thread consumer([&] {
      g_forbidden_thread.store(std::this_thread::get_id());
      Command c;
      const long total = static_cast<long>(kProducers) * kPerProducer;
      while (received < total) {
        if (!q.pop(c)) {
          std::this_thread::yield();
          continue;
        }
        int prod = static_cast<int>(c.args[0]);
        long seq = static_cast<long>(c.args[1]);
        if (seq != seen[prod] + 1) order_ok = false;
        seen[prod] = seq;
        if (c.payload) {
          auto* p = static_cast<Counted*>(c.payload);
          if (p->data.size() != static_cast<std::size_t>(seq % 17 + 6) || p->data[0] != seq) payload_ok = false;
        } else if (seq % 3 == 0) {
          payload_ok = false;
        }
        q.retire(c.payload);
        ++received;
      }
      g_forbidden_thread.store(std::thread::id{});
    });
    std::vector<std::thread> producers;
    for (int t = 0; t < kProducers; ++t) {
      producers.emplace_back([&, t] {
        for (long i = 0; i < kPerProducer; ++i) {
          Command c;
          c.op = 1;
          c.args[0] = t;
          c.args[1] = static_cast<double>(i);
          std::unique_ptr<Payload> p;
          if (i % 3 == 0) p = std::make_unique<Counted>(static_cast<std::size_t>(i % 17 + 6), static_cast<double>(i));
          while (q.push(c, p) != PR::Ok) {
            full_retries.fetch_add(1);
            std::this_thread::yield();
          }
        }
      });
    }
    for (auto& th : producers) th.join();
    consumer.join();
    CHECK_EQ(received, static_cast<long>(kProducers) * kPerProducer);
    CHECK(order_ok);
    CHECK(payload_ok);
    for (int t = 0; t < kProducers; ++t) CHECK_EQ(seen[t], static_cast<long>(kPerProducer - 1));
    CHECK_EQ(q.pushed(), static_cast<std::uint64_t>(kProducers) * kPerProducer);
    q.collect();
    CHECK_EQ(q.payloads_alive(), 0u);
  }
  long expected_payloads = 0;
  for (long i = 0; i < kPerProducer; ++i) expected_payloads += (i % 3 == 0);
  CHECK_EQ(g_constructed.load(), expected_payloads * kProducers);
  CHECK_EQ(g_destroyed.load(), g_constructed.load());
  std::printf("  (full-queue retries: %ld)\n", full_retries.load());
}

TEST(close_races_with_producers_nothing_slips_through) {
  for (int round = 0; round < 20; ++round) {
    reset_counts();
    {
      CommandQueue q(1024);
      std::atomic<long> accepted{0};
      std::atomic<bool> go{false};
      std::vector<std::thread> producers;
      for (int t = 0; t < 4; ++t) {
        producers.emplace_back([&] {
          while (!go.load()) std::this_thread::yield();
          for (;;) {
            Command c;
            std::unique_ptr<Payload> p = std::make_unique<Counted>(1, 1.0);
            auto r = q.push(c, p);
            if (r == PR::Ok) accepted.fetch_add(1);
            if (r == PR::Closed) return;
          }
        });
      }
      long consumed = 0;
      go.store(true);
      Command c;
      for (int i = 0; i < 2000; ++i) {
        if (q.pop(c)) {
          q.retire(c.payload);
          ++consumed;
        }
      }
      q.close();
      while (q.pop(c)) {  // the final drain
        q.retire(c.payload);
        ++consumed;
      }
      for (auto& th : producers) th.join();
      CHECK(!q.pop(c));  // nothing arrived after the final drain
      CHECK_EQ(consumed, accepted.load());
    }
    CHECK_EQ(g_destroyed.load(), g_constructed.load());
  }
}

CSOUNDPP_TEST_MAIN()
