"""The legacy ``csnd`` / ``csnd6`` surface: ``import csoundpp.csnd as csnd``.

Old programs wrote ``cs = csnd.Csound(); cs.Compile("x.csd"); cs.Perform()`` and
drove a ``csnd.CsoundPerformanceThread(cs)`` with ``Play``/``Pause``/``Stop``/``Join``.
Here those classes are csoundpp's own (subclasses), with the CamelCase names of
Csound's C++ interface (csound.hpp, csPerfThread.hpp) bound to the same methods.
Differences from csnd: tables and buffers come as numpy arrays, errors in
arguments raise, and ``SetChannel``/``GetChannel`` pick the channel type from the value.
"""
from __future__ import annotations

from typing import Any, Union

import csoundpp as _cpp
from . import _spellings
from ._constants import *  # noqa: F401,F403
from ._constants import __all__ as _constants_all

__all__ = ["Csound", "CsoundPerformanceThread", "csoundInitialize", *_constants_all]

csoundInitialize = _cpp.csoundInitialize


class Csound(_cpp.Csound):
    """csoundpp.Csound with csnd's CamelCase method names."""

    def SetChannel(self, name: str, value: Union[float, str]) -> None:
        """Sets a control channel (number) or a string channel (str)."""
        if isinstance(value, (str, bytes)):
            self.setStringChannel(name, value if isinstance(value, str) else value.decode())
        else:
            self.setControlChannel(name, float(value))

    def GetChannel(self, name: str) -> float:
        """Value of a control channel (0.0 when it does not exist, as csnd)."""
        value, err = self.controlChannel(name)
        return float(value) if err == 0 else 0.0

    def GetStringChannel(self, name: str) -> str:
        return self.stringChannel(name)

    def GetControlChannel(self, name: str) -> float:
        return self.GetChannel(name)

    def KeyPressed(self, c: Any) -> None:
        self.keyPress(c)

    def GetCsound(self) -> int:
        return self.csound()


class CsoundPerformanceThread(_cpp.CsoundPerformanceThread):
    """csoundpp's performance thread with csnd's names: CsoundPerformanceThread(cs) then
    Play(), Pause(), Stop(), Join(), ScoreEvent(absp2mode, opcod, pfields), InputMessage(s)."""

    def GetStatus(self) -> int:
        return self.status()


# The CamelCase names (the same function objects, no wrapper) come from _spellings.py.
_spellings.apply_csnd({"Csound": Csound, "PerformanceThread": CsoundPerformanceThread},
                      {"Csound": _cpp.Csound, "PerformanceThread": _cpp.CsoundPerformanceThread})
