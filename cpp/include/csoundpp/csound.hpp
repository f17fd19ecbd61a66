// csoundpp::Csound: an owning, thread-aware handle on one CSOUND instance.
//
// What it adds to the C API:
// - ownership that numpy views and performance threads can share (engine()),
//   so memory a view points into is never freed under it: reset()/destroy()
//   with views alive detach the old engine instead of freeing it;
// - an interruptible perform() loop (a hook is polled every ~20 ms);
// - validated channel and table access (unknown names/numbers raise instead
//   of crashing inside libcsound);
// - message and channel-output delivery through a Dispatcher thread, so
//   callbacks never run on the thread that performs unless asked to.
#pragma once

#include <csound/csound.h>
#include <csound/version.h>
#if CS_VERSION >= 7
#include <csound/csound_compiler.h>  // TREE, csoundParseOrc
#endif

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csoundpp/dispatcher.hpp"
#include "csoundpp/errors.hpp"
#include "csoundpp/host_callbacks.hpp"

#if CS_VERSION >= 7
// Csound 6's pvs channel frame (csound.h's PVSDATEXT): Csound 7 has no pvs channel API, so
// set_pvs_channel/pvs_channel throw there; the type stays so the API is the same on both.
typedef struct {
  int32_t N;
  int sliding;
  int32_t NB;
  int32_t overlap;
  int32_t winsize;
  int wintype;
  int32_t format;
  uint32_t framecount;
  float* frame;
} PVSDATEXT;
#endif

namespace csoundpp {

// The parameters csoundGetParams/csoundSetParams exchange, with Csound 6's field names (as
// ctcsound spells them). On Csound 6 they are libcsound's CSOUND_PARAMS; Csound 7 replaced it
// with a read-only OPARMS of other names, from which Csound::get_params fills this struct.
#if CS_VERSION >= 7
struct Params {
  int debug_mode, buffer_frames, hardware_buffer_frames, displays, ascii_graphs, postscript_graphs, message_level,
      tempo, ring_bell, use_cscore, terminate_on_midi, heartbeat, defer_gen01_load, midi_key, midi_key_cps,
      midi_key_oct, midi_key_pch, midi_velocity, midi_velocity_amp, no_default_paths, number_of_threads,
      syntax_check_only, csd_line_counts, compute_weights, realtime_mode, sample_accurate;
  double sample_rate_override, control_rate_override;
  int nchnls_override, nchnls_i_override;
  double e0dbfs_override;
  int daemon, ksmps_override, FFT_library;
};
#else
using Params = ::CSOUND_PARAMS;
#endif

// Calls csoundInitialize(NO_SIGNAL_HANDLER | NO_ATEXIT) once and checks that
// libcsound's MYFLT is double. Throws CsoundError if it is not.
void initialize_library();

// The underlying CSOUND*. Destroyed (if owned) when the last holder lets go.
class Engine {
 public:
  Engine(CSOUND* cs, bool owned) noexcept : cs_(cs), owned_(owned) {}
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  CSOUND* get() const noexcept { return cs_; }
  bool owned() const noexcept { return owned_; }
  void leak() noexcept { owned_ = false; }  // never csoundDestroy it (libcsound left it locked)

