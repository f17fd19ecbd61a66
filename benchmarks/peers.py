"""Loads csoundpp and the peers it is compared with, without touching sys.path globally.

Two sets, chosen by use_csound(6 or 7) (benchmarks/run.py --csound; child processes inherit
it through CSOUNDPP_BENCH_CSOUND):

Csound 6 (the default):
- csoundpp: the package importable by this interpreter (pip-installed by scripts/setup.sh,
  or a dev build through PYTHONPATH=build/dev-NAME/py).
- ctcsound 6.18: Debian's python3-csound (/usr/lib/python3/dist-packages/ctcsound.py), loaded
  from its file so the rest of that directory does not shadow the venv's packages. Its
  CsoundPerformanceThread is libcsnd6 (Debian libcsnd6-6.0).
- libcsound 0.18.5 (PyPI): installed by benchmarks/setup.sh into benchmarks/.peers.
- the C++ floor (benchmarks/.build/floor) and the csound CLI.

Csound 7 (benchmarks/setup.sh --csound7):
- csoundpp built against Csound 7 (.venv-cs7, scripts/csound7-venv.sh); refused otherwise.
- ctcsound7 0.8.0, libcsound 1.0.3 and cycsound 0.2.3 (PyPI), each in its own --target folder
  under benchmarks/.peers-cs7/.
- all of them on ONE libcsound: the Csound 7 prefix of scripts/csound7-prefix.sh (the library
  of cycsound 0.2.3's wheel, SONAME libcsound64-<hash>.so.7.0). Every loader first loads that
  file (RTLD_LOCAL, as csoundpp and libcsound load it), so cycsound's extension, which needs the
  same SONAME, binds to it instead of its bundled copy (cycsound's import then makes it global,
  as it does for its own copy); libcsound
  gets it through LIBCSOUNDPATH, ctcsound7 (dlopen("libcsound64.so")) through LD_LIBRARY_PATH,
  which run.py sets by re-executing itself. OPCODE7DIR64 points at the prefix's plugins.
- the C++ floor built against that prefix (benchmarks/.build-cs7/floor) when floor.cpp compiles
  on Csound 7; no csound program: no Debian package has Csound 7 and the cycsound wheel ships
  none (its `cycsound render` console script is a Python loop over cycsound).

Each loader returns (module_or_path, None) or (None, reason).
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS_DIR = HERE / ".peers"
# Where setup.sh puts the compiled helpers (the smoke test builds its own and points here).
BUILD = Path(os.environ.get("CSOUNDPP_BENCH_BUILD", HERE / ".build"))
FLOOR = BUILD / "floor"
XRUNS = BUILD / "jack_xruns"
BLOCK_SRC = HERE / "floor" / "block.cpp"
CTCSOUND_FILE = Path("/usr/lib/python3/dist-packages/ctcsound.py")
LIBCSOUND_SO = "/usr/lib/x86_64-linux-gnu/libcsound64.so.6.0"
SETUP_HINT = "run benchmarks/setup.sh"

# ----------------------------------------------------------------------------- Csound 6 or 7

CSOUND = 6  # set by use_csound()
PEERS7_DIR = HERE / ".peers-cs7"
BUILD7 = Path(os.environ.get("CSOUNDPP_BENCH_BUILD_CS7", HERE / ".build-cs7"))
SETUP7_HINT = "run benchmarks/setup.sh --csound7"
# The Csound 7 peers: (import name, PyPI version); each in PEERS7_DIR/<name>
PEERS7 = {"ctcsound7": "0.8.0", "libcsound": "1.0.3", "cycsound": "0.2.3"}


def csound7_prefix() -> Path:
    """The Csound 7 installation prefix made by scripts/csound7-prefix.sh."""
    env = os.environ.get("CSOUND7_PREFIX")
    if env:
        return Path(env)
    return Path(os.environ.get("CSOUNDPP_CACHE", "/var/cache/csoundpp")) / "csound7" / "prefix"


def csound7_library() -> Path:
    return (csound7_prefix() / "lib" / "libcsound64.so").resolve()


def use_csound(major: int) -> None:
    """Selects the peer set (6 or 7) for this process and the processes it starts."""
    global CSOUND, FLOOR, SETUP_HINT
    if major not in (6, 7):
        raise ValueError(f"Csound {major}: only 6 and 7 are benchmarked")
    CSOUND = major
    os.environ["CSOUNDPP_BENCH_CSOUND"] = str(major)
    if major == 7:
        FLOOR = BUILD7 / "floor"
        SETUP_HINT = SETUP7_HINT
        prefix = csound7_prefix()
        os.environ.setdefault("OPCODE7DIR64", str(prefix / "lib" / "csound" / "plugins64-7.0"))
        os.environ["LIBCSOUNDPATH"] = str(csound7_library())
        os.environ["LIBCSOUND_INSTALL"] = "0"


def csound7_env_ready() -> bool:
    """True when the dynamic loader's search path starts at the Csound 7 prefix's lib folder
    (ctcsound7 opens "libcsound64.so" by name); run.py re-executes itself to make it so."""
    lib = str(csound7_prefix() / "lib")
    return os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep)[0] == lib


def csound7_env() -> dict:
    env = dict(os.environ)
    lib = str(csound7_prefix() / "lib")
    rest = [p for p in env.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p and p != lib]
    env["LD_LIBRARY_PATH"] = os.pathsep.join([lib, *rest])
    env["CSOUNDPP_BENCH_CSOUND"] = "7"
    return env


_LIB7 = None


def load_csound7_library():
    """Loads the prefix's libcsound64 once (see the module docstring). Not RTLD_GLOBAL: libcsound 7 as
    built for PyPI exports the C++ runtime it links statically, and loaded globally before
    csoundpp's module (with numpy already imported) its symbols take over csoundpp's exception
    handling (a QueueFullError came out as SystemError). Every Csound 7
    loader calls it first, so item 12 times the library load for every column alike."""
    global _LIB7
    if _LIB7 is None:
        import ctypes
        lib = csound7_library()
        if not lib.exists():
            raise OSError(f"no Csound 7 library at {lib}; run scripts/csound7-prefix.sh ({SETUP7_HINT})")
        _LIB7 = ctypes.CDLL(str(lib), mode=os.RTLD_NOW | os.RTLD_LOCAL)
    return _LIB7


def loaded_libcsound() -> list[str]:
    """Every libcsound file mapped into this process (one is the rule here)."""
    found = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if "libcsound" in os.path.basename(path):
                found.add(path)
    return sorted(found)


def load_csoundpp():
    if CSOUND == 7:
        try:
            load_csound7_library()
        except OSError as e:
            return None, str(e)
    try:
        import csoundpp  # noqa: F401
    except ImportError as e:  # pragma: no cover - reported in the table
        return None, f"csoundpp not importable ({e}); run scripts/setup.sh or a devbuild"
    built = getattr(csoundpp, "csound_version", lambda: (6, 18, 0))()[0]
    if built != CSOUND:
        venv = ".venv-cs7/bin/python (scripts/csound7-venv.sh)" if CSOUND == 7 else ".venv/bin/python"
        return None, (f"this csoundpp ({Path(csoundpp.__file__).parent}) is built for Csound {built}, not "
                      f"{CSOUND}: run benchmarks/run.py with {venv}")
    return csoundpp, None


def load_ctcsound():
    if "ctcsound" in sys.modules:
        return sys.modules["ctcsound"], None
    if not CTCSOUND_FILE.exists():
        return None, f"python3-csound not installed; {SETUP_HINT}"
    try:
        spec = importlib.util.spec_from_file_location("ctcsound", CTCSOUND_FILE)
        mod = importlib.util.module_from_spec(spec)
        sys.modules["ctcsound"] = mod
        spec.loader.exec_module(mod)
    except Exception as e:  # noqa: BLE001 - any failure means "peer unavailable"
        sys.modules.pop("ctcsound", None)
        return None, f"ctcsound failed to load: {e}"
    return mod, None


def load_libcsound():
    if "libcsound" in sys.modules:
        return sys.modules["libcsound"], None
    if not (PEERS_DIR / "libcsound").is_dir():
        return None, f"libcsound 0.18.5 not installed; {SETUP_HINT}"
    # Never let the package download a Csound 7 of its own; use Debian's libcsound64.
    os.environ["LIBCSOUND_INSTALL"] = "0"
    if Path(LIBCSOUND_SO).exists():
        os.environ.setdefault("LIBCSOUNDPATH", LIBCSOUND_SO)
    sys.path.insert(0, str(PEERS_DIR))
    try:
        import libcsound  # type: ignore
    except Exception as e:  # noqa: BLE001
        return None, f"libcsound failed to load: {e}"
    finally:
        sys.path.remove(str(PEERS_DIR))
    return libcsound, None


# ----------------------------------------------------------------------------- the Csound 7 peers
#
# run.py calls every API by the ctcsound 6 names it uses for the Csound 6 peers. For a Csound 7
# peer whose names differ, the loader returns a small module whose Csound (and performance
# thread) subclasses the peer's own class and binds those names to the peer's own methods
# (class attributes: a call through them is the peer's method itself, no wrapper), or, outside
# the timed loops, to a short function. What a peer lacks is left out, and run.py says so.


def _import_peer7(name: str):
    """Imports a Csound 7 peer from PEERS7_DIR/<name>, after the Csound 7 library."""
    if name in sys.modules:
        return sys.modules[name], None
    folder = PEERS7_DIR / name
    if not (folder / f"{name}-{PEERS7[name]}.dist-info").is_dir():
        return None, f"{name} {PEERS7[name]} not installed; {SETUP7_HINT}"
    try:
        load_csound7_library()
    except OSError as e:
        return None, str(e)
    sys.path.insert(0, str(folder))
    try:
        mod = importlib.import_module(name)
    except Exception as e:  # noqa: BLE001 - any failure means "peer unavailable", with the reason
        for k in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[k]
        msg = str(e)
        if "undefined symbol: " in msg:  # a ctypes binding of a function Csound 7.0 does not have
            msg = f"undefined symbol {msg.split('undefined symbol: ')[1].split()[0]} in {csound7_library().name}"
        return None, f"{name} {PEERS7[name]} does not load on Csound 7.0: {type(e).__name__}: {msg}"
    finally:
        sys.path.remove(str(folder))
    return mod, None


@functools.cache
def load_ctcsound7():
    """ctcsound7 0.8.0: ctcsound's API on Csound 7 (its api7 module). Its Csound has
    compileCommandLine for ctcsound's compileArgs and eventString for readScore."""
    mod, why = _import_peer7("ctcsound7")
    if mod is None:
        return None, why

    class Csound(mod.Csound):
        compileArgs = mod.Csound.compileCommandLine
        readScore = mod.Csound.eventString

    return _adapter("ctcsound7", mod, Csound=Csound, PerformanceThread=mod.CsoundPerformanceThread), None


