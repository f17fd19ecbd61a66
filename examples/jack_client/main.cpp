// csoundpp_jack FILE.csd [SECONDS] [CLIENT_NAME]
//
// Runs FILE.csd inside JACK's process callback through csoundpp::BlockProcessor
// (host-implemented audio: Csound opens no device of its own). Connects to the
// system playback ports when they exist, runs SECONDS (default: until Ctrl-C),
// then prints one line of statistics measured on the audio thread:
//   frames=N peak=P rms=R xruns=X latency=L blocks=B max_callback_us=U ...
#include <jack/jack.h>

#include <csoundpp/block_processor.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

namespace {

struct Client {
  csoundpp::BlockProcessor* bp = nullptr;
  jack_port_t* out[2] = {nullptr, nullptr};
  // written by the audio thread, read after deactivation
  std::atomic<double> peak{0}, sumsq{0};
  std::atomic<std::uint64_t> frames{0}, blocks{0}, xruns{0};
  std::atomic<double> max_us{0};  // longest process callback (microseconds)
};

std::atomic<bool> g_quit{false};

int process(jack_nframes_t n, void* arg) {
  auto* c = static_cast<Client*>(arg);
  const auto t0 = std::chrono::steady_clock::now();
  float* outs[2];
  for (int i = 0; i < 2; ++i) outs[i] = static_cast<float*>(jack_port_get_buffer(c->out[i], n));
  c->bp->process(nullptr, outs, n);  // no allocation, no lock, any n
  double peak = c->peak.load(std::memory_order_relaxed), sum = 0;
  for (jack_nframes_t i = 0; i < n; ++i) {
    double v = outs[0][i];
    peak = std::max(peak, std::fabs(v));
    sum += v * v;
  }
  c->peak.store(peak, std::memory_order_relaxed);
  c->sumsq.store(c->sumsq.load(std::memory_order_relaxed) + sum, std::memory_order_relaxed);
  c->frames.fetch_add(n, std::memory_order_relaxed);
  c->blocks.fetch_add(1, std::memory_order_relaxed);
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  if (us > c->max_us.load(std::memory_order_relaxed)) c->max_us.store(us, std::memory_order_relaxed);
  return 0;
}

int xrun(void* arg) {
  static_cast<Client*>(arg)->xruns.fetch_add(1, std::memory_order_relaxed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: csoundpp_jack FILE.csd [SECONDS] [CLIENT_NAME]\n");
    return 2;
  }
  const double seconds = argc > 2 ? std::atof(argv[2]) : -1;
  const char* name = argc > 3 ? argv[3] : "csoundpp";
  std::signal(SIGINT, [](int) { g_quit.store(true); });
  std::signal(SIGTERM, [](int) { g_quit.store(true); });

  jack_status_t status;
  jack_client_t* jack = nullptr;
  for (int attempt = 0; attempt < 50 && !jack; ++attempt) {  // the server may still be starting
    jack = jack_client_open(name, JackNoStartServer, &status);
    if (!jack) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!jack) {
    std::fprintf(stderr, "csoundpp_jack: cannot connect to a JACK server (status 0x%x)\n", status);
    return 1;
  }
  const jack_nframes_t sr = jack_get_sample_rate(jack);

  try {
    auto cs = std::make_shared<csoundpp::Csound>();
    csoundpp::BlockProcessor::Config cfg;
    cfg.host_outputs = 2;
    csoundpp::BlockProcessor bp(cs, cfg);
    // Csound runs at JACK's rate whatever the .csd says.
    std::string rate = "--sample-rate=" + std::to_string(sr);
    csoundSetOption(cs->native(), rate.c_str());
    if (cs->compile_csd(argv[1]) != 0) {
      std::fprintf(stderr, "csoundpp_jack: %s does not compile:\n%s\n", argv[1], cs->last_errors().c_str());
      return 1;
    }
    bp.start();

    Client c;
    c.bp = &bp;
    c.out[0] = jack_port_register(jack, "out_1", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
    c.out[1] = jack_port_register(jack, "out_2", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
    if (!c.out[0] || !c.out[1]) throw std::runtime_error("cannot register JACK ports");
    jack_set_process_callback(jack, process, &c);
    jack_set_xrun_callback(jack, xrun, &c);
    if (jack_activate(jack)) throw std::runtime_error("cannot activate the JACK client");
    if (const char** ports = jack_get_ports(jack, nullptr, nullptr, JackPortIsPhysical | JackPortIsInput)) {
      for (int i = 0; i < 2 && ports[i]; ++i) jack_connect(jack, jack_port_name(c.out[i]), ports[i]);
      jack_free(ports);
    }
    auto t0 = std::chrono::steady_clock::now();
    while (!g_quit.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (seconds >= 0 && std::chrono::steady_clock::now() - t0 >= std::chrono::duration<double>(seconds)) break;
    }
    jack_deactivate(jack);
    const auto frames = c.frames.load();
    std::printf("frames=%llu peak=%.6f rms=%.6f xruns=%llu latency=%zu blocks=%llu max_callback_us=%.1f "
                "buffer=%u sr=%u\n",
                static_cast<unsigned long long>(frames), c.peak.load(),
                frames ? std::sqrt(c.sumsq.load() / static_cast<double>(frames)) : 0.0,
                static_cast<unsigned long long>(c.xruns.load()), bp.latency(),
                static_cast<unsigned long long>(c.blocks.load()), c.max_us.load(), jack_get_buffer_size(jack), sr);
    jack_client_close(jack);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "csoundpp_jack: %s\n", e.what());
    jack_client_close(jack);
    return 1;
  }
  return 0;
}
