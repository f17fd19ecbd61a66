// PerformanceThread state machine against a real libcsound (no audio device:
// -n), plus the contract of its waits.
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <stdlib.h>

#include <sndfile.h>

#include "csoundpp/errors.hpp"
#include "csoundpp/performance_thread.hpp"
#include "testing.hpp"

using csoundpp::Csound;
using csoundpp::PerformanceThread;
using namespace std::chrono_literals;

namespace {

const char* kOrc = R"(
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
giCount init 0
instr 1
  giCount = giCount + 1
  chnset giCount, "count"
endin
instr 2
  out oscili(0.25, 440)
endin
)";

std::shared_ptr<Csound> make_csound(const std::string& score = "f0 3600", const char* orc = kOrc) {
  // No plugin libraries: libcsound's plugins leak small allocations and are
  // unloaded at csoundDestroy, which LeakSanitizer cannot attribute. The
  // opcodes used here are all built into libcsound.
  static const bool no_plugins = [] {
    char tmpl[] = "/tmp/csoundpp-noplugins-XXXXXX";
    if (const char* d = mkdtemp(tmpl)) setenv("OPCODE6DIR64", d, 1);
    return true;
  }();
  (void)no_plugins;
  auto cs = std::make_shared<Csound>();
  for (const char* opt : {"-n", "-d", "-m0", "--nodisplays"}) cs->set_option(opt);
  if (cs->compile_orc(orc, false) != 0) throw std::runtime_error("orc did not compile");
  if (cs->read_score(score, false) != 0) throw std::runtime_error("score did not read");
  if (cs->start() != 0) throw std::runtime_error("start failed");
  return cs;
}

double count_of(Csound& cs) {
  int err = 0;
  return cs.control_channel("count", &err);
}

constexpr auto kWait = std::chrono::seconds(20);

}  // namespace

TEST(starts_paused_and_keeps_taking_commands) {
  auto cs = make_csound();
  PerformanceThread pt(cs);
  CHECK(pt.is_running());
  CHECK(pt.is_paused());
  CHECK_EQ(pt.status(), 0);
  CHECK(cs->busy());
  double p[3] = {1, 0, 0};
  pt.score_event(false, 'i', p, 3);
  CHECK(pt.flush(kWait));
  CHECK_EQ(pt.cycles(), 0u);  // paused: nothing rendered
  CHECK_EQ(pt.commands_executed(), 2u);  // the event and the flush marker
  CHECK_EQ(count_of(*cs), 0.0);  // the event waits for play
  pt.play();
  CHECK(pt.flush(kWait));
  auto t0 = std::chrono::steady_clock::now();
  while (count_of(*cs) < 1 && std::chrono::steady_clock::now() - t0 < kWait) std::this_thread::sleep_for(1ms);
  CHECK_EQ(count_of(*cs), 1.0);
  pt.pause();
  CHECK(pt.flush(kWait));
  auto c1 = pt.cycles();
  std::this_thread::sleep_for(50ms);
  CHECK_EQ(pt.cycles(), c1);  // paused again: frozen
  pt.toggle_pause();
  CHECK(pt.flush(kWait));
  t0 = std::chrono::steady_clock::now();
  while (pt.cycles() == c1 && std::chrono::steady_clock::now() - t0 < kWait) std::this_thread::sleep_for(1ms);
  CHECK(pt.cycles() > c1);
  pt.stop();
  CHECK(pt.join(kWait) > 0);
  CHECK(!pt.is_running());
  CHECK(!cs->busy());
}

TEST(stop_and_join_are_idempotent_from_any_state) {
  {
    auto cs = make_csound();
    PerformanceThread pt(cs);  // never played
    pt.stop();
    pt.stop();
    CHECK(pt.join(kWait) > 0);
    CHECK(pt.join(kWait) > 0);
    pt.stop();
    CHECK(pt.flush(kWait));  // works after the end too
    pt.play();  // transport commands after the end are ignored ...
    pt.pause();
    double p[3] = {1, 0, 0};  // ... events raise
    CHECK_THROWS(pt.score_event(false, 'i', p, 3), csoundpp::StateError);
  }
  {
    auto cs = make_csound();
    auto pt = std::make_unique<PerformanceThread>(cs);
    pt->play();
    pt.reset();  // destruction while playing stops and joins
    CHECK(!cs->busy());
  }
}