@functools.cache
def load_libcsound7():
    """libcsound 1.0.3 (Csound 7 API). Its Csound has compileCommandLine for compileArgs and
    eventString for readScore; the rest of the names run.py uses are its own. It has no perform():
    a whole render is its documented compileCommandLine + `while not performKsmps()` + reset()."""
    mod, why = _import_peer7("libcsound")
    if mod is None:
        return None, why

    class Csound(mod.Csound):
        compileArgs = mod.Csound.compileCommandLine
        readScore = mod.Csound.eventString

    def render(args):
        cs = Csound()
        if cs.compileCommandLine("csound", *args) != 0:
            raise RuntimeError("libcsound: compileCommandLine failed")
        perf = cs.performKsmps
        while not perf():
            pass
        cs.reset()
        del cs

    return _adapter("libcsound", mod, Csound=Csound, PerformanceThread=mod.PerformanceThread, RENDER=render), None


@functools.cache
def load_cycsound():
    """cycsound 0.2.3 (Cython, Csound 7 API, snake_case names). No spout/spin and no channel
    pointer from Python; its CsoundPerformanceThread.score_event takes (kind, pfields)."""
    mod, why = _import_peer7("cycsound")
    if mod is None:
        return None, why
    C, PT = mod.Csound, mod.CsoundPerformanceThread

    class Csound(C):
        setOption = C.set_option
        compileOrc = C.compile_orc
        performKsmps = C.perform_ksmps
        setControlChannel = C.set_control_channel
        controlChannel = C.get_control_channel  # returns the value only (no error code)
        readScore = C.event_string
        ksmps = C.get_ksmps
        nchnls = C.get_nchnls

    class PerformanceThread(PT):
        flushMessageQueue = PT.flush_message_queue
        scoreEvent = PT.score_event  # (kind, pfields[, absp2mode]): see PT_EVENT_KIND_FIRST

    def render(args):
        """csoundCompile with argv, then its run(): start + csoundPerformKsmps to the end, in C
        with the GIL released (cycsound has no perform())."""
        cs = Csound()
        if cs.compile("csound", *args) != 0:
            raise RuntimeError("cycsound: compile failed")
        if cs.run() != 0:
            raise RuntimeError("cycsound: run failed")
        cs.reset()
        del cs

    return _adapter("cycsound", mod, Csound=Csound, PerformanceThread=PerformanceThread,
                    PT_EVENT_KIND_FIRST=True, RENDER=render), None