 private:
  CSOUND* cs_;
  bool owned_;
};

// Hints of a control channel (controlChannelHints_t in C++ types).
struct ChannelHints {
  int behav = 0;  // CSOUND_CONTROL_CHANNEL_NO_HINTS .. _EXP (0..3)
  double dflt = 0, min = 0, max = 0;
  int x = 0, y = 0, width = 0, height = 0;
  std::optional<std::string> attributes;
};

// One entry of Csound::list_channels().
struct ChannelInfo {
  std::string name;
  int type = 0;  // CSOUND_*_CHANNEL | CSOUND_INPUT/OUTPUT_CHANNEL
  ChannelHints hints;
};

struct ModuleInfo {
  std::string name;
  std::string type;  // "audio" or "midi"
};

struct AudioDevice {
  std::string name, id, module;
  int max_nchnls = 0;
  bool is_output = false;
};

struct MidiDevice {
  std::string name, interface_name, id, module;
  bool is_output = false;
};

struct OpcodeEntry {
  std::string name, outypes, intypes;
  int flags = 0;
};

// A message of Csound's message buffer (create_message_buffer()).
struct Message {
  std::string text;
  int attr = 0;
};

class OrcTree;

class Csound {
 public:
  // Csound 6 keeps an event's p-fields in a fixed array (csoundCore.h's PMAX):
  // more overflow it. Events with more p-fields raise std::invalid_argument.
  static constexpr long kMaxPfields = 1998;
  // Largest function table Csound 6 builds (csoundCore.h's MAXLEN, 64-bit).
  static constexpr double kMaxTableLength = 268435456.0;
  // Output channels libcsound can clean up: it keeps per-channel peak amplitudes in fixed
  // arrays of MAXCHNLS (256) entries and writes nchnls of them in csoundCleanup (also run by
  // csoundReset and csoundDestroy). Input channels: the bound setParams has always used.
  static constexpr int kMaxOutputChannels = 256;
  static constexpr int kMaxInputChannels = 1024;
  // Checks a score event before it reaches libcsound: known type, finite
  // p-fields, at most kMaxPfields, an 'f' event's size within kMaxTableLength.
  // Throws std::invalid_argument.
  static void check_event(char type, const double* pfields, std::size_t n);
  // True when ptr points to a live CSOUND (its API table is libcsound's).
  // Reads through process_vm_readv: an unmapped address is refused, not a crash.
  static bool is_csound_pointer(const void* ptr) noexcept;
  // csoundSetGlobalEnv with the name checked (libcsound formats it: no '%').
  static int set_global_env(const std::string& name, const std::optional<std::string>& value);

  // Creates a new instance. opcode_dir (if not empty) overrides the plugin
  // directory for this creation.
  explicit Csound(const std::string& opcode_dir = {});
  // Wraps an existing instance; owned=false leaves its destruction to the caller.
  Csound(CSOUND* existing, bool owned);
  ~Csound();
  Csound(const Csound&) = delete;
  Csound& operator=(const Csound&) = delete;

  // Returns the csoundpp::Csound that wraps cs, or nullptr (registry of live objects).
  static Csound* find(CSOUND* cs) noexcept;

  // --- lifecycle
  CSOUND* native() const;                    // throws StateError once destroyed
  CSOUND* native_or_null() const noexcept { return cs_.load(std::memory_order_acquire); }
  std::shared_ptr<Engine> engine() const;    // shared ownership of the CSOUND memory
  bool destroyed() const noexcept { return native_or_null() == nullptr; }
  bool owns_instance() const noexcept;
  void destroy();                            // idempotent
  void reset();                              // csoundReset, or detach when the engine is shared
  int cleanup();
  // csoundCleanup from the performance thread at the end of its performance
  // (no busy check); later perform calls raise StateError until reset().
  void cleanup_after_performance() noexcept;
  // A k-cycle ended in a longjmp (exitnow, a fatal error: csoundPerformKsmps
  // returned CSOUND_EXITJMP_SUCCESS or more). libcsound 6.18 then keeps its API
  // mutex locked by the thread that performed, so csoundCleanup/Destroy/Reset
  // from any other thread would block forever: destroy() and reset() leave the
  // old CSOUND allocated (leaked) and reset() continues on a fresh one.
  void note_exit_jump() noexcept { exit_jumped_.store(true, std::memory_order_release); }
  // Orchestra code was compiled (or the instance started): libcsound crashes
  // on synchronous events before that.
  bool compiled() const noexcept { return compiled_.load(std::memory_order_acquire); }
  std::uint64_t generation() const noexcept { return generation_.load(); }  // +1 per reset/destroy

  // --- library facts
  static int version() noexcept;        // e.g. 6180
  static int api_version();    // e.g. 400; CsoundError on Csound 7 (it has none)
  static int size_of_myflt() noexcept;  // 8

