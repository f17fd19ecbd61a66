"""Module-level functions and structures of ctcsound 6 / libcsound, for csoundpp.

``csoundInitialize``, ``setOpcodedir``, ``setDefaultMessageCallback``, the
string helpers (``cstring``, ``pstring``, ``cchar``, ``csoundArgList``), the
structures ctcsound exposes (same field names) and the few Csound methods
that return Python structures (device lists, the opcode list).
"""
from __future__ import annotations

import ctypes as _ct
TYPE_CHECKING = False  # typing is not imported at run time: it costs more than this module
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _aliases as _spelling_aliases, _core
from ._core import (
    CircularBuffer,
    CsoundRandMTState,
    CsoundRtAudioParams,
    Csound,
    PvsdatExt,
    RtClock,
    SpinLock,
    Windat,
)

__all__ = [
    "csoundInitialize",
    "csound_initialize",
    "setOpcodedir",
    "set_opcodedir",
    "setDefaultMessageCallback",
    "set_default_message_callback",
    "cchar",
    "cstring",
    "pstring",
    "csoundArgList",
    "CsoundAudioDevice",
    "CsoundMidiDevice",
    "AudioDevice",
    "MidiDevice",
    "CsoundRtAudioParams",
    "RtClock",
    "OpcodeListEntry",
    "CsoundRandMTState",
    "PvsdatExt",
    "PVSDATEXT",
    "Windat",
    "NamedGen",
    "CircularBuffer",
    "SpinLock",
    "CAPSIZE",
    "NOPOL",
    "NEGPOL",
    "POSPOL",
    "BIPOL",
    "OPDS_SIZE",
]

OPDS_SIZE: int = _core.OPDS_SIZE

# Windat.polarity values and the caption size of cwindow.h
CAPSIZE = 60
NOPOL = 0
NEGPOL = 1
POSPOL = 2
BIPOL = 3


# ---------------------------------------------------------------- library functions
def csoundInitialize(flags: Optional[int] = None, signalHandler: bool = True,
                     atExitHandler: bool = True) -> int:
    """csoundInitialize(flags) as ctcsound, or csoundInitialize(signalHandler=True,
    atExitHandler=True) as libcsound and ctcsound7: 0 on success, positive if already
    initialised (csoundpp initialises with CSOUNDINIT_NO_SIGNAL_HANDLER | CSOUNDINIT_NO_ATEXIT
    on import, so this normally returns a positive value), negative on error."""
    if flags is None or isinstance(flags, bool):
        if isinstance(flags, bool):  # libcsound's positional form: csoundInitialize(False, False)
            signalHandler, atExitHandler = flags, signalHandler
        flags = (0 if signalHandler else 1) | (0 if atExitHandler else 2)
    if not isinstance(flags, int) or flags < 0:
        raise ValueError("flags must be a non-negative int (CSOUNDINIT_* bits)")
    return int(_core._csoundInitialize(flags))


def setOpcodedir(s: Optional[str] = None, *, path: Optional[str] = None) -> None:
    """Sets the plugin directory used by the next Csound() creations (``path=`` is
    ctcsound7's name; no argument sets '')."""
    if s is not None and path is not None:
        raise TypeError("give s or path, not both")
    s = s if s is not None else (path if path is not None else "")
    if isinstance(s, bytes):
        s = s.decode()
    if not isinstance(s, str) or "\0" in s:
        raise TypeError("setOpcodedir expects a path string")
    _core._setOpcodedir(s)


def setDefaultMessageCallback(function: Optional[Callable[..., Any]]) -> None:
    """Message callback of Csound instances that have none of their own: instances created
    by other code, and csoundpp's own instances that route no messages themselves (no
    setMessageStringCallback, log_messages or silence). ``setDefaultMessageCallback(lambda
    attr, text: None)`` silences all of them, the banner printed at start included.

    The function is called with the formatted text: ``fn(csound, attr, text, None)`` (the
    ctcsound 4-argument form, whose last argument was a raw va_list), ``fn(csound, attr,
    text)`` or ``fn(attr, text)``; it runs on whichever thread printed. None restores
    Csound's default printing.
    """
    if function is not None and not callable(function):
        raise TypeError("function must be callable or None")
    _core._setDefaultMessageCallback(function)


def cstring(s: Optional[Union[str, bytes]]) -> Optional[bytes]:
    """str -> UTF-8 bytes (None stays None), as ctcsound's helper."""
    if s is None or isinstance(s, bytes):
        return s
    return bytes(s, "utf-8")


def pstring(s: Optional[Union[str, bytes]]) -> Optional[str]:
    """UTF-8 bytes -> str (None stays None), as ctcsound's helper."""
    if s is None or isinstance(s, str):
        return s
    return str(s, "utf-8")


def cchar(s: str) -> _ct.c_char:
    """The first character of s as a ctypes.c_char."""
    if not s:
        raise ValueError("cchar needs a non-empty string")
    return _ct.c_char(s[0].encode() if isinstance(s, str) else bytes(s[:1]))


def csoundArgList(lst: Sequence[Any]) -> Tuple[_ct.c_int, Any]:
    """(argc, argv) as ctypes values for C functions taking an argument vector
    (ctcsound's helper; csoundpp's own methods take Python lists)."""
    if len(lst) == 1 and isinstance(lst[0], list):
        lst = lst[0]
    argc = len(lst)
    argv = (_ct.c_char_p * (argc + 1))()
    keep = []
    for i, v in enumerate(lst):
        b = cstring(v) if not isinstance(v, bytes) else v
        keep.append(b)
        argv[i] = b
    argv[argc] = None
    return _ct.c_int(argc), argv


