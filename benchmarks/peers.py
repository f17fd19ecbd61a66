"""Loads csoundpp and the peers it is compared with, without touching sys.path globally.

- csoundpp: the package importable by this interpreter (pip-installed by scripts/setup.sh,
  or a dev build through PYTHONPATH=build/dev-NAME/py).
- ctcsound 6.18: Debian's python3-csound (/usr/lib/python3/dist-packages/ctcsound.py), loaded
  from its file so the rest of that directory does not shadow the venv's packages. Its
  CsoundPerformanceThread is libcsnd6 (Debian libcsnd6-6.0).
- libcsound 0.18.5 (PyPI): installed by benchmarks/setup.sh into benchmarks/.peers.
- the C++ floor (benchmarks/.build/floor) and the csound CLI.

Each loader returns (module_or_path, None) or (None, reason).
"""
from __future__ import annotations

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


def load_csoundpp():
    try:
        import csoundpp  # noqa: F401
    except ImportError as e:  # pragma: no cover - reported in the table
        return None, f"csoundpp not importable ({e}); run scripts/setup.sh or a devbuild"
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


def floor_binary():
    if FLOOR.exists() and os.access(FLOOR, os.X_OK):
        return FLOOR, None
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
    r = subprocess.run([gxx, "-std=c++20", "-O2", "-DUSE_DOUBLE=1", "-I", str(inc), "-o", str(exe), str(BLOCK_SRC),
                        str(lib), "-lcsound64", "-lsndfile", "-lpthread"], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        return None, f"block bench did not compile: {r.stderr.strip()[-300:]}"
    stamp.write_text(str(lib))
    return exe, None


def csound_cli():
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
