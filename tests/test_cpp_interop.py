"""One Csound across the language boundary.

Builds examples/cpp_extension (a pybind11 module linked against the installed
csoundpp CMake package) and examples/embed (a C++ program embedding Python),
runs them, and checks in the rendered audio that the notes scheduled from C++
and from Python are both heard.
"""
from __future__ import annotations

import os
import sys
import sysconfig
import wave
from pathlib import Path

import numpy as np
import pytest

import csoundpp
from conftest import CSOUND7

from _cmake_helpers import EXAMPLES, build_example, find_cmake_dir, run as _run


@pytest.fixture(scope="session")
def cmake_dir(tmp_path_factory) -> str:
    return find_cmake_dir(tmp_path_factory)


_build = build_example


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768.0
        return data.reshape(-1, w.getnchannels())[:, 0], w.getframerate()


def _tone(x: np.ndarray, sr: int, t0: float, t1: float, freq: float) -> float:
    """Amplitude of `freq` in x[t0:t1] (single-bin DFT)."""
    seg = x[int(t0 * sr):int(t1 * sr)]
    n = np.arange(len(seg))
    return float(abs(np.dot(seg, np.exp(-2j * np.pi * freq * n / sr))) * 2 / max(len(seg), 1))


ORC = """
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
instr 1
  aenv linseg 0, 0.01, 0.5, p3 - 0.02, 0.5, 0.01, 0
  out poscil(aenv, p4)
endin
"""


@pytest.fixture(scope="session")
def ext(cmake_dir, tmp_path_factory):
    b = _build("cpp_extension", cmake_dir, tmp_path_factory.mktemp("ext"))
    sys.path.insert(0, str(b))
    try:
        import csoundpp_ext
    finally:
        sys.path.remove(str(b))
    return csoundpp_ext


@pytest.mark.timeout(900)
def test_extension_receives_the_python_csound(ext):
    cs = csoundpp.Csound()
    assert ext.native_address(cs) == cs.csound()
    assert ext.same_object(cs, cs)
    assert not ext.same_object(cs, csoundpp.Csound())


@pytest.mark.timeout(900)
def test_extension_and_csoundpp_share_one_libcsound(ext):
    # The extension links the libcsound the CMake package names: the system's for a source
    # build, the wheel's bundled copy (csoundpp.libs/) for a wheel. Either way, one per process.
    maps = Path("/proc/self/maps").read_text().splitlines()
    libs = {line.split()[-1] for line in maps if "libcsound64" in line.split()[-1]}
    assert len(libs) == 1, f"more than one libcsound in the process: {sorted(libs)}"


@pytest.mark.timeout(900)
def test_extension_returns_a_csound_python_can_use(ext):
    cs = ext.make_csound(ORC + 'instr 2\n chnset 42, "answer"\nendin\nschedule 2, 0, 0.01\n', ["-n", "-m0"])
    assert type(cs) is csoundpp.Csound
    cs.start()
    cs.performKsmps()
    assert cs.controlChannel("answer")[0] == 42
    with pytest.raises(csoundpp.CompileError):
        ext.make_csound("instr 1\n this is not csound\nendin\n", ["-n"])
    cs.cleanup()


@pytest.mark.timeout(900)
def test_cpp_and_python_events_on_one_performance_thread(ext, tmp_path):
    out = tmp_path / "shared.wav"
    cs = csoundpp.Csound()
    for opt in (f"-o{out}", "-d", "-m0"):
        cs.setOption(opt)
    assert cs.compileOrc(ORC) == 0
    pt = csoundpp.PerformanceThread(cs)
    pt.scoreEvent(False, "i", [1, 0.1, 0.2, 440])                 # from Python
    ext.schedule_notes(cs, 1, 0.5, 1, 0.0, 0.2, 660)              # from C++, same instance
    ext.thread_schedule(pt, 1, 0.8, 0.2, 990)                     # the C++ PerformanceThread object
    assert ext.thread_csound(pt) is cs
    pt.scoreEvent(False, "e", [0, 1.1])
    pt.play()
    pt.join()
    if CSOUND7:  # Csound 7 has no csoundCleanup: its -o file is completed by csoundReset
        cs.reset()
    x, sr = _read_wav(out)
    assert _tone(x, sr, 0.15, 0.25, 440) > 0.3
    assert _tone(x, sr, 0.55, 0.65, 660) > 0.3
    assert _tone(x, sr, 0.15, 0.25, 660) < 0.05 and _tone(x, sr, 0.55, 0.65, 440) < 0.05
    assert _tone(x, sr, 0.85, 0.95, 990) > 0.3


@pytest.mark.timeout(900)
def test_cpp_program_hands_its_instance_to_python(cmake_dir, tmp_path_factory, tmp_path):
    b = _build("embed", cmake_dir, tmp_path_factory.mktemp("embed"))
    out = tmp_path / "embed.wav"
    env = dict(os.environ)
    paths = [str(EXAMPLES / "embed"), str(Path(csoundpp.__file__).parent.parent),
             sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    env["PYTHONPATH"] = os.pathsep.join(paths + [env.get("PYTHONPATH", "")])
    env["PYTHONHOME"] = sys.base_prefix
    r = _run([str(b / "embed_host"), str(out)], env=env, timeout=120)
    assert "embed_part: got csoundpp.Csound" in r.stdout
    assert "finished with status" in r.stdout
    x, sr = _read_wav(out)
    assert _tone(x, sr, 0.15, 0.25, 440) > 0.3   # scheduled by C++ on its PerformanceThread
    assert _tone(x, sr, 0.55, 0.65, 880) > 0.3   # scheduled by Python on the same instance
    assert _tone(x, sr, 0.15, 0.25, 880) < 0.05
