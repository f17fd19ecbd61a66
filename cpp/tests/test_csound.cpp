// csoundpp::Csound against a real libcsound: the longjmp guard, reset/destroy with
// shared engines (what keeps numpy views valid), options, events and their checks,
// channels, tables, trees, host callbacks, and the checked handles.
#include <atomic>
#include <cmath>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "csoundpp/csound.hpp"
#include "csoundpp/events.hpp"
#include "csoundpp/handles.hpp"
#include "testing.hpp"

#include <dirent.h>
#include <link.h>

#include <csound/version.h>

using csoundpp::Csound;
using csoundpp::StateError;

#if CS_VERSION < 7  // these tests use Csound 6 calls (CsOptions jump, named GENs, host callbacks...); on Csound 7 this binary has no tests yet
namespace {
const char* kOrc = R"(
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  a1 oscili p4, p5
  outs a1, a1
  chnset p4, "amp"
endin
)";

std::shared_ptr<Csound> started() {
  auto cs = std::make_shared<Csound>();
  cs->set_options("-n -d -m0");
  CHECK_EQ(cs->compile_orc(kOrc, false), 0);
  CHECK_EQ(cs->start(), 0);
  return cs;
}
}  // namespace

TEST(guard_turns_a_fatal_error_into_a_status_and_reset_recovers) {
  Csound cs;
  std::string csd = std::string("<CsoundSynthesizer>\n<CsOptions>-d -m0 -W -o/dev/null</CsOptions>\n<CsInstruments>") +
                    kOrc + "</CsInstruments>\n<CsScore>\ni 1 0 1 0.1 440\n</CsScore>\n</CsoundSynthesizer>";
  CHECK_EQ(cs.compile_csd_text(csd), CSOUND_ERROR);  // libcsound longjmps out of this call
  CHECK_THROWS(cs.start(), StateError);
  cs.reset();
  cs.set_options("-n -d -m0");
  CHECK_EQ(cs.compile_orc(kOrc, false), 0);
  CHECK_EQ(cs.start(), 0);
  CHECK_EQ(cs.perform_ksmps(), 0);
}

TEST(compile_tree_goes_through_the_guard_and_checks_its_tree) {
  auto cs = started();
  auto tree = cs->parse_tree("instr 2\n  k1 = 1\nendin\n");
  CHECK(tree != nullptr);
  CHECK_EQ(cs->compile_tree(*tree, false), 0);
  CHECK(cs->parse_tree("instr 3\n this is not csound\n") == nullptr);
  CHECK(!cs->last_errors().empty());
  auto other = started();
  auto foreign = other->parse_tree("instr 4\nendin\n");
  CHECK_THROWS(cs->compile_tree(*foreign, false), std::invalid_argument);
  foreign->release();
  CHECK_THROWS(other->compile_tree(*foreign, false), std::invalid_argument);
}

TEST(reset_with_a_shared_engine_detaches_it) {
  auto cs = started();
  auto engine = cs->engine();  // what a numpy view holds
  auto spout = cs->spout();
  CSOUND* before = cs->native();
  auto gen = cs->generation();
  cs->reset();
  CHECK(cs->native() != before);       // a fresh instance
  CHECK(engine->get() == before);      // the old one stays alive for the view
  CHECK(spout.data() != nullptr);
  spout[0] = 1.0;                      // still valid memory
  CHECK(cs->generation() > gen);
  engine.reset();                      // last holder: now it is destroyed
  cs->set_options("-n -d -m0");
  CHECK_EQ(cs->compile_orc(kOrc, false), 0);
  CHECK_EQ(cs->start(), 0);
}

TEST(reset_without_sharing_is_in_place_and_destroy_is_idempotent) {
  auto cs = started();
  CSOUND* before = cs->native();
  cs->reset();
  CHECK(cs->native() == before);
  cs->destroy();
  cs->destroy();
  CHECK(cs->destroyed());
  CHECK_THROWS(cs->native(), StateError);
  CHECK_THROWS(cs->ksmps(), StateError);
}

TEST(options_split_as_a_shell_does) {
  auto v = Csound::split_options("-n  -d '--env:SSDIR=/a b' \"-+x=\\\"q\\\"\" a\\ b");
  CHECK_EQ(v.size(), 5u);
  CHECK(v[0] == "-n");
  CHECK(v[2] == "--env:SSDIR=/a b");
  CHECK(v[3] == "-+x=\"q\"");
  CHECK(v[4] == "a b");
  CHECK_THROWS(Csound::split_options("-n 'open"), std::invalid_argument);
  Csound cs;
  CHECK_THROWS(cs.set_options("   "), std::invalid_argument);
}

