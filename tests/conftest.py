"""Shared fixtures: small orchestras, a quiet Csound, audio analysis helpers."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import csoundpp

ROOT = Path(__file__).resolve().parent.parent

SR = 48000
KSMPS = 32

# A sine instrument: p4 amplitude, p5 frequency. instr 2 writes p4 into channel "seen".
ORC = textwrap.dedent(
    f"""
    sr = {SR}
    ksmps = {KSMPS}
    nchnls = 2
    0dbfs = 1

    instr 1
      a1 oscili p4, p5
      outs a1, a1
    endin

    instr 2
      chnset p4, "seen"
    endin
    """
)


# csoundpp is built for one Csound (6.18 or 7.0; scripts/suites/50-csound7.sh runs this suite on 7).
CSOUND7 = csoundpp.csound_version()[0] >= 7


def needs_csound6(feature: str):
    """Marks a test that needs something Csound 7 removed: skipped on Csound 7, naming it."""
    return pytest.mark.skipif(CSOUND7, reason=f"not on Csound 7: {feature}")


def quiet(cs: csoundpp.Csound) -> csoundpp.Csound:
    cs.setOption("-n -d -m0")
    return cs


@pytest.fixture
def cs():
    c = quiet(csoundpp.Csound())
    yield c
    if not c.destroyed:
        c.destroy()


@pytest.fixture
def started(cs):
    """A started Csound with ORC compiled, performing until stopped (f0 z)."""
    assert cs.compileOrc(ORC) == 0
    assert cs.readScore("f 0 z\n") == 0
    assert cs.start() == 0
    return cs


def dominant_frequency(x: np.ndarray, sr: float = SR) -> float:
    x = np.asarray(x, dtype=float)
    w = np.hanning(len(x))
    spec = np.abs(np.fft.rfft(x * w))
    k = int(np.argmax(spec[1:])) + 1
    # parabolic interpolation around the peak
    if 1 <= k < len(spec) - 1:
        a, b, c = np.log(spec[k - 1] + 1e-30), np.log(spec[k] + 1e-30), np.log(spec[k + 1] + 1e-30)
        k = k + 0.5 * (a - c) / (a - 2 * b + c)
    return k * sr / len(x)


def run_python(code: str, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    """Runs code in a fresh interpreter with the same csoundpp on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(Path(csoundpp.__file__).parent.parent), env.get("PYTHONPATH", "")] if p)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, env=env, **kw)


def pytest_collection_modifyitems(config, items):
    """Long runs carry their own bound: a `slow` test without @pytest.mark.timeout(...) would be
    cut at pyproject's default (120 s) and `pytest -m slow` would need --timeout 0."""
    bare = [i.nodeid for i in items if i.get_closest_marker("slow") and not i.get_closest_marker("timeout")]
    if bare:
        raise pytest.UsageError("slow tests without @pytest.mark.timeout(...): " + ", ".join(bare))