  // --- parameters and attributes
  double sr() const;
  double kr() const;
  int ksmps() const;
  int nchnls() const;
  int nchnls_input() const;
  double zero_dbfs() const;
  double a4() const;
  std::int64_t current_time_samples() const;
  bool debug() const;
  void set_debug(bool on);
  int message_level() const;
  void set_message_level(int level);  // 0..1023, else std::invalid_argument
  double system_sr(double value);
  void get_params(Params& out) const;
  int load_plugins(const std::string& dir);
  // Several options in one string, split as a POSIX shell does (quotes respected) and set
  // one by one; 0, or the status of the last option that failed. std::invalid_argument for
  // an empty line or an unclosed quote.
  int set_options(const std::string& line);
  static std::vector<std::string> split_options(const std::string& line);

  // --- compile (return Csound status codes like the C API)
  // csoundCompile (compile_mode, which also starts) / csoundCompileArgs. args[0] is the
  // program name; when the first argument is an option or a .csd/.orc/.sco file,
  // "csound" is put before it. std::invalid_argument when args is empty.
  int compile_args(const std::vector<std::string>& args, bool compile_mode);
  int compile_orc(const std::string& code, bool async);
  // csoundParseOrc on the calling thread (libcsound allows it during a
  // performance); diagnostics go to last_errors(). nullptr on a syntax error.
  // The caller frees the tree with csoundDeleteTree.
  TREE* parse_orc(const std::string& code);
  // A parsed tree owned by the result (freed with it unless compiled or deleted); nullptr
  // on a syntax error (diagnostics in last_errors()).
  std::unique_ptr<OrcTree> parse_tree(const std::string& code);
  // csoundCompileTree(Async) through the longjmp guard. std::invalid_argument when the
  // tree was parsed by another instance or generation, or was deleted.
  int compile_tree(OrcTree& tree, bool async);
  double eval_code(const std::string& code);
  // Number of a named instrument (nstrnum through eval_code), or -1.
  int instr_number(const std::string& name);
  int compile_csd(const std::string& path);
  int compile_csd_text(const std::string& text);
  int read_score(const std::string& text, bool async);
  int set_option(const std::string& option);  // one option
  // csoundSetParams after a range check of every field libcsound would act on
  // (std::invalid_argument names the field; nothing is changed then).
  void set_params(const Params& params);
  void clear_spin();  // StateError before start()
  int start();  // throws CsoundError naming the package when a -+rtaudio/-+rtmidi module cannot load
  int start_if_needed(const char* what);  // start() unless started; perform*() and render call it (as libcsound does)
  bool started() const;

  // --- perform. interrupt() is polled about every 20 ms of wall time while
  // perform() runs; returning true stops the performance (perform returns 0).
  int perform(const std::function<bool()>& interrupt = {});
  int perform_ksmps();
  // The k-cycle loop's fast path (Python's `while not cs.performKsmps()`): the checks of
  // perform_ksmps() folded into one pass over atomics (not destroyed, started, usable, not
  // jumped or cleaned up, no performance thread, no other perform call or destroy/reset
  // running), then one k-cycle under the engine lock, as perform_ksmps() does it. Returns
  // false, having done nothing, when any check fails: perform_ksmps() then starts the
  // instance or raises the precise error.
  bool try_perform_ksmps(int& result) noexcept;
  // True when the started instance runs its instruments on worker threads too (-j N, N > 1): a
  // callback into the host may then come from another thread while a k-cycle runs.
  bool multithreaded() const noexcept { return multithreaded_.load(std::memory_order_acquire); }
  int perform_buffer();
  // The host buffers perform_buffer() fills and reads (-b frames x channels): Csound 6's
  // csoundGetOutputBuffer/InputBuffer; on Csound 7 csoundpp's own, filled from spout and
  // copied to spin one k-cycle at a time. *n receives the number of samples.
  double* output_buffer(std::size_t* n);
  double* input_buffer(std::size_t* n);
  // Renders up to max_cycles k-cycles and copies spout of each into out
  // (out must hold max_cycles * ksmps * nchnls samples). Returns the number of
  // cycles rendered; *finished tells whether the score ended.
  std::size_t render_cycles(double* out, std::size_t max_cycles, bool* finished);
  void stop();                               // from any thread
  bool stop_requested() const noexcept { return stop_.load(std::memory_order_acquire); }