TEST(events_are_checked_before_libcsound_sees_them) {
  auto cs = started();
  const double nan_p[] = {1, 0, 1, NAN, 440};
  CHECK_THROWS(cs->score_event('i', nan_p, 5, false, false), std::invalid_argument);
  const double ok[] = {1, 0, 0.1, 0.25, 440};
  CHECK_THROWS(cs->score_event('Z', ok, 5, false, false), std::invalid_argument);
  CHECK_THROWS(cs->score_event_absolute('i', ok, 5, INFINITY), std::invalid_argument);
  CHECK_THROWS(cs->set_score_offset_seconds(-1), std::invalid_argument);
  CHECK_EQ(csoundpp::events::letter_of(csoundpp::events::Table), 'f');
  CHECK_THROWS(csoundpp::events::letter_of(7), std::invalid_argument);
  CHECK_EQ(cs->score_event('i', ok, 5, false, false), 0);
  CHECK_EQ(cs->score_event_absolute_async('i', ok, 5, 0.0), 0);
  for (int i = 0; i < 10; ++i) cs->perform_ksmps();
  int err = -1;
  CHECK_EQ(cs->control_channel("amp", &err), 0.25);
}

TEST(channels_tables_and_buffers) {
  auto cs = started();
  cs->set_control_channel("k", 3.5);
  int err = -1;
  CHECK_EQ(cs->control_channel("k", &err), 3.5);
  CHECK_EQ(cs->channel_type("k") & CSOUND_CHANNEL_TYPE_MASK, CSOUND_CONTROL_CHANNEL);
  CHECK_THROWS(cs->set_string_channel("k", "text"), csoundpp::CsoundError);  // another type
  cs->set_string_channel("s", "hello");
  CHECK(cs->string_channel("s") == "hello");
  void* sp = cs->channel_ptr("s", CSOUND_STRING_CHANNEL, &err);
  CHECK(cs->string_channel_at(sp) == "s");
  CHECK_EQ(Csound::channel_type_from("audio", "w"), CSOUND_AUDIO_CHANNEL | CSOUND_OUTPUT_CHANNEL);
  csoundpp::ChannelHints h;
  h.behav = 1;
  h.max = 2;
  CHECK_EQ(cs->set_control_channel_hints("k", h), 0);
  csoundpp::ChannelHints back;
  CHECK_EQ(cs->control_channel_hints("k", back), 0);
  CHECK_EQ(back.max, 2.0);
  bool found = false;
  for (const auto& c : cs->list_channels()) found = found || c.name == "k";
  CHECK(found);
  const double f[] = {7, 0, 8, -2, 10, 20, 30, 40, 50, 60, 70, 80};
  CHECK_EQ(cs->score_event('f', f, 12, false, false), 0);
  cs->perform_ksmps();
  auto t = cs->table(7);
  CHECK_EQ(t.size(), 8u);
  CHECK_EQ(t[2], 30.0);
  CHECK_THROWS(cs->table_get(7, 8), std::out_of_range);
  CHECK(cs->table(99).empty());
  CHECK_EQ(cs->spout().size(), 64u);
  CHECK_THROWS(cs->spout_sample(32, 0), std::out_of_range);
  CHECK_EQ(cs->instr_number("nosuch"), -1);
}

TEST(handles_are_checked) {
  auto cs = started();
  csoundpp::CircularBuffer b(cs, 16, 0);
  double in[4] = {1, 2, 3, 4}, out[4] = {};
  CHECK_EQ(b.write(*cs, in, 4), 4);
  CHECK_EQ(b.peek(*cs, out, 4), 4);
  CHECK_EQ(b.read(*cs, out, 4), 4);
  CHECK_EQ(out[3], 4.0);
  auto other = started();
  CHECK_THROWS(b.read(*other, out, 1), std::invalid_argument);
  b.destroy(*cs);
  b.destroy(*cs);
  CHECK_THROWS(b.read(*cs, out, 1), StateError);
  csoundpp::CircularBuffer c(cs, 8, 0);
  cs->reset();
  CHECK_THROWS(c.read(*cs, out, 1), StateError);  // its memory went with the old engine

  auto lock = csoundpp::SpinLock::standalone();
  CHECK_EQ(csoundpp::SpinLock::init(lock.get()), CSOUND_SUCCESS);
  CHECK_EQ(csoundpp::SpinLock::try_lock(lock.get()), CSOUND_SUCCESS);
  CHECK(csoundpp::SpinLock::try_lock(lock.get()) != CSOUND_SUCCESS);
  csoundpp::SpinLock::unlock(lock.get());

  std::atomic<int> ran{0};
  auto t = csoundpp::Thread::start([&ran] {
    ran = 1;
    return std::uintptr_t{42};
  });
  CHECK(t.has_value());
  CHECK_EQ(t->join(), 42u);
  CHECK_EQ(t->join(), 42u);
  CHECK_EQ(ran.load(), 1);

  auto tl = csoundpp::ThreadLock::create();
  CHECK(tl.has_value());
  tl->wait(0);                    // initially notified: consumes it
  CHECK(tl->wait(10) != 0);       // now it times out
  tl->notify();
  CHECK_EQ(tl->wait(1000), 0);
  tl->destroy();
  CHECK_THROWS(tl->notify(), StateError);
  auto mx = csoundpp::Mutex::create(false);
  CHECK_EQ(mx->try_lock(), 0);
  mx->unlock();
  mx->destroy();
  CHECK_THROWS(mx->lock(), StateError);
  CHECK_THROWS(csoundpp::Barrier::create(0), std::invalid_argument);
}