TEST(end_of_score_ends_the_thread_without_join) {
  auto cs = make_csound("i2 0 0.1");
  PerformanceThread pt(cs);
  pt.play();
  auto t0 = std::chrono::steady_clock::now();
  while (pt.is_running() && std::chrono::steady_clock::now() - t0 < kWait) std::this_thread::sleep_for(1ms);
  CHECK(!pt.is_running());
  CHECK(pt.status() > 0);
  CHECK_EQ(pt.cycles(), 150u);  // 0.1 s at 48 kHz / 32
  CHECK(pt.join(kWait) > 0);
}

TEST(join_times_out_and_can_be_interrupted) {
  auto cs = make_csound();
  PerformanceThread pt(cs);
  CHECK_THROWS(pt.join(30ms), csoundpp::TimeoutError);
  std::atomic<int> polls{0};
  auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS(pt.join(PerformanceThread::kForever, [&] { return ++polls >= 3; }), csoundpp::WaitInterrupted);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(polls.load() == 3);
  CHECK(ms < 1000);  // polled about every 50 ms
  pt.stop();
  CHECK(pt.join(kWait) > 0);
}

TEST(waits_from_the_performance_thread_raise) {
  auto cs = make_csound();
  PerformanceThread pt(cs);
  std::atomic<int> raised{0};
  pt.request_callback([&](Csound&) {
    try {
      pt.flush(1s);
    } catch (const csoundpp::StateError&) {
      raised++;
    }
    try {
      pt.join(1s);
    } catch (const csoundpp::StateError&) {
      raised++;
    }
  });
  CHECK(pt.flush(kWait));
  CHECK_EQ(raised.load(), 2);
  pt.stop();
  pt.join(kWait);
}

TEST(full_queue_throws_in_the_caller) {
  auto cs = make_csound();
  PerformanceThread pt(cs, 8);
  std::atomic<bool> release{false};
  std::atomic<bool> inside{false};
  pt.request_callback([&](Csound&) {
    inside = true;
    while (!release.load()) std::this_thread::sleep_for(1ms);
  });
  while (!inside.load()) std::this_thread::sleep_for(1ms);
  int accepted = 0;
  bool full = false;
  for (int i = 0; i < 100 && !full; ++i) {
    try {
      pt.play();
      ++accepted;
    } catch (const csoundpp::QueueFullError&) {
      full = true;
    }
  }
  CHECK(full);
  CHECK_EQ(accepted, 8);
  release = true;
  CHECK(pt.flush(kWait));
  pt.stop();
  pt.join(kWait);
}

TEST(many_producers_exact_count) {
  auto cs = make_csound();
  PerformanceThread pt(cs, 1 << 16);
  pt.play();
  constexpr int kThreads = 8, kEach = 2000;
  std::vector<std::thread> ths;
  for (int t = 0; t < kThreads; ++t)
    ths.emplace_back([&] {
      double p[3] = {1, 0, 0};
      for (int i = 0; i < kEach; ++i) {
        for (;;) {
          try {
            pt.score_event(false, 'i', p, 3);
            break;
          } catch (const csoundpp::QueueFullError&) {
            std::this_thread::sleep_for(1ms);
          }
        }
      }
    });
  for (auto& th : ths) th.join();
  CHECK(pt.flush(kWait));
  // the events start at the next cycle boundary: render a few more cycles
  auto c = pt.cycles();
  while (pt.cycles() < c + 4) std::this_thread::sleep_for(1ms);
  CHECK_EQ(count_of(*cs), static_cast<double>(kThreads * kEach));
  pt.stop();
  pt.join(kWait);
}