  // True while perform/performKsmps/render runs on some thread (a callback of
  // that performance may run on it): destroy/reset/cleanup raise StateError then.
  bool performing() const noexcept { return perform_state_.load(std::memory_order_acquire) == 1; }

  // --- performance-thread bookkeeping: while a thread performs, calls that
  // would race with it (perform, reset, destroy, ...) raise StateError.
  void set_busy(bool busy) noexcept { busy_.store(busy, std::memory_order_release); }
  bool busy() const noexcept { return busy_.load(std::memory_order_acquire); }
  // The lock that serialises engine-changing calls with a k-cycle (see api_mutex_);
  // the performance thread holds it around each csoundPerformKsmps.
  std::recursive_mutex& engine_lock() const noexcept { return api_mutex_; }
  void check_not_busy(const char* what) const;

  // --- events (p-fields are checked: finite numbers, a known event letter)
  int score_event(char type, const double* pfields, long n, bool absolute, bool async);
  // csoundScoreEventAbsolute: p2 counted from time_offset seconds of score time.
  int score_event_absolute(char type, const double* pfields, long n, double time_offset);
  // The async variant: the offset is folded into p2 so the copy-keeping async path is used.
  int score_event_absolute_async(char type, const double* pfields, long n, double time_offset);
  double score_time() const;
  bool score_pending() const;
  void set_score_pending(bool pending);
  double score_offset_seconds() const;
  void set_score_offset_seconds(double seconds);  // finite, >= 0
  void rewind_score();
  void input_message(const std::string& text, bool async);
  int kill_instance(double instr, const char* name, int mode, bool allow_release);
  void set_end_marker(double time);

  // --- channels (validated; throw CsoundError on a type mismatch)
  double control_channel(const std::string& name, int* err) const;
  void set_control_channel(const std::string& name, double value);
  std::string string_channel(const std::string& name) const;
  void set_string_channel(const std::string& name, const std::string& value);
  void audio_channel(const std::string& name, double* out) const;       // ksmps samples
  void set_audio_channel(const std::string& name, const double* in);    // ksmps samples
  // csoundGetChannelPtr with error handling; returns nullptr and fills err on failure.
  void* channel_ptr(const std::string& name, int type, int* err) const;
  // Channel memory of the given type (created if missing, with type's I/O bits);
  // throws CsoundError when the channel exists with another type.
  void* lookup_channel(const std::string& name, int type) const;
  // CSOUND_CONTROL_CHANNEL etc. of an existing channel, or -1 if it does not exist.
  int channel_type(const std::string& name) const;
  // Channel type bits from Csound 7 words: kind "control"/"audio"/"string"/"pvs",
  // mode "r"/"w"/"rw". std::invalid_argument otherwise.
  static int channel_type_from(const std::string& kind, const std::string& mode);
  // All channels; *status (if given) gets csoundListChannels' count or error code.
  std::vector<ChannelInfo> list_channels(int* status = nullptr) const;
  int channel_datasize(const std::string& name) const;
  int set_control_channel_hints(const std::string& name, const ChannelHints& hints);  // Csound status
  // Csound status; `out` is filled when it is CSOUND_SUCCESS.
  int control_channel_hints(const std::string& name, ChannelHints& out) const;
  // The name of the string channel whose channel_ptr() is `address`; std::invalid_argument if none.
  std::string string_channel_at(const void* address) const;
  // A channel's spin lock, nullptr when the channel does not exist.
  int* channel_lock(const std::string& name) const;
  void lock_channel(const std::string& name);    // spins; CsoundError when the channel does not exist
  void unlock_channel(const std::string& name);
  int set_pvs_channel(PVSDATEXT& frame, const std::string& name);
  int pvs_channel(PVSDATEXT& frame, const std::string& name);

