#include "csoundpp/recorder.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

#include "csoundpp/errors.hpp"

namespace csoundpp {

namespace {
std::string lower_extension(const std::string& path) {
  auto slash = path.find_last_of("/\\");
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}
}  // namespace

int Recorder::format_for(const std::string& path, int samplebits) {
  const std::string ext = lower_extension(path);
  int major;
  if (ext == "wav" || ext == "wave") {
    major = SF_FORMAT_WAV;
  } else if (ext == "aif" || ext == "aiff") {
    major = SF_FORMAT_AIFF;
  } else if (ext == "flac") {
    major = SF_FORMAT_FLAC;
  } else if (ext == "ogg" || ext == "oga") {
    return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  } else {
    throw std::invalid_argument("cannot tell the sound file format from '" + path +
                                "': use a .wav, .aif/.aiff, .flac or .ogg extension");
  }
  int sub;
  switch (samplebits) {
    case 16: sub = SF_FORMAT_PCM_16; break;
    case 24: sub = SF_FORMAT_PCM_24; break;
    case 32: sub = SF_FORMAT_FLOAT; break;
    default:
      throw std::invalid_argument("samplebits must be 16, 24 or 32 (float), not " + std::to_string(samplebits));
  }
  if (major == SF_FORMAT_FLAC && sub == SF_FORMAT_FLOAT)
    throw std::invalid_argument("FLAC cannot hold 32-bit float samples: use samplebits=16 or 24");
  return major | sub;
}

Recorder::Recorder(const Spec& spec) : spec_(spec) {
  if (spec_.nchnls < 1) throw std::invalid_argument("recording needs at least one channel");
  if (spec_.block_frames < 1) throw std::invalid_argument("block size must be positive");
  if (!(spec_.zero_dbfs > 0)) throw std::invalid_argument("0dBFS must be positive");
  SF_INFO info{};
  info.samplerate = static_cast<int>(spec_.sr + 0.5);
  info.channels = spec_.nchnls;
  info.format = format_for(spec_.path, spec_.samplebits);
  if (!sf_format_check(&info))
    throw std::invalid_argument("libsndfile cannot write this format/sample size/channel count combination");
  SNDFILE* f = sf_open(spec_.path.c_str(), SFM_WRITE, &info);
  if (!f) throw CsoundError("cannot open '" + spec_.path + "' for recording: " + sf_strerror(nullptr));
  if ((info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_FLOAT && (info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_VORBIS)
    sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);  // clip instead of wrapping around
  file_ = f;

  const std::size_t numbufs = static_cast<std::size_t>(std::max(spec_.numbufs, 2));
  const std::size_t block = static_cast<std::size_t>(std::max(spec_.block_frames, 1024));
  std::size_t want = numbufs * block * static_cast<std::size_t>(spec_.nchnls);
  capacity_ = 1;
  while (capacity_ < want) capacity_ <<= 1;
  mask_ = capacity_ - 1;
  ring_ = std::make_unique<double[]>(capacity_);
  try {
    writer_ = std::thread([this] { run(); });
  } catch (...) {
    sf_close(f);
    file_ = nullptr;
    throw;
  }
}

Recorder::~Recorder() {
  try {
    finish();
  } catch (...) {
  }
}

void Recorder::write(const double* spout, std::size_t frames) noexcept {
  if (stop_.load(std::memory_order_acquire)) return;
  const std::size_t n = frames * static_cast<std::size_t>(spec_.nchnls);
  if (n > capacity_) {  // cannot happen with the sizes chosen above
    overruns_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const std::uint64_t w = write_pos_.load(std::memory_order_relaxed);
  auto space = [&] { return capacity_ - static_cast<std::size_t>(w - read_pos_.load(std::memory_order_acquire)); };
  if (space() < n) {
    if (!spec_.lossless) {
      overruns_.fetch_add(1, std::memory_order_relaxed);
      data_word_.notify();
      return;
    }
    // Not real time: wait for the writer instead of losing audio.
    while (space() < n) {
      if (failed_.load(std::memory_order_acquire) || stop_.load(std::memory_order_acquire)) {
        overruns_.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      std::uint32_t seen = space_word_.load();
      data_word_.notify();
      if (space() >= n) break;
      space_word_.wait(seen, std::chrono::milliseconds(20));
    }
  }
  const double scale = 1.0 / spec_.zero_dbfs;
  for (std::size_t i = 0; i < n; ++i) ring_[(w + i) & mask_] = spout[i] * scale;
  write_pos_.store(w + n, std::memory_order_release);
  frames_received_.fetch_add(frames, std::memory_order_relaxed);
  // Wake the writer only when a good part of the ring is used; it also polls.
  if (w + n - read_pos_.load(std::memory_order_acquire) >= capacity_ / 4) data_word_.notify();
}

void Recorder::run() {
  auto* f = static_cast<SNDFILE*>(file_);
  const std::size_t ch = static_cast<std::size_t>(spec_.nchnls);
  std::vector<double> chunk(std::min<std::size_t>(capacity_, 16384 * ch) / ch * ch);
  for (;;) {
    std::uint32_t seen = data_word_.load();
    const bool stopping = stop_.load(std::memory_order_acquire);
    std::uint64_t r = read_pos_.load(std::memory_order_relaxed);
    std::uint64_t w = write_pos_.load(std::memory_order_acquire);
    std::size_t avail = static_cast<std::size_t>(w - r);
    if (avail >= ch) {
      std::size_t n = std::min(avail, chunk.size());
      n -= n % ch;
      for (std::size_t i = 0; i < n; ++i) chunk[i] = ring_[(r + i) & mask_];
      read_pos_.store(r + n, std::memory_order_release);
      space_word_.notify();
      if (!failed_.load(std::memory_order_relaxed)) {
        sf_count_t frames = static_cast<sf_count_t>(n / ch);
        sf_count_t done = sf_writef_double(f, chunk.data(), frames);
        if (done != frames) {
          std::lock_guard<std::mutex> lock(error_mutex_);
          error_ = std::string("write error: ") + sf_strerror(f);
          failed_.store(true, std::memory_order_release);
          space_word_.notify();
        } else {
          frames_written_.fetch_add(static_cast<std::uint64_t>(frames), std::memory_order_acq_rel);
        }
      }
      continue;
    }
    if (stopping) break;
    data_word_.wait(seen, std::chrono::milliseconds(20));
  }
}

void Recorder::finish() {
  std::lock_guard<std::mutex> lock(finish_mutex_);
  if (finished_.load(std::memory_order_acquire)) return;
  stop_.store(true, std::memory_order_release);
  data_word_.notify();
  space_word_.notify();
  if (writer_.joinable()) writer_.join();
  if (file_) {
    auto* f = static_cast<SNDFILE*>(file_);
    sf_write_sync(f);
    int rc = sf_close(f);
    file_ = nullptr;
    if (rc != 0) {
      std::lock_guard<std::mutex> elock(error_mutex_);
      if (error_.empty()) error_ = std::string("close error: ") + sf_error_number(rc);
    }
  }
  finished_.store(true, std::memory_order_release);
}

std::string Recorder::error() const {
  std::lock_guard<std::mutex> lock(error_mutex_);
  return error_;
}

}  // namespace csoundpp