TEST(score_events_queue_is_bounded_in_work_not_only_commands) {
  auto cs = make_csound();
  // 64 commands, but batches worth at most 3000 work units (batch_work(1000) = 1000 + 62*62)
  PerformanceThread pt(cs, 64, 3000);
  CHECK_EQ(pt.max_queued_work(), 3000u);
  CHECK_EQ(PerformanceThread::batch_work(1000), 1000u + 62u * 62u);
  auto rows = [](std::size_t n) {
    std::vector<double> v;
    for (std::size_t i = 0; i < n; ++i) v.insert(v.end(), {1.0, 0.0, 0.0});
    return v;
  };
  CHECK_THROWS(pt.score_events(false, 'i', rows(3000), 3), std::invalid_argument);  // could never fit
  std::atomic<bool> release{false};
  std::atomic<bool> inside{false};
  pt.request_callback([&](Csound&) {
    inside = true;
    while (!release.load()) std::this_thread::sleep_for(1ms);
  });
  while (!inside.load()) std::this_thread::sleep_for(1ms);
  pt.score_events(false, 'i', rows(500), 3);  // 500 + 31*31 = 1461 units
  CHECK_EQ(pt.queued_work(), 1461u);
  pt.score_events(false, 'i', rows(500), 3);  // 2922
  CHECK_THROWS(pt.score_events(false, 'i', rows(100), 3), csoundpp::QueueFullError);  // + 136 > 3000
  CHECK_EQ(pt.queued_work(), 2922u);  // the refused batch left nothing behind
  double one[3] = {1, 0, 0};
  pt.score_event(false, 'i', one, 3);  // single events are bounded by the capacity only
  release = true;
  pt.play();
  CHECK(pt.flush(kWait));
  CHECK_EQ(pt.queued_work(), 0u);
  pt.score_events(false, 'i', rows(100), 3);  // room again
  CHECK(pt.flush(kWait));
  auto c = pt.cycles();
  while (pt.cycles() < c + 4) std::this_thread::sleep_for(1ms);
  CHECK_EQ(count_of(*cs), 1101.0);
  pt.stop();
  pt.join(kWait);
}

TEST(score_events_batch_is_one_command_all_or_nothing) {
  auto cs = make_csound();
  PerformanceThread pt(cs, 8);
  constexpr std::size_t kRows = 1000;
  std::vector<double> batch;
  for (std::size_t i = 0; i < kRows; ++i) batch.insert(batch.end(), {1.0, 0.0, 0.0});
  // a NaN in the last value: rejected before anything is queued
  auto bad = batch;
  bad.back() = std::nan("");
  CHECK_THROWS(pt.score_events(false, 'i', bad.data(), kRows, 3), std::invalid_argument);
  CHECK_THROWS(pt.score_events(false, 'i', std::vector<double>(bad), 3), std::invalid_argument);
  CHECK_THROWS(pt.score_events(false, 'i', std::vector<double>{1, 0, 0, 1}, 3), std::invalid_argument);  // ragged
  CHECK_THROWS(pt.score_events(false, 'i', batch.data(), kRows, 0), std::invalid_argument);
  CHECK_THROWS(pt.score_events(false, 'Z', batch.data(), kRows, 3), std::invalid_argument);
  CHECK(pt.flush(kWait));
  CHECK_EQ(pt.commands_executed(), 1u);  // only the flush marker
  // full queue: QueueFullError, nothing of the batch queued
  std::atomic<bool> release{false};
  std::atomic<bool> inside{false};
  pt.request_callback([&](Csound&) {
    inside = true;
    while (!release.load()) std::this_thread::sleep_for(1ms);
  });
  while (!inside.load()) std::this_thread::sleep_for(1ms);
  double one[3] = {1, 0, 0};
  for (int i = 0; i < 8; ++i) pt.score_event(false, 'i', one, 3);
  CHECK_THROWS(pt.score_events(false, 'i', batch.data(), kRows, 3), csoundpp::QueueFullError);
  release = true;
  CHECK(pt.flush(kWait));
  pt.score_events(false, 'i', batch.data(), kRows, 3);  // copied
  pt.score_events(false, 'i', std::move(batch), 3);     // taken over
  CHECK(pt.flush(kWait));                                // executed while paused (events wait in Csound)
  const auto before = pt.commands_executed();
  pt.play();
  CHECK(pt.flush(kWait));
  // the flush marker is counted just after it wakes the flusher: give the counter a bounded moment
  for (int i = 0; i < 2000 && pt.commands_executed() - before < 2u; ++i) std::this_thread::sleep_for(1ms);
  CHECK_EQ(pt.commands_executed() - before, 2u);  // play + flush marker
  auto c = pt.cycles();
  while (pt.cycles() < c + 4) std::this_thread::sleep_for(1ms);
  CHECK_EQ(count_of(*cs), 8.0 + 2 * kRows);
  pt.stop();
  pt.join(kWait);
  CHECK_THROWS(pt.score_events(false, 'i', one, 1, 3), csoundpp::StateError);
}