# ---------------------------------------------------------------- structures
class _AttrDict(dict):
    """A dict whose keys are also attributes (ctcsound returns dicts; libcsound objects)."""

    _aliases: Dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        key = self._aliases.get(name, name)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[self._aliases.get(name, name)] = value


class CsoundAudioDevice(_AttrDict):
    """An audio device: keys device_name, device_id, rt_module, max_nchnls, isOutput
    (ctcsound); also readable as attributes, with libcsound's camelCase names
    (deviceName, deviceId, rtModule, maxNchnls)."""

    _aliases = {"deviceName": "device_name", "deviceId": "device_id", "rtModule": "rt_module",
                "maxNchnls": "max_nchnls", "masNchnls": "max_nchnls", "is_output": "isOutput"}

    def __init__(self, device_name: str = "", device_id: str = "", rt_module: str = "",
                 max_nchnls: int = 0, isOutput: bool = False) -> None:
        super().__init__(device_name=device_name, device_id=device_id, rt_module=rt_module,
                         max_nchnls=max_nchnls, isOutput=isOutput)


class CsoundMidiDevice(_AttrDict):
    """A MIDI device: keys device_name, interface_name, device_id, midi_module, isOutput."""

    _aliases = {"deviceName": "device_name", "interfaceName": "interface_name", "deviceId": "device_id",
                "midiModule": "midi_module", "is_output": "isOutput"}

    def __init__(self, device_name: str = "", interface_name: str = "", device_id: str = "",
                 midi_module: str = "", isOutput: bool = False) -> None:
        super().__init__(device_name=device_name, interface_name=interface_name, device_id=device_id,
                         midi_module=midi_module, isOutput=isOutput)


if TYPE_CHECKING:
    from ._records import NamedGen, OpcodeListEntry
else:
    def __getattr__(name: str) -> object:
        # The result structures are dataclasses, imported on first use (_records.py).
        if name in ('NamedGen', 'OpcodeListEntry'):
            from . import _records

            return getattr(_records, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- Csound methods returning structures
def _flag(isOutput: Optional[bool], is_output: Optional[bool], default: bool) -> bool:
    if isOutput is not None and is_output is not None and bool(isOutput) != bool(is_output):
        raise TypeError("give isOutput or is_output, not both")
    v = isOutput if isOutput is not None else is_output
    return default if v is None else bool(v)


def audioDevList(self: Csound, isOutput: Optional[bool] = None, *,
                 is_output: Optional[bool] = None) -> List[CsoundAudioDevice]:
    """Audio devices of the current RT module (input devices unless isOutput): a list of
    CsoundAudioDevice (dicts with attribute access). Meaningful after compiling."""
    out = _flag(isOutput, is_output, False)
    return [CsoundAudioDevice(*t) for t in self._audioDevList(out)]


def midiDevList(self: Csound, isOutput: Optional[bool] = None, *,
                is_output: Optional[bool] = None) -> List[CsoundMidiDevice]:
    """MIDI devices of the current MIDI module: a list of CsoundMidiDevice."""
    out = _flag(isOutput, is_output, False)
    return [CsoundMidiDevice(*t) for t in self._midiDevList(out)]


def newOpcodeList(self: Csound) -> Tuple[Optional[List[OpcodeListEntry]], int]:
    """(opcodes, n) like ctcsound: an alphabetical list of OpcodeListEntry (None and a
    negative code on failure). The list is a Python copy: disposeOpcodeList frees nothing."""
    raw, n = self._opcodeList()
    if n <= 0:
        return None, n
    from ._records import OpcodeListEntry

    return [OpcodeListEntry(*t) for t in raw], n


def disposeOpcodeList(self: Csound, lst: Any) -> None:
    """Kept for ctcsound programs (newOpcodeList returns a Python copy)."""
    if lst is not None and not isinstance(lst, list):
        raise TypeError("disposeOpcodeList expects the list returned by newOpcodeList()")


def namedGenList(self: Csound) -> List[NamedGen]:
    """namedGens() as NamedGen objects."""
    from ._records import NamedGen

    return [NamedGen(n, g) for n, g in self.namedGens()]


# Canonical names only: the other spellings come from _spellings.py (precomputed in _import_tables.py).
_METHODS = {
    "audioDevList": audioDevList,
    "midiDevList": midiDevList,
    "newOpcodeList": newOpcodeList,
    "disposeOpcodeList": disposeOpcodeList,
    "namedGenList": namedGenList,
}
for _name, _fn in _METHODS.items():
    setattr(Csound, _name, _fn)

_spelling_aliases.apply_module(globals())  # csound_initialize, AudioDevice, PVSDATEXT, ...

if TYPE_CHECKING:  # the same names, for type checkers (apply_module binds them at run time)
    # --- generated by scripts/gen_stubs.py from _spellings.py: do not edit
    csound_initialize = csoundInitialize
    set_opcodedir = setOpcodedir
    set_default_message_callback = setDefaultMessageCallback
    AudioDevice = CsoundAudioDevice
    MidiDevice = CsoundMidiDevice
    PVSDATEXT = PvsdatExt
    # --- end of generated spellings
