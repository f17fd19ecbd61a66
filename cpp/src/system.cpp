#include "csoundpp/system.hpp"
#include "csound6_calls.hpp"

#include "csoundpp/csound.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace csoundpp::sys {

namespace {
void no_nul(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) throw std::invalid_argument(std::string(what) + " contains a NUL byte");
}

std::mutex g_default_msg_mutex;
// Never destroyed: Csound threads may still print while the process exits.
std::shared_ptr<DefaultMessageFn>& g_default_msg = *new std::shared_ptr<DefaultMessageFn>();

void default_msg_tramp(CSOUND* cs, int attr, const char* fmt, va_list args) {
  std::shared_ptr<DefaultMessageFn> fn;
  {
    std::lock_guard<std::mutex> lock(g_default_msg_mutex);
    fn = g_default_msg;
  }
  if (!fn || !fmt) return;
  char buf[4096];
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(buf, sizeof buf, fmt, copy);  // longer messages are cut at 4095 bytes
  va_end(copy);
  if (n < 0) return;
  (*fn)(cs, attr, buf);
}
// csoundpp's own instances print through Csound::message_trampoline, which hands what
// they do not route elsewhere to the default sink: the same function.
void default_sink(CSOUND* cs, int attr, const char* text) {
  std::shared_ptr<DefaultMessageFn> fn;
  {
    std::lock_guard<std::mutex> lock(g_default_msg_mutex);
    fn = g_default_msg;
  }
  if (fn && text) (*fn)(cs, attr, text);
}
}  // namespace

int initialize(int flags) { return csoundInitialize(flags); }

void set_opcode_dir(const std::string& dir) {
  no_nul(dir, "directory");
  csoundSetOpcodedir(dir.c_str());
}

void set_default_message_callback(DefaultMessageFn fn) {
  std::shared_ptr<DefaultMessageFn> next = fn ? std::make_shared<DefaultMessageFn>(std::move(fn)) : nullptr;
  std::shared_ptr<DefaultMessageFn> old;
  {
    std::lock_guard<std::mutex> lock(g_default_msg_mutex);
    old = std::move(g_default_msg);
    g_default_msg = next;
  }
  csoundSetDefaultMessageCallback(next ? &default_msg_tramp : nullptr);
  Csound::set_default_message_sink(next ? &default_sink : nullptr);
}

int set_global_env(const std::string& name, const std::optional<std::string>& value) {
  return Csound::set_global_env(name, value);  // with its checks (format characters, NUL)
}

void set_language(int code) {
  if (code < 0 || code > 72) throw std::invalid_argument("lang_code must be a CSLANGUAGE_* value (0..72)");
  csoundSetLanguage(static_cast<cslanguage_t>(code));
}

int run_command(const std::vector<std::string>& args, bool no_wait) {
  if (args.empty()) throw std::invalid_argument("runCommand needs the program name in args[0]");
  std::vector<const char*> argv;
  for (const auto& s : args) {
    no_nul(s, "args");
    argv.push_back(s.c_str());
  }
  argv.push_back(nullptr);
  return csoundRunCommand(argv.data(), no_wait ? 1 : 0);
}

void init_timer(RTCLOCK& clock) { csoundInitTimerStruct(&clock); }
double real_time(RTCLOCK& clock) { return csoundGetRealTime(&clock); }
double cpu_time(RTCLOCK& clock) { return csoundGetCPUTime(&clock); }
std::uint32_t random_seed_from_time() { return csoundGetRandomSeedFromTime(); }

int rand31(int seed) {
  if (seed < 1 || seed > 2147483646) throw std::invalid_argument("seed must be in 1..2147483646");
  return csoundRand31(&seed);
}

CsoundRandMTState seed_rand_mt(std::uint32_t seed) {
  CsoundRandMTState st;
  std::memset(&st, 0, sizeof st);
  csoundSeedRandMT(&st, nullptr, seed);
  return st;
}

CsoundRandMTState seed_rand_mt(const std::vector<std::uint32_t>& key) {
  if (key.empty()) throw std::invalid_argument("initKey must not be empty");
  CsoundRandMTState st;
  std::memset(&st, 0, sizeof st);
  csoundSeedRandMT(&st, key.data(), static_cast<std::uint32_t>(key.size()));
  return st;
}

std::uint32_t rand_mt(CsoundRandMTState& state) { return csoundRandMT(&state); }

std::pair<int, void*> open_library(const std::string& path) {
  no_nul(path, "libraryPath");
  void* lib = nullptr;
  int r = csoundOpenLibrary(&lib, path.c_str());
  return {r, lib};
}

int close_library(void* library) {
  if (!library) throw std::invalid_argument("library handle is NULL");
  return csoundCloseLibrary(library);
}

void* library_symbol(void* library, const std::string& name) {
  if (!library) throw std::invalid_argument("library handle is NULL");
  no_nul(name, "symbolName");
  return csoundGetLibrarySymbol(library, name.c_str());
}

}  // namespace csoundpp::sys
