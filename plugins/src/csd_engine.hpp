// One Csound + BlockProcessor running an embedded .csd, as the plugin and the
// build-time inspector both need it. Not real-time: construction compiles the
// orchestra and starts Csound.
#pragma once

#include <csoundpp/block_processor.hpp>
#include <csoundpp/csound.hpp>
#include <csoundpp/errors.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace csdplugin {

struct EngineSpec {
  std::string csd_text;
  double sample_rate = 0;  // 0: the .csd's own sr
  int ksmps = 0;           // 0: the .csd's own ksmps
  int host_inputs = 0;
  int host_outputs = 2;
  bool midi_in = false;
  bool variable_blocks = true;  // constant latency ksmps-1 (any host block size)
};

struct Engine {
  std::shared_ptr<csoundpp::Csound> csound;
  std::unique_ptr<csoundpp::BlockProcessor> processor;

  Engine() = default;
  Engine(Engine&&) = default;
  Engine& operator=(Engine&& other) noexcept {
    close();
    csound = std::move(other.csound);
    processor = std::move(other.processor);
    return *this;
  }
  ~Engine() { close(); }

  // Ends the performance while Csound's messages still go to the dispatcher
  // (its end-of-performance report is dropped like the rest).
  void close() noexcept {
    processor.reset();
    if (csound) {
      try {
        if (csound->started()) csound->cleanup();
      } catch (...) {
      }
    }
    csound.reset();
  }
};

// Throws csoundpp::CsoundError (with Csound's diagnostics) when the .csd does
// not compile or start.
inline Engine make_engine(const EngineSpec& spec) {
  csoundpp::initialize_library();
  Engine e;
  e.csound = std::make_shared<csoundpp::Csound>();
  csoundpp::BlockProcessor::Config cfg;
  cfg.host_inputs = spec.host_inputs;
  cfg.host_outputs = spec.host_outputs;
  cfg.variable_blocks = spec.variable_blocks;
  cfg.midi_in = spec.midi_in;
  cfg.midi_out = false;
  e.processor = std::make_unique<csoundpp::BlockProcessor>(e.csound, cfg);
  auto& cs = *e.csound;
  // Csound's messages leave the audio thread through the Dispatcher's ring
  // (no write() in run()). Its thread drops them (a host's log is not the
  // place for Csound's banner) unless CSOUNDPP_PLUGIN_VERBOSE is set; a
  // failed compile still reports Csound's diagnostics through the exception.
  const char* verbose = std::getenv("CSOUNDPP_PLUGIN_VERBOSE");
  if (verbose && *verbose && std::string(verbose) != "0")
    cs.dispatcher().set_handler([](const csoundpp::DispatchRecord* r, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i)
        if (r[i].kind == csoundpp::DispatchRecord::Message) std::fwrite(r[i].text, 1, r[i].len, stderr);
    });
  cs.route_messages(true);
  // Quiet: a plugin host's stderr is not the place for Csound's banner.
  cs.set_option("-d");
  cs.set_option("-m0");
  cs.set_option("--nodisplays");
  if (spec.sample_rate > 0) cs.set_option("--sample-rate=" + std::to_string(static_cast<long>(spec.sample_rate)));
  if (spec.ksmps > 0) cs.set_option("--ksmps=" + std::to_string(spec.ksmps));
  int r = cs.compile_csd_text(spec.csd_text);
  if (r != 0) throw csoundpp::CsoundError("the .csd does not compile: " + cs.last_errors(), r);
  // The host owns the audio: a -o/-i in the .csd's <CsOptions> must not win.
  cs.set_option("-odac");
  if (spec.host_inputs > 0) cs.set_option("-iadc");
  e.processor->start();
  return e;
}

}  // namespace csdplugin