  // --- tables (validated)
  int table_length(int table) const;                      // -1 when missing
  double table_get(int table, int index) const;           // throws on bad table/index
  void table_set(int table, int index, double value);
  // Both copy now, also with async=true: libcsound's async variants keep the caller's
  // pointer and copy later, which no caller can rely on (the flag is kept for the API).
  void table_copy_out(int table, double* dest, std::size_t n, bool async) const;
  void table_copy_in(int table, const double* src, std::size_t n, bool async);
  // Csound's memory, valid until the table is redefined with another size, deleted or
  // resized (libcsound frees it then); empty when the table does not exist.
  std::span<double> table(int table);
  std::span<double> table_args(int table);  // GEN number and arguments; empty when missing
  // The same memory with an owner that keeps it valid for as long as it is held (Csound 6):
  // while it lives libcsound never frees the block. A redefinition with another size, a
  // deletion or ftresize gives the table new memory and leaves this block detached (still
  // readable and writable, no longer the table's); a redefinition with the same size
  // reuses the block, so the view follows the table. The owner keeps the engine alive too.
  // Any thread; waits for the end of a k-cycle running on another thread.
  struct TableView {
    std::span<double> data;       // empty when the table does not exist
    std::shared_ptr<void> owner;  // null when empty
  };
  TableView table_view(int table);
  TableView table_args_view(int table);
  static std::size_t pinned_table_blocks() noexcept;  // blocks held by TableViews now (all instances)

  // --- audio buffers: Csound's own memory (StateError before it exists)
  std::span<double> spin();    // ksmps * nchnls_i, interleaved
  std::span<double> spout();   // ksmps * nchnls, interleaved
  std::span<double> input_buffer();
  std::span<double> output_buffer();
  long input_buffer_size() const;
  long output_buffer_size() const;
  double spout_sample(int frame, int channel) const;  // std::out_of_range outside ksmps x nchnls
  void add_spin_sample(int frame, int channel, double value);
  void set_spin_sample(int frame, int channel, double value);
  // buffer_size >= 0. Remembered: with host audio I/O no real-time audio module is used, so
  // start() does not ask for one. Csound 7 can switch it on only.
  void set_host_implemented_audio_io(bool on, int buffer_size = 0);

  // --- Csound's message buffer (replaces message routing while it exists)
  void create_message_buffer(bool echo);
  void destroy_message_buffer();  // then route_messages() decides where messages go
  int message_count() const;
  std::string first_message() const;
  int first_message_attr() const;
  void pop_first_message();
  std::optional<Message> read_message();  // pops; nullopt when empty
  void message(int attr, const std::string& text);  // prints through Csound

  // --- I/O names, modules, devices
  std::optional<std::string> output_name() const;
  std::optional<std::string> input_name() const;
  void set_output(const std::string& name, const std::optional<std::string>& type,
                  const std::optional<std::string>& format);
  std::pair<std::string, std::string> output_format() const;  // (type, format)
  // The name setters: std::invalid_argument for an empty name or one Csound refuses
  // (input "stdout"); nothing changes once the orchestra is compiled (as libcsound).
  void set_input(const std::string& name);
  void set_midi_input(const std::string& name);
  void set_midi_file_input(const std::string& name);
  void set_midi_output(const std::string& name);
  void set_midi_file_output(const std::string& name);
  void set_rt_audio_module(const std::string& module);
  void set_midi_module(const std::string& module);
  int module(int number, ModuleInfo& out) const;  // Csound status; CSOUND_ERROR past the end
  std::vector<ModuleInfo> modules() const;
  std::vector<AudioDevice> audio_devices(bool output) const;
  std::vector<MidiDevice> midi_devices(bool output) const;
  void* rt_record_user_data() const;
  void* rt_play_user_data() const;

  // --- UDP server and console (port 1..65535, else std::invalid_argument)
  int udp_server_start(int port);
  int udp_server_status() const;
  int udp_server_close();
  int udp_console(const std::string& address, int port, bool mirror);
  void stop_udp_console();

