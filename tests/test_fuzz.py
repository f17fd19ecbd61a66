"""Every public method of Csound and PerformanceThread with hostile arguments, in every state
(tests/_fuzz.py). Each state runs in its own child interpreter; when one dies or hangs, the
case it was running is run again alone to name the culprit. A short run is in the default
suite; `pytest -m slow` runs 40 cases per method and state."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import csoundpp

HERE = Path(__file__).resolve().parent
STATES = ["fresh", "compiled", "started", "playing", "paused", "ended", "destroyed"]


def run_fuzz(state: str, per_method: int, seed: int, timeout: float, extra=()) -> tuple[int, str]:
    env = {"PYTHONPATH": str(Path(csoundpp.__file__).parent.parent)}
    import os

    env = {**os.environ, **env}
    cmd = [sys.executable, str(HERE / "_fuzz.py"), state, "--per-method", str(per_method), "--seed", str(seed), *extra]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return -999, out


def fuzz_state(state: str, per_method: int, seed: int, timeout: float) -> int:
    rc, out = run_fuzz(state, per_method, seed, timeout)
    done = re.search(r"^DONE (\d+)$", out, re.M)
    if rc == 0 and done:
        return int(done.group(1))
    cases = re.findall(r"^CASE (\d+) (\S+) (\S+)\.(\S+) (.*)$", out, re.M)
    last = cases[-1] if cases else None
    culprit = ""
    if last:  # run the last case alone, in a fresh state, to name it
        idx, _, target, method, args = last
        rc1, out1 = run_fuzz(state, per_method, seed, 60, ["--methods", method, "--skip-cases", "0"])
        culprit = f"\nlast case: {target}.{method}{args}; alone: exit {rc1}\n{out1[-1500:]}"
    how = "hung" if rc == -999 else f"exit status {rc}"
    pytest.fail(f"fuzzing state {state!r} {how}{culprit}\n--- output tail\n{out[-3000:]}")


@pytest.mark.timeout(240 + 120)  # the child's bound (240 s) plus naming the culprit (60 s)
@pytest.mark.parametrize("state", STATES)
def test_fuzz_every_method_short(state):
    assert fuzz_state(state, per_method=1, seed=1, timeout=240) > 200


@pytest.mark.slow
@pytest.mark.timeout(4 * 3600 + 300)  # the child's bound (4 h) decides first
@pytest.mark.parametrize("state", STATES)
def test_fuzz_every_method_long(state):
    n = fuzz_state(state, per_method=40, seed=7, timeout=4 * 3600)
    print(f"state={state} cases={n}")
    assert n > 8000
