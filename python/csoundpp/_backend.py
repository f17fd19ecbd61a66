"""Which Csound this csoundpp was built for (Csound 6 or Csound 7), and what differs.

csoundpp is compiled against one Csound, 6.18 or 7.0 (see the README, "Csound 7"). The methods
whose implementation differs are listed by :func:`build_info`; on Csound 7 a method that Csound 7
cannot do raises :class:`CsoundError` naming the Csound version and the alternative.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: it costs more than this module
if TYPE_CHECKING:
    from typing import Any

from . import _core

__all__ = ["csound_version", "build_info"]


def csound_version() -> tuple[int, int, int]:
    """(major, minor, patch) of the Csound the module was built for, e.g. ``(6, 18, 1)`` or ``(7, 0, 0)``."""
    return tuple(_core._csound_build_version())  # type: ignore[return-value]


def build_info() -> dict[str, Any]:
    """How this csoundpp was built: the Csound version compiled against, the version of the
    libcsound loaded now (``csoundGetVersion()``, e.g. 6180 or 7000) and its file, and for every method whose
    implementation differs between the backends: ``{name: (support, note)}`` with support
    ``"native"``, ``"emulated"`` or ``"unavailable"``."""
    return {
        "csound_version": csound_version(),
        "csound_library_version": _core._csound_library_version(),
        "csound_library": _core._csound_library_path(),
        "features": {name: (support, note) for name, support, note in _core._backend_features()},
    }
