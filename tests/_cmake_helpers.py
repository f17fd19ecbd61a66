"""Shared by test_cpp_interop.py and test_jack.py: locate csoundpp's CMake
package and build the examples against it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import csoundpp

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def cmake_exe() -> str:
    exe = Path(sys.prefix) / "bin" / "cmake"
    return str(exe) if exe.exists() else "cmake"


def run(cmd, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{cmd}\nstdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-3000:]}"
    return r


def find_cmake_dir(tmp_path_factory) -> str:
    """The installed package (wheel), else `cmake --install` of the development
    build tree the imported csoundpp._core comes from."""
    try:
        return csoundpp.get_cmake_dir()
    except FileNotFoundError:
        pass
    build = Path(csoundpp._core.__file__).resolve().parent
    if not (build / "CMakeCache.txt").exists():
        pytest.skip(f"csoundpp has no installed CMake package and {build} is not a CMake build tree")
    prefix = tmp_path_factory.mktemp("csoundpp-install")
    run([cmake_exe(), "--install", str(build), "--prefix", str(prefix)])
    return str(prefix / "share" / "cmake" / "csoundpp")


def build_example(example: str, cmake_dir: str, tmp: Path) -> Path:
    import pybind11

    b = tmp / example
    # Under scripts/suites/70-asan.sh the csoundpp found here is the sanitizer build: a program or
    # extension linking its libcsoundpp.a must be built with the same -fsanitize flags.
    san = os.environ.get("CSOUNDPP_SANITIZE_FLAGS", "")
    flags = [f"-DCMAKE_CXX_FLAGS={san}", f"-DCMAKE_EXE_LINKER_FLAGS={san}",
             f"-DCMAKE_SHARED_LINKER_FLAGS={san}", f"-DCMAKE_MODULE_LINKER_FLAGS={san}"] if san else []
    run([cmake_exe(), "-S", str(EXAMPLES / example), "-B", str(b), "-DCMAKE_BUILD_TYPE=Release",
         f"-Dcsoundpp_DIR={cmake_dir}", f"-Dpybind11_DIR={pybind11.get_cmake_dir()}",
         f"-DPython_EXECUTABLE={sys.executable}", *flags])
    run([cmake_exe(), "--build", str(b), "-j2"])
    return b
