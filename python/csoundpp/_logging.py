"""Csound's messages as Python ``logging`` records, and silencing an instance.

``csoundpp.log_messages(cs)`` routes everything instance `cs` prints to the logger
``csoundpp.csound`` (or one you name). The records are made on csoundpp's dispatcher
thread — never on the thread that performs — one record per line, at a level chosen from
the message's attribute:

========================  ===============  ===========================================
Csound attribute          logging level    what Csound prints with it
========================  ===============  ===========================================
``CSOUNDMSG_ERROR``       ERROR            errors (compile errors, perf errors, ...)
``CSOUNDMSG_WARNING``     WARNING          warnings
``CSOUNDMSG_ORCH``        INFO             orchestra output (``prints``, ``printks``)
``CSOUNDMSG_STDOUT``      INFO             output meant for stdout
``CSOUNDMSG_REALTIME``    DEBUG            real-time messages (rtevent, ...)
``CSOUNDMSG_DEFAULT``     DEBUG            everything else (banner, statistics)
========================  ===============  ===========================================

Each record carries ``csound_attr`` (the raw attribute) in ``record.__dict__``.

``csoundpp.silence(cs)`` discards everything an instance prints from then on. Csound
prints a banner while an instance is being created, before any per-instance setting can
apply; ``csoundpp.setDefaultMessageCallback(fn)`` (process-wide) receives that banner and
every message of instances that route nothing themselves, so
``csoundpp.setDefaultMessageCallback(lambda attr, text: None)`` silences everything,
banner included; ``csoundpp.quiet()`` does that for a ``with`` block.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from typing import Callable, Dict, Iterator, List, Optional, Union

from ._core import Csound

__all__ = ["LOGGER_NAME", "MessageLogger", "log_messages", "silence", "quiet", "level_of"]

LOGGER_NAME = "csoundpp.csound"

_TYPE_MASK = 0x7000
_LEVELS: Dict[int, int] = {
    0x0000: logging.DEBUG,    # CSOUNDMSG_DEFAULT
    0x1000: logging.ERROR,    # CSOUNDMSG_ERROR
    0x2000: logging.INFO,     # CSOUNDMSG_ORCH
    0x3000: logging.DEBUG,    # CSOUNDMSG_REALTIME
    0x4000: logging.WARNING,  # CSOUNDMSG_WARNING
    0x5000: logging.INFO,     # CSOUNDMSG_STDOUT
}


def level_of(attr: int) -> int:
    """The logging level of a Csound message attribute (see the module's table)."""
    return _LEVELS.get(attr & _TYPE_MASK, logging.INFO)


class MessageLogger:
    """The message callback installed by :func:`log_messages`: joins Csound's fragments
    into lines and logs each line once complete. ``flush()`` logs a pending partial line."""

    def __init__(self, logger: logging.Logger, levels: Optional[Dict[int, int]] = None):
        self.logger = logger
        self.levels = dict(_LEVELS)
        for attr, level in (levels or {}).items():
            self.levels[int(attr) & _TYPE_MASK] = int(level)
        self._pending = ""
        self._attr = 0
        self._lock = threading.Lock()

    def _emit(self, attr: int, line: str) -> None:
        line = line.rstrip("\r")
        if not line.strip():
            return
        level = self.levels.get(attr & _TYPE_MASK, logging.INFO)
        if self.logger.isEnabledFor(level):
            self.logger.log(level, "%s", line, extra={"csound_attr": attr})

    def __call__(self, attr: int, text: str) -> None:
        with self._lock:
            if self._pending and (attr & _TYPE_MASK) != (self._attr & _TYPE_MASK):
                self._emit(self._attr, self._pending)
                self._pending = ""
            if not self._pending:
                self._attr = attr
            self._pending += text
            *lines, self._pending = self._pending.split("\n")
            for line in lines:
                self._emit(self._attr, line)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                self._emit(self._attr, self._pending)
                self._pending = ""


def log_messages(cs: Csound, logger: Union[None, str, logging.Logger] = None,
                 levels: Optional[Dict[int, int]] = None) -> MessageLogger:
    """Sends every message instance `cs` prints from now on to a ``logging`` logger
    (``csoundpp.csound`` by default), one record per line, on csoundpp's dispatcher thread
    (never the performing thread). `levels` overrides the attribute→level table, e.g.
    ``{csoundpp.CSOUNDMSG_ORCH: logging.WARNING}``. Replaces any message callback of `cs`;
    ``cs.setMessageStringCallback(0, None)`` undoes it. Call ``cs.flushMessages()`` to wait
    until what was printed so far has been logged. Returns the installed callback."""
    if not isinstance(cs, Csound):
        raise TypeError("log_messages() needs a csoundpp.Csound instance")
    if logger is None or isinstance(logger, str):
        logger = logging.getLogger(logger or LOGGER_NAME)
    elif not isinstance(logger, logging.Logger):
        raise TypeError("logger must be a logging.Logger, a logger name or None")
    handler = MessageLogger(logger, levels)
    cs.setMessageStringCallback(0, handler)
    return handler


def _discard(attr: int, text: str) -> None:
    return None


def silence(cs: Csound) -> Csound:
    """Discards everything instance `cs` prints from now on (errors included: they stay
    available through ``cs.lastErrors()`` after a failed compile). Also sets Csound's
    message level to 0. Returns `cs`. The banner printed while an instance is created is
    silenced only by :func:`quiet` or ``setDefaultMessageCallback`` set before creating it."""
    if not isinstance(cs, Csound):
        raise TypeError("silence() needs a csoundpp.Csound instance")
    cs.setMessageStringCallback(0, _discard)
    cs.setMessageLevel(0)
    return cs


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """``with csoundpp.quiet(): cs = csoundpp.Csound()`` — nothing at all is printed by
    instances created or running inside the block (the creation banner included) unless
    they route messages themselves (a callback, log_messages). Process-wide while active:
    it sets the default message callback and restores Csound's printing afterwards."""
    from ._module_functions import setDefaultMessageCallback

    setDefaultMessageCallback(_discard)
    try:
        yield
    finally:
        setDefaultMessageCallback(None)