  // --- utilities, environment, global variables, named GENs, opcodes
  // argv[0] is the utility name (put first when args does not start with it).
  int run_utility(const std::string& name, std::vector<std::string> args);
  std::optional<std::vector<std::string>> list_utilities() const;
  std::optional<std::string> utility_description(const std::string& name) const;
  // Csound's environment variable (with_instance: the instance's own first), or nullopt.
  std::optional<std::string> env(const std::string& name, bool with_instance) const;
  int create_global_variable(const std::string& name, long long nbytes);  // CSOUND_ERROR for a bad size
  void* query_global_variable(const std::string& name) const;            // nullptr when not defined
  int destroy_global_variable(const std::string& name);
  int is_named_gen(int number) const;                   // length of the name, 0 when not named
  std::string named_gen(int number, int max_len) const;  // "" when not named; max_len 1..4096
  std::vector<std::pair<std::string, int>> named_gens() const;
  // The opcode list; *status gets csoundNewOpcodeList's count or error code.
  std::vector<OpcodeEntry> opcode_list(int* status = nullptr) const;
  // --- messages and async channel output go through one dispatcher thread;
  // its handler (set on dispatcher()) sorts records by kind.
  Dispatcher& dispatcher() noexcept { return dispatcher_; }
  // true: messages go to the dispatcher; false: printed to stderr as Csound does
  // (or handed to the default message sink, when one is set).
  void route_messages(bool to_dispatcher);

  // Process-wide: where the messages of csoundpp's instances go when they route none
  // themselves (and those printed by an instance after it was destroyed), instead of
  // stderr. nullptr restores stderr. The sink is called on the thread that printed.
  using MessageSink = void (*)(CSOUND* cs, int attr, const char* text);
  static void set_default_message_sink(MessageSink sink) noexcept;

  // --- channel callbacks
  // Input: called synchronously on the performing thread (invalue needs the value now).
  using InputChannelFn = std::function<void(CSOUND*, const char* name, void* value, const void* type)>;
  void set_input_channel_callback(InputChannelFn fn);
  // Output: synchronous (raw pointer form) or delivered through the dispatcher (async=true).
  using OutputChannelFn = std::function<void(CSOUND*, const char* name, void* value, const void* type)>;
  // async=true: outvalue posts OutControl/OutString records to dispatcher() instead of calling fn.
  void set_output_channel_callback(OutputChannelFn fn, bool async);

  // --- host callbacks (file open, yield, graphs, external MIDI, real-time audio, keyboard,
  // sense events) as std::function slots; see host_callbacks.hpp.
  HostCallbacks& hooks() noexcept { return hooks_; }
  bool set_is_graphable(bool on);  // returns the previous setting
  void key_press(char c);          // the key sensekey reports when no keyboard callback answers
  void set_host_implemented_midi_io(bool on);
  // csoundAppendOpcode; libcsound keeps the name and type strings' pointers (the caller's).
  int append_opcode(const char* name, int dsblksiz, int flags, int thread, const char* outypes,
                    const char* intypes, int (*init)(CSOUND*, void*), int (*kperf)(CSOUND*, void*),
                    int (*aperf)(CSOUND*, void*));

  // A Csound call made through this object failed: last compile diagnostics.
  std::string last_errors() const;

  // A slot for the language binding (Python callbacks, host data). Destroyed
  // with the object; the binding's type makes that destruction GIL-safe.
  std::shared_ptr<void> binding_state;

