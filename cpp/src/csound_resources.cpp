// csoundpp::Csound: score events and score time, channel lists/hints/locks/pvs,
// tables as spans, orchestra trees, utilities, environment, global variables,
// named GENs and the opcode list.
#include <cstring>
#include <stdexcept>

#include "csoundpp/csound.hpp"
#include "csound6_calls.hpp"
#include "csoundpp/events.hpp"
#include "csoundpp/handles.hpp"
#include "capi.hpp"
#include "exit_guard.h"
#include "libcsound_layouts.h"
#include "table_pins.hpp"

namespace csoundpp {

namespace {
void no_nul(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) throw std::invalid_argument(std::string(what) + " contains a NUL byte");
}

ChannelHints hints_from(const controlChannelHints_t& c) {
  ChannelHints h;
  h.behav = c.behav;
  h.dflt = c.dflt;
  h.min = c.min;
  h.max = c.max;
  h.x = c.x;
  h.y = c.y;
  h.width = c.width;
  h.height = c.height;
  if (c.attributes) h.attributes = std::string(c.attributes);
  return h;
}
}  // namespace

// ---------------------------------------------------------------- events and score time

int Csound::score_event_absolute_async(char type, const double* pfields, long n, double time_offset) {
  events::check_time(time_offset, "time offset");
  if (time_offset != 0.0 && n >= 2) {
    std::vector<double> p(pfields, pfields + n);
    p[1] += time_offset;
    return score_event(type, p.data(), n, true, true);
  }
  return score_event(type, pfields, n, true, true);
}

double Csound::score_time() const { return csoundGetScoreTime(native()); }
bool Csound::score_pending() const { return csoundIsScorePending(native()) != 0; }
void Csound::set_score_pending(bool pending) { csoundSetScorePending(native(), pending ? 1 : 0); }
double Csound::score_offset_seconds() const { return csoundGetScoreOffsetSeconds(native()); }

void Csound::set_score_offset_seconds(double seconds) {
  events::check_time(seconds, "score offset", true);
  csoundSetScoreOffsetSeconds(native(), seconds);
}

void Csound::rewind_score() { csoundRewindScore(native()); }

// ---------------------------------------------------------------- channels

int Csound::channel_type_from(const std::string& kind, const std::string& mode) {
  int t = 0;
  if (kind == "control") t = CSOUND_CONTROL_CHANNEL;
  else if (kind == "audio") t = CSOUND_AUDIO_CHANNEL;
  else if (kind == "string") t = CSOUND_STRING_CHANNEL;
  else if (kind == "pvs") t = CSOUND_PVS_CHANNEL;
  else throw std::invalid_argument("channel kind must be 'control', 'audio', 'string' or 'pvs' (array channels need Csound 7)");
  if (mode == "r") t |= CSOUND_INPUT_CHANNEL;
  else if (mode == "w") t |= CSOUND_OUTPUT_CHANNEL;
  else if (mode == "rw" || mode == "wr") t |= CSOUND_INPUT_CHANNEL | CSOUND_OUTPUT_CHANNEL;
  else throw std::invalid_argument("channel mode must be 'r', 'w' or 'rw'");
  return t;
}

std::vector<ChannelInfo> Csound::list_channels(int* status) const {
  CSOUND* cs = native();
  controlChannelInfo_t* list = nullptr;
  int n = csoundListChannels(cs, &list);
  if (status) *status = n;
  std::vector<ChannelInfo> out;
  for (int i = 0; i < n && list; ++i)
    out.push_back({list[i].name ? list[i].name : "", list[i].type, hints_from(list[i].hints)});
  if (list) csoundDeleteChannelList(cs, list);
  return out;
}

int Csound::channel_datasize(const std::string& name) const {
  return csoundGetChannelDatasize(native(), name.c_str());
}

