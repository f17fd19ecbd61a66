"""Pure-Python conveniences attached to csoundpp.Csound.

These are methods whose work is Python-level by nature (generators, small
structures, text building); everything that touches audio is native.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: it costs more than this module
if TYPE_CHECKING:
    from typing import Iterator, List, Optional, Tuple

from ._core import Csound
from ._constants import CSOUND_MEMORY

__all__ = ["ControlChannelInfo"]


if TYPE_CHECKING:
    from ._records import ControlChannelInfo
else:
    def __getattr__(name: str) -> object:
        # The result structures are dataclasses, imported on first use (_records.py).
        if name in ('ControlChannelInfo',):
            from . import _records

            return getattr(_records, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def listChannels(self: Csound) -> Tuple[Optional[List[ControlChannelInfo]], str]:
    """Returns (channels, error) like ctcsound: channels is None when there are none.

    The list is a Python copy: deleteChannelList() has nothing to release.
    """
    raw, n = self._listChannels()
    if n == CSOUND_MEMORY:
        return None, "There is not enough memory for allocating the list"
    if not raw:
        return None, ""
    from ._records import ControlChannelInfo

    return [ControlChannelInfo(*item) for item in raw], ""


def allocatedChannels(self: Csound) -> List[ControlChannelInfo]:
    """All allocated channels as a list (empty when there are none)."""
    raw, _ = self._listChannels()
    from ._records import ControlChannelInfo

    return [ControlChannelInfo(*item) for item in raw]


def deleteChannelList(self: Csound, lst: object) -> None:
    """Kept for ctcsound programs: listChannels() returns a Python copy, so this releases nothing."""
    if lst is not None and not isinstance(lst, list):
        raise TypeError("deleteChannelList expects the list returned by listChannels()")


def iterMessages(self: Csound) -> Iterator[Tuple[str, int]]:
    """Yields (message, attr) from the message buffer until it is empty (emptying it)."""
    while self.messageCnt() > 0:
        msg, attr = self.readMessage()
        yield msg, attr


def compileOrcHeader(
    self: Csound,
    sr: Optional[int] = None,
    nchnls: int = 2,
    nchnls_i: Optional[int] = None,
    zerodbfs: float = 1.0,
    ksmps: int = 64,
    a4: Optional[float] = None,
) -> int:
    """Compiles an orchestra header (sr, ksmps, nchnls, 0dbfs, A4) as in libcsound's Csound 7 API."""
    lines = []
    if sr is not None:
        lines.append(f"sr = {int(sr)}")
    if ksmps is not None:
        if int(ksmps) <= 0:
            raise ValueError("ksmps must be positive")
        lines.append(f"ksmps = {int(ksmps)}")
    lines.append(f"nchnls = {int(nchnls)}")
    if nchnls_i is not None:
        lines.append(f"nchnls_i = {int(nchnls_i)}")
    lines.append(f"0dbfs = {float(zerodbfs)!r}")
    if a4 is not None:
        lines.append(f"A4 = {float(a4)!r}")
    return self.compileOrc("\n".join(lines) + "\n")


def channelInfo(self: Csound, name: str) -> Tuple[str, int]:
    """(kind, mode) of a channel as in libcsound: kind '' and mode 0 when it does not exist."""
    t = self.channelType(name)
    if t < 0:
        return "", 0
    kinds = {1: "control", 2: "audio", 3: "string", 4: "pvs", 5: "var"}
    return kinds.get(t & 15, ""), (t >> 4) & 3


def channelVarTypeName(self: Csound, name: str) -> str:
    """'control', 'audio', 'string', 'pvs' or '' (libcsound's Csound 7 name)."""
    return channelInfo(self, name)[0]


def _repr(self: Csound) -> str:
    if self.destroyed:
        return "<csoundpp.Csound (destroyed)>"
    return f"<csoundpp.Csound at 0x{self.csound():x}>"


# Canonical names only: the other spellings come from _spellings.py.
_METHODS = {
    "listChannels": listChannels,
    "allocatedChannels": allocatedChannels,
    "deleteChannelList": deleteChannelList,
    "iterMessages": iterMessages,
    "compileOrcHeader": compileOrcHeader,
    "channelInfo": channelInfo,
    "channelVarTypeName": channelVarTypeName,
    "__repr__": _repr,
}
for _name, _fn in _METHODS.items():
    setattr(Csound, _name, _fn)