TEST(eval_code_compile_orc_and_parse_errors) {
  auto cs = make_csound();
  PerformanceThread pt(cs);
  pt.play();
  CHECK_EQ(pt.eval_code("return 6*7", kWait), 42.0);
  pt.compile_orc("instr 10\n chnset 99, \"count\"\nendin\n");
  double p[3] = {10, 0, 0};
  pt.score_event(false, 'i', p, 3);
  CHECK(pt.flush(kWait));
  auto c = pt.cycles();
  while (pt.cycles() < c + 4) std::this_thread::sleep_for(1ms);
  CHECK_EQ(count_of(*cs), 99.0);
  CHECK_THROWS(pt.compile_orc("instr 11\n this is not csound\nendin\n"), csoundpp::CompileError);
  std::atomic<double> got{0};
  pt.eval_code_async("return 5", [&](double v) { got = v; });
  CHECK(pt.flush(kWait));
  CHECK_EQ(got.load(), 5.0);
  pt.stop();
  pt.join(kWait);
}

TEST(record_while_rendering_unpaced_is_lossless) {
  auto cs = make_csound("i2 0 2");
  const std::string path = "/tmp/csoundpp_ctest_record.wav";
  PerformanceThread pt(cs);
  CHECK(!pt.realtime_output());
  PerformanceThread::RecordOptions opts;
  opts.samplebits = 32;
  opts.numbufs = 2;
  pt.record(path, opts);
  CHECK(pt.recording());
  pt.play();
  CHECK(pt.join(kWait) > 0);
  CHECK(!pt.recording());
  CHECK_EQ(pt.record_overruns(), 0u);
  CHECK_EQ(pt.recorded_frames(), 96000u);
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  CHECK(f != nullptr);
  CHECK_EQ(info.frames, static_cast<sf_count_t>(96000));
  CHECK_EQ(info.samplerate, 48000);
  std::vector<double> data(96000);
  CHECK_EQ(sf_readf_double(f, data.data(), 96000), static_cast<sf_count_t>(96000));
  sf_close(f);
  // oscili(0.25, 440) from phase 0
  double maxerr = 0;
  for (int i = 0; i < 96000; ++i) maxerr = std::max(maxerr, std::abs(data[i] - 0.25 * std::sin(2 * M_PI * 440 * i / 48000.0)));
  CHECK(maxerr < 1e-3);  // table lookup + float32
  std::remove(path.c_str());
}

TEST(stop_record_in_every_order_never_hangs) {
  const std::string path = "/tmp/csoundpp_ctest_cycle.wav";
  for (int round = 0; round < 30; ++round) {
    auto cs = make_csound("i2 0 3600");
    PerformanceThread pt(cs);
    PerformanceThread::RecordOptions opts;
    pt.record(path, opts);
    if (round % 2) pt.play();
    switch (round % 3) {
      case 0: pt.stop_record(); pt.stop(); break;
      case 1: pt.stop(); pt.stop_record(); break;
      case 2: pt.stop(); break;
    }
    CHECK(pt.join(kWait) > 0);
    pt.stop_record();
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    CHECK(f != nullptr);
    sf_close(f);
  }
  std::remove(path.c_str());
}

CSOUNDPP_TEST_MAIN()