def _adapter(name, mod, **attrs):
    import types
    ad = types.ModuleType(name, f"{name} as benchmarks/run.py calls it")
    ad.__file__ = getattr(mod, "__file__", None)
    ad.PEER = mod
    for k, v in attrs.items():
        setattr(ad, k, v)
    return ad


def python_loaders():
    """(column name, loader) of the Python implementations of the selected Csound."""
    if CSOUND == 7:
        return [("csoundpp", load_csoundpp), ("ctcsound7", load_ctcsound7), ("libcsound", load_libcsound7),
                ("cycsound", load_cycsound)]
    return [("csoundpp", load_csoundpp), ("ctcsound", load_ctcsound), ("libcsound", load_libcsound)]


def peer_version(name: str) -> str:
    folder = PEERS7_DIR / name if CSOUND == 7 else PEERS_DIR
    dist = sorted(folder.glob(f"{name}-*.dist-info"))
    return dist[0].name[len(name) + 1:-len(".dist-info")] if dist else "?"


def floor_binary():
    if FLOOR.exists() and os.access(FLOOR, os.X_OK):
        return FLOOR, None
    if CSOUND == 7:
        log = BUILD7 / "floor.log"
        why = log.read_text().strip().splitlines()[0] if log.exists() and log.read_text().strip() else ""
        return None, ("C++ floor not built for Csound 7" + (f": {why}" if why else f"; {SETUP7_HINT}"))
    return None, f"C++ floor not built; {SETUP_HINT}"


