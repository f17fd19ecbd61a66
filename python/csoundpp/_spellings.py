"""Every spelling csoundpp answers to, as data, applied once at import.

csoundpp answers to the names of several Python APIs for Csound. This table is the one
place that says which name means what; ``apply()`` makes every spelling *the same object*
as its canonical attribute (``Csound.set_option is Csound.setOption``), so an alias costs
nothing per call. Type stubs (scripts/gen_stubs.py) and tests read the same table.

Format
------
``SPELLINGS[scope][canonical] = (Spelling, ...)``

scope
    ``"Csound"`` and ``"PerformanceThread"`` (classes of ``csoundpp._core``; the
    PerformanceThread entries reach ``CsoundPerformanceThread`` by inheritance) and
    ``"module"`` (module-level functions and structures of ``csoundpp``).
canonical
    The attribute that holds the implementation: a pybind11 method, a property, or a
    pure-Python function attached by ``_extras``/``_module_functions``. It is listed
    among its own spellings with the peers that use that name.
``Spelling(name, peer, params=None)``
    ``name``: the spelling. ``peer``: the API that spells it so (one of ``PEERS``).
    One Spelling per (name, peer): two peers that share a name have two Spellings,
    which may record different parameters. ``params``: ``None`` while not recorded (the
    canonical's own parameters apply), else that peer's parameter list written as in a
    ``def`` line, e.g. ``"kind, pfields, block=True"``; ``parameters(spelling)`` parses it
    into ``Param(name, default)`` pairs (``default`` is ``REQUIRED`` when there is none).

Shorthand used below: ``_(("setOption", CTCSOUND, LIBCSOUND7), ("set_option", SNAKE))``
is one Spelling per peer without params; an item may also be a ``Spelling(...)`` with
params, e.g. ``_(Spelling("scoreEvent", LIBCSOUND7, "kind, pfields"), ...)``.

Rules that ``apply()`` enforces (and tests/test_spellings.py checks):
- a spelling never replaces a different attribute (a separately bound method with the
  same name is a conflict, not an alias);
- ``CSND`` spellings go only on ``csoundpp.csnd``'s subclasses, never on csoundpp's classes;
- one name has one canonical per scope.

Where a new spelling goes: add it to its canonical's tuple here, then run
scripts/gen_import_tables.py (``import csoundpp`` binds the aliases from the precomputed
``_import_tables.py``, not from this table: building it costs more than the rest of the
import; tests/test_import_tables.py fails until the tables are regenerated) and
scripts/gen_stubs.sh to refresh the stub. A new method: bind it once under its
canonical name (the ctcsound 6 camelCase where there is one) and add an entry here.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, NamedTuple, Optional, Tuple, Union

# ast and inspect are not imported here: `import csoundpp` applies this table on every start,
# and those two modules alone cost more than the rest of csoundpp's import.

# ---------------------------------------------------------------- peers
CTCSOUND = "ctcsound"        # ctcsound 6.18, camelCase (Debian's python3-csound; seeds 000, 003)
SNAKE = "ctcsound-snake"     # the snake_case ctcsound (seed 002) and the snake_case of its camelCase names
LIBCSOUND6 = "libcsound6"    # libcsound 0.18.x, its Csound 6 API
LIBCSOUND7 = "libcsound7"    # libcsound's Csound 7 API (seed 001)
CTCSOUND7 = "ctcsound7"      # ctcsound7 (PyPI)
CSND = "csnd"                # csnd / csnd6, Csound's C++ interface in PascalCase (seed 004); csoundpp.csnd only
CSOUNDPP = "csoundpp"        # csoundpp's own name (no peer)
PEERS = (CTCSOUND, SNAKE, LIBCSOUND6, LIBCSOUND7, CTCSOUND7, CSND, CSOUNDPP)

class _Required:
    """The default of a parameter that has none (inspect's Parameter.empty, without inspect)."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


class Param(NamedTuple):
    name: str
    default: Any = REQUIRED


class Spelling(NamedTuple):
    name: str
    peer: str
    params: Optional[str] = None


def parameters(spelling: Spelling) -> Optional[Tuple[Param, ...]]:
    """The peer's parameters of a spelling as (name, default) pairs; None when not recorded.

    ``self`` is not written. ``*args``/``**kwargs`` keep their stars in the name."""
    if spelling.params is None:
        return None
    # 704 recorded parameter lists, 127 distinct texts: each is parsed once (import time:
    # csoundpp/__init__ installs the keyword fallbacks from them).
    parsed = _PARSED.get(spelling.params)
    if parsed is None:
        parsed = _PARSED[spelling.params] = _parse_parameters(spelling.params)
    return parsed


_PARSED: Dict[str, Tuple[Param, ...]] = {}


def _parse_parameters(text: str) -> Tuple[Param, ...]:
    import ast

    fn = ast.parse(f"def f({text}): pass").body[0]
    assert isinstance(fn, ast.FunctionDef)
    a = fn.args
    out = []
    positional = a.posonlyargs + a.args
    defaults = [REQUIRED] * (len(positional) - len(a.defaults)) + [ast.literal_eval(d) for d in a.defaults]
    out += [Param(p.arg, d) for p, d in zip(positional, defaults)]
    if a.vararg:
        out.append(Param("*" + a.vararg.arg))
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        out.append(Param(p.arg, REQUIRED if d is None else ast.literal_eval(d)))
    if a.kwarg:
        out.append(Param("**" + a.kwarg.arg))
    return tuple(out)


def _(*items: Union[Spelling, Tuple[str, ...]]) -> Tuple[Spelling, ...]:
    out = []
    for item in items:
        if isinstance(item, Spelling):
            out.append(item)
        else:
            name, *peers = item
            if not peers:
                raise ValueError(f"spelling {name!r} names no peer")
            out.extend(Spelling(name, p) for p in peers)
    return tuple(out)


Table = Dict[str, Dict[str, Tuple[Spelling, ...]]]

# ---------------------------------------------------------------- the table
SPELLINGS: Table = {
    "Csound": {
        "A4": _(("A4", CTCSOUND, SNAKE, LIBCSOUND7)),
        "addSpinSample": _(("addSpinSample", CTCSOUND), ("add_spin_sample", SNAKE), ("AddSpinSample", CSND)),
        "allocatedChannels": _(("allocatedChannels", LIBCSOUND7), ("allocated_channels", SNAKE)),
        "APIVersion": _(
            ("APIVersion", CTCSOUND, LIBCSOUND7),
            ("API_version", SNAKE),
            ("GetAPIVersion", CSND),
        ),
        "appendOpcode": _(
            ("appendOpcode", CTCSOUND, LIBCSOUND7),
            ("append_opcode", SNAKE),
            ("AppendOpcode", CSND),
        ),
        "arrayData": _(("arrayData", LIBCSOUND7)),
        "arrayDataDimensions": _(("arrayDataDimensions", LIBCSOUND7)),
        "arrayDataSizes": _(("arrayDataSizes", LIBCSOUND7)),
        "arrayDataType": _(("arrayDataType", LIBCSOUND7)),
        "audioChannel": _(
            ("audioChannel", CTCSOUND, LIBCSOUND7),
            ("audio_channel", SNAKE),
            ("GetAudioChannel", CSND),
        ),
        "audioDevList": _(("audioDevList", CTCSOUND, LIBCSOUND7), ("audio_dev_list", SNAKE)),
        "channelDatasize": _(("channelDatasize", CTCSOUND, LIBCSOUND7), ("channel_datasize", SNAKE)),
        "channelExists": _(("channelExists", LIBCSOUND6, CTCSOUND7), ("channel_exists", SNAKE)),
        "channelInfo": _(("channelInfo", LIBCSOUND7), ("channel_info", SNAKE)),
        "channelLock": _(("channelLock", CTCSOUND), ("channel_lock", SNAKE)),
        "channelPtr": _(
            ("channelPtr", CTCSOUND, LIBCSOUND7),
            ("channel_ptr", SNAKE),
            ("GetChannelPtr", CSND),
        ),
        "channels": _(("channels", SNAKE)),
        "channelType": _(("channelType", CSOUNDPP)),
        "channelVarTypeName": _(("channelVarTypeName", LIBCSOUND7)),
        "cleanup": _(("cleanup", CTCSOUND, SNAKE, LIBCSOUND7), ("Cleanup", CSND)),
        "clearSpin": _(("clearSpin", CTCSOUND), ("clear_spin", SNAKE)),
        "closeLibrary": _(("closeLibrary", CTCSOUND)),
        "compile_": _(("compile_", CTCSOUND, SNAKE), ("compile", LIBCSOUND6, CTCSOUND7), ("Compile", CSND)),
        "cs": _(("cs", CTCSOUND)),
        "compile_csd": _(("compile_csd", SNAKE)),
        "compile_orc": _(("compile_orc", SNAKE)),
        "compileArgs": _(
            ("compileArgs", CTCSOUND),
            ("compileCommandLine", LIBCSOUND7),
            ("compile_args", SNAKE),
            ("compile_command_line", SNAKE),
            ("CompileArgs", CSND),
        ),
        "compileCsd": _(("compileCsd", CTCSOUND, LIBCSOUND7), ("CompileCsd", CSND)),
        "compileCsdText": _(
            ("compileCsdText", CTCSOUND, LIBCSOUND7),
            ("compile_csd_text", SNAKE),
            ("CompileCsdText", CSND),
        ),
        "compileOrc": _(("compileOrc", CTCSOUND, LIBCSOUND7), ("CompileOrc", CSND)),
        "compileOrcAsync": _(("compileOrcAsync", CTCSOUND, LIBCSOUND7), ("compile_orc_async", SNAKE)),
        "compileOrcHeader": _(("compileOrcHeader", LIBCSOUND7), ("compile_orc_header", SNAKE)),
        "compileTree": _(("compileTree", CTCSOUND), ("compile_tree", SNAKE), ("CompileTree", CSND)),
        "compileTreeAsync": _(("compileTreeAsync", CTCSOUND), ("compile_tree_async", SNAKE)),
        "controlChannel": _(("controlChannel", CTCSOUND, LIBCSOUND7), ("control_channel", SNAKE)),
        "controlChannelHints": _(
            ("controlChannelHints", CTCSOUND, LIBCSOUND7),
            ("control_channel_hints", SNAKE),
            ("GetControlChannelHints", CSND),
        ),
        "CPUTime": _(("CPUTime", CTCSOUND), ("CPU_time", SNAKE)),
        "createBarrier": _(("createBarrier", CTCSOUND), ("create_barrier", SNAKE)),
        "createCircularBuffer": _(
            ("createCircularBuffer", CTCSOUND, LIBCSOUND7),
            ("create_circular_buffer", SNAKE),
        ),
        "createGlobalVariable": _(
            ("createGlobalVariable", CTCSOUND),
            ("create_global_variable", SNAKE),
            ("CreateGlobalVariable", CSND),
        ),
        "createMessageBuffer": _(
            ("createMessageBuffer", CTCSOUND, LIBCSOUND7),
            ("create_message_buffer", SNAKE),
            ("CreateMessageBuffer", CSND),
        ),
        "createMutex": _(("createMutex", CTCSOUND), ("create_mutex", SNAKE)),
        "createThread": _(("createThread", CTCSOUND), ("create_thread", SNAKE)),
        "createThread2": _(("createThread2", CTCSOUND)),
        "createThreadLock": _(("createThreadLock", CTCSOUND), ("create_thread_lock", SNAKE)),
        "csound": _(("csound", CTCSOUND, SNAKE, LIBCSOUND7)),
        "currentThreadId": _(("currentThreadId", CTCSOUND), ("current_thread_id", SNAKE)),
        "currentTimeSamples": _(
            ("currentTimeSamples", CTCSOUND, LIBCSOUND7),
            ("current_time_samples", SNAKE),
            ("GetCurrentTimeSamples", CSND),
        ),
        "debug": _(("debug", CTCSOUND, SNAKE, LIBCSOUND7), ("GetDebug", CSND)),
        "deleteChannelList": _(
            ("deleteChannelList", CTCSOUND, LIBCSOUND7),
            ("delete_channel_list", SNAKE),
            ("DeleteChannelList", CSND),
        ),
        "deleteTree": _(("deleteTree", CTCSOUND), ("delete_tree", SNAKE), ("DeleteTree", CSND)),
        "destroy": _(("destroy", CSOUNDPP), ("close", CSOUNDPP)),
        "destroyBarrier": _(("destroyBarrier", CTCSOUND), ("destroy_barrier", SNAKE)),
        "destroyCircularBuffer": _(
            ("destroyCircularBuffer", CTCSOUND, LIBCSOUND7),
            ("destroy_circular_buffer", SNAKE),
        ),
        "destroyed": _(("destroyed", CSOUNDPP)),
        "destroyGlobalVariable": _(
            ("destroyGlobalVariable", CTCSOUND),
            ("destroy_global_variable", SNAKE),
            ("DestroyGlobalVariable", CSND),
        ),
        "destroyMessageBuffer": _(
            ("destroyMessageBuffer", CTCSOUND, LIBCSOUND7),
            ("destroy_message_buffer", SNAKE),
            ("DestroyMessageBuffer", CSND),
        ),
        "destroyMutex": _(("destroyMutex", CTCSOUND), ("destroy_mutex", SNAKE)),
        "destroyThreadLock": _(("destroyThreadLock", CTCSOUND), ("destroy_thread_lock", SNAKE)),
        "disposeOpcodeList": _(
            ("disposeOpcodeList", CTCSOUND),
            ("dispose_opcode_list", SNAKE),
            ("DisposeOpcodeList", CSND),
        ),
        "droppedMessages": _(("droppedMessages", CSOUNDPP)),
        "env": _(("env", CTCSOUND, SNAKE, LIBCSOUND7), ("GetEnv", CSND)),
        "evalCode": _(("evalCode", CTCSOUND, LIBCSOUND7), ("eval_code", SNAKE), ("EvalCode", CSND)),
        "event": _(("event", SNAKE, LIBCSOUND7)),
        "event_string": _(("event_string", SNAKE)),
        "eventString": _(("eventString", LIBCSOUND7)),
        "firstMessage": _(
            ("firstMessage", CTCSOUND, LIBCSOUND7),
            ("first_message", SNAKE),
            ("GetFirstMessage", CSND),
        ),
        "firstMessageAttr": _(
            ("firstMessageAttr", CTCSOUND, LIBCSOUND7),
            ("first_message_attr", SNAKE),
            ("GetFirstMessageAttr", CSND),
        ),
        "flushCircularBuffer": _(
            ("flushCircularBuffer", CTCSOUND, LIBCSOUND7),
            ("flush_circular_buffer", SNAKE),
        ),
        "flushMessages": _(("flushMessages", CSOUNDPP), ("flush_messages", CSOUNDPP)),
        "get0dBFS": _(
            ("get0dBFS", CTCSOUND, LIBCSOUND7),
            ("get_0dBFS", SNAKE),
            ("zerodBFS", CSOUNDPP),
            ("Get0dBFS", CSND),
        ),
        "getLibrarySymbol": _(("getLibrarySymbol", CTCSOUND)),
        "getOpcodes": _(("getOpcodes", LIBCSOUND6, CTCSOUND7), ("get_opcodes", SNAKE)),
        "hostData": _(("hostData", CTCSOUND, LIBCSOUND7), ("host_data", SNAKE), ("GetHostData", CSND)),
        "initArrayChannel": _(("initArrayChannel", LIBCSOUND7)),
        "initPvsChannel": _(("initPvsChannel", LIBCSOUND7), ("init_pvs_channel", SNAKE)),
        "initTimerStruct": _(("initTimerStruct", CTCSOUND), ("init_timer_struct", SNAKE)),
        "inputBuffer": _(("inputBuffer", CTCSOUND), ("input_buffer", SNAKE), ("GetInputBuffer", CSND)),
        "inputBufferSize": _(
            ("inputBufferSize", CTCSOUND),
            ("input_buffer_size", SNAKE),
            ("GetInputBufferSize", CSND),
        ),
        "inputMessage": _(
            ("inputMessage", CTCSOUND, LIBCSOUND7),
            ("input_message", SNAKE),
            ("InputMessage", CSND),
        ),
        "inputMessageAsync": _(("inputMessageAsync", CTCSOUND, LIBCSOUND7), ("input_message_async", SNAKE)),
        "inputName": _(("inputName", CTCSOUND), ("input_name", SNAKE), ("GetInputName", CSND)),
        "instrNumber": _(("instrNumber", LIBCSOUND7), ("instr_number", SNAKE)),
        "isNamedGEN": _(("isNamedGEN", CTCSOUND), ("is_named_GEN", SNAKE)),
        "isScorePending": _(
            ("isScorePending", CTCSOUND, LIBCSOUND7),
            ("is_score_pending", SNAKE),
            ("IsScorePending", CSND),
        ),
        "iterMessages": _(("iterMessages", LIBCSOUND7), ("iter_messages", SNAKE)),
        "joinThread": _(("joinThread", CTCSOUND), ("join_thread", SNAKE)),
        "keyPress": _(("keyPress", CTCSOUND, LIBCSOUND7), ("key_press", SNAKE)),
        "killInstance": _(("killInstance", CTCSOUND, LIBCSOUND7), ("kill_instance", SNAKE)),
        "kr": _(("kr", CTCSOUND, SNAKE, LIBCSOUND7), ("GetKr", CSND)),
        "ksmps": _(("ksmps", CTCSOUND, SNAKE, LIBCSOUND7), ("GetKsmps", CSND)),
        "lastErrors": _(("lastErrors", CSOUNDPP), ("last_errors", CSOUNDPP)),
        "listChannels": _(
            ("listChannels", CTCSOUND, LIBCSOUND7),
            ("list_channels", SNAKE),
            ("ListChannels", CSND),
        ),
        "listUtilities": _(("listUtilities", CTCSOUND), ("list_utilities", SNAKE), ("ListUtilities", CSND)),
        "loadPlugins": _(
            ("loadPlugins", CTCSOUND, LIBCSOUND7),
            ("load_plugins", SNAKE),
            ("LoadPlugins", CSND),
        ),
        "lockChannel": _(("lockChannel", LIBCSOUND7), ("lock_channel", SNAKE)),
        "lockMutex": _(("lockMutex", CTCSOUND), ("lock_mutex", SNAKE)),
        "lockMutexNoWait": _(("lockMutexNoWait", CTCSOUND), ("lock_mutex_no_wait", SNAKE)),
        "message": _(("message", CTCSOUND, SNAKE, LIBCSOUND7), ("Message", CSND)),
        "messageCnt": _(
            ("messageCnt", CTCSOUND, LIBCSOUND7),
            ("message_cnt", SNAKE),
            ("GetMessageCnt", CSND),
        ),
        "messageLevel": _(
            ("messageLevel", CTCSOUND, LIBCSOUND7),
            ("message_level", SNAKE),
            ("GetMessageLevel", CSND),
        ),
        "messageS": _(("messageS", CTCSOUND, LIBCSOUND7), ("message_S", SNAKE), ("MessageS", CSND)),
        "midiDevList": _(("midiDevList", CTCSOUND, LIBCSOUND7), ("midi_dev_list", SNAKE)),
        "midiOutputDropped": _(("midiOutputDropped", CSOUNDPP)),
        "module": _(("module", CTCSOUND, SNAKE, LIBCSOUND7)),
        "modules": _(("modules", LIBCSOUND7)),
        "namedGEN": _(("namedGEN", CTCSOUND), ("named_GEN", SNAKE)),
        "namedGenList": _(("namedGenList", CSOUNDPP)),
        "namedGens": _(("namedGens", CTCSOUND), ("named_gens", SNAKE)),
        "nchnls": _(("nchnls", CTCSOUND, SNAKE, LIBCSOUND7), ("GetNchnls", CSND)),
        "nchnlsInput": _(
            ("nchnlsInput", CTCSOUND, LIBCSOUND7),
            ("nchnls_input", SNAKE),
            ("GetNchnlsInput", CSND),
        ),
        "newOpcodeList": _(("newOpcodeList", CTCSOUND), ("new_opcode_list", SNAKE), ("NewOpcodeList", CSND)),
        "notifyThreadLock": _(("notifyThreadLock", CTCSOUND), ("notify_thread_lock", SNAKE)),
        "openLibrary": _(("openLibrary", CTCSOUND)),
        "outputBuffer": _(("outputBuffer", CTCSOUND), ("output_buffer", SNAKE), ("GetOutputBuffer", CSND)),
        "outputBufferSize": _(
            ("outputBufferSize", CTCSOUND),
            ("output_buffer_size", SNAKE),
            ("GetOutputBufferSize", CSND),
        ),
        "outputFormat": _(("outputFormat", CTCSOUND), ("output_format", SNAKE)),
        "outputName": _(("outputName", CTCSOUND), ("output_name", SNAKE), ("GetOutputName", CSND)),
        "params": _(("params", CTCSOUND, SNAKE, LIBCSOUND7), ("GetParams", CSND)),
        "parseOrc": _(("parseOrc", CTCSOUND), ("parse_orc", SNAKE), ("ParseOrc", CSND)),
        "peekCircularBuffer": _(
            ("peekCircularBuffer", CTCSOUND, LIBCSOUND7),
            ("peek_circular_buffer", SNAKE),
        ),
        "perform": _(("perform", CTCSOUND, SNAKE, LIBCSOUND7), ("Perform", CSND)),
        "performanceThread": _(("performanceThread", LIBCSOUND7, CTCSOUND7), ("performance_thread", SNAKE)),
        "performBuffer": _(("performBuffer", CTCSOUND), ("perform_buffer", SNAKE), ("PerformBuffer", CSND)),
        "performKsmps": _(
            ("performKsmps", CTCSOUND, LIBCSOUND7),
            ("perform_ksmps", SNAKE),
            ("PerformKsmps", CSND),
        ),
        "performKsmpsInto": _(("performKsmpsInto", CSOUNDPP), ("perform_ksmps_into", CSOUNDPP)),
        "popFirstMessage": _(
            ("popFirstMessage", CTCSOUND, LIBCSOUND7),
            ("pop_first_message", SNAKE),
            ("PopFirstMessage", CSND),
        ),
        "popMidiOutput": _(("popMidiOutput", CSOUNDPP), ("pop_midi_output", CSOUNDPP)),
        "pushMidi": _(("pushMidi", CSOUNDPP), ("push_midi", CSOUNDPP)),
        "pvsChannel": _(("pvsChannel", CTCSOUND), ("pvs_channel", SNAKE), ("PvsoutGet", CSND)),
        "pvsData": _(("pvsData", LIBCSOUND7)),
        "pvsDataFftSize": _(("pvsDataFftSize", LIBCSOUND7)),
        "pvsDataFormat": _(("pvsDataFormat", LIBCSOUND7)),
        "pvsDataFramecount": _(("pvsDataFramecount", LIBCSOUND7)),
        "pvsDataOverlap": _(("pvsDataOverlap", LIBCSOUND7)),
        "pvsDataWindowSize": _(("pvsDataWindowSize", LIBCSOUND7)),
        "queryGlobalVariable": _(
            ("queryGlobalVariable", CTCSOUND),
            ("queryGlobalVariableNoCheck", CTCSOUND),
            ("query_global_variable", SNAKE),
            ("QueryGlobalVariable", CSND),
            ("QueryGlobalVariableNoCheck", CSND),
        ),
        "rand31": _(("rand31", CTCSOUND, SNAKE)),
        "randMT": _(("randMT", CTCSOUND), ("rand_MT", SNAKE)),
        "randomSeedFromTime": _(("randomSeedFromTime", CTCSOUND), ("random_seed_from_time", SNAKE)),
        "readCircularBuffer": _(
            ("readCircularBuffer", CTCSOUND, LIBCSOUND7),
            ("read_circular_buffer", SNAKE),
        ),
        "readMessage": _(("readMessage", LIBCSOUND7), ("read_message", SNAKE)),
        "readScore": _(("readScore", CTCSOUND), ("read_score", SNAKE), ("ReadScore", CSND)),
        "readScoreAsync": _(("readScoreAsync", CTCSOUND), ("read_score_async", SNAKE)),
        "realTime": _(("realTime", CTCSOUND), ("real_time", SNAKE)),
        "registerKeyboardCallback": _(
            ("registerKeyboardCallback", CTCSOUND, LIBCSOUND7),
            ("register_keyboard_callback", SNAKE),
        ),
        "registerSenseEventCallback": _(
            ("registerSenseEventCallback", CTCSOUND),
            ("register_sense_event_callback", SNAKE),
            ("RegisterSenseEventCallback", CSND),
        ),
        "removeKeyboardCallback": _(
            ("removeKeyboardCallback", CTCSOUND, LIBCSOUND7),
            ("remove_keyboard_callback", SNAKE),
        ),
        "render": _(("render", CSOUNDPP)),
        "reset": _(("reset", CTCSOUND, SNAKE, LIBCSOUND7), ("Reset", CSND)),
        "rewindScore": _(
            ("rewindScore", CTCSOUND, LIBCSOUND7),
            ("rewind_score", SNAKE),
            ("RewindScore", CSND),
        ),
        "rtPlaydUserData": _(
            ("rtPlaydUserData", CTCSOUND),
            ("rtPlayUserData", CSOUNDPP),
            ("rt_play_user_data", SNAKE),
            ("GetRtPlayUserData", CSND),
        ),
        "rtRecordUserData": _(
            ("rtRecordUserData", CTCSOUND),
            ("rt_record_user_data", SNAKE),
            ("GetRtRecordUserData", CSND),
        ),
        "runCommand": _(("runCommand", CTCSOUND), ("run_command", SNAKE)),
        "runUtility": _(("runUtility", CTCSOUND, LIBCSOUND7), ("run_utility", SNAKE), ("RunUtility", CSND)),
        "scoreEvent": _(("scoreEvent", CTCSOUND, LIBCSOUND7), ("score_event", SNAKE), ("ScoreEvent", CSND)),
        "scoreEventAbsolute": _(
            ("scoreEventAbsolute", CTCSOUND),
            ("score_event_absolute", SNAKE),
            ("ScoreEventAbsolute", CSND),
        ),
        "scoreEventAbsoluteAsync": _(
            ("scoreEventAbsoluteAsync", CTCSOUND),
            ("score_event_absolute_async", SNAKE),
        ),
        "scoreEventAsync": _(("scoreEventAsync", CTCSOUND, LIBCSOUND7), ("score_event_async", SNAKE)),
        "scoreOffsetSeconds": _(
            ("scoreOffsetSeconds", CTCSOUND, LIBCSOUND7),
            ("score_offset_seconds", SNAKE),
            ("GetScoreOffsetSeconds", CSND),
        ),
        "scoreTime": _(("scoreTime", CTCSOUND, LIBCSOUND7), ("score_time", SNAKE), ("GetScoreTime", CSND)),
        "seedRandMT": _(("seedRandMT", CTCSOUND), ("seed_rand_MT", SNAKE)),
        "setArrayData": _(("setArrayData", LIBCSOUND7)),
        "setAudioChannel": _(
            ("setAudioChannel", CTCSOUND, LIBCSOUND7),
            ("set_audio_channel", SNAKE),
            ("SetAudioChannel", CSND),
        ),
        "setAudioDevListCallback": _(
            ("setAudioDevListCallback", CTCSOUND),
            ("set_audio_dev_list_callback", SNAKE),
        ),
        "setControlChannel": _(
            ("setControlChannel", CTCSOUND, LIBCSOUND7),
            ("set_control_channel", SNAKE),
            ("SetControlChannel", CSND),
        ),
        "setControlChannelHints": _(
            ("setControlChannelHints", CTCSOUND, LIBCSOUND7),
            ("set_control_channel_hints", SNAKE),
            ("SetControlChannelHints", CSND),
        ),
        "setCscoreCallback": _(
            ("setCscoreCallback", CTCSOUND),
            ("set_cscore_callback", SNAKE),
            ("SetCscoreCallback", CSND),
        ),
        "setDebug": _(("setDebug", CTCSOUND, LIBCSOUND7), ("set_debug", SNAKE), ("SetDebug", CSND)),
        "setDrawGraphCallback": _(
            ("setDrawGraphCallback", CTCSOUND, LIBCSOUND7),
            ("set_draw_graph_callback", SNAKE),
            ("SetDrawGraphCallback", CSND),
        ),
        "setEndMarker": _(("setEndMarker", LIBCSOUND7), ("set_end_marker", SNAKE)),
        "setExitGraphCallback": _(
            ("setExitGraphCallback", CTCSOUND, LIBCSOUND7),
            ("set_exit_graph_callback", SNAKE),
            ("SetExitGraphCallback", CSND),
        ),
        "setExternalMidiErrorStringCallback": _(
            ("setExternalMidiErrorStringCallback", CTCSOUND, LIBCSOUND7),
            ("set_external_midi_error_string_callback", SNAKE),
            ("SetExternalMidiErrorStringCallback", CSND),
        ),
        "setExternalMidiInCloseCallback": _(
            ("setExternalMidiInCloseCallback", CTCSOUND, LIBCSOUND7),
            ("set_external_midi_in_close_callback", SNAKE),
            ("SetExternalMidiInCloseCallback", CSND),
        ),
        "setExternalMidiInOpenCallback": _(
            ("setExternalMidiInOpenCallback", CTCSOUND, LIBCSOUND7),
            ("set_external_midi_in_open_callback", SNAKE),
            ("SetExternalMidiInOpenCallback", CSND),
        ),
        "setExternalMidiOutCloseCallback": _(
            ("setExternalMidiOutCloseCallback", CTCSOUND, LIBCSOUND7),
            ("set_external_midi_out_close_callback", SNAKE),
            ("SetExternalMidiOutCloseCallback", CSND),
        ),
        "setExternalMidiOutOpenCallback": _(
            ("setExternalMidiOutOpenCallback", CTCSOUND, LIBCSOUND7),
            ("set_external_midi_out_open_callback", SNAKE),
            ("SetExternalMidiOutOpenCallback", CSND),
        ),
        "setExternalMidiReadCallback": _(
            ("setExternalMidiReadCallback", CTCSOUND, LIBCSOUND7),
            ("set_external_midi_read_callback", SNAKE),
            ("SetExternalMidiReadCallback", CSND),
        ),
        "setExternalMidiWriteCallback": _(
            ("setExternalMidiWriteCallback", CTCSOUND, LIBCSOUND7),
            ("set_external_midi_write_callback", SNAKE),
            ("SetExternalMidiWriteCallback", CSND),
        ),
        "setFileOpenCallback": _(
            ("setFileOpenCallback", CTCSOUND),
            ("set_file_open_callback", SNAKE),
            ("setOpenFileCallback", LIBCSOUND7),
        ),
        "setGlobalEnv": _(
            ("setGlobalEnv", CTCSOUND, LIBCSOUND7),
            ("set_global_env", SNAKE),
            ("SetGlobalEnv", CSND),
        ),
        "setHostAudioIO": _(("setHostAudioIO", LIBCSOUND7), ("set_host_audio_IO", SNAKE)),
        "setHostData": _(
            ("setHostData", CTCSOUND, LIBCSOUND7),
            ("set_host_data", SNAKE),
            ("SetHostData", CSND),
        ),
        "setHostImplementedAudioIO": _(
            ("setHostImplementedAudioIO", CTCSOUND),
            ("set_host_implemented_audio_IO", SNAKE),
            ("SetHostImplementedAudioIO", CSND),
        ),
        "setHostImplementedMIDIIO": _(
            ("setHostImplementedMIDIIO", CTCSOUND),
            ("setHostImplementedMidiIO", LIBCSOUND7),
            ("set_host_implemented_MIDI_IO", SNAKE),
            ("SetHostImplementedMIDIIO", CSND),
        ),
        "setHostMidiIO": _(("setHostMidiIO", LIBCSOUND7), ("set_host_midi_IO", SNAKE)),
        "setInput": _(("setInput", CTCSOUND, LIBCSOUND7), ("set_input", SNAKE), ("SetInput", CSND)),
        "setInputChannelCallback": _(
            ("setInputChannelCallback", CTCSOUND, LIBCSOUND7),
            ("set_input_channel_callback", SNAKE),
            ("SetInputChannelCallback", CSND),
        ),
        "setIsGraphable": _(
            ("setIsGraphable", CTCSOUND, LIBCSOUND7),
            ("set_is_graphable", SNAKE),
            ("SetIsGraphable", CSND),
        ),
        "setKillGraphCallback": _(
            ("setKillGraphCallback", CTCSOUND, LIBCSOUND7),
            ("set_kill_graph_callback", SNAKE),
            ("SetKillGraphCallback", CSND),
        ),
        "setLanguage": _(("setLanguage", CTCSOUND), ("set_language", SNAKE)),
        "setMakeGraphCallback": _(
            ("setMakeGraphCallback", CTCSOUND, LIBCSOUND7),
            ("set_make_graph_callback", SNAKE),
            ("SetMakeGraphCallback", CSND),
        ),
        "setMessageLevel": _(
            ("setMessageLevel", CTCSOUND, LIBCSOUND7),
            ("set_message_level", SNAKE),
            ("SetMessageLevel", CSND),
        ),
        "setMessageStringCallback": _(
            ("setMessageStringCallback", LIBCSOUND7),
            ("set_message_string_callback", SNAKE),
            ("SetMessageCallback", CSND),
        ),
        "setMidiDevListCallback": _(
            ("setMidiDevListCallback", CTCSOUND),
            ("setMidiDeviceListCallback", LIBCSOUND7),
            ("set_midi_dev_list_callback", SNAKE),
        ),
        "setMIDIFileInput": _(
            ("setMIDIFileInput", CTCSOUND),
            ("setMidiFileInput", LIBCSOUND6),
            ("set_midi_file_input", SNAKE),
            ("SetMIDIFileInput", CSND),
        ),
        "setMIDIFileOutput": _(
            ("setMidiFileOutput", LIBCSOUND6),
            ("setMIDIFileOutput", CTCSOUND),
            ("set_midi_file_output", SNAKE),
            ("SetMIDIFileOutput", CSND),
        ),
        "setMIDIInput": _(
            ("setMIDIInput", CTCSOUND),
            ("setMidiInput", LIBCSOUND7),
            ("set_midi_input", SNAKE),
            ("SetMIDIInput", CSND),
        ),
        "setMIDIModule": _(
            ("setMIDIModule", CTCSOUND),
            ("setMidiModule", LIBCSOUND7),
            ("set_midi_module", SNAKE),
        ),
        "setMIDIOutput": _(
            ("setMIDIOutput", CTCSOUND),
            ("setMidiOutput", LIBCSOUND6),
            ("set_midi_output", SNAKE),
            ("SetMIDIOutput", CSND),
        ),
        "setOpenSoundFileCallback": _(("setOpenSoundFileCallback", LIBCSOUND7)),
        "setOption": _(("setOption", CTCSOUND, LIBCSOUND7), ("set_option", SNAKE), ("SetOption", CSND)),
        "setOutput": _(("setOutput", CTCSOUND, LIBCSOUND7), ("set_output", SNAKE), ("SetOutput", CSND)),
        "setOutputChannelCallback": _(
            ("setOutputChannelCallback", CTCSOUND, LIBCSOUND7),
            ("set_output_channel_callback", SNAKE),
            ("SetOutputChannelCallback", CSND),
        ),
        "setParams": _(("setParams", CTCSOUND), ("set_params", SNAKE), ("SetParams", CSND)),
        "setPlayOpenCallback": _(
            ("setPlayOpenCallback", CTCSOUND),
            ("set_play_open_callback", SNAKE),
            ("SetPlayopenCallback", CSND),
        ),
        "setPvsChannel": _(("setPvsChannel", CTCSOUND), ("set_pvs_channel", SNAKE), ("PvsinSet", CSND)),
        "setPvsData": _(("setPvsData", LIBCSOUND7)),
        "setRecordOpenCallback": _(
            ("setRecordOpenCallback", CTCSOUND),
            ("set_record_open_callback", SNAKE),
            ("SetRecopenCallback", CSND),
        ),
        "setRTAudioModule": _(
            ("setRTAudioModule", CTCSOUND, LIBCSOUND7),
            ("set_RT_audio_module", SNAKE),
            ("set_rt_audio_module", SNAKE),
        ),
        "setRtCloseCallback": _(
            ("setRtCloseCallback", CTCSOUND),
            ("set_rt_close_callback", SNAKE),
            ("SetRtcloseCallback", CSND),
        ),
        "setRtPlayCallback": _(
            ("setRtPlayCallback", CTCSOUND),
            ("set_rt_play_callback", SNAKE),
            ("SetRtplayCallback", CSND),
        ),
        "setRtRecordCallback": _(
            ("setRtRecordCallback", CTCSOUND),
            ("set_rt_record_callback", SNAKE),
            ("SetRtrecordCallback", CSND),
        ),
        "setScoreOffsetSeconds": _(
            ("setScoreOffsetSeconds", CTCSOUND, LIBCSOUND7),
            ("set_score_offset_seconds", SNAKE),
            ("SetScoreOffsetSeconds", CSND),
        ),
        "setScorePending": _(
            ("setScorePending", CTCSOUND, LIBCSOUND7),
            ("set_score_pending", SNAKE),
            ("SetScorePending", CSND),
        ),
        "setSpinSample": _(("setSpinSample", CTCSOUND), ("set_spin_sample", SNAKE), ("SetSpinSample", CSND)),
        "setStringChannel": _(
            ("setStringChannel", CTCSOUND, LIBCSOUND7),
            ("set_string_channel", SNAKE),
            ("SetStringChannel", CSND),
        ),
        "setStringData": _(("setStringData", LIBCSOUND7)),
        "setYieldCallback": _(
            ("setYieldCallback", CTCSOUND),
            ("set_yield_callback", SNAKE),
            ("SetYieldCallback", CSND),
        ),
        "sizeOfMYFLT": _(("sizeOfMYFLT", CTCSOUND, LIBCSOUND7), ("size_of_MYFLT", SNAKE)),
        "sleep": _(("sleep", CTCSOUND, SNAKE, LIBCSOUND7)),
        "spin": _(("spin", CTCSOUND, SNAKE, LIBCSOUND7), ("GetSpin", CSND)),
        "spinLock": _(("spinLock", CTCSOUND), ("spin_lock", SNAKE)),
        "spinLockInit": _(("spinLockInit", CTCSOUND), ("spin_lock_init", SNAKE)),
        "spinTryLock": _(("spinTryLock", CTCSOUND), ("spin_try_lock", SNAKE)),
        "spinUnlock": _(("spinUnlock", CTCSOUND), ("spin_unlock", SNAKE)),
        "spout": _(("spout", CTCSOUND, SNAKE, LIBCSOUND7), ("GetSpout", CSND)),
        "spoutSample": _(("spoutSample", CTCSOUND), ("spout_sample", SNAKE), ("GetSpoutSample", CSND)),
        "sr": _(("sr", CTCSOUND, SNAKE, LIBCSOUND7), ("GetSr", CSND)),
        "start": _(("start", CTCSOUND, SNAKE, LIBCSOUND7), ("Start", CSND)),
        "stop": _(("stop", CTCSOUND, SNAKE, LIBCSOUND7), ("Stop", CSND)),
        "stopUDPConsole": _(("stopUDPConsole", CTCSOUND), ("stop_udp_console", SNAKE)),
        "stringChannel": _(("stringChannel", CTCSOUND, LIBCSOUND7), ("string_channel", SNAKE)),
        "stringData": _(("stringData", LIBCSOUND7)),
        "systemSr": _(("systemSr", CTCSOUND, LIBCSOUND7), ("system_sr", SNAKE), ("SystemSr", CSND)),
        "table": _(("table", CTCSOUND, SNAKE, LIBCSOUND7), ("GetTable", CSND)),
        "tableArgs": _(("tableArgs", CTCSOUND, SNAKE, LIBCSOUND7), ("table_args", SNAKE)),
        "tableCopyIn": _(("tableCopyIn", CTCSOUND), ("table_copy_in", SNAKE), ("TableCopyIn", CSND)),
        "tableCopyInAsync": _(("tableCopyInAsync", CTCSOUND), ("table_copy_in_async", SNAKE)),
        "tableCopyOut": _(("tableCopyOut", CTCSOUND), ("table_copy_out", SNAKE), ("TableCopyOut", CSND)),
        "tableCopyOutAsync": _(("tableCopyOutAsync", CTCSOUND), ("table_copy_out_async", SNAKE)),
        "tableGet": _(("tableGet", CTCSOUND), ("table_get", SNAKE), ("TableGet", CSND)),
        "tableLength": _(
            ("tableLength", CTCSOUND, LIBCSOUND7),
            ("table_length", SNAKE),
            ("TableLength", CSND),
        ),
        "tableSet": _(("tableSet", CTCSOUND), ("table_set", SNAKE), ("TableSet", CSND)),
        "UDPConsole": _(("UDPConsole", CTCSOUND), ("udp_console", SNAKE)),
        "UDPServerClose": _(("UDPServerClose", CTCSOUND), ("udp_server_close", SNAKE)),
        "UDPServerStart": _(("UDPServerStart", CTCSOUND, LIBCSOUND7), ("udp_server_start", SNAKE)),
        "UDPServerStatus": _(("UDPServerStatus", CTCSOUND), ("udp_server_status", SNAKE)),
        "unlockChannel": _(("unlockChannel", LIBCSOUND7), ("unlock_channel", SNAKE)),
        "unlockMutex": _(("unlockMutex", CTCSOUND), ("unlock_mutex", SNAKE)),
        "utilityDescription": _(
            ("utilityDescription", CTCSOUND),
            ("utility_description", SNAKE),
            ("GetUtilityDescription", CSND),
        ),
        "version": _(("version", CTCSOUND, SNAKE, LIBCSOUND7), ("GetVersion", CSND)),
        "waitBarrier": _(("waitBarrier", CTCSOUND), ("wait_barrier", SNAKE)),
        "waitThreadLock": _(("waitThreadLock", CTCSOUND), ("wait_thread_lock", SNAKE)),
        "waitThreadLockNoTimeout": _(
            ("waitThreadLockNoTimeout", CTCSOUND),
            ("wait_thread_lock_no_timeout", SNAKE),
        ),
        "writeCircularBuffer": _(
            ("writeCircularBuffer", CTCSOUND, LIBCSOUND7),
            ("write_circular_buffer", SNAKE),
        ),
    },
    "PerformanceThread": {
        "commands_executed": _(("commands_executed", CSOUNDPP)),
        "compileOrc": _(("compileOrc", LIBCSOUND7), ("compile_orc", SNAKE)),
        "csound": _(("csound", CTCSOUND, SNAKE), ("GetCsound", CSND)),
        "csoundPtr": _(("csoundPtr", LIBCSOUND7), ("csound_ptr", SNAKE)),
        "cycles": _(("cycles", CSOUNDPP)),
        "dropped_after_end": _(("dropped_after_end", CSOUNDPP)),
        "evalCode": _(("evalCode", LIBCSOUND7), ("eval_code", SNAKE)),
        "flushMessageQueue": _(
            ("flushMessageQueue", CTCSOUND, LIBCSOUND7),
            ("flush_message_queue", SNAKE),
            ("FlushMessageQueue", CSND),
        ),
        "flushProcessQueue": _(("flushProcessQueue", LIBCSOUND7), ("flush_process_queue", SNAKE)),
        "inputMessage": _(
            ("inputMessage", CTCSOUND, LIBCSOUND7),
            ("input_message", SNAKE),
            ("InputMessage", CSND),
            ("QueueMessage", CSND),
        ),
        "isRunning": _(("isRunning", CTCSOUND, LIBCSOUND7), ("is_running", SNAKE), ("IsRunning", CSND)),
        "join": _(("join", CTCSOUND, SNAKE, LIBCSOUND7), ("Join", CSND)),
        "pause": _(("pause", CTCSOUND, SNAKE, LIBCSOUND7), ("Pause", CSND)),
        "paused": _(("paused", CSOUNDPP)),
        "play": _(("play", CTCSOUND, SNAKE, LIBCSOUND7), ("Play", CSND)),
        "processCallback": _(
            ("processCallback", LIBCSOUND7),
            ("processCB", CTCSOUND),
            ("process_cb", SNAKE),
            ("process_callback", SNAKE),
        ),
        "processQueueTask": _(("processQueueTask", LIBCSOUND7), ("process_queue_task", SNAKE)),
        "task": _(("task", CTCSOUND7)),
        "sync": _(("sync", CTCSOUND7)),
        "compile": _(("compile", CTCSOUND7)),
        "queue_capacity": _(("queue_capacity", CSOUNDPP)),
        "record": _(("record", CTCSOUND, SNAKE, LIBCSOUND7), ("Record", CSND)),
        "record_error": _(("record_error", CSOUNDPP)),
        "record_overruns": _(("record_overruns", CSOUNDPP), ("recordOverruns", CSOUNDPP)),
        "recorded_frames": _(("recorded_frames", CSOUNDPP), ("recordedFrames", CSOUNDPP)),
        "recording": _(("recording", CSOUNDPP)),
        "requestCallback": _(("requestCallback", LIBCSOUND7), ("request_callback", SNAKE)),
        "scoreEvent": _(("scoreEvent", CTCSOUND, LIBCSOUND7), ("score_event", SNAKE), ("ScoreEvent", CSND)),
        "scoreEvents": _(("scoreEvents", CSOUNDPP), ("score_events", CSOUNDPP)),
        "setEndMarker": _(("setEndMarker", LIBCSOUND7), ("set_end_marker", SNAKE)),
        "setProcessCallback": _(
            ("setProcessCallback", LIBCSOUND7),
            ("setProcessCB", CTCSOUND),
            ("set_process_cb", SNAKE),
            ("set_process_callback", SNAKE),
            ("SetProcessCallback", CSND),
        ),
        "setProcessQueue": _(("setProcessQueue", LIBCSOUND7), ("set_process_queue", SNAKE)),
        "setScoreOffsetSeconds": _(
            ("setScoreOffsetSeconds", CTCSOUND, LIBCSOUND7),
            ("set_score_offset_seconds", SNAKE),
            ("SetScoreOffsetSeconds", CSND),
        ),
        "status": _(("status", CTCSOUND, SNAKE, LIBCSOUND7)),
        "stop": _(("stop", CTCSOUND, SNAKE, LIBCSOUND7), ("Stop", CSND)),
        "stopRecord": _(("stopRecord", CTCSOUND, LIBCSOUND7), ("stop_record", SNAKE), ("StopRecord", CSND)),
        "togglePause": _(
            ("togglePause", CTCSOUND, LIBCSOUND7),
            ("toggle_pause", SNAKE),
            ("TogglePause", CSND),
        ),
    },
    "module": {
        "csoundInitialize": _(("csoundInitialize", CTCSOUND, LIBCSOUND7), ("csound_initialize", SNAKE)),
        "setOpcodedir": _(("setOpcodedir", CTCSOUND), ("set_opcodedir", SNAKE)),
        "setDefaultMessageCallback": _(
            ("setDefaultMessageCallback", CTCSOUND),
            ("set_default_message_callback", SNAKE),
        ),
        "CsoundAudioDevice": _(("CsoundAudioDevice", CTCSOUND), ("AudioDevice", LIBCSOUND7)),
        "CsoundMidiDevice": _(("CsoundMidiDevice", CTCSOUND), ("MidiDevice", LIBCSOUND7)),
        "PvsdatExt": _(("PvsdatExt", CTCSOUND), ("PVSDATEXT", CTCSOUND)),
    },
}


# ---------------------------------------------------------------- the installed peers' parameters
# ctcsound 6.18, libcsound 0.18.5 and ctcsound7 0.8.0: their parameter names and defaults,
# read with inspect by scripts/gen_peer_signatures.py into _peer_signatures.py (committed
# data), recorded here as the `params` of their spellings: a peer spelling the table lists
# without params gets them; one it does not list yet is added to its canonical's tuple.
_GENERATED_PEER = {"ctcsound": CTCSOUND, "libcsound": LIBCSOUND6, "ctcsound7": CTCSOUND7}


def _params_text(params: Tuple[tuple, ...]) -> str:
    parts = []
    star = False
    for p in params:
        name, kind = p[0], p[1]
        if kind == "*":
            parts.append("*" + name)
            star = True
        elif kind == "**":
            parts.append("**" + name)
        else:
            if kind == "k" and not star:
                parts.append("*")
                star = True
            parts.append(f"{name}={p[2]!r}" if len(p) == 3 else name)
    return ", ".join(parts)


def _fill_peer_parameters() -> None:
    from ._peer_signatures import SIGNATURES

    for scope in ("Csound", "PerformanceThread", "module"):
        generated = SIGNATURES.get("<module>" if scope == "module" else scope, {})
        canonical_of: Dict[str, str] = {}
        for canonical, s in spellings(scope):
            if s.peer != CSND:
                canonical_of.setdefault(s.name, canonical)
        for name, by_peer in generated.items():
            canonical = canonical_of.get(name)
            if canonical is None:
                continue  # a name csoundpp lacks: tests/test_compat_signatures.py reports it
            items = list(SPELLINGS[scope][canonical])
            for gpeer, params in by_peer.items():
                if params is None:
                    continue
                new = Spelling(name, _GENERATED_PEER[gpeer], _params_text(params))
                for i, old in enumerate(items):
                    if old.name == name and old.peer == new.peer:
                        items[i] = new if old.params is None else old
                        break
                else:
                    items.append(new)
            SPELLINGS[scope][canonical] = tuple(items)


# ---------------------------------------------------------------- queries
def spellings(scope: str) -> Iterator[Tuple[str, Spelling]]:
    """(canonical, spelling) for every spelling of a scope, in table order."""
    for canonical, items in SPELLINGS[scope].items():
        for s in items:
            yield canonical, s


def aliases(scope: str, include_csnd: bool = False) -> Dict[str, str]:
    """{alias: canonical} of a scope: every spelling that is not its canonical's own name
    (CSND spellings only when asked: they live on csoundpp.csnd's classes)."""
    out: Dict[str, str] = {}
    for canonical, s in spellings(scope):
        if s.name == canonical or (s.peer == CSND) != include_csnd:
            continue
        prev = out.setdefault(s.name, canonical)
        if prev != canonical:
            raise ValueError(f"{scope}.{s.name} is a spelling of both {prev} and {canonical}")
    return out


# ---------------------------------------------------------------- applying
# `import csoundpp` binds the aliases from _import_tables.py (precomputed from aliases() above by
# scripts/gen_import_tables.py) with the functions of _aliases.py, without building this table.
from ._aliases import _set, _static  # noqa: E402,F401  (the rules, shared)


def module_names() -> Iterable[str]:
    """Every module-scope spelling (for csoundpp.__all__)."""
    return list(dict.fromkeys(s.name for _c, s in spellings("module")))


_fill_peer_parameters()
