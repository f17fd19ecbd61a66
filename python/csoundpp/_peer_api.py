"""Module values and methods the peers have and csoundpp's native layer does not spell:
libcsound's and ctcsound7's ``VERSION``, ``APIVERSION``, ``getSystemSr``, ``OpcodeDef``,
``Csound.getOpcodes``/``channelExists``/``setMidiFileInput``..., ctcsound's ``Csound.cs``
and ``arrFromPointer``, ctcsound7's ``PerformanceThread.task/sync/compile`` and libcsound's
``PerformanceThread._processQueue``. Each calls the native methods; none adds a thread or a
queue of its own.
"""
from __future__ import annotations

import ctypes as _ct
import os
TYPE_CHECKING = False  # typing is not imported at run time: it costs more than this module
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional, Tuple

if TYPE_CHECKING:
    import numpy as _np

from . import _constants as _c
from . import _core
from ._core import Csound, PerformanceThread

__all__ = [
    "MYFLT",
    "VERSION",
    "APIVERSION",
    "getSystemSr",
    "OpcodeDef",
    "ChannelInfo",
    "arrFromPointer",
    "isoutput",
    "isinput",
    "PVS_WINDOWS",
    "CSOUND_ARRAY_CHANNEL",
]

#: Csound's sample type as in every peer: ctypes.c_double (Debian's libcsound64 is built with
#: double precision; the numpy dtype of every view is numpy.float64).
MYFLT = _ct.c_double


#: libcsound's and ctcsound7's map of window names to the PVS_WIN_* values of pstream.h
PVS_WINDOWS = {
    "hamming": _c.PVS_WIN_HAMMING, "hann": _c.PVS_WIN_HANN, "kaiser": _c.PVS_WIN_KAISER,
    "custom": _c.PVS_WIN_CUSTOM, "blackman": _c.PVS_WIN_BLACKMAN, "blackman-exact": _c.PVS_WIN_BLACKMAN_EXACT,
    "nuttallc3": _c.PVS_WIN_NUTTALLC3, "bharris3": _c.PVS_WIN_BHARRIS_3, "bharrismin": _c.PVS_WIN_BHARRIS_MIN,
    "rect": _c.PVS_WIN_RECT,
}

#: Csound 7's array channel type, as libcsound and ctcsound7 export it. Csound 6.18 has no array
#: channels: csoundpp's array-channel methods raise CsoundError naming Csound 7.
CSOUND_ARRAY_CHANNEL = 6


def _versions() -> Tuple[int, int]:
    cs = Csound()
    try:
        cs.createMessageBuffer(False)  # destroying prints Csound's end-of-performance summary
        if _core._csound_build_version()[0] >= 7:  # Csound 7 has no API version number
            return int(cs.version()), 0
        return int(cs.version()), int(cs.APIVersion())
    finally:
        cs.destroy()


if TYPE_CHECKING:
    #: csoundGetVersion() and csoundGetAPIVersion() of the loaded libcsound (6181 and 400 for 6.18.1)
    VERSION: int
    APIVERSION: int