TEST(host_callbacks_reach_std_functions) {
  auto cs = std::make_shared<Csound>();
  cs->set_options("-n -d -m0");
  std::atomic<int> opened{0}, yields{0}, senses{0};
  cs->hooks().file_open.set([&](CSOUND*, const char*, int, int, int) { ++opened; });
  cs->hooks().yield.set([&](CSOUND*) {
    ++yields;
    return 1;
  });
  CHECK_EQ(cs->compile_orc(kOrc, false), 0);
  CHECK_EQ(cs->start(), 0);
  CHECK(cs->hooks().add_sense_event([&](CSOUND*) { ++senses; }) == 0);
  int token = 0;
  CHECK_EQ(cs->hooks().add_keyboard([](void* p, unsigned) {
    if (p) *static_cast<int*>(p) = 'x';
    return 0;
  }, 0, &token), 0);
  for (int i = 0; i < 5; ++i) cs->perform_ksmps();
  CHECK(senses.load() >= 5);
  cs->hooks().remove_keyboard(token);
  cs->hooks().yield.set({});
  CHECK(!cs->hooks().yield);
  (void)opened;
}


// -j 2: libcsound 6.18's csoundReset/csoundDestroy leave the k-cycle worker thread running on the
// reset or freed struct (it later calls pthread_barrier_wait(NULL)); reset() and destroy() end
// and join it first (cpp/src/worker_threads.cpp). Counted in /proc/self/task.
namespace {
std::size_t task_count() {
  std::size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
  }
  return n;
}
std::shared_ptr<Csound> performing_with_two_threads() {
  auto cs = std::make_shared<Csound>();
  cs->set_options("-n -d -m0 -j2");
  CHECK_EQ(cs->compile_orc(kOrc, false), 0);
  CHECK_EQ(cs->start(), 0);
  CHECK_EQ(cs->read_score("i1 0 1 0.1 440\ni1 0 1 0.1 550\ni1 0 1 0.1 660\n", false), 0);
  for (int k = 0; k < 50; ++k) CHECK_EQ(cs->perform_ksmps(), 0);
  return cs;
}
}  // namespace

TEST(j2_reset_and_destroy_leave_no_worker_thread) {
  const std::size_t base = task_count();
  for (int round = 0; round < 5; ++round) {
    auto cs = performing_with_two_threads();
    CHECK(task_count() > base);  // the worker
    if (round % 2) {
      cs->reset();
      CHECK_EQ(task_count(), base);
    }
    cs->destroy();
    CHECK_EQ(task_count(), base);
  }
}
#endif  // CS_VERSION < 7

namespace {
unsigned long long objects_ever_loaded() {
  unsigned long long adds = 0;
  dl_iterate_phdr([](dl_phdr_info* info, std::size_t, void* data) {
    *static_cast<unsigned long long*>(data) = info->dlpi_adds;
    return 1;
  }, &adds);
  return adds;
}
std::size_t objects_resident() {
  std::size_t n = 0;
  dl_iterate_phdr([](dl_phdr_info*, std::size_t, void* data) {
    ++*static_cast<std::size_t*>(data);
    return 0;
  }, &n);
  return n;
}
}  // namespace

TEST(plugins_loaded_by_an_instance_stay_loaded_for_the_next) {
  // The first instance loads libcsound's plugins (and their libraries) and they stay: a
  // destroyed instance unloads nothing, and the next one loads nothing new.
  // (Csound 6 loads them in csoundCreate, Csound 7 at the first compile.)
  const char* orc = "instr 1\nendin\n";
  auto cycle = [&] {
    Csound cs;
    cs.set_options("-n -d -m0");
    CHECK_EQ(cs.compile_orc(orc, false), 0);
    CHECK_EQ(cs.start(), 0);
    cs.destroy();
  };
  cycle();
  const auto adds = objects_ever_loaded();
  const auto resident = objects_resident();
  CHECK(resident > 20);  // the plugins are there
  for (int i = 0; i < 3; ++i) {
    cycle();
    CHECK_EQ(objects_ever_loaded(), adds);
    CHECK_EQ(objects_resident(), resident);
  }
}

CSOUNDPP_TEST_MAIN()
