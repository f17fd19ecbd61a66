// Recorder without Csound: lossless mode keeps every sample even with a tiny
// ring and an unpaced producer; real-time mode counts what it drops.
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <sndfile.h>

#include "csoundpp/recorder.hpp"
#include "testing.hpp"

using csoundpp::Recorder;

namespace {
std::vector<double> read_all(const std::string& path, SF_INFO* info) {
  *info = SF_INFO{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, info);
  if (!f) throw std::runtime_error("cannot open " + path + ": " + sf_strerror(nullptr));
  std::vector<double> out(static_cast<std::size_t>(info->frames * info->channels));
  sf_readf_double(f, out.data(), info->frames);
  sf_close(f);
  return out;
}
}  // namespace

TEST(lossless_float_file_equals_input_scaled_by_0dbfs) {
  const std::string path = "/tmp/csoundpp_rec_lossless.wav";
  Recorder::Spec spec;
  spec.path = path;
  spec.samplebits = 32;
  spec.numbufs = 2;
  spec.nchnls = 2;
  spec.block_frames = 64;
  spec.zero_dbfs = 32768;
  spec.lossless = true;
  const int blocks = 5000;  // 320000 frames: many times the ring
  {
    Recorder rec(spec);
    std::vector<double> block(64 * 2);
    for (int b = 0; b < blocks; ++b) {
      for (int i = 0; i < 64; ++i) {
        long n = static_cast<long>(b) * 64 + i;
        block[2 * i] = 16384.0 * std::sin(n * 0.01);
        block[2 * i + 1] = -8192.0;
      }
      rec.write(block.data(), 64);
    }
    rec.finish();
    CHECK_EQ(rec.overruns(), 0u);
    CHECK_EQ(rec.frames_written(), static_cast<std::uint64_t>(blocks) * 64);
    CHECK(rec.error().empty());
  }
  SF_INFO info;
  auto data = read_all(path, &info);
  CHECK_EQ(info.frames, static_cast<sf_count_t>(blocks) * 64);
  CHECK_EQ(info.channels, 2);
  CHECK_EQ(info.format, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  double maxerr = 0;
  for (long n = 0; n < info.frames; ++n) {
    maxerr = std::max(maxerr, std::abs(data[2 * n] - 0.5 * std::sin(n * 0.01)));
    maxerr = std::max(maxerr, std::abs(data[2 * n + 1] + 0.25));
  }
  CHECK(maxerr < 1e-7);  // float32 precision
  std::remove(path.c_str());
}

TEST(realtime_mode_counts_overruns_and_never_waits) {
  const std::string path = "/tmp/csoundpp_rec_rt.wav";
  Recorder::Spec spec;
  spec.path = path;
  spec.numbufs = 2;
  spec.block_frames = 32;
  spec.lossless = false;
  Recorder rec(spec);
  std::vector<double> block(32, 0.1);
  const int blocks = 200000;
  for (int b = 0; b < blocks; ++b) rec.write(block.data(), 32);
  rec.finish();
  CHECK(rec.overruns() > 0);
  CHECK_EQ(rec.frames_written() + rec.overruns() * 32, static_cast<std::uint64_t>(blocks) * 32);
  SF_INFO info;
  read_all(path, &info);
  CHECK_EQ(static_cast<std::uint64_t>(info.frames), rec.frames_written());
  std::remove(path.c_str());
}

TEST(formats_from_extension) {
  CHECK_EQ(Recorder::format_for("a.wav", 16), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  CHECK_EQ(Recorder::format_for("a.AIFF", 24), SF_FORMAT_AIFF | SF_FORMAT_PCM_24);
  CHECK_EQ(Recorder::format_for("x/a.aif", 32), SF_FORMAT_AIFF | SF_FORMAT_FLOAT);
  CHECK_EQ(Recorder::format_for("a.flac", 16), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  CHECK_EQ(Recorder::format_for("a.ogg", 16), SF_FORMAT_OGG | SF_FORMAT_VORBIS);
  CHECK_THROWS(Recorder::format_for("a.mp9", 16), std::invalid_argument);
  CHECK_THROWS(Recorder::format_for("dir.wav/noext", 16), std::invalid_argument);
  CHECK_THROWS(Recorder::format_for("a.wav", 12), std::invalid_argument);
  CHECK_THROWS(Recorder::format_for("a.flac", 32), std::invalid_argument);
}

TEST(each_format_writes_a_readable_file) {
  for (const char* ext : {"wav", "aiff", "flac", "ogg"}) {
    const std::string path = std::string("/tmp/csoundpp_rec_fmt.") + ext;
    Recorder::Spec spec;
    spec.path = path;
    spec.samplebits = 24;
    spec.block_frames = 100;
    {
      Recorder rec(spec);
      std::vector<double> block(100);
      for (int b = 0; b < 480; ++b) {
        for (int i = 0; i < 100; ++i) block[i] = 0.5 * std::sin((b * 100 + i) * 2 * M_PI * 440 / 48000.0);
        rec.write(block.data(), 100);
      }
    }  // destructor finishes
    SF_INFO info;
    auto data = read_all(path, &info);
    CHECK_EQ(info.frames, static_cast<sf_count_t>(48000));
    double peak = 0;
    for (double v : data) peak = std::max(peak, std::abs(v));
    CHECK(peak > 0.45 && peak < 0.55);
    std::remove(path.c_str());
  }
}

TEST(unwritable_path_raises) {
  Recorder::Spec spec;
  spec.path = "/nonexistent-dir/x.wav";
  bool threw = false;
  try {
    Recorder rec(spec);
  } catch (const std::exception&) {
    threw = true;
  }
  CHECK(threw);
}

CSOUNDPP_TEST_MAIN()