int Csound::set_control_channel_hints(const std::string& name, const ChannelHints& h) {
  no_nul(name, "name");
  if (h.behav < 0 || h.behav > 3) throw std::invalid_argument("behav must be 0..3");
  controlChannelHints_t c;
  std::memset(&c, 0, sizeof c);
  c.behav = static_cast<controlChannelBehavior>(h.behav);
  c.dflt = h.dflt;
  c.min = h.min;
  c.max = h.max;
  c.x = h.x;
  c.y = h.y;
  c.width = h.width;
  c.height = h.height;
  std::string attributes = h.attributes.value_or("");
  c.attributes = h.attributes ? attributes.data() : nullptr;
  return csoundSetControlChannelHints(native(), name.c_str(), c);
}

int Csound::control_channel_hints(const std::string& name, ChannelHints& out) const {
  no_nul(name, "name");
  controlChannelHints_t c;
  std::memset(&c, 0, sizeof c);
  int r = csoundGetControlChannelHints(native(), name.c_str(), &c);
  // attributes are allocated from Csound's own memory pool (released on reset/destroy)
  if (r == CSOUND_SUCCESS) out = hints_from(c);
  return r;
}

std::string Csound::string_channel_at(const void* address) const {
  CSOUND* cs = native();
  controlChannelInfo_t* lst = nullptr;
  int n = csoundListChannels(cs, &lst);
  std::string name;
  for (int i = 0; i < n && address; ++i) {
    if ((lst[i].type & CSOUND_CHANNEL_TYPE_MASK) != CSOUND_STRING_CHANNEL) continue;
    void* p = nullptr;
    if (capi::channel_ptr(cs, &p, lst[i].name, CSOUND_STRING_CHANNEL) == 0 && p == address) {
      name = lst[i].name;
      break;
    }
  }
  if (lst) csoundDeleteChannelList(cs, lst);
  if (name.empty()) throw std::invalid_argument("sdata is not a string channel pointer of this instance (use channelPtr)");
  return name;
}

int* Csound::channel_lock(const std::string& name) const {
  no_nul(name, "name");
  return csoundGetChannelLock(native(), name.c_str());
}

#if CS_VERSION >= 7
// Csound 7 locks a channel by name (and does nothing for a name it does not know).
void Csound::lock_channel(const std::string& name) {
  no_nul(name, "name");
  if (channel_type(name) < 0) throw CsoundError("channel '" + name + "' does not exist");
  ::csoundLockChannel(native(), name.c_str());
}

void Csound::unlock_channel(const std::string& name) {
  no_nul(name, "name");
  if (channel_type(name) < 0) throw CsoundError("channel '" + name + "' does not exist");
  ::csoundUnlockChannel(native(), name.c_str());
}
#else
void Csound::lock_channel(const std::string& name) {
  int* p = channel_lock(name);
  if (!p) throw CsoundError("channel '" + name + "' does not exist");
  csoundSpinLock(reinterpret_cast<spin_lock_t*>(p));
}

void Csound::unlock_channel(const std::string& name) {
  int* p = channel_lock(name);
  if (!p) throw CsoundError("channel '" + name + "' does not exist");
  csoundSpinUnLock(reinterpret_cast<spin_lock_t*>(p));
}
#endif

#if CS_VERSION >= 7
namespace {
// Csound 7 passes PVS frames as PVSDAT (pstream.h), whose frame is an AUXCH (csoundCore.h, the
// plugin ABI). csoundpp keeps Csound 6's PVSDATEXT and lends its frame to one of these.
struct AuxchLayout {
  void* nxtchp;
  size_t size;
  void *auxp, *endp;
};
struct PvsdatLayout {
  int32_t N;
  int32_t sliding;
  int32_t NB;
  int32_t overlap;
  int32_t winsize;
  int32_t wintype;
  int32_t format;
  uint32_t framecount;
  AuxchLayout frame;
};

PvsdatLayout lend(PVSDATEXT& f) {
  PvsdatLayout d{};
  d.N = f.N;
  d.sliding = f.sliding;
  d.NB = f.NB;
  d.overlap = f.overlap;
  d.winsize = f.winsize;
  d.wintype = f.wintype;
  d.format = f.format;
  d.framecount = f.framecount;
  const std::size_t n = f.N > 0 ? static_cast<std::size_t>(f.N) + 2 : 0;
  d.frame.size = n * sizeof(float);
  d.frame.auxp = f.frame;
  d.frame.endp = f.frame ? f.frame + n : nullptr;
  return d;
}
}  // namespace