def csoundpp_cpp():
    """(include dir, libcsoundpp.a) of the csoundpp this interpreter imports, or (None, reason).
    An installed package ships them (csoundpp.get_include(), get_library_dir()); a development
    build (PYTHONPATH=build/dev-NAME/py) has the library beside its _core module and the headers
    in the checkout."""
    cpp, why = load_csoundpp()
    if cpp is None:
        return None, why
    try:
        inc, lib = Path(cpp.get_include()), Path(cpp.get_library_dir()) / "libcsoundpp.a"
    except (AttributeError, FileNotFoundError):
        core = Path(cpp._core.__file__).resolve()
        inc, lib = HERE.parent / "cpp" / "include", core.parent / "libcsoundpp.a"
    if not lib.exists() or not (inc / "csoundpp" / "block_processor.hpp").exists():
        return None, f"csoundpp's C++ library not found beside {cpp.__file__}"
    return (inc, lib), None


def block_binary():
    """benchmarks/floor/block.cpp linked against the imported csoundpp's C++ library, compiled
    here when missing or older than its source or that library (so it measures this build)."""
    found, why = csoundpp_cpp()
    if found is None:
        return None, why
    inc, lib = found
    exe = BUILD / "block"
    stamp = BUILD / "block.lib"
    if exe.exists() and stamp.exists() and stamp.read_text() == str(lib) and \
            exe.stat().st_mtime >= max(BLOCK_SRC.stat().st_mtime, lib.stat().st_mtime):
        return exe, None
    gxx = shutil.which("g++")
    if not gxx:
        return None, "g++ not installed"
    BUILD.mkdir(parents=True, exist_ok=True)
    # the sanitizer build's library (scripts/suites/70-asan.sh) needs the same -fsanitize flags
    san = os.environ.get("CSOUNDPP_SANITIZE_FLAGS", "").split()
    r = subprocess.run([gxx, "-std=c++20", "-O2", "-DUSE_DOUBLE=1", *san, "-I", str(inc), "-o", str(exe), str(BLOCK_SRC),
                        str(lib), "-lcsound64", "-lsndfile", "-lpthread"], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        return None, f"block bench did not compile: {r.stderr.strip()[-300:]}"
    stamp.write_text(str(lib))
    return exe, None


def csound_cli():
    if CSOUND == 7:
        return None, ("no Csound 7 csound program: no Debian package has Csound 7 and the cycsound wheel "
                      "ships none (its `cycsound render` is a Python loop over cycsound)")
    p = shutil.which("csound")
    return (p, None) if p else (None, f"csound CLI not installed; {SETUP_HINT}")


def jackd():
    p = shutil.which("jackd")
    return (p, None) if p else (None, f"jackd not installed; {SETUP_HINT}")


def deb_version(pkg: str) -> str:
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"