 private:
  void install_callbacks(CSOUND* cs);
  void uninstall_callbacks(CSOUND* cs) noexcept;
  void detach_engine();
  static void message_trampoline(CSOUND* cs, int attr, const char* text);
  static void input_channel_trampoline(CSOUND* cs, const char* name, void* value, const void* type);
  static void output_channel_trampoline(CSOUND* cs, const char* name, void* value, const void* type);
  void check_table(int table) const;
  void set_file_option(const char* what, const char* option, const std::string& name);
  static void cleanup_files(CSOUND* cs) noexcept;  // Csound 6: csoundCleanup; Csound 7: nothing
#if CS_VERSION >= 7
  int perform_buffer_cycles(CSOUND* cs);
  void size_host_buffers(CSOUND* cs);
  int kill_instance_v7(double instr, const char* name, int mode, bool allow_release);
  std::vector<double> host_in_, host_out_;
  std::size_t host_frames_ = 0;
  int requested_frames_ = 0;  // -b before csoundStart
  // Score text given before start(): Csound 7 keeps only the first csoundEventString made
  // before csoundStart (a second one ends the performance at once), so csoundpp gathers it
  // here and start() sends it in one call. Guarded by async_mutex_.
  std::string pre_start_score_;
  bool queue_before_start(const std::string& text);
#endif
  using GuardedFn = int (*)(CSOUND*, const void*);
  enum class KeepOutput { OnFailure, Always, Never };
  int guarded(CSOUND* cs, GuardedFn fn, const void* arg, KeepOutput keep = KeepOutput::OnFailure);
  void set_errors(const std::string& text);
  const double* keep_async_pfields(CSOUND* cs, const double* pfields, long n);
  void check_usable(const char* what) const;
  void check_can_perform(const char* what) const;
  void check_compiled(const char* what) const;
  void check_not_jumped(const char* what) const;
  // After a compile: an orchestra header or option that set more channels than libcsound can
  // clean up makes the instance unusable (never cleaned up, reset() replaces it). Returns r, or
  // CSOUND_ERROR with lastErrors() saying why.
  int check_channels_after_compile(CSOUND* cs, int r);
  // Before csoundStart: values (and overrides) libcsound cannot perform with. Throws CsoundError.
  void check_header_before_start(CSOUND* cs) const;
  class PerformScope;
  class LifecycleScope;
  friend class PerformScope;
  friend class LifecycleScope;

  mutable std::mutex engine_mutex_;  // guards engine_ swaps (never taken on the audio path)
  std::shared_ptr<Engine> engine_;
  std::atomic<CSOUND*> cs_{nullptr};
  void* foreign_host_data_ = nullptr;  // original host data of a wrapped instance
  std::atomic<bool> stop_{false};
  std::atomic<bool> busy_{false};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> started_{false};
  std::atomic<bool> multithreaded_{false};  // set by start(): numThreads > 1
  std::atomic<bool> host_audio_io_{false};
  std::atomic<bool> needs_reset_{false};  // libcsound longjmp'ed out of a call: only reset() helps
  std::atomic<bool> compiled_{false};
  std::atomic<bool> cleaned_{false};
  std::atomic<bool> exit_jumped_{false};      // csoundCleanup ran: perform needs reset() first
  std::atomic<int> bad_channels_{0};          // nchnls past kMaxOutputChannels: set aside (leaked)
  // 0 idle, 1 a perform call runs, 2 destroy/reset/cleanup runs: they exclude each other.
  mutable std::atomic<int> perform_state_{0};
  // Serialises the calls that change the engine (compile, score, events,
  // channel creation) with a k-cycle performed by perform/performKsmps/render
  // on another thread. Recursive: a callback of the performance may call in.
  mutable std::recursive_mutex api_mutex_;

  Dispatcher dispatcher_;
  std::atomic<bool> messages_to_dispatcher_{false};
  // error capture: the last lines Csound printed with CSOUNDMSG_ERROR, for exceptions
  mutable std::mutex errors_mutex_;
  std::string errors_;

  std::mutex async_mutex_;  // caller threads only
  std::deque<std::pair<std::int64_t, std::vector<double>>> async_pfields_;

  HostCallbacks hooks_{*this};
  InputChannelFn input_fn_;
  // The outvalue callback may be replaced while a performance thread runs (libcsound allows
  // it; csoundengine does it right after play()): the performing thread reads an atomic
  // pointer, and every function ever installed stays alive until the instance is destroyed.
  std::atomic<const OutputChannelFn*> output_fn_{nullptr};
  std::mutex output_fns_mutex_;  // setter threads only
  std::vector<std::unique_ptr<OutputChannelFn>> output_fns_;
  std::atomic<bool> output_async_{false};
  std::atomic<bool> have_input_fn_{false};
  std::atomic<bool> have_output_fn_{false};
};

}  // namespace csoundpp
