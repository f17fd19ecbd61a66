"""The small result structures of csoundpp's pure-Python methods, as dataclasses.

Imported on first use (module ``__getattr__`` of csoundpp, ``_extras``, ``_module_functions``
and ``_peer_api``, and the methods that build them): importing ``dataclasses`` (and the
``inspect`` it needs) cost about as much as the rest of ``import csoundpp``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ._core import ControlChannelHints

__all__ = ["ControlChannelInfo", "OpcodeListEntry", "NamedGen", "OpcodeDef", "ChannelInfo"]


@dataclass
class ControlChannelInfo:
    """One entry of listChannels(): name, type (CSOUND_*_CHANNEL | direction bits) and hints."""

    name: str
    type: int
    hints: ControlChannelHints


@dataclass
class OpcodeListEntry:
    """One opcode of newOpcodeList(): name, output and input type strings, flags."""

    opname: str = ""
    outypes: str = ""
    intypes: str = ""
    flags: int = 0


@dataclass
class NamedGen:
    """A named GEN (name, genum); ``next`` is kept for ctcsound's linked-list field."""

    name: str = ""
    genum: int = 0
    next: Optional["NamedGen"] = field(default=None, repr=False)


@dataclass
class OpcodeDef:
    """One opcode of Csound.getOpcodes() (libcsound): name, output and input types, flags."""

    name: str
    outtypes: str
    intypes: str
    flags: int
    size: int = 0


@dataclass
class ChannelInfo:
    """libcsound's ChannelInfo: a channel's name, kind ('control', 'audio', 'string', 'pvs')
    and mode bits (CSOUND_INPUT_CHANNEL | CSOUND_OUTPUT_CHANNEL)."""

    name: str
    kind: str
    mode: int