else:
    def __getattr__(name: str) -> object:
        # Asked of a Csound instance, which costs more than the rest of `import csoundpp`:
        # found on first use (PEP 562) and kept.
        if name in ("VERSION", "APIVERSION"):
            globals()["VERSION"], globals()["APIVERSION"] = _versions()
            return globals()[name]
        if name in ("OpcodeDef", "ChannelInfo"):  # dataclasses, imported on first use (_records.py)
            from . import _records

            return getattr(_records, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from ._records import ChannelInfo, OpcodeDef


def isoutput(self: Any) -> bool:
    """ctcsound7's helper: True when a channel description's mode has the output bit."""
    return bool(self.mode & 32)


def isinput(self: Any) -> bool:
    """ctcsound7's helper: True when a channel description's mode has the input bit."""
    return bool(self.mode & 16)


def arrFromPointer(p: Any, n: int, dtype: Any = None) -> "_np.ndarray":
    """ctcsound's helper: a numpy view of ``n`` MYFLT at the address ``p`` (an int, a ctypes
    pointer or c_void_p). The view does not own or keep alive the memory."""
    if isinstance(p, _ct.c_void_p):
        p = p.value
    elif not isinstance(p, int):
        p = _ct.cast(p, _ct.c_void_p).value
    if not p:
        raise ValueError("arrFromPointer: null pointer")
    import numpy as np

    buf = (MYFLT * int(n)).from_address(int(p))
    return np.ctypeslib.as_array(buf)


def _default_rt_module() -> str:
    if os.environ.get("JACK_DEFAULT_SERVER") or os.path.exists(f"/dev/shm/jack-{os.getuid()}"):
        return "jack"
    return "pa_cb"


def getSystemSr(module: str = "") -> Tuple[float, str]:
    """(sample rate, module): the rate the real-time audio ``module`` runs at (libcsound).
    Without a module: 'jack' when a JACK server seems to run, else portaudio ('pa_cb').
    0.0 when the module cannot report it (or cannot open the device)."""
    module = module or _default_rt_module()
    cs = Csound()
    try:
        cs.createMessageBuffer(False)
        cs.setOption(f"-+rtaudio={module}")
        cs.setOption("-odac")
        cs.setOption("--get-system-sr")  # Csound opens the device, prints the rate and stops
        sr = 0.0
        while cs.messageCnt() > 0:
            msg, _ = cs.readMessage()
            if msg.startswith("system sr:"):
                try:
                    sr = float(msg.split(":", 1)[1])
                except ValueError:
                    pass
        return sr, module
    finally:
        cs.destroy()


# ---------------------------------------------------------------- Csound methods
def getOpcodes(self: Csound) -> List[OpcodeDef]:
    """All opcodes as a list of OpcodeDef (libcsound); [] when Csound cannot list them."""
    opcodes, _ = self.newOpcodeList()
    if not opcodes:
        return []
    from ._records import OpcodeDef

    return [OpcodeDef(o.opname, o.outypes, o.intypes, int(o.flags)) for o in opcodes]


def channelExists(self: Csound, name: str) -> bool:
    """True when a channel called ``name`` exists (libcsound)."""
    return self.channelType(name) >= 0


def _cs(self: Csound) -> _ct.c_void_p:
    """The CSOUND* as a ctypes.c_void_p, as ctcsound's ``Csound.cs``."""
    return _ct.c_void_p(self.csound())


# ---------------------------------------------------------------- PerformanceThread methods
def _process_queue(self: PerformanceThread) -> Optional["PerformanceThread"]:
    """libcsound's attribute: None until setProcessQueue() (or withProcessQueue=True), then a
    true value (the thread itself; csoundpp's process queue is native)."""
    return self if self._hasProcessQueue() else None


def task(self: PerformanceThread, func: Callable[..., Any], data: Any = None) -> None:
    """ctcsound7: queues func(csound, thread) — or func(csound, thread, data) when data is
    given — to run on the performance thread between two k-cycles. Needs the process queue
    (setProcessQueue() or performanceThread(withProcessQueue=True))."""
    if not callable(func):
        raise TypeError("func must be callable")
    if data is None:
        self.processQueueTask(lambda cs, f=func, pt=self: f(cs, pt))
    else:
        self.processQueueTask(lambda cs, f=func, pt=self, d=data: f(cs, pt, d))


def sync(self: PerformanceThread, timeout: Optional[float] = None) -> None:
    """ctcsound7: waits until every task queued before the call has run (TimeoutError after
    ``timeout`` seconds). Returns at once when no process queue was set up."""
    if self._hasProcessQueue():
        self.flushProcessQueue(timeout)


def compile(self: PerformanceThread, code: str) -> None:  # noqa: A001 - ctcsound7's name
    """ctcsound7: compiles orchestra code on the performance thread, between two k-cycles,
    through the process queue (does not wait; use sync() to wait for it)."""
    if not isinstance(code, str):
        raise TypeError("code must be a str")
    self.processQueueTask(lambda cs, c=code: cs.compileOrc(c))


def apply() -> None:
    """Attaches the methods above under their canonical names (called once by
    csoundpp/__init__ before the spelling table is applied; the table gives the other names,
    e.g. setMidiFileInput = setMIDIFileInput, compile = compile_)."""
    Csound.getOpcodes = getOpcodes
    Csound.channelExists = channelExists
    Csound.cs = property(_cs, doc="The CSOUND* as a ctypes.c_void_p (ctcsound).")
    PerformanceThread._processQueue = property(_process_queue)
    PerformanceThread.task = task
    PerformanceThread.sync = sync
    PerformanceThread.compile = compile
