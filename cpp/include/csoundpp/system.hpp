// Library-level functions of libcsound that need no instance: initialisation, the
// plugin directory, the default message callback, environment, timers and random
// numbers, external commands and shared libraries.
#pragma once

#include <csound/csound.h>
#include <csound/version.h>
#if CS_VERSION >= 7
#include <csound/csound_misc.h>  // RTCLOCK, CsoundRandMTState
#endif

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace csoundpp::sys {

int initialize(int flags);  // csoundInitialize: 0, positive when already done, negative on error
void set_opcode_dir(const std::string& dir);
// The message callback of instances that have none of their own, and of csoundpp's
// instances for what they do not route elsewhere (Csound::set_default_message_sink);
// an empty function restores Csound's printing.
// fn(csound, attr, text) runs on whichever thread printed.
using DefaultMessageFn = std::function<void(CSOUND*, int, const char*)>;
void set_default_message_callback(DefaultMessageFn fn);

int set_global_env(const std::string& name, const std::optional<std::string>& value);
void set_language(int code);  // CSLANGUAGE_* (0..72), else std::invalid_argument
// Runs args[0] (searched in PATH); waits and returns its exit status, or its PID with no_wait.
int run_command(const std::vector<std::string>& args, bool no_wait);

void init_timer(RTCLOCK& clock);
double real_time(RTCLOCK& clock);
double cpu_time(RTCLOCK& clock);
std::uint32_t random_seed_from_time();
int rand31(int seed);  // seed in 1..2147483646, else std::invalid_argument
CsoundRandMTState seed_rand_mt(std::uint32_t seed);
CsoundRandMTState seed_rand_mt(const std::vector<std::uint32_t>& key);  // key not empty
std::uint32_t rand_mt(CsoundRandMTState& state);

std::pair<int, void*> open_library(const std::string& path);  // (status, handle)
int close_library(void* library);
void* library_symbol(void* library, const std::string& name);


}  // namespace csoundpp::sys