// csoundInitPvsChannel makes the channel (a no-op when it exists), then the frame is copied in.
int Csound::set_pvs_channel(PVSDATEXT& frame, const std::string& name) {
  no_nul(name, "name");
  if (frame.N <= 0 || !frame.frame) throw std::invalid_argument("the frame has no data (N must be > 0)");
  // Csound 7 crashes making a pvs channel before csoundStart.
  if (!started()) throw StateError("setPvsChannel()/initPvsChannel() before start(): Csound 7 has pvs channels only once started");
  CSOUND* cs = native();
  if (!::csoundInitPvsChannel(cs, name.c_str(), frame.N, frame.overlap, frame.winsize, frame.wintype, frame.format))
    return CSOUND_ERROR;
  PvsdatLayout d = lend(frame);
  return ::csoundSetPvsChannel(cs, name.c_str(), reinterpret_cast<const PVSDAT*>(&d));
}

int Csound::pvs_channel(PVSDATEXT& frame, const std::string& name) {
  no_nul(name, "name");
  if (frame.N <= 0 || !frame.frame) throw std::invalid_argument("the frame has no data (N must be > 0)");
  if (!started()) throw StateError("pvsChannel() before start(): Csound 7 has pvs channels only once started");
  PvsdatLayout d = lend(frame);
  int r = ::csoundGetPvsChannel(native(), name.c_str(), reinterpret_cast<PVSDAT*>(&d));
  if (r == CSOUND_SUCCESS) frame.framecount = d.framecount;
  return r;
}
#else
int Csound::set_pvs_channel(PVSDATEXT& frame, const std::string& name) {
  no_nul(name, "name");
  return csoundSetPvsChannel(native(), &frame, name.c_str());
}

int Csound::pvs_channel(PVSDATEXT& frame, const std::string& name) {
  no_nul(name, "name");
  return csoundGetPvsChannel(native(), &frame, name.c_str());
}
#endif

// ---------------------------------------------------------------- tables

std::span<double> Csound::table(int table) {
  MYFLT* p = nullptr;
  int n = csoundGetTable(native(), &p, table);
  if (n < 0 || !p) return {};
  return {p, static_cast<std::size_t>(n)};
}

std::span<double> Csound::table_args(int table) {
  MYFLT* p = nullptr;
  int n = csoundGetTableArgs(native(), &p, table);
  if (n < 0 || !p) return {};
  return {p, static_cast<std::size_t>(n)};
}

Csound::TableView Csound::table_view(int table) {
  std::lock_guard<std::recursive_mutex> api(api_mutex_);  // no k-cycle frees it meanwhile
  auto s = this->table(table);
  if (!s.data()) return {};
  // The block holds flen samples and a guard point.
  return {s, detail::pin_block(engine(), s.data(), (s.size() + 1) * sizeof(double))};
}

std::size_t Csound::pinned_table_blocks() noexcept { return detail::pinned_blocks(); }

Csound::TableView Csound::table_args_view(int table) {
  std::lock_guard<std::recursive_mutex> api(api_mutex_);
  auto s = table_args(table);
  if (!s.data()) return {};
  // The arguments live inside the table's FUNC header: pin the header.
  void* header = detail::func_size() ? reinterpret_cast<char*>(s.data()) - detail::func_args_offset() : nullptr;
  return {s, detail::pin_block(engine(), header, detail::func_size())};
}

// ---------------------------------------------------------------- trees and instruments

std::unique_ptr<OrcTree> Csound::parse_tree(const std::string& code) {
  no_nul(code, "orchestra");
  auto e = engine();
  TREE* t = parse_orc(code);
  if (!t) return nullptr;
  return std::make_unique<OrcTree>(e, t);
}

int Csound::compile_tree(OrcTree& tree, bool async) {
  CSOUND* cs = native();
  auto e = tree.engine();
  if (!e || e->get() != cs) throw std::invalid_argument("this tree was parsed by another (or a reset) instance");
  if (!tree.get()) throw std::invalid_argument("this tree was deleted");
  return guarded(cs, async ? csoundpp_call_compile_tree_async : csoundpp_call_compile_tree, tree.get());
}

