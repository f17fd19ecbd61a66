"""Realistic programs written for ctcsound, libcsound and csnd run on csoundpp with only
the import line changed (tests/programs/*.py)."""
from __future__ import annotations

import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parent / "programs"
IMPORTS = {
    "import ctcsound": "import csoundpp as ctcsound",
    "import libcsound": "import csoundpp as libcsound",
    "import csnd": "import csoundpp.csnd as csnd",
}

CSD = """<CsoundSynthesizer>
<CsOptions>
-n -d -m0
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
instr 1
  kf chnget "frequency"
  a1 oscili 0.5, kf
  chnset rms(a1), "rms"
  out a1
endin
</CsInstruments>
<CsScore>
i 1 0 0.3
</CsScore>
</CsoundSynthesizer>
"""


def run(name: str, *args: str, tmp_path: Path) -> dict:
    src = (PROGRAMS / name).read_text()
    lines = src.splitlines()
    changed = [i for i, line in enumerate(lines) if line.strip() in IMPORTS]
    assert len(changed) == 1, f"{name} must have exactly one binding import"
    lines[changed[0]] = IMPORTS[lines[changed[0]].strip()]
    prog = tmp_path / name
    prog.write_text("\n".join(lines) + "\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    r = subprocess.run([sys.executable, str(prog), *args], capture_output=True, text=True, timeout=60,
                       cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    out = {}
    for line in r.stdout.splitlines():
        key, _, value = line.partition(" ")
        out[key] = value
    return out


def read_wav(path: Path):
    import numpy as np

    with wave.open(str(path)) as w:
        frames = w.readframes(w.getnframes())
        return w.getframerate(), w.getnchannels(), np.frombuffer(frames, dtype="<i2").astype(float) / 32768


def test_score_generation_with_read_score(tmp_path):
    wav = tmp_path / "gen.wav"
    out = run("score_generation.py", str(wav), tmp_path=tmp_path)
    assert int(out["cycles"]) == pytest.approx(0.4 * 48000 / 32, abs=3)
    sr, ch, x = read_wav(wav)
    assert (sr, ch) == (48000, 1)
    assert len(x) == pytest.approx(0.4 * 48000, abs=64)
    assert 0.15 < abs(x).max() < 0.31


def test_perform_ksmps_loop_driving_channels(tmp_path):
    out = run("ksmps_channels.py", tmp_path=tmp_path)
    n = int(out["cycles"])
    assert n == pytest.approx(0.5 * 48000 / 64, abs=2)
    # the instrument doubles what the host set on the previous cycle
    assert float(out["last_double"]) == 2 * (100.0 + n - 2)
    assert out["err"] == "0"
    assert float(out["rms"]) == pytest.approx(0.354, abs=0.02)
    assert out["ptr"].startswith(str(100.0 + n - 1))
    assert out["channels"] == "['double', 'freq', 'rms']"


def test_performance_thread_with_events_and_recording(tmp_path):
    wav = tmp_path / "rec.wav"
    out = run("perf_thread_record.py", str(wav), tmp_path=tmp_path)
    assert out["running"] == "True"
    assert out["status"] == "0"
    assert float(out["marker"]) == 7.0
    assert int(out["after"]) > 0
    sr, ch, x = read_wav(wav)
    assert (sr, ch) == (48000, 2)
    assert len(x) / 2 == pytest.approx(0.6 * 48000, rel=0.05)
    assert abs(x).max() == pytest.approx(0.4, abs=0.01)


def test_host_implemented_audio_through_spin_and_spout(tmp_path):
    out = run("spin_spout.py", tmp_path=tmp_path)
    assert int(out["frames"]) == pytest.approx(0.1 * 48000, abs=32)
    assert out["left_ok"] == "True" and out["right_ok"] == "True"


def test_csnd_program(tmp_path):
    csd = tmp_path / "my.csd"
    csd.write_text(CSD)
    out = run("csnd_program.py", str(csd), tmp_path=tmp_path)
    assert out == {"compile": "0", "rms_positive": "True", "freq": "440.0"}


def test_libcsound_program(tmp_path):
    out = run("libcsound_program.py", tmp_path=tmp_path)
    assert float(out["got"]) == 6.0
