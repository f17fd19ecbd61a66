"""
csoundpp native core (private; import csoundpp instead)
"""
from __future__ import annotations
import numpy
import numpy.typing
import typing
import typing_extensions
from csoundpp._extras import ControlChannelInfo
from csoundpp._module_functions import CsoundAudioDevice, CsoundMidiDevice, NamedGen, OpcodeListEntry
from csoundpp._peer_api import OpcodeDef
import ctypes as _ct
__all__: list[str] = ['BlockProcessor', 'CircularBuffer', 'CompileError', 'ControlChannelHints', 'ControlHandle', 'Csound', 'CsoundBarrier', 'CsoundError', 'CsoundMutex', 'CsoundParams', 'CsoundPerformanceThread', 'CsoundRandMTState', 'CsoundRtAudioParams', 'CsoundThread', 'OPDS_SIZE', 'PerformanceThread', 'PvsdatExt', 'QueueFullError', 'RtClock', 'SpinLock', 'StateError', 'StringHandle', 'ThreadLock', 'TimeoutError', 'Windat']
class CsoundError(RuntimeError):
    status: int
class CompileError(CsoundError): ...
class QueueFullError(CsoundError): ...
class StateError(CsoundError): ...
class TimeoutError(CsoundError): ...
class CsoundParams:
    """
    Csound's CSOUND_PARAMS (field names as in ctcsound).
    """
    def __init__(self) -> None:
        ...
    @property
    def FFT_library(self) -> int:
        ...
    @FFT_library.setter
    def FFT_library(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def ascii_graphs(self) -> int:
        ...
    @ascii_graphs.setter
    def ascii_graphs(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def buffer_frames(self) -> int:
        ...
    @buffer_frames.setter
    def buffer_frames(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def compute_weights(self) -> int:
        ...
    @compute_weights.setter
    def compute_weights(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def control_rate_override(self) -> float:
        ...
    @control_rate_override.setter
    def control_rate_override(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def csd_line_counts(self) -> int:
        ...
    @csd_line_counts.setter
    def csd_line_counts(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def daemon(self) -> int:
        ...
    @daemon.setter
    def daemon(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def debug_mode(self) -> int:
        ...
    @debug_mode.setter
    def debug_mode(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def defer_gen01_load(self) -> int:
        ...
    @defer_gen01_load.setter
    def defer_gen01_load(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def displays(self) -> int:
        ...
    @displays.setter
    def displays(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def e0dbfs_override(self) -> float:
        ...
    @e0dbfs_override.setter
    def e0dbfs_override(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def hardware_buffer_frames(self) -> int:
        ...
    @hardware_buffer_frames.setter
    def hardware_buffer_frames(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def heartbeat(self) -> int:
        ...
    @heartbeat.setter
    def heartbeat(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def ksmps_override(self) -> int:
        ...
    @ksmps_override.setter
    def ksmps_override(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def message_level(self) -> int:
        ...
    @message_level.setter
    def message_level(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def midi_key(self) -> int:
        ...
    @midi_key.setter
    def midi_key(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def midi_key_cps(self) -> int:
        ...
    @midi_key_cps.setter
    def midi_key_cps(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def midi_key_oct(self) -> int:
        ...
    @midi_key_oct.setter
    def midi_key_oct(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def midi_key_pch(self) -> int:
        ...
    @midi_key_pch.setter
    def midi_key_pch(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def midi_velocity(self) -> int:
        ...
    @midi_velocity.setter
    def midi_velocity(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def midi_velocity_amp(self) -> int:
        ...
    @midi_velocity_amp.setter
    def midi_velocity_amp(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def nchnls_i_override(self) -> int:
        ...
    @nchnls_i_override.setter
    def nchnls_i_override(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def nchnls_override(self) -> int:
        ...
    @nchnls_override.setter
    def nchnls_override(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def no_default_paths(self) -> int:
        ...
    @no_default_paths.setter
    def no_default_paths(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def number_of_threads(self) -> int:
        ...
    @number_of_threads.setter
    def number_of_threads(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def postscript_graphs(self) -> int:
        ...
    @postscript_graphs.setter
    def postscript_graphs(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def realtime_mode(self) -> int:
        ...
    @realtime_mode.setter
    def realtime_mode(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def ring_bell(self) -> int:
        ...
    @ring_bell.setter
    def ring_bell(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def sample_accurate(self) -> int:
        ...
    @sample_accurate.setter
    def sample_accurate(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def sample_rate_override(self) -> float:
        ...
    @sample_rate_override.setter
    def sample_rate_override(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def syntax_check_only(self) -> int:
        ...
    @syntax_check_only.setter
    def syntax_check_only(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def tempo(self) -> int:
        ...
    @tempo.setter
    def tempo(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def terminate_on_midi(self) -> int:
        ...
    @terminate_on_midi.setter
    def terminate_on_midi(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def use_cscore(self) -> int:
        ...
    @use_cscore.setter
    def use_cscore(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class ControlChannelHints:
    """
    Hints of a control channel (fields as in ctcsound).
    """
    attributes: str | None
    def __init__(self) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def behav(self) -> int:
        ...
    @behav.setter
    def behav(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def dflt(self) -> float:
        ...
    @dflt.setter
    def dflt(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def height(self) -> int:
        ...
    @height.setter
    def height(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def max(self) -> float:
        ...
    @max.setter
    def max(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def min(self) -> float:
        ...
    @min.setter
    def min(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def width(self) -> int:
        ...
    @width.setter
    def width(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def x(self) -> int:
        ...
    @x.setter
    def x(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def y(self) -> int:
        ...
    @y.setter
    def y(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class Csound:
    """
    One Csound instance.
    
    Answers to the names of ctcsound 6 (camelCase), libcsound's Csound 7 API and
    the snake_case ctcsound. Calls that render or compile release the GIL. Use it
    as a context manager (``with Csound() as cs:``) to clean up and destroy it
    deterministically.
    """
    def A4(self) -> float:
        ...
    def APIVersion(self) -> int:
        ...
    def CPUTime(self, timerStruct: RtClock) -> float:
        """
        Elapsed CPU time in seconds since initTimerStruct(timerStruct).
        """
    def UDPConsole(self, addr: str, port: typing.SupportsInt | typing.SupportsIndex, mirror: bool) -> int:
        """
        Sends console messages to addr:port over UDP (mirror=True keeps the usual destination too).
        """
    def UDPServerClose(self) -> int:
        """
        Closes the UDP server (waits for its thread, GIL released).
        """
    def UDPServerStart(self, port: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        Starts Csound's UDP server (orchestra code; lines starting with '$' are score events, '@name value' sets a channel). Returns CSOUND_SUCCESS or CSOUND_ERROR.
        """
    def UDPServerStatus(self) -> int:
        """
        The port the UDP server listens on, or CSOUND_ERROR when it is not running.
        """
    def __enter__(self) -> Csound:
        ...
    def __exit__(self, *args) -> bool:
        ...
    def __init__(self, hostData: typing.Any = None, opcodeDir: typing.Any = None, pointer_: typing.Any = None, **kwargs) -> None:
        """
        Csound(hostData=None, opcodeDir=None, pointer_=None). The second positional argument is an opcode directory (str) or, as in ctcsound 6, an existing CSOUND pointer (int). Keywords host_data/opcode_dir/pointer are accepted too. A wrapped pointer is not destroyed by csoundpp.
        """
    def __repr__(self) -> str:
        ...
    def _audioDevList(self, isOutput: bool) -> list:
        ...
    def _listChannels(self) -> tuple[list, int]:
        """
        Raw channel list: ([(name, type, hints), ...], count_or_error).
        """
    def _midiDevList(self, isOutput: bool) -> list:
        ...
    def _opcodeList(self) -> tuple[list, int]:
        ...
    def addSpinSample(self, frame: typing.SupportsInt | typing.SupportsIndex, channel: typing.SupportsInt | typing.SupportsIndex, sample: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    def allocatedChannels(self) -> list[ControlChannelInfo]:
        """
        All allocated channels as a list (empty when there are none).
        """
    def appendOpcode(self, opname: str, dsblksiz: typing.SupportsInt | typing.SupportsIndex, flags: typing.SupportsInt | typing.SupportsIndex, *args) -> int:
        """
        Adds an opcode implemented in Python. ctcsound 6 form (thread, outypes, intypes, iopfunc, kopfunc, aopfunc) or Csound 7 form (outypes, intypes, initfunc, perffunc). Each function is called as fn(csound, data) with int addresses (argument pointers start at data + OPDS_SIZE, 8 bytes each, outputs first) and returns 0 (OK). They run on the performing thread with the GIL. Returns 0 on success.
        """
    def arrayData(self, adat: typing.Any) -> typing.Any:
        ...
    def arrayDataDimensions(self, adat: typing.Any) -> typing.Any:
        ...
    def arrayDataSizes(self, adat: typing.Any) -> typing.Any:
        ...
    def arrayDataType(self, adat: typing.Any) -> typing.Any:
        ...
    def audioChannel(self, name: str, samples: typing.Any = None) -> typing.Any:
        """
        Copies ksmps samples of an audio channel into `samples` (or a new array) and returns it.
        """
    def audioDevList(self, isOutput: bool | None = None, *, is_output: bool | None = None) -> list[CsoundAudioDevice]:
        """
        Audio devices of the current RT module (input devices unless isOutput): a list of
            CsoundAudioDevice (dicts with attribute access). Meaningful after compiling.
        """
    def channelDatasize(self, arg0: str) -> int:
        ...
    def channelExists(self, name: str) -> bool:
        """
        True when a channel called ``name`` exists (libcsound).
        """
    def channelInfo(self, name: str) -> tuple[str, int]:
        """
        (kind, mode) of a channel as in libcsound: kind '' and mode 0 when it does not exist.
        """
    def channelLock(self, name: str) -> typing.Any:
        """
        The spin lock of a channel (for spinLock/spinUnlock), or None when it does not exist.
        """
    def channelPtr(self, name: str, type_: typing.Any, mode: str = 'rw') -> tuple[typing.Any, str]:
        """
        Returns (pointer, error). Control and audio channels come as zero-copy float64 numpy views (size 1 and ksmps); string/pvs channels as ctypes.c_void_p. type_ is a CSOUND_*_CHANNEL | CSOUND_INPUT/OUTPUT_CHANNEL int (ctcsound) or 'control'/'audio'/'string'/'pvs' with mode 'r'/'w'/'rw' (Csound 7).
        """
    def channelType(self, name: str) -> int:
        """
        The CSOUND_*_CHANNEL | direction bits of an existing channel, or -1.
        """
    def channelVarTypeName(self, name: str) -> str:
        """
        'control', 'audio', 'string', 'pvs' or '' (libcsound's Csound 7 name).
        """
    def channels(self, is_input: bool = False) -> int:
        ...
    def cleanup(self) -> int:
        ...
    def clearSpin(self) -> None:
        """
        Zeroes the input buffer (StateError before start()).
        """
    def closeLibrary(self, library: typing.Any) -> int:
        ...
    def compileArgs(self, *args) -> int:
        """
        compileArgs(*args): csoundCompileArgs, which does not start. Returns 0 on success.
        """
    def compileCsd(self, path: str, block: typing.Any = True) -> int:
        """
        Compiles a .csd file (releases the GIL). Returns 0 on success.
        """
    def compileCsdText(self, code: str, block: typing.Any = True) -> int:
        """
        Compiles CSD text (releases the GIL). Returns 0 on success.
        """
    def compileOrc(self, orc: str, block: bool = True) -> int:
        """
        Compiles orchestra code (releases the GIL). block=False uses csoundCompileOrcAsync. Returns 0 on success.
        """
    def compileOrcAsync(self, arg0: str) -> int:
        ...
    def compileOrcHeader(self, sr: int | None = None, nchnls: int = 2, nchnls_i: int | None = None, zerodbfs: float = 1.0, ksmps: int = 64, a4: float | None = None) -> int:
        """
        Compiles an orchestra header (sr, ksmps, nchnls, 0dbfs, A4) as in libcsound's Csound 7 API.
        """
    def compileTree(self, tree: typing_extensions.CapsuleType, async_: bool = False) -> int:
        """
        Compiles a parsed tree (GIL released). Returns 0 on success.
        """
    def compileTreeAsync(self, tree: typing.Any) -> typing.Any:
        ...
    def compile_(self, *args) -> int:
        """
        compile_(*args) or compile_([args]): csoundCompile, argv[0] being the program name ('csound' is put first when the first argument is an option or a file). Starts Csound. Returns 0 on success.
        """
    def compile_csd(self, csd: str, mode: typing.SupportsInt | typing.SupportsIndex = 0, async_: bool = False) -> int:
        ...
    def compile_orc(self, orc: str, async_: bool = False) -> int:
        """
        compile_orc(orc, async_=False) as in ctcsound's snake_case API.
        """
    def controlChannel(self, name: str) -> tuple[float, int]:
        """
        Returns (value, err): err is 0 (CSOUND_SUCCESS) when the channel exists.
        """
    def controlChannelHints(self, name: str) -> tuple:
        """
        Returns (hints, err): hints is None when the channel does not exist or is not a control channel.
        """
    def createBarrier(self, max_: typing.SupportsInt | typing.SupportsIndex) -> typing.Any:
        """
        A barrier for `max_` threads (children + the master).
        """
    def createCircularBuffer(self, numelem: typing.SupportsInt | typing.SupportsIndex, elemsize: typing.SupportsInt | typing.SupportsIndex = 0) -> CircularBuffer:
        """
        Creates a lock-free circular buffer of numelem elements of elemsize bytes (0: float64).
        """
    def createGlobalVariable(self, name: str, nbytes: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        Allocates nbytes of zeroed memory under `name`. CSOUND_SUCCESS, CSOUND_ERROR (bad size, name in use) or CSOUND_MEMORY.
        """
    def createMessageBuffer(self, toStdOut: typing.Any = None, to_stdout: typing.Any = None, echo: typing.Any = None) -> None:
        """
        Buffers Csound's messages for firstMessage/popFirstMessage/readMessage (replaces any message callback). toStdOut / to_stdout / echo: also print them.
        """
    def createMutex(self, isRecursive: bool = False) -> typing.Any:
        ...
    def createThread(self, function: typing.Any, userdata: typing.Any = None) -> typing.Any:
        """
        Runs function(userdata) on a new native thread (it takes the GIL to run). Returns a CsoundThread for joinThread (whose result is the function's int return value), or None on failure.
        """
    def createThread2(self, function: typing.Any, stack: typing.SupportsInt | typing.SupportsIndex, userdata: typing.Any = None) -> typing.Any:
        ...
    def createThreadLock(self) -> typing.Any:
        """
        A monitor object, initially notified.
        """
    def csound(self) -> int:
        """
        The CSOUND* as an int (for CsoundPerformanceThread(cs.csound()) and ctypes).
        """
    def currentThreadId(self) -> typing.Any:
        """
        The calling thread's id as an int (comparable with ==).
        """
    def currentTimeSamples(self) -> int:
        ...
    def debug(self) -> bool:
        ...
    def deleteChannelList(self, lst: typing.Any) -> None:
        """
        Kept for ctcsound programs: listChannels() returns a Python copy, so this releases nothing.
        """
    def deleteTree(self, tree: typing_extensions.CapsuleType) -> None:
        """
        Frees a parsed tree now (it is freed with its capsule otherwise).
        """
    def destroy(self) -> None:
        """
        Destroys the instance now (idempotent). Views made before stay valid memory but are detached. Raises StateError while a performance thread runs it.
        """
    def destroyBarrier(self, barrier: CsoundBarrier) -> int:
        ...
    def destroyCircularBuffer(self, circularBuffer: CircularBuffer) -> None:
        """
        Frees the buffer (idempotent); later use raises StateError.
        """
    def destroyGlobalVariable(self, name: str) -> int:
        """
        CSOUND_SUCCESS, or CSOUND_ERROR when the name is not defined.
        """
    def destroyMessageBuffer(self) -> None:
        ...
    def destroyMutex(self, mutex: CsoundMutex) -> None:
        ...
    def destroyThreadLock(self, lock: ThreadLock) -> None:
        ...
    def disposeOpcodeList(self, lst: typing.Any) -> None:
        """
        Kept for ctcsound programs (newOpcodeList returns a Python copy).
        """
    def env(self, name: str, withCsoundInstance: bool = True) -> typing.Any:
        """
        Value of an environment variable (Csound's own first, then setGlobalEnv, then the process), or None.
        """
    def evalCode(self, code: str) -> float:
        """
        Compiles and evaluates global code, returns the value given to 'return' (releases the GIL).
        """
    def event(self, kind: typing.Any, pfields: typing.Any, block: bool = True, async_: typing.Any = None) -> None:
        """
        Sends an event: kind is 'i'/'f'/'e' or CS_INSTR_EVENT/CS_TABLE_EVENT/CS_END_EVENT; pfields from p1. block=False (Csound 7) or async_=True (snake_case ctcsound) queues it asynchronously.
        """
    def eventString(self, message: str, block: bool = True) -> None:
        """
        Csound 7 style eventString(message, block=True): score lines.
        """
    def event_string(self, message: str, async_: bool = False) -> None:
        ...
    def firstMessage(self) -> str:
        ...
    def firstMessageAttr(self) -> int:
        ...
    def flushCircularBuffer(self, circularBuffer: CircularBuffer) -> None:
        ...
    def flushMessages(self, timeout: typing.SupportsFloat | typing.SupportsIndex = 5.0) -> bool:
        """
        Waits until messages/outvalues printed so far reached their callbacks. False on timeout.
        """
    def get0dBFS(self) -> float:
        ...
    def getLibrarySymbol(self, library: typing.Any, symbolName: str) -> typing.Any:
        ...
    def getOpcodes(self) -> list[OpcodeDef]:
        """
        All opcodes as a list of OpcodeDef (libcsound); [] when Csound cannot list them.
        """
    def hostData(self) -> typing.Any:
        ...
    def initArrayChannel(self, name: typing.Any, dtype: typing.Any, size: typing.Any) -> typing.Any:
        ...
    def initPvsChannel(self, name: str, fftsize: typing.SupportsInt | typing.SupportsIndex, overlap: typing.SupportsInt | typing.SupportsIndex, winsize: typing.SupportsInt | typing.SupportsIndex, wintype: typing.SupportsInt | typing.SupportsIndex, format: typing.SupportsInt | typing.SupportsIndex = 0) -> PvsdatExt:
        """
        Creates an f-sig channel (Csound 7 name) and returns a zeroed PvsdatExt of that shape for setPvsChannel/pvsChannel and the pvsData* accessors.
        """
    def initTimerStruct(self, timerStruct: typing.Any = None) -> typing.Any:
        """
        Starts a timer (an RtClock, created when omitted) and returns it.
        """
    def inputBuffer(self) -> numpy.typing.NDArray[numpy.float64]:
        ...
    def inputBufferSize(self) -> int:
        ...
    def inputMessage(self, message: str) -> None:
        ...
    def inputMessageAsync(self, message: str) -> None:
        ...
    def inputName(self) -> typing.Any:
        """
        The audio input name (-i), or None.
        """
    def instrNumber(self, name: str) -> int:
        """
        Number of a named instrument, or -1 (Csound 7 API; computed with nstrnum).
        """
    def isNamedGEN(self, num: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        Length of the name when GEN `num` is a named GEN, else 0.
        """
    def isScorePending(self) -> bool:
        ...
    def iterMessages(self) -> typing.Iterator[tuple[str, int]]:
        """
        Yields (message, attr) from the message buffer until it is empty (emptying it).
        """
    def joinThread(self, thread: CsoundThread) -> int:
        """
        Waits (GIL released) for the thread and returns its result.
        """
    def keyPress(self, c: typing.Any) -> None:
        """
        Sets the key the sensekey opcode reports when no keyboard callback is registered.
        """
    def killInstance(self, *args, **kwargs) -> int:
        ...
    def kr(self) -> float:
        ...
    def ksmps(self) -> int:
        ...
    def lastErrors(self) -> str:
        """
        Messages Csound printed during the last failed compile/start/evalCode call through this object.
        """
    def listChannels(self) -> tuple[list[ControlChannelInfo] | None, str]:
        """
        Returns (channels, error) like ctcsound: channels is None when there are none.
        
            The list is a Python copy: deleteChannelList() has nothing to release.
            
        """
    def listUtilities(self) -> typing.Any:
        """
        Names of the registered utilities (None on error).
        """
    def loadPlugins(self, arg0: str) -> int:
        ...
    def lockChannel(self, channel: str) -> None:
        """
        Locks a channel's spin lock (waits with the GIL released).
        """
    def lockMutex(self, mutex: CsoundMutex) -> None:
        """
        Acquires the mutex (waits with the GIL released).
        """
    def lockMutexNoWait(self, mutex: CsoundMutex) -> int:
        """
        0 when acquired, non-zero when another thread holds it.
        """
    def message(self, fmt: str, *args) -> None:
        ...
    def messageCnt(self) -> int:
        ...
    def messageLevel(self) -> int:
        ...
    def messageS(self, attr: typing.SupportsInt | typing.SupportsIndex, fmt: str, *args) -> None:
        ...
    def midiDevList(self, isOutput: bool | None = None, *, is_output: bool | None = None) -> list[CsoundMidiDevice]:
        """
        MIDI devices of the current MIDI module: a list of CsoundMidiDevice.
        """
    def module(self, number: typing.SupportsInt | typing.SupportsIndex) -> tuple[typing.Any, typing.Any, int]:
        """
        (name, type, err) of module `number`; type is 'audio' or 'midi'. (None, None, CSOUND_ERROR) past the end.
        """
    def modules(self) -> list:
        """
        [(name, type), ...] of all loaded audio and MIDI modules.
        """
    def namedGEN(self, num: typing.SupportsInt | typing.SupportsIndex, nameLen: typing.SupportsInt | typing.SupportsIndex) -> str:
        """
        The name of a named GEN ('' when `num` is not one).
        """
    def namedGenList(self) -> list[NamedGen]:
        """
        namedGens() as NamedGen objects.
        """
    def namedGens(self) -> list:
        """
        [(name, number), ...] of the named GENs.
        """
    def nchnls(self) -> int:
        ...
    def nchnlsInput(self) -> int:
        ...
    def newOpcodeList(self) -> tuple[list[OpcodeListEntry] | None, int]:
        """
        (opcodes, n) like ctcsound: an alphabetical list of OpcodeListEntry (None and a
            negative code on failure). The list is a Python copy: disposeOpcodeList frees nothing.
        """
    def notifyThreadLock(self, lock: ThreadLock) -> None:
        ...
    def openLibrary(self, libraryPath: str) -> tuple[int, typing.Any]:
        """
        (status, library handle as ctypes.c_void_p); status 0 on success.
        """
    def outputBuffer(self) -> numpy.typing.NDArray[numpy.float64]:
        ...
    def outputBufferSize(self) -> int:
        ...
    def outputFormat(self) -> tuple[str, str]:
        """
        (type, format) of the output file, e.g. ('wav', 'short').
        """
    def outputName(self) -> typing.Any:
        """
        The audio output name (-o), or None before it is set.
        """
    def params(self, params: typing.Any = None) -> typing.Any:
        """
        Fills (or creates) a CsoundParams with the current parameters and returns it.
        """
    def parseOrc(self, orc: str) -> typing.Any:
        """
        Parses orchestra code into a tree (opaque capsule) for compileTree(); None on a syntax error.
        """
    def peekCircularBuffer(self, circularBuffer: CircularBuffer, out: numpy.ndarray, items: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        Like readCircularBuffer without removing the elements.
        """
    def perform(self) -> int:
        """
        Performs until the end of the score (> 0), an error (< 0) or stop() (0). Releases the GIL; Ctrl-C raises KeyboardInterrupt within ~20 ms and leaves the instance usable.
        """
    def performBuffer(self) -> int:
        """
        Performs one -b buffer (releases the GIL). Returns 0 while performing, non-zero at the end.
        """
    def performKsmps(self) -> int:
        """
        Performs one k-cycle (releases the GIL). Returns 0 while performing, non-zero at the end.
        """
    def performKsmpsInto(self, out: typing.Any) -> tuple[int, bool]:
        """
        Fast path: renders len(out)/(ksmps*nchnls) k-cycles in one call (GIL released), copying each k-cycle's interleaved spout into out. Returns (cycles_rendered, finished).
        """
    def performanceThread(self, withProcessQueue: bool = False, *, capacity: typing.SupportsInt | typing.SupportsIndex = 16384) -> PerformanceThread:
        """
        The PerformanceThread of this instance (created paused on first call; the same object until it is joined).
        """
    def popFirstMessage(self) -> None:
        ...
    def popMidiOutput(self, max: typing.SupportsInt | typing.SupportsIndex = 65536) -> bytes:
        """
        MIDI bytes Csound wrote (midiout, noteon, ...) since the last call.
        """
    def pushMidi(self, data: typing.Any) -> None:
        """
        Queues raw MIDI bytes for Csound's MIDI input (any thread; never blocks). Raises QueueFullError when the ring lacks room (nothing queued).
        """
    def pvsChannel(self, fout: PvsdatExt, name: str) -> int:
        """
        Receives the frame written by pvsout on channel `name` into fout (its N must match). 0 or an error code.
        """
    def pvsData(self, pvsdat: typing.Any) -> numpy.ndarray:
        """
        The frame of a PvsdatExt as a float32 numpy view.
        """
    def pvsDataFftSize(self, pvsdat: PvsdatExt) -> int:
        ...
    def pvsDataFormat(self, pvsdat: PvsdatExt) -> int:
        ...
    def pvsDataFramecount(self, pvsdat: PvsdatExt) -> int:
        ...
    def pvsDataOverlap(self, pvsdat: PvsdatExt) -> int:
        ...
    def pvsDataWindowSize(self, pvsdat: PvsdatExt) -> int:
        ...
    def queryGlobalVariable(self, name: str) -> typing.Any:
        """
        Address of a global variable as ctypes.c_void_p, or None when not defined.
        """
    def rand31(self, seed: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        Next value (1..2147483646) of the linear congruential generator seed*742938285 % (2**31-1).
        """
    def randMT(self, state: CsoundRandMTState) -> int:
        """
        Next 32-bit value of the MT19937 generator.
        """
    def randomSeedFromTime(self) -> int:
        ...
    def readCircularBuffer(self, circularBuffer: CircularBuffer, out: numpy.ndarray, items: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        Moves up to `items` elements into the numpy array `out`; returns how many were read. 0 when `out` is too small (as ctcsound).
        """
    def readMessage(self) -> tuple:
        """
        Pops the first buffered message: (message, attr); ('', 0) when empty.
        """
    def readScore(self, sco: str) -> int:
        """
        Reads, preprocesses and schedules score text (releases the GIL). Returns 0 on success.
        """
    def readScoreAsync(self, sco: str) -> None:
        ...
    def realTime(self, timerStruct: RtClock) -> float:
        """
        Elapsed real time in seconds since initTimerStruct(timerStruct).
        """
    def registerKeyboardCallback(self, function: typing.Any, userData: typing.Any = None, type_: typing.SupportsInt | typing.SupportsIndex = 0) -> int:
        """
        Keyboard events for sensekey, called on the performing thread: ctcsound's fn(userData, p, type) (writes the key code through the int pointer p) or fn(userData, type) -> key code (0 = none). Later registrations are asked first. Returns 0 on success.
        """
    def registerSenseEventCallback(self, function: typing.Any, userData: typing.Any = None) -> int:
        """
        Called once per k-cycle before it is rendered, on the performing thread: fn(csound, userData) as in ctcsound, fn(userData) or fn(). Cleared by cleanup()/reset(). Returns 0 on success.
        """
    def removeKeyboardCallback(self, function: typing.Any) -> None:
        ...
    def render(self, cycles: typing.SupportsInt | typing.SupportsIndex) -> numpy.typing.NDArray[numpy.float64]:
        """
        Renders up to `cycles` k-cycles (GIL released) and returns a (frames, nchnls) float64 array; fewer frames when the score ends.
        """
    def reset(self) -> None:
        """
        Resets for a new performance (releases the GIL). Live numpy views keep the old memory, detached.
        """
    def rewindScore(self) -> None:
        ...
    def rtPlaydUserData(self) -> int:
        """
        Address of Csound's real-time output user-data pointer (ctcsound's spelling).
        """
    def rtRecordUserData(self) -> int:
        """
        Address of Csound's real-time input user-data pointer (as ctcsound: an int address).
        """
    def runCommand(self, args: typing.Any, noWait: bool = False) -> int:
        """
        Runs an external program (args[0] searched in PATH). Waits (GIL released) and returns its exit status, or with noWait returns its PID. Negative on error.
        """
    def runUtility(self, name: str, args: typing.Any) -> int:
        """
        Runs a utility (e.g. 'sndinfo', 'lpanal', 'pvanal') with its arguments (GIL released). Returns 0 on success. Call reset() afterwards.
        """
    def scoreEvent(self, type_: typing.Any, pFields: typing.Any) -> int:
        """
        Sends a score event ('i', 'f', 'e', ...) with p-fields starting at p1.
        """
    def scoreEventAbsolute(self, type_: typing.Any, pFields: typing.Any, timeOffset: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> int:
        ...
    def scoreEventAbsoluteAsync(self, type_: typing.Any, pFields: typing.Any, timeOffset: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> int:
        ...
    def scoreEventAsync(self, type_: typing.Any, pFields: typing.Any) -> int:
        ...
    def scoreOffsetSeconds(self) -> float:
        ...
    def scoreTime(self) -> float:
        ...
    def seedRandMT(self, initKey: typing.Any) -> CsoundRandMTState:
        """
        Seeds an MT19937 generator; returns its CsoundRandMTState.
        """
    def setArrayData(self, adat: typing.Any, data: typing.Any) -> typing.Any:
        ...
    def setAudioChannel(self, name: str, samples: typing.Annotated[numpy.typing.ArrayLike, numpy.float64]) -> None:
        ...
    def setAudioDevListCallback(self, function: typing.Any) -> None:
        """
        fn(isOutput) -> list of dicts/objects with device_name, device_id, rt_module, max_nchnls.
        """
    def setControlChannel(self, name: str, val: typing.SupportsFloat | typing.SupportsIndex) -> None:
        """
        Sets a control channel (created if missing). Raises CsoundError if the name is a channel of another type.
        """
    def setControlChannelHints(self, name: str, hints: typing.Any = None, **kwargs) -> int:
        """
        Sets hints from a ControlChannelHints or keywords (behav, dflt, min, max, x, y, width, height, attributes). Returns 0 or a Csound error code (e.g. the channel is not a control channel).
        """
    def setCscoreCallback(self, function: typing.Any) -> None:
        """
        Called for cscore processing (-C): fn(csound) or fn().
        """
    def setDebug(self, arg0: bool) -> None:
        ...
    def setDrawGraphCallback(self, function: typing.Any) -> None:
        """
        fn(csound, windat) or fn(windat); windat.fdata holds the points.
        """
    def setEndMarker(self, time: typing.SupportsFloat | typing.SupportsIndex) -> None:
        """
        Schedules an end-of-score event 'e' `time` seconds from now.
        """
    def setExitGraphCallback(self, function: typing.Any) -> None:
        ...
    def setExternalMidiErrorStringCallback(self, function: typing.Any) -> None:
        """
        fn(errorCode) -> str.
        """
    def setExternalMidiInCloseCallback(self, function: typing.Any) -> None:
        """
        fn(csound, userData) or fn().
        """
    def setExternalMidiInOpenCallback(self, function: typing.Any) -> None:
        """
        fn(csound, userDataPtr, devName) -> int as in ctcsound, or fn(devName) -> int (0 = OK).
        """
    def setExternalMidiOutCloseCallback(self, function: typing.Any) -> None:
        """
        fn(csound, userData) or fn().
        """
    def setExternalMidiOutOpenCallback(self, function: typing.Any) -> None:
        """
        fn(csound, userDataPtr, devName) -> int, or fn(devName) -> int.
        """
    def setExternalMidiReadCallback(self, function: typing.Any) -> None:
        """
        Every k-cycle on the performing thread: fn(nbytes) -> bytes (at most nbytes), or ctcsound's fn(csound, userData, bufPtr, nbytes) -> count (writes through the int pointer bufPtr).
        """
    def setExternalMidiWriteCallback(self, function: typing.Any) -> None:
        """
        fn(data: bytes) or ctcsound's fn(csound, userData, data: bytes, nbytes) -> count.
        """
    def setFileOpenCallback(self, function: typing.Any) -> None:
        """
        Called after Csound opens a file: fn(csound, path: bytes, filetype, write, temporary) as in ctcsound, or fn(path: str, filetype, write: bool, temporary: bool). Runs on the thread that compiles/performs.
        """
    def setGlobalEnv(self, name: str, value: typing.Any) -> int:
        """
        Sets (None deletes) a global Csound environment variable such as SFDIR or OPCODE6DIR64. Returns 0 on success. Not safe while instances perform.
        """
    def setHostAudioIO(self) -> None:
        """
        Disables Csound's own audio I/O (Csound 7 name); use spin/spout.
        """
    def setHostData(self, arg0: typing.Any) -> None:
        ...
    def setHostImplementedAudioIO(self, state: bool, bufSize: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    def setHostImplementedMIDIIO(self, state: bool) -> None:
        """
        True: the host supplies MIDI I/O through the setExternalMidi*Callback functions.
        """
    def setHostMidiIO(self, capacity: typing.SupportsInt | typing.SupportsIndex = 65536) -> None:
        """
        Host MIDI through native rings: Csound reads what pushMidi() queues and its MIDI output is drained by popMidiOutput(). Sets -M0 -Q0. Before compiling, and again after reset() (which clears options). No Python runs on the audio thread.
        """
    def setInput(self, name: str) -> None:
        ...
    def setInputChannelCallback(self, function: typing.Any) -> None:
        """
        invalue callback. fn(name) -> float, or ctcsound's fn(csound, name, valuePtr, chanType) with int pointers. Runs on the thread that performs, holding the GIL (explicit opt-in).
        """
    def setIsGraphable(self, isGraphable: bool) -> bool:
        """
        Tells Csound the host displays graphs; returns the previous setting.
        """
    def setKillGraphCallback(self, function: typing.Any) -> None:
        ...
    def setLanguage(self, lang_code: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def setMIDIFileInput(self, name: str) -> None:
        """
        MIDI file to read (-F).
        """
    def setMIDIFileOutput(self, name: str) -> None:
        """
        MIDI file to write (--midioutfile).
        """
    def setMIDIInput(self, name: str) -> None:
        """
        MIDI input device name/number (-M).
        """
    def setMIDIModule(self, module: str) -> None:
        """
        Sets the MIDI module ('alsa', 'portmidi', 'null', ...).
        """
    def setMIDIOutput(self, name: str) -> None:
        """
        MIDI output device name/number (-Q).
        """
    def setMakeGraphCallback(self, function: typing.Any) -> None:
        """
        fn(csound, windat, name) or fn(windat, name); may set windat.windid.
        """
    def setMessageLevel(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def setMessageStringCallback(self, attr: typing.SupportsInt | typing.SupportsIndex, function: typing.Any) -> None:
        """
        Delivers every message Csound prints to function(attr, text), called on csoundpp's dispatcher thread shortly after the message is printed (never on the thread that performs). attr=0 delivers all messages; otherwise only those whose CSOUNDMSG_TYPE_MASK bits equal attr. None restores printing.
        """
    def setMidiDevListCallback(self, function: typing.Any) -> None:
        """
        fn(isOutput) -> list of dicts/objects with device_name, interface_name, device_id, midi_module (what midiDevList() reports; normally set by MIDI modules, not hosts).
        """
    def setOpenSoundFileCallback(self, function: typing.Any) -> None:
        ...
    def setOption(self, option: str) -> int:
        """
        Sets one or several command-line options (before compilation), as a command line would: '-k 9600', '-o dac -dm0', '--sample-rate 48000'. Returns 0 on success. ValueError for an unterminated quote or an option missing its value.
        """
    def setOutput(self, name: str, type_: typing.Any = None, format: typing.Any = None) -> None:
        """
        Sets output destination, file type ('wav', 'aiff', 'flac', ...) and sample format ('short', 'float', '24bit', ...). Before compilation.
        """
    def setOutputChannelCallback(self, function: typing.Any) -> None:
        """
        outvalue callback. fn(name, value) is called on the dispatcher thread, never on the thread that performs (value is a float or str); ctcsound's fn(csound, name, valuePtr, chanType) is called synchronously on the performing thread.
        """
    def setParams(self, params: CsoundParams) -> None:
        """
        Sets the parameters (before compilation). ValueError names a field out of range; nothing is changed then.
        """
    def setPlayOpenCallback(self, function: typing.Any) -> None:
        """
        fn(csound, params: CsoundRtAudioParams) -> int or fn(params) -> int. Use with -odac and setRTAudioModule('null')/-+rtaudio=null so no audio module replaces it.
        """
    def setPvsChannel(self, fin: PvsdatExt, name: str) -> int:
        """
        Sends a PvsdatExt to the pvsin opcode on channel `name`. 0, CSOUND_ERROR or CSOUND_MEMORY.
        """
    def setPvsData(self, pvsdat: typing.Any, frame: typing.Any) -> None:
        ...
    def setRTAudioModule(self, module: str) -> None:
        """
        Sets the real-time audio module ('alsa', 'jack', 'pa_cb', 'null', ...).
        """
    def setRecordOpenCallback(self, function: typing.Any) -> None:
        ...
    def setRtCloseCallback(self, function: typing.Any) -> None:
        ...
    def setRtPlayCallback(self, function: typing.Any) -> None:
        """
        fn(csound, samples: float64 ndarray (a copy), nbytes) or fn(samples), once per output buffer on the performing thread.
        """
    def setRtRecordCallback(self, function: typing.Any) -> None:
        """
        fn(csound, buffer, nbytes) -> bytes filled, or fn(buffer) -> bytes filled; `buffer` is a writable float64 view valid during the call only.
        """
    def setScoreOffsetSeconds(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    def setScorePending(self, arg0: bool) -> None:
        ...
    def setSpinSample(self, frame: typing.SupportsInt | typing.SupportsIndex, channel: typing.SupportsInt | typing.SupportsIndex, sample: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    def setStringChannel(self, name: str, string: str) -> None:
        ...
    def setStringData(self, sdata: typing.Any, string: str) -> None:
        """
        Sets the string channel whose channelPtr() pointer is sdata.
        """
    def setYieldCallback(self, function: typing.Any) -> None:
        """
        fn(csound) or fn() -> bool ('OK to continue'; False stops a running utility/performance).
        """
    def sizeOfMYFLT(self) -> int:
        ...
    def sleep(self, milliseconds: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Sleeps at least `milliseconds` (GIL released).
        """
    def spin(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Zero-copy view of the input working buffer (ksmps * nchnls_i, interleaved).
        """
    def spinLock(self, spinlock: typing.Any) -> None:
        """
        Locks (spins with the GIL released).
        """
    def spinLockInit(self, spinlock: typing.Any) -> int:
        ...
    def spinTryLock(self, spinlock: typing.Any) -> int:
        """
        CSOUND_SUCCESS when the lock was taken, CSOUND_ERROR when it is held.
        """
    def spinUnlock(self, spinlock: typing.Any) -> None:
        ...
    def spout(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Zero-copy view of the output working buffer (ksmps * nchnls, interleaved).
        """
    def spoutSample(self, frame: typing.SupportsInt | typing.SupportsIndex, channel: typing.SupportsInt | typing.SupportsIndex) -> float:
        ...
    def sr(self) -> float:
        ...
    def start(self) -> int:
        """
        Prepares Csound for performance (releases the GIL). Returns 0 on success.
        """
    def stop(self) -> None:
        """
        Stops perform() running in another thread (any thread).
        """
    def stopUDPConsole(self) -> None:
        ...
    def stringChannel(self, name: str, string: typing.Any = None) -> str:
        """
        Returns the text of a string channel. The ctcsound 6 two-argument form is accepted (the second argument is ignored).
        """
    def stringData(self, sdata: typing.Any) -> str:
        """
        Text of the string channel whose channelPtr() pointer is sdata.
        """
    def systemSr(self, val: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> float:
        ...
    def table(self, tableNum: typing.SupportsInt | typing.SupportsIndex) -> typing.Any:
        """
        Zero-copy float64 view of a function table, or None if it does not exist. The view stays valid memory for as long as it lives: when the table is later redefined with another size (or deleted), the view keeps the old samples, detached from the table; ask for a new view to see the new table.
        """
    def tableArgs(self, tableNum: typing.SupportsInt | typing.SupportsIndex) -> typing.Any:
        """
        View of the GEN arguments of a table (GEN number first), or None. Detached, like table(), when the table is redefined or deleted.
        """
    def tableCopyIn(self, table: typing.SupportsInt | typing.SupportsIndex, src: typing.Annotated[numpy.typing.ArrayLike, numpy.float64], async_: bool = False) -> None:
        ...
    def tableCopyInAsync(self, table: typing.SupportsInt | typing.SupportsIndex, src: typing.Annotated[numpy.typing.ArrayLike, numpy.float64]) -> None:
        """
        Copies `src` into table `table` now, synchronously (see tableCopyOutAsync).
        """
    def tableCopyOut(self, table: typing.SupportsInt | typing.SupportsIndex, dest: typing.Any = None, async_: bool = False) -> typing.Any:
        ...
    def tableCopyOutAsync(self, table: typing.SupportsInt | typing.SupportsIndex, dest: typing.Annotated[numpy.typing.ArrayLike, numpy.float64]) -> None:
        """
        Copies table `table` into `dest` now, synchronously: libcsound's async variant keeps the pointer and writes later, which a caller cannot rely on.
        """
    def tableGet(self, table: typing.SupportsInt | typing.SupportsIndex, index: typing.SupportsInt | typing.SupportsIndex) -> float:
        ...
    def tableLength(self, table: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    def tableSet(self, table: typing.SupportsInt | typing.SupportsIndex, index: typing.SupportsInt | typing.SupportsIndex, value: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    def unlockChannel(self, channel: str) -> None:
        ...
    def unlockMutex(self, mutex: CsoundMutex) -> None:
        ...
    def utilityDescription(self, name: str) -> typing.Any:
        """
        A utility's description, or None.
        """
    def version(self) -> int:
        ...
    def waitBarrier(self, barrier: CsoundBarrier) -> int:
        """
        Waits (GIL released) until max_ threads arrived.
        """
    def waitThreadLock(self, lock: ThreadLock, milliseconds: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        0 when notified, non-zero on timeout (GIL released while waiting).
        """
    def waitThreadLockNoTimeout(self, lock: ThreadLock) -> None:
        ...
    def writeCircularBuffer(self, circularBuffer: CircularBuffer, in_: numpy.ndarray, items: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        Writes up to `items` elements from the numpy array `in_`; returns how many fitted.
        """
    @property
    def cs(self) -> _ct.c_void_p:
        """
        The CSOUND* as a ctypes.c_void_p (ctcsound).
        """
    @property
    def destroyed(self) -> bool:
        ...
    @property
    def droppedMessages(self) -> int:
        """
        Messages dropped because the dispatcher ring was full (never blocks the audio thread).
        """
    @property
    def midiOutputDropped(self) -> int:
        """
        MIDI output bytes dropped because the output ring was full.
        """
    # other APIs' names for the methods above (python/csoundpp/_spellings.py)
    API_version = APIVersion
    CPU_time = CPUTime
    add_spin_sample = addSpinSample
    allocated_channels = allocatedChannels
    append_opcode = appendOpcode
    audio_channel = audioChannel
    audio_dev_list = audioDevList
    channel_datasize = channelDatasize
    channel_exists = channelExists
    channel_info = channelInfo
    channel_lock = channelLock
    channel_ptr = channelPtr
    clear_spin = clearSpin
    close = destroy
    compile = compile_
    compileCommandLine = compileArgs
    compile_args = compileArgs
    compile_command_line = compileArgs
    compile_csd_text = compileCsdText
    compile_orc_async = compileOrcAsync
    compile_orc_header = compileOrcHeader
    compile_tree = compileTree
    compile_tree_async = compileTreeAsync
    control_channel = controlChannel
    control_channel_hints = controlChannelHints
    create_barrier = createBarrier
    create_circular_buffer = createCircularBuffer
    create_global_variable = createGlobalVariable
    create_message_buffer = createMessageBuffer
    create_mutex = createMutex
    create_thread = createThread
    create_thread_lock = createThreadLock
    current_thread_id = currentThreadId
    current_time_samples = currentTimeSamples
    delete_channel_list = deleteChannelList
    delete_tree = deleteTree
    destroy_barrier = destroyBarrier
    destroy_circular_buffer = destroyCircularBuffer
    destroy_global_variable = destroyGlobalVariable
    destroy_message_buffer = destroyMessageBuffer
    destroy_mutex = destroyMutex
    destroy_thread_lock = destroyThreadLock
    dispose_opcode_list = disposeOpcodeList
    eval_code = evalCode
    first_message = firstMessage
    first_message_attr = firstMessageAttr
    flush_circular_buffer = flushCircularBuffer
    flush_messages = flushMessages
    get_0dBFS = get0dBFS
    get_opcodes = getOpcodes
    host_data = hostData
    init_pvs_channel = initPvsChannel
    init_timer_struct = initTimerStruct
    input_buffer = inputBuffer
    input_buffer_size = inputBufferSize
    input_message = inputMessage
    input_message_async = inputMessageAsync
    input_name = inputName
    instr_number = instrNumber
    is_named_GEN = isNamedGEN
    is_score_pending = isScorePending
    iter_messages = iterMessages
    join_thread = joinThread
    key_press = keyPress
    kill_instance = killInstance
    last_errors = lastErrors
    list_channels = listChannels
    list_utilities = listUtilities
    load_plugins = loadPlugins
    lock_channel = lockChannel
    lock_mutex = lockMutex
    lock_mutex_no_wait = lockMutexNoWait
    message_S = messageS
    message_cnt = messageCnt
    message_level = messageLevel
    midi_dev_list = midiDevList
    named_GEN = namedGEN
    named_gens = namedGens
    nchnls_input = nchnlsInput
    new_opcode_list = newOpcodeList
    notify_thread_lock = notifyThreadLock
    output_buffer = outputBuffer
    output_buffer_size = outputBufferSize
    output_format = outputFormat
    output_name = outputName
    parse_orc = parseOrc
    peek_circular_buffer = peekCircularBuffer
    perform_buffer = performBuffer
    perform_ksmps = performKsmps
    perform_ksmps_into = performKsmpsInto
    performance_thread = performanceThread
    pop_first_message = popFirstMessage
    pop_midi_output = popMidiOutput
    push_midi = pushMidi
    pvs_channel = pvsChannel
    queryGlobalVariableNoCheck = queryGlobalVariable
    query_global_variable = queryGlobalVariable
    rand_MT = randMT
    random_seed_from_time = randomSeedFromTime
    read_circular_buffer = readCircularBuffer
    read_message = readMessage
    read_score = readScore
    read_score_async = readScoreAsync
    real_time = realTime
    register_keyboard_callback = registerKeyboardCallback
    register_sense_event_callback = registerSenseEventCallback
    remove_keyboard_callback = removeKeyboardCallback
    rewind_score = rewindScore
    rtPlayUserData = rtPlaydUserData
    rt_play_user_data = rtPlaydUserData
    rt_record_user_data = rtRecordUserData
    run_command = runCommand
    run_utility = runUtility
    score_event = scoreEvent
    score_event_absolute = scoreEventAbsolute
    score_event_absolute_async = scoreEventAbsoluteAsync
    score_event_async = scoreEventAsync
    score_offset_seconds = scoreOffsetSeconds
    score_time = scoreTime
    seed_rand_MT = seedRandMT
    setHostImplementedMidiIO = setHostImplementedMIDIIO
    setMidiDeviceListCallback = setMidiDevListCallback
    setMidiFileInput = setMIDIFileInput
    setMidiFileOutput = setMIDIFileOutput
    setMidiInput = setMIDIInput
    setMidiModule = setMIDIModule
    setMidiOutput = setMIDIOutput
    setOpenFileCallback = setFileOpenCallback
    set_RT_audio_module = setRTAudioModule
    set_audio_channel = setAudioChannel
    set_audio_dev_list_callback = setAudioDevListCallback
    set_control_channel = setControlChannel
    set_control_channel_hints = setControlChannelHints
    set_cscore_callback = setCscoreCallback
    set_debug = setDebug
    set_draw_graph_callback = setDrawGraphCallback
    set_end_marker = setEndMarker
    set_exit_graph_callback = setExitGraphCallback
    set_external_midi_error_string_callback = setExternalMidiErrorStringCallback
    set_external_midi_in_close_callback = setExternalMidiInCloseCallback
    set_external_midi_in_open_callback = setExternalMidiInOpenCallback
    set_external_midi_out_close_callback = setExternalMidiOutCloseCallback
    set_external_midi_out_open_callback = setExternalMidiOutOpenCallback
    set_external_midi_read_callback = setExternalMidiReadCallback
    set_external_midi_write_callback = setExternalMidiWriteCallback
    set_file_open_callback = setFileOpenCallback
    set_global_env = setGlobalEnv
    set_host_audio_IO = setHostAudioIO
    set_host_data = setHostData
    set_host_implemented_MIDI_IO = setHostImplementedMIDIIO
    set_host_implemented_audio_IO = setHostImplementedAudioIO
    set_host_midi_IO = setHostMidiIO
    set_input = setInput
    set_input_channel_callback = setInputChannelCallback
    set_is_graphable = setIsGraphable
    set_kill_graph_callback = setKillGraphCallback
    set_language = setLanguage
    set_make_graph_callback = setMakeGraphCallback
    set_message_level = setMessageLevel
    set_message_string_callback = setMessageStringCallback
    set_midi_dev_list_callback = setMidiDevListCallback
    set_midi_file_input = setMIDIFileInput
    set_midi_file_output = setMIDIFileOutput
    set_midi_input = setMIDIInput
    set_midi_module = setMIDIModule
    set_midi_output = setMIDIOutput
    set_option = setOption
    set_output = setOutput
    set_output_channel_callback = setOutputChannelCallback
    set_params = setParams
    set_play_open_callback = setPlayOpenCallback
    set_pvs_channel = setPvsChannel
    set_record_open_callback = setRecordOpenCallback
    set_rt_audio_module = setRTAudioModule
    set_rt_close_callback = setRtCloseCallback
    set_rt_play_callback = setRtPlayCallback
    set_rt_record_callback = setRtRecordCallback
    set_score_offset_seconds = setScoreOffsetSeconds
    set_score_pending = setScorePending
    set_spin_sample = setSpinSample
    set_string_channel = setStringChannel
    set_yield_callback = setYieldCallback
    size_of_MYFLT = sizeOfMYFLT
    spin_lock = spinLock
    spin_lock_init = spinLockInit
    spin_try_lock = spinTryLock
    spin_unlock = spinUnlock
    spout_sample = spoutSample
    stop_udp_console = stopUDPConsole
    string_channel = stringChannel
    system_sr = systemSr
    table_args = tableArgs
    table_copy_in = tableCopyIn
    table_copy_in_async = tableCopyInAsync
    table_copy_out = tableCopyOut
    table_copy_out_async = tableCopyOutAsync
    table_get = tableGet
    table_length = tableLength
    table_set = tableSet
    udp_console = UDPConsole
    udp_server_close = UDPServerClose
    udp_server_start = UDPServerStart
    udp_server_status = UDPServerStatus
    unlock_channel = unlockChannel
    unlock_mutex = unlockMutex
    utility_description = utilityDescription
    wait_barrier = waitBarrier
    wait_thread_lock = waitThreadLock
    wait_thread_lock_no_timeout = waitThreadLockNoTimeout
    write_circular_buffer = writeCircularBuffer
    zerodBFS = get0dBFS
class CircularBuffer:
    """
    A Csound circular buffer (createCircularBuffer). Lock-free single reader/single writer; elements are `elemsize` bytes (float64 by default). Valid until destroyed or the instance is reset/destroyed.
    """
    @property
    def destroyed(self) -> bool:
        ...
    @property
    def elemsize(self) -> int:
        ...
    @property
    def numelem(self) -> int:
        ...
class CsoundThread:
    """
    A thread created with createThread(); pass it to joinThread().
    """
class ThreadLock:
    """
    A Csound monitor object (createThreadLock).
    """
class CsoundMutex:
    """
    A Csound mutex (createMutex).
    """
class CsoundBarrier:
    """
    A Csound thread barrier (createBarrier).
    """
class SpinLock:
    """
    A spin lock: a channel's lock (channelLock) or a standalone one (SpinLock()).
    """
    def __init__(self) -> None:
        ...
class RtClock:
    """
    Timer structure for initTimerStruct/realTime/CPUTime (fields as in ctcsound).
    """
    def __init__(self) -> None:
        ...
    @property
    def starttime_CPU(self) -> int:
        ...
    @starttime_CPU.setter
    def starttime_CPU(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def starttime_real(self) -> int:
        ...
    @starttime_real.setter
    def starttime_real(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class CsoundRandMTState:
    """
    Mersenne Twister state (seedRandMT/randMT).
    """
    def __init__(self) -> None:
        ...
    @property
    def mt(self) -> numpy.typing.NDArray[numpy.uint32]:
        """
        The 624-word state as a uint32 numpy view.
        """
    @property
    def mti(self) -> int:
        ...
    @mti.setter
    def mti(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class PvsdatExt:
    """
    PVSDATEXT for setPvsChannel/pvsChannel (fields as in ctcsound; `frame` is a float32 numpy view of N+2 values, resized when N changes).
    """
    def __init__(self, N: typing.SupportsInt | typing.SupportsIndex = 0, overlap: typing.SupportsInt | typing.SupportsIndex = 0, winsize: typing.SupportsInt | typing.SupportsIndex = 0, wintype: typing.SupportsInt | typing.SupportsIndex = 0, format: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    @property
    def N(self) -> int:
        ...
    @N.setter
    def N(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def NB(self) -> int:
        ...
    @NB.setter
    def NB(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def format(self) -> int:
        ...
    @format.setter
    def format(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def frame(self) -> numpy.typing.NDArray[numpy.float32]:
        ...
    @frame.setter
    def frame(self, arg1: typing.Annotated[numpy.typing.ArrayLike, numpy.float32]) -> None:
        ...
    @property
    def framecount(self) -> int:
        ...
    @framecount.setter
    def framecount(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def overlap(self) -> int:
        ...
    @overlap.setter
    def overlap(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def sliding(self) -> int:
        ...
    @sliding.setter
    def sliding(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def winsize(self) -> int:
        ...
    @winsize.setter
    def winsize(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def wintype(self) -> int:
        ...
    @wintype.setter
    def wintype(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class CsoundRtAudioParams:
    """
    Real-time audio parameters given to play/record open callbacks.
    """
    devName: str | None
    def __init__(self) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def bufSamp_HW(self) -> int:
        ...
    @bufSamp_HW.setter
    def bufSamp_HW(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def bufSamp_SW(self) -> int:
        ...
    @bufSamp_SW.setter
    def bufSamp_SW(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def devNum(self) -> int:
        ...
    @devNum.setter
    def devNum(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def nChannels(self) -> int:
        ...
    @nChannels.setter
    def nChannels(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def sampleFormat(self) -> int:
        ...
    @sampleFormat.setter
    def sampleFormat(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def sampleRate(self) -> float:
        ...
    @sampleRate.setter
    def sampleRate(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
class Windat:
    """
    A graph passed to the make/draw/kill graph callbacks (a copy; fields as in ctcsound).
    """
    def __init__(self) -> None:
        ...
    @property
    def absflag(self) -> int:
        ...
    @property
    def absmax(self) -> float:
        ...
    @property
    def caption(self) -> str:
        ...
    @property
    def danflag(self) -> int:
        ...
    @property
    def fdata(self) -> numpy.typing.NDArray[numpy.float64]:
        ...
    @property
    def max(self) -> float:
        ...
    @property
    def min(self) -> float:
        ...
    @property
    def npts(self) -> int:
        ...
    @property
    def oabsmax(self) -> float:
        ...
    @property
    def polarity(self) -> int:
        ...
    @property
    def waitflg(self) -> int:
        ...
    @property
    def windid(self) -> int:
        ...
    @windid.setter
    def windid(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class ControlHandle:
    """
    A control channel resolved once. get()/set() are one atomic 8-byte access: safe from any thread, no name lookup, no lock.
    """
    def __repr__(self) -> str:
        ...
    def get(self) -> float:
        ...
    def set(self, value: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> float:
        ...
    @value.setter
    def value(self, arg1: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
class StringHandle:
    """
    A string channel fed from any thread through a lock-free triple buffer; the processor copies the newest value into Csound before the next k-cycle.
    """
    def set(self, value: str) -> None:
        """
        Publishes value (str, at most `capacity` UTF-8 bytes). Any thread; does not block the audio thread.
        """
    @property
    def capacity(self) -> int:
        ...
    @property
    def name(self) -> str:
        ...
class BlockProcessor:
    """
    Drives a Csound from a host's audio callback, block by block.
    
    BlockProcessor(csound, inputs=0, outputs=2, interleaved=False, variable_blocks=False,
                   sample_accurate=True, midi_in=True, midi_out=True, event_capacity=1024,
                   midi_capacity=1024)
    
    Create it before compiling: it installs host-implemented audio and MIDI I/O.
    Then compile the orchestra, call start(), and call process() from the audio
    callback with blocks of any size. Buffers are numpy float32/float64 arrays:
    planar (channels, frames) or a list of 1-D arrays; interleaved (frames, channels).
    latency is 0 while blocks are multiples of ksmps, else ksmps-1 frames (from the
    start with variable_blocks=True). Host full scale (+-1) is Csound's 0dbfs.
    """
    def __enter__(self) -> typing.Any:
        ...
    def __exit__(self, *args) -> bool:
        ...
    def __init__(self, csound: Csound, *, inputs: typing.SupportsInt | typing.SupportsIndex = 0, outputs: typing.SupportsInt | typing.SupportsIndex = 2, interleaved: bool = False, variable_blocks: bool = False, sample_accurate: bool = True, midi_in: bool = True, midi_out: bool = True, event_capacity: typing.SupportsInt | typing.SupportsIndex = 1024, midi_capacity: typing.SupportsInt | typing.SupportsIndex = 1024) -> None:
        ...
    def close(self) -> None:
        """
        Releases the Csound and frees the processor (idempotent).
        """
    def control_handle(self, name: str) -> ControlHandle:
        """
        A ControlHandle for the control channel `name` (created if missing).
        """
    def midi_out(self) -> list:
        """
        MIDI written by Csound since the last call: list of (absolute output frame, bytes).
        """
    def process(self, inputs: typing.Any, outputs: typing.Any, nframes: typing.SupportsInt | typing.SupportsIndex | None = None) -> bool:
        """
        Renders nframes (default: the outputs' length) frames.
        
        inputs may be None. Arrays are used in place (C-contiguous, outputs writeable,
        inputs and outputs of one dtype). Releases the GIL; the native part neither
        allocates nor locks. Returns True once the score has finished (outputs are then
        silent). Raises StateError before start() or after release(); ValueError/TypeError
        for bad buffers.
        """
    def release(self) -> None:
        """
        Stops using the Csound (idempotent). process() then raises StateError.
        """
    def schedule_event(self, frame: typing.SupportsInt | typing.SupportsIndex, type: str, pfields: typing.Any) -> None:
        """
        Queues a score event for `frame` frames into the next process() block (lock-free, any thread). With sample_accurate an 'i' note starts on that frame; p2 is added as a further delay in seconds. Raises QueueFullError when the ring is full.
        """
    def send_midi(self, frame: typing.SupportsInt | typing.SupportsIndex, message: bytes) -> None:
        """
        Queues one MIDI message (bytes) for `frame` frames into the next block. Csound receives it in the k-cycle containing that frame. Lock-free, any thread.
        """
    def start(self) -> None:
        """
        Starts Csound if needed and prepares the buffers; marks the Csound busy (perform/reset/destroy elsewhere raise StateError) until release(). Raises CsoundError if Csound cannot start.
        """
    def string_handle(self, name: str, capacity: typing.SupportsInt | typing.SupportsIndex = 255) -> StringHandle:
        """
        A StringHandle for the string channel `name`; Csound's buffer is preallocated to capacity bytes.
        """
    @property
    def csound(self) -> Csound:
        """
        The csoundpp.Csound this processor drives.
        """
    @property
    def finished(self) -> bool:
        ...
    @property
    def frames_processed(self) -> int:
        ...
    @property
    def inputs(self) -> int:
        ...
    @property
    def interleaved(self) -> bool:
        ...
    @property
    def ksmps(self) -> int:
        ...
    @property
    def late_events(self) -> int:
        ...
    @property
    def latency(self) -> int:
        """
        Frames between an input frame (or event) and the output it produces.
        """
    @property
    def nchnls(self) -> int:
        ...
    @property
    def nchnls_i(self) -> int:
        ...
    @property
    def outputs(self) -> int:
        ...
    @property
    def prepared(self) -> bool:
        ...
    @property
    def sr(self) -> float:
        ...
class PerformanceThread:
    """
    Runs a Csound instance on a native thread and takes commands from any thread.
    
    PerformanceThread(csound, capacity=16384): ``csound`` is a csoundpp.Csound or
    a raw CSOUND pointer (``cs.csound()``). The instance is compiled beforehand
    (it is started here if needed). The thread starts paused; ``play()`` starts it.
    Every command is queued (bounded, preallocated; a full queue raises
    QueueFullError in the caller) and executed in order at the next k-cycle
    boundary on the performance thread. ``with cs.performanceThread() as pt:``
    plays on entry and stops and joins on exit. Dropping the last reference stops
    and joins (without the GIL). Waits (join, flushMessageQueue, evalCode,
    stopRecord, record) release the GIL and let Ctrl-C through.
    """
    def __enter__(self) -> PerformanceThread:
        ...
    def __exit__(self, *args) -> bool:
        ...
    def __init__(self, csound: typing.Any, withProcessQueue: bool = False, *, capacity: typing.SupportsInt | typing.SupportsIndex = 16384) -> None:
        ...
    def _hasProcessQueue(self) -> bool:
        """
        True after setProcessQueue().
        """
    def compile(self, code: str) -> None:
        """
        ctcsound7: compiles orchestra code on the performance thread, between two k-cycles,
            through the process queue (does not wait; use sync() to wait for it).
        """
    def compileOrc(self, code: str) -> None:
        """
        Parses `code` now on the calling thread (CompileError with Csound's diagnostics on a syntax error) and merges it at the next k-cycle boundary, in order with the other commands.
        """
    def csoundPtr(self) -> int:
        """
        The CSOUND pointer as an int.
        """
    def evalCode(self, code: str, callback: typing.Any = None, timeout: typing.SupportsFloat | typing.SupportsIndex | None = 5.0) -> float:
        """
        Runs csoundEvalCode at the next k-cycle boundary. Without callback: blocks (GIL released) and returns the value; TimeoutError after `timeout` s. With callback: returns 0.0 at once and calls callback(value) on the performance thread.
        """
    def flushMessageQueue(self, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
        """
        Returns once every command queued before the call has been executed (or the performance has ended). Works in every state. Releases the GIL. TimeoutError on timeout; StateError from the performance thread.
        """
    def flushProcessQueue(self, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
        """
        Waits until every task queued before the call has run. TimeoutError on timeout.
        """
    def inputMessage(self, s: str) -> None:
        """
        Queues a line of score text (any length), as csoundInputMessage.
        """
    def isRunning(self) -> bool:
        """
        True until the performance thread has finished (end of score, stop() or error), even before join().
        """
    def join(self, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> int:
        """
        Waits for the end of the performance (end of score or stop()), then returns status(). Idempotent. Releases the GIL; Ctrl-C interrupts it. Raises TimeoutError after `timeout` seconds, StateError when called from the performance thread.
        """
    def pause(self) -> None:
        """
        Pauses: no k-cycle is rendered, commands are still executed (queued).
        """
    def play(self) -> None:
        """
        Continues the performance if it was paused (queued).
        """
    def processCallback(self) -> typing.Any:
        """
        The process callback given to setProcessCallback/setProcessCB, or None.
        """
    def processQueueTask(self, func: typing.Any) -> None:
        """
        Queues func(csound) to run on the performance thread at a k-cycle boundary. Needs setProcessQueue().
        """
    def record(self, filename: typing.Any, samplebits: typing.SupportsInt | typing.SupportsIndex = 16, numbufs: typing.SupportsInt | typing.SupportsIndex = 4, realtime: bool | None = None) -> None:
        """
        Records the output (scaled by 1/0dBFS) from the next k-cycle into `filename`; the format comes from the extension (wav, aif/aiff, flac, ogg), samplebits 16/24 (PCM) or 32 (float). Not in real time (no audio device) nothing is dropped: the thread waits for the writer. In real time (-odac, or realtime=True) blocks that do not fit are counted in record_overruns. The file is opened here (errors raise here); a recording in progress is finished first.
        """
    def requestCallback(self, callback: typing.Any) -> None:
        """
        Calls callback(csound) once, on the performance thread between two k-cycles (takes the GIL there). The callable is kept alive until it ran; exceptions go to sys.unraisablehook.
        """
    def scoreEvent(self, absp2mode: typing.Any, opcod: str, pFields: typing.Any) -> None:
        """
        Queues a score event; pFields[0] is p1. A float64 numpy array is read without conversion. absp2mode true: p2 counts from the start of the performance. Never blocks; QueueFullError when the queue is full, StateError after the end of the performance. An event queued before a k-cycle boundary with p2 = 0 starts in the k-cycle right after that boundary.
        """
    def scoreEvents(self, absp2mode: typing.Any, opcod: str, pFields: typing.Any) -> None:
        """
        Queues a batch of score events as ONE command: pFields is a 2-D array of shape (n_events, n_pfields) (float64 C-contiguous is read in place, other arrays are converted) or a list of equal-length p-field lists. The GIL is released while the batch is checked and queued. All or nothing: a NaN/inf anywhere raises ValueError and a full queue raises QueueFullError, with nothing queued. The performance thread schedules every event of the batch at the same k-cycle boundary, in row order (relative p2 counts from that boundary). Never blocks; StateError after the end of the performance.
        """
    def setEndMarker(self, time: typing.SupportsFloat | typing.SupportsIndex, absolute: bool = False) -> None:
        """
        Queues an 'e' event: the performance ends at `time` (relative to now, or absolute).
        """
    def setProcessCallback(self, function: typing.Any, data: typing.Any = None) -> None:
        """
        Calls function(data) on the performance thread before every k-cycle (takes the GIL each time). None removes it. Queued like the other commands. The callable and data are kept alive.
        """
    def setProcessQueue(self) -> None:
        """
        Enables processQueueTask()/flushProcessQueue() (libcsound's process queue).
        """
    def setScoreOffsetSeconds(self, time: typing.SupportsFloat | typing.SupportsIndex) -> None:
        """
        Queues a jump of the score time pointer to `time` seconds.
        """
    def status(self) -> int:
        """
        0 while playing or paused; positive after stop() or the end of the score; negative after a Csound error.
        """
    def stop(self) -> None:
        """
        Stops the performance (cannot be continued). Never blocks, never fails, idempotent; the thread ends at the next k-cycle boundary. Use join() to wait.
        """
    def stopRecord(self) -> None:
        """
        Stops recording; when it returns the file is complete and closed. Idempotent. Releases the GIL.
        """
    def sync(self, timeout: float | None = None) -> None:
        """
        ctcsound7: waits until every task queued before the call has run (TimeoutError after
            ``timeout`` seconds). Returns at once when no process queue was set up.
        """
    def task(self, func: typing.Callable[..., typing.Any], data: typing.Any = None) -> None:
        """
        ctcsound7: queues func(csound, thread) — or func(csound, thread, data) when data is
            given — to run on the performance thread between two k-cycles. Needs the process queue
            (setProcessQueue() or performanceThread(withProcessQueue=True)).
        """
    def togglePause(self) -> None:
        """
        Pauses or continues (queued). play/pause/togglePause are ignored once the performance has ended.
        """
    @property
    def _processQueue(self) -> 'PerformanceThread' | None:
        """
        libcsound's attribute: None until setProcessQueue() (or withProcessQueue=True), then a
            true value (the thread itself; csoundpp's process queue is native).
        """
    @property
    def commands_executed(self) -> int:
        ...
    @property
    def csound(self) -> Csound:
        """
        The csoundpp.Csound this thread performs (kept alive by the thread).
        """
    @property
    def cycles(self) -> int:
        """
        k-cycles rendered so far.
        """
    @property
    def dropped_after_end(self) -> int:
        """
        Commands that reached the thread only after the performance had ended.
        """
    @property
    def paused(self) -> bool:
        """
        True while paused (as executed by the thread).
        """
    @property
    def queue_capacity(self) -> int:
        """
        Capacity of the command queue.
        """
    @property
    def record_error(self) -> str:
        ...
    @property
    def record_overruns(self) -> int:
        """
        Blocks the current/last recording dropped (only possible in real time).
        """
    @property
    def recorded_frames(self) -> int:
        """
        Frames the current/last recording wrote to its file.
        """
    @property
    def recording(self) -> bool:
        """
        True while a recording is in progress.
        """
    # other APIs' names for the methods above (python/csoundpp/_spellings.py)
    compile_orc = compileOrc
    csound_ptr = csoundPtr
    eval_code = evalCode
    flush_message_queue = flushMessageQueue
    flush_process_queue = flushProcessQueue
    input_message = inputMessage
    is_running = isRunning
    processCB = processCallback
    process_callback = processCallback
    process_cb = processCallback
    process_queue_task = processQueueTask
    recordOverruns = record_overruns
    recordedFrames = recorded_frames
    request_callback = requestCallback
    score_event = scoreEvent
    score_events = scoreEvents
    setProcessCB = setProcessCallback
    set_end_marker = setEndMarker
    set_process_callback = setProcessCallback
    set_process_cb = setProcessCallback
    set_process_queue = setProcessQueue
    set_score_offset_seconds = setScoreOffsetSeconds
    stop_record = stopRecord
    toggle_pause = togglePause
class CsoundPerformanceThread(PerformanceThread):
    """
    ctcsound's name for PerformanceThread: CsoundPerformanceThread(cs.csound()) or CsoundPerformanceThread(cs). Identical except that csound() is a method returning the CSOUND pointer, as in ctcsound.
    """
    def csound(self: PerformanceThread) -> int:  # type: ignore[override]
        """
        The CSOUND pointer as an int (ctcsound).
        """
def _add_keyword_fallback(cls: typing.Any, name: str, handler: typing.Any) -> None:
    """
    Appends the keyword fallback handler(self, args, kwargs) to cls.<name>'s overloads (private: csoundpp._keywords calls it at import).
    """
def _backend_features() -> list:
    """
    [(method, 'native'|'emulated'|'unavailable', note)] for the methods that differ between backends
    """
def _close_python_gate(timeout: typing.SupportsFloat | typing.SupportsIndex = 5.0) -> bool:
    """
    From now on native threads never call Python; waits up to timeout s for those that are (interpreter exit).
    """
def _csoundInitialize(flags: typing.SupportsInt | typing.SupportsIndex) -> int:
    ...
def _csound_build_version() -> tuple[int, int, int]:
    """
    (major, minor, patch) of the Csound headers the module was compiled against
    """
def _csound_library_path() -> str:
    """
    the file of the loaded libcsound
    """
def _csound_library_version() -> int:
    """
    the version number the loaded libcsound reports (csoundGetVersion), e.g. 6180
    """
def _pinned_table_blocks() -> int:
    """
    Table memory blocks kept for live views (tests).
    """
def _require_feature(arg0: str) -> None:
    """
    raise CsoundError when this backend cannot do the named method
    """
def _setDefaultMessageCallback(function: typing.Any) -> None:
    ...
def _setGlobalEnv(name: str, value: str) -> int:
    """
    csoundSetGlobalEnv: a Csound environment variable for instances created later (over the process environment's). Not safe while instances exist.
    """
def _setOpcodedir(s: str) -> None:
    ...
def _shutdown_threads(timeout: typing.SupportsFloat | typing.SupportsIndex = 10.0) -> None:
    """
    Stops and joins every live performance thread (called at interpreter exit).
    """
def _split_options(text: str) -> list[str]:
    """
    The options setOption(text) passes to csoundSetOption, one by one (tests).
    """
OPDS_SIZE: int
_ABSENT: object
__version__: str = '0.1.0'
