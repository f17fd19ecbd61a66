"""csoundpp: a native, GIL-releasing Python binding for Csound 6.

``import csoundpp as ctcsound`` (or ``as libcsound``) runs programs written for
those bindings; see the README's migration table.
"""
from __future__ import annotations

import atexit as _atexit

try:
    from . import _core
except ImportError as _e:  # pragma: no cover - exercised only on broken installs
    _msg = str(_e)
    if "libcsound64" in _msg and "cannot open shared object" in _msg:
        raise ImportError(
            "csoundpp could not load libcsound (double precision): install Debian's "
            "'libcsound64-6.0' package (apt-get install libcsound64-dev) — original error: " + _msg
        ) from _e
    if "MYFLT" in _msg:
        raise ImportError(_msg) from _e
    raise

from ._core import (  # noqa: E402
    CompileError,
    ControlChannelHints,
    Csound,
    CsoundError,
    CsoundParams,
    CsoundPerformanceThread,
    PerformanceThread,
    QueueFullError,
    StateError,
    TimeoutError,
)
from ._constants import *  # noqa: E402,F401,F403
from ._constants import __all__ as _constants_all  # noqa: E402
from . import _extras  # noqa: E402,F401  (pure-Python methods added to Csound)

from ._core import BlockProcessor, ControlHandle, StringHandle  # noqa: E402
from ._paths import get_cmake_dir, get_include, get_library_dir  # noqa: E402
from . import _module_functions as _mf  # noqa: E402  (module functions and structures of ctcsound)
from . import _bundle  # noqa: E402

_bundle.use_bundled_plugins(_core._setGlobalEnv)  # a wheel's own plugins, unless OPCODE6DIR64 is set
from ._backend import build_info, csound_version  # noqa: E402

_module_functions_all = _mf.__all__

# Provided on first use (PEP 562): the tools (render, render_many, logging, notebook display)
# pull in numpy, multiprocessing, concurrent.futures and logging, and VERSION/APIVERSION are
# asked of a Csound instance; `import csoundpp` needs none of them.
# tests/test_import_cost.py checks that every lazy name resolves to its module's object.
_LAZY = {
    **dict.fromkeys(("Job", "LOGGER_NAME", "MessageLogger", "RenderResult", "TableSnapshot", "level_of",
                     "log_messages", "quiet", "render", "render_many", "run_job", "silence", "sound_file_format",
                     "table_snapshot"), "_tools"),
    "VERSION": "_peer_api",
    "APIVERSION": "_peer_api",
    # the result structures are dataclasses: importing dataclasses (and inspect) costs about
    # as much as the rest of `import csoundpp`
    **dict.fromkeys(("ControlChannelInfo", "OpcodeListEntry", "NamedGen", "OpcodeDef", "ChannelInfo"), "_records"),
}
_tools_all = [k for k, v in _LAZY.items() if v == "_tools"]
# ctcsound's module functions and structures, without touching the lazy ones
globals().update({n: getattr(_mf, n) for n in _module_functions_all if n not in _LAZY})

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._module_functions import *  # noqa: F401,F403
    from ._peer_api import APIVERSION, VERSION
    from ._records import ChannelInfo, ControlChannelInfo, NamedGen, OpcodeDef, OpcodeListEntry
    from ._tools import *  # noqa: F401,F403
else:
    def __getattr__(name: str) -> object:
        mod = _LAZY.get(name)
        if mod is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module("." + mod, __name__), name)
        globals()[name] = value
        return value

    def __dir__() -> list:
        return sorted(set(globals()) | set(_LAZY))

from . import _peer_api  # noqa: E402
from ._peer_api import (  # noqa: E402,F401  (the peers' module values; MYFLT is ctypes.c_double)
    CSOUND_ARRAY_CHANNEL,
    MYFLT,
    PVS_WINDOWS,
    arrFromPointer,
    getSystemSr,
    isinput,
    isoutput,
)
from ._install_as import install_as, uninstall_as  # noqa: E402
from . import _aliases, _keywords  # noqa: E402  (the spelling table's aliases and keyword forms, precomputed)

_peer_api.apply()
_aliases.apply_classes(_core)  # every other API's name for a method is that method itself

__version__: str = _core.__version__  # pyproject.toml's version, through CMake

__all__ = [
    "Csound",
    "CsoundParams",
    "ControlChannelHints",
    "CsoundError",
    "CompileError",
    "StateError",
    "QueueFullError",
    "TimeoutError",
    "MYFLT",
    "PerformanceThread",
    "CsoundPerformanceThread",
    "VERSION",
    "APIVERSION",
    "ChannelInfo",
    "OpcodeDef",
    "arrFromPointer",
    "getSystemSr",
    "isinput",
    "isoutput",
    "CSOUND_ARRAY_CHANNEL",
    "PVS_WINDOWS",
    "install_as",
    "uninstall_as",
    "BlockProcessor",
    "ControlHandle",
    "StringHandle",
    "get_include",
    "get_cmake_dir",
    "get_library_dir",
    "csound_version",
    "build_info",
    *_constants_all,
    "ControlChannelInfo",
    *_module_functions_all,
    *_tools_all,
]

# the peers' keyword names and defaults, on every native method whose peers spell them otherwise
_keywords.install({"Csound": Csound, "PerformanceThread": PerformanceThread})


@_atexit.register
def _shutdown() -> None:
    # Stop performance threads before the interpreter starts finalising, so no
    # native thread ever waits for a GIL that will not come back.
    stop = getattr(_core, "_shutdown_threads", None)
    if stop is not None:
        stop()
    # Then no native thread (message dispatcher, Csound's threads) calls Python any more: one
    # that took the GIL after finalisation began would be ended by Python mid-C++ (an abort).
    close = getattr(_core, "_close_python_gate", None)
    if close is not None and not close(5.0):
        import sys as _sys

        _sys.stderr.write("csoundpp: a callback did not return within 5 s of interpreter exit\n")
