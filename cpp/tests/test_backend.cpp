// The calls whose libcsound implementation differs between Csound 6 and Csound 7 (cpp/src/capi.hpp
// and backend.cpp), checked against whichever Csound this build uses: the same expectations hold
// on both, so the emulations on Csound 7 behave as the Csound 6 calls do.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <unistd.h>

#include <sndfile.h>

#include "csoundpp/backend.hpp"
#include "csoundpp/csound.hpp"
#include "csoundpp/errors.hpp"
#include "testing.hpp"

using csoundpp::Csound;

namespace {

const char* kOrc = R"(
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  chnset p4, "last"
endin
instr 2
  a1 = p4
  outs a1, a1
endin
instr 3
  itim times
  chnset itim, "start3"
endin
)";

void quiet(Csound& cs) {
  cs.set_option("-n");
  cs.set_option("-d");
  cs.set_option("-m0");
}

void started(Csound& cs) {
  quiet(cs);
  CHECK_EQ(cs.compile_orc(kOrc, false), 0);
  CHECK_EQ(cs.start(), 0);
}

int err = 0;

}  // namespace

TEST(version_matches_library) {
  auto v = csoundpp::csound_build_version();
  CHECK(v.major == 6 || v.major == 7);
  // csoundGetVersion: 6180 for 6.18.x, 7000 for 7.0.0 -- the loaded library is the one built against
  CHECK_EQ(csoundpp::csound_library_version() / 1000, v.major);
}

TEST(feature_table_and_require) {
  auto v = csoundpp::csound_build_version();
  bool any_unavailable = false;
  for (const auto& f : csoundpp::backend_features()) {
    CHECK(f.name && *f.name && f.note && *f.note);
    CHECK(csoundpp::backend_feature(f.name) == &f);
    if (f.support == csoundpp::Support::Unavailable) {
      any_unavailable = true;
      try {
        csoundpp::require_feature(f.name);
        CHECK(false);
      } catch (const csoundpp::CsoundError& e) {
        std::string what = e.what();
        CHECK(what.find("Csound " + std::to_string(v.major)) != std::string::npos);
        CHECK(what.find(f.name) != std::string::npos);
      }
    } else {
      csoundpp::require_feature(f.name);  // does not throw
    }
  }
  CHECK_EQ(any_unavailable, v.major >= 7);
  csoundpp::require_feature("compileOrc");  // not in the table: the same on both
}

TEST(score_event_relative_and_absolute) {
  Csound cs;
  started(cs);
  double p[4] = {1, 0, 0.1, 42};
  CHECK_EQ(cs.score_event('i', p, 4, false, false), 0);
  cs.perform_ksmps();
  cs.perform_ksmps();
  CHECK_EQ(cs.control_channel("last", &err), 42.0);
  // advance 0.5 s, then an absolute event at t = 0.75 s starts 0.25 s from now
  for (int i = 0; i < 750; ++i) cs.perform_ksmps();
  double a[3] = {3, 0.75, 0.01};
  CHECK_EQ(cs.score_event('i', a, 3, true, false), 0);
  for (int i = 0; i < 1000; ++i) cs.perform_ksmps();
  double t = cs.control_channel("start3", &err);
  CHECK(std::fabs(t - 0.75) < 0.002);
  // an absolute event in the past: starts now with what is left of p3 (0.5 + 1.0 - now)
  double past[4] = {1, 0.5, 10.0, 7};
  CHECK_EQ(cs.score_event('i', past, 4, true, false), 0);
  cs.perform_ksmps();
  cs.perform_ksmps();
  CHECK_EQ(cs.control_channel("last", &err), 7.0);
}

TEST(async_events_and_input_message) {
  Csound cs;
  started(cs);
  double p[4] = {1, 0, 0.1, 5};
  cs.score_event('i', p, 4, false, true);
  for (int i = 0; i < 4; ++i) cs.perform_ksmps();
  CHECK_EQ(cs.control_channel("last", &err), 5.0);
  cs.input_message("i 1 0 0.1 6\n", false);
  for (int i = 0; i < 3; ++i) cs.perform_ksmps();
  CHECK_EQ(cs.control_channel("last", &err), 6.0);
  cs.input_message("i 1 0 0.1 8\n", true);
  for (int i = 0; i < 4; ++i) cs.perform_ksmps();
  CHECK_EQ(cs.control_channel("last", &err), 8.0);
  CHECK_EQ(cs.read_score("i 1 0 0.1 9\n", false), 0);
  for (int i = 0; i < 4; ++i) cs.perform_ksmps();
  CHECK_EQ(cs.control_channel("last", &err), 9.0);
}

TEST(read_score_before_start_is_the_score) {
  Csound cs;
  quiet(cs);
  CHECK_EQ(cs.compile_orc(kOrc, false), 0);
  CHECK_EQ(cs.read_score("i 1 0.1 0.1 3\n", false), 0);
  CHECK_EQ(cs.start(), 0);
  int n = 0;
  while (cs.perform_ksmps() == 0) ++n;  // the score ends after instr 1 ends
  CHECK(n >= 300 && n < 2000);
  CHECK_EQ(cs.control_channel("last", &err), 3.0);
}