int Csound::instr_number(const std::string& name) {
  if (name.empty() || name.find_first_of("\"\n\r\\") != std::string::npos || name.find('\0') != std::string::npos)
    throw std::invalid_argument("invalid instrument name");
  double v = eval_code("return nstrnum(\"" + name + "\")");
  return v > 0 ? static_cast<int>(v) : -1;
}

// ---------------------------------------------------------------- utilities and environment

int Csound::run_utility(const std::string& name, std::vector<std::string> args) {
  no_nul(name, "name");
  for (const auto& a : args) no_nul(a, "args");
  if (args.empty() || args.front() != name) args.insert(args.begin(), name);  // argv[0] is the utility name
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  return csoundRunUtility(native(), name.c_str(), static_cast<int>(args.size()), argv.data());
}

std::optional<std::vector<std::string>> Csound::list_utilities() const {
  CSOUND* cs = native();
  char** lst = csoundListUtilities(cs);
  if (!lst) return std::nullopt;
  std::vector<std::string> out;
  for (char** p = lst; *p; ++p) out.emplace_back(*p);
  csoundDeleteUtilityList(cs, lst);
  return out;
}

std::optional<std::string> Csound::utility_description(const std::string& name) const {
  no_nul(name, "name");
  const char* s = csoundGetUtilityDescription(native(), name.c_str());
  if (!s) return std::nullopt;
  return std::string(s);
}

std::optional<std::string> Csound::env(const std::string& name, bool with_instance) const {
  no_nul(name, "name");
  const char* s = csoundGetEnv(with_instance ? native() : nullptr, name.c_str());
  if (!s) return std::nullopt;
  return std::string(s);
}

int Csound::create_global_variable(const std::string& name, long long nbytes) {
  no_nul(name, "name");
  if (nbytes <= 0 || nbytes > (1LL << 31)) return CSOUND_ERROR;
  return csoundCreateGlobalVariable(native(), name.c_str(), static_cast<size_t>(nbytes));
}

void* Csound::query_global_variable(const std::string& name) const {
  no_nul(name, "name");
  return csoundQueryGlobalVariable(native(), name.c_str());
}

int Csound::destroy_global_variable(const std::string& name) {
  no_nul(name, "name");
  return csoundDestroyGlobalVariable(native(), name.c_str());
}

// ---------------------------------------------------------------- named GENs and opcodes

int Csound::is_named_gen(int number) const { return csoundIsNamedGEN(native(), number); }

std::string Csound::named_gen(int number, int max_len) const {
  if (max_len <= 0 || max_len > 4096) throw std::invalid_argument("nameLen must be in 1..4096");
  CSOUND* cs = native();
  if (csoundIsNamedGEN(cs, number) == 0) return {};
  std::vector<char> buf(static_cast<std::size_t>(max_len) + 1, 0);
  csoundGetNamedGEN(cs, number, buf.data(), max_len);
  return std::string(buf.data(), strnlen(buf.data(), static_cast<std::size_t>(max_len)));
}

std::vector<std::pair<std::string, int>> Csound::named_gens() const {
  std::vector<std::pair<std::string, int>> out;
  for (auto* p = static_cast<layouts::NamedGen*>(csoundGetNamedGens(native())); p; p = p->next)
    out.emplace_back(p->name ? p->name : "", p->genum);
  return out;
}

std::vector<OpcodeEntry> Csound::opcode_list(int* status) const {
  CSOUND* cs = native();
  opcodeListEntry* lst = nullptr;
  int n = csoundNewOpcodeList(cs, &lst);
  if (status) *status = n;
  std::vector<OpcodeEntry> out;
  auto s = [](const char* p) { return p ? std::string(p) : std::string(); };
  for (int i = 0; i < n && lst; ++i) out.push_back({s(lst[i].opname), s(lst[i].outypes), s(lst[i].intypes), lst[i].flags});
  if (lst) csoundDisposeOpcodeList(cs, lst);
  return out;
}

}  // namespace csoundpp
