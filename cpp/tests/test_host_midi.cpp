// HostMidi against a real libcsound: bytes pushed by the host reach Csound's MIDI input
// (a note-on starts an instrument), Csound's MIDI output comes back through pop(), whole
// messages only, and a full output ring drops and counts instead of blocking.
#include <cstdint>
#include <memory>
#include <vector>

#include "csoundpp/csound.hpp"
#include "csoundpp/host_midi.hpp"
#include "testing.hpp"

#include <csound/version.h>

using csoundpp::ByteRing;
using csoundpp::Csound;
using csoundpp::HostMidi;

#if CS_VERSION < 7  // host MIDI through the external MIDI callbacks of Csound 6; on Csound 7 this binary has no tests yet
namespace {
const char* kOrc = R"(
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
massign 0, 1
instr 1
  chnset notnum(), "note"
  out oscili(0.1, 440)
endin
instr 2
  midiout 144, 1, 60, 100
  turnoff
endin
)";

std::shared_ptr<Csound> started(HostMidi& midi) {
  auto cs = std::make_shared<Csound>();
  cs->set_options("-n -d");
  midi.attach(cs->native());
  CHECK_EQ(cs->compile_orc(kOrc, false), 0);
  CHECK_EQ(cs->start(), 0);
  return cs;
}
}  // namespace

TEST(byte_ring_keeps_order_and_capacity) {
  ByteRing r(8);
  std::uint8_t in[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::size_t w = r.push(in, 10);
  CHECK(w <= r.capacity());
  std::uint8_t out[10] = {};
  std::size_t n = r.pop(out, 10);
  CHECK_EQ(n, w);
  for (std::size_t i = 0; i < n; ++i) CHECK_EQ(out[i], in[i]);
  CHECK_EQ(r.size(), 0u);
}

TEST(pushed_note_on_starts_an_instrument) {
  HostMidi midi(1024);
  auto cs = started(midi);
  const std::uint8_t on[] = {0x90, 64, 100};
  CHECK(midi.push(on, sizeof on));
  for (int i = 0; i < 20; ++i) cs->perform_ksmps();
  int err = -1;
  CHECK_EQ(cs->control_channel("note", &err), 64.0);
  CHECK_EQ(err, 0);
  CHECK(midi.input_open());
  midi.detach();
}

TEST(midi_output_comes_back_through_pop) {
  HostMidi midi(1024);
  auto cs = started(midi);
  const double p[] = {2, 0, 0.1};
  cs->score_event('i', p, 3, false, false);
  for (int i = 0; i < 20; ++i) cs->perform_ksmps();
  std::vector<std::uint8_t> out(64);
  std::size_t n = midi.pop(out.data(), out.size());
  CHECK(n >= 3);
  CHECK_EQ(out[0], 0x90);
  CHECK_EQ(out[1], 60);
  CHECK_EQ(out[2], 100);
  midi.detach();
}

TEST(push_is_all_or_nothing) {
  HostMidi midi(4);
  const std::uint8_t msg[] = {0x90, 60, 100};
  CHECK(midi.push(msg, 3));
  CHECK(!midi.push(msg, 3));  // only 1 byte left: nothing written
  CHECK_EQ(midi.pending_input(), 3u);
}

TEST(attach_to_null_throws) {
  HostMidi midi;
  CHECK_THROWS(midi.attach(nullptr), csoundpp::CsoundError);
}

#endif  // CS_VERSION < 7

CSOUNDPP_TEST_MAIN()