TEST(kill_instance_turns_off_a_held_note) {
  Csound cs;
  started(cs);
  double p[4] = {2, 0, -1, 0.5};  // held indefinitely
  cs.score_event('i', p, 4, false, false);
  for (int i = 0; i < 3; ++i) cs.perform_ksmps();
  std::size_t n = 0;
  (void)n;
  CHECK_EQ(cs.kill_instance(2, nullptr, 0, false), 0);
  for (int i = 0; i < 3; ++i) cs.perform_ksmps();
  CHECK_EQ(cs.control_channel("last", &err), 0.0);
  double buf[32 * 2 * 4];
  bool finished = false;
  cs.render_cycles(buf, 4, &finished);
  for (double x : buf) CHECK_EQ(x, 0.0);
}

TEST(tables_get_set_copy) {
  Csound cs;
  started(cs);
  cs.read_score("f 1 0 8 -2 0 1 2 3 4 5 6 7\n", false);
  cs.perform_ksmps();
  CHECK_EQ(cs.table_length(1), 8);
  CHECK_EQ(cs.table_get(1, 3), 3.0);
  cs.table_set(1, 3, -3.5);
  CHECK_EQ(cs.table_get(1, 3), -3.5);
  std::vector<double> out(8);
  cs.table_copy_out(1, out.data(), out.size(), false);
  CHECK_EQ(out[3], -3.5);
  CHECK_EQ(out[7], 7.0);
  std::vector<double> in = {9, 8, 7, 6, 5, 4, 3, 2};
  cs.table_copy_in(1, in.data(), in.size(), false);
  CHECK_EQ(cs.table_get(1, 0), 9.0);
  CHECK_EQ(cs.table_get(1, 7), 2.0);
  CHECK_THROWS(cs.table_get(1, 8), std::out_of_range);
  CHECK_THROWS(cs.table_get(99, 0), csoundpp::CsoundError);
}

TEST(perform_buffer_fills_the_output_buffer) {
  char path[] = "/tmp/csoundpp-backend-XXXXXX.wav";
  close(mkstemps(path, 4));
  Csound cs;
  cs.set_option("-d");
  cs.set_option("-m0");
  cs.set_option("-W");
  cs.set_option(std::string("-o") + path);
  cs.set_option("-b256");
  CHECK_EQ(cs.compile_orc(kOrc, false), 0);
  CHECK_EQ(cs.start(), 0);
  double p[4] = {2, 0, 1, 0.25};
  cs.score_event('i', p, 4, false, false);
  std::size_t n = 0;
  CHECK_EQ(cs.perform_buffer(), 0);
  double* out = cs.output_buffer(&n);
  CHECK_EQ(n, std::size_t{512});  // -b256 frames x 2 channels
  int same = 0;
  for (std::size_t i = 0; i < n; ++i) same += std::fabs(out[i] - out[0]) < 1e-12 && out[i] != 0.0;
  CHECK_EQ(same, 512);
  cs.destroy();
  unlink(path);
}

TEST(compile_args_then_start_and_compile_and_start) {
  char tmpl[] = "/tmp/csoundpp-backend-XXXXXX.orc";
  int fd = mkstemps(tmpl, 4);
  CHECK(fd >= 0);
  CHECK(write(fd, kOrc, std::strlen(kOrc)) > 0);
  close(fd);
  {
    Csound cs;
    CHECK_EQ(cs.compile_args({"csound", "-n", "-d", "-m0", "--orc", tmpl}, false), 0);
    CHECK(!cs.started());
    CHECK_EQ(cs.start(), 0);
    CHECK_EQ(cs.perform_ksmps(), 0);
  }
  {
    Csound cs;
    CHECK_EQ(cs.compile_args({"csound", "-n", "-d", "-m0", "--orc", tmpl}, true), 0);
    CHECK(cs.started());
    CHECK_EQ(cs.perform_ksmps(), 0);
  }
  unlink(tmpl);
}

TEST(fatal_csoptions_error_does_not_crash) {
  Csound cs;
  const std::string bad = std::string("<CsoundSynthesizer>\n<CsOptions>-d -m0 -W -o/dev/null</CsOptions>\n") +
                          "<CsInstruments>" + kOrc + "</CsInstruments>\n<CsScore>\ni 1 0 1 1\n</CsScore>\n" +
                          "</CsoundSynthesizer>\n";
  CHECK_EQ(cs.compile_csd_text(bad), CSOUND_ERROR);
  cs.reset();
  started(cs);
  CHECK_EQ(cs.perform_ksmps(), 0);
}

TEST(cleanup_completes_the_output_file) {
  char path[] = "/tmp/csoundpp-backend-XXXXXX.wav";
  int fd = mkstemps(path, 4);
  close(fd);
  Csound cs;
  cs.set_option("-d");
  cs.set_option("-m0");
  cs.set_option("-W");
  cs.set_option(std::string("-o") + path);
  CHECK_EQ(cs.compile_orc(kOrc, false), 0);
  CHECK_EQ(cs.start(), 0);
  double p[4] = {2, 0, 0.1, 0.5};
  cs.score_event('i', p, 4, false, false);
  for (int i = 0; i < 150; ++i) cs.perform_ksmps();
  CHECK_EQ(cs.cleanup(), 0);
  SF_INFO info{};
  SNDFILE* f = sf_open(path, SFM_READ, &info);
  CHECK(f != nullptr);
  CHECK_EQ(info.channels, 2);
  CHECK_EQ(info.frames, static_cast<sf_count_t>(150 * 32));
  sf_close(f);
  unlink(path);
}

TEST(string_channel_round_trip) {
  Csound cs;
  started(cs);
  cs.set_string_channel("s", "hello csound");
  CHECK_EQ(cs.string_channel("s"), std::string("hello csound"));
}

CSOUNDPP_TEST_MAIN()
