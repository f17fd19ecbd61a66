"""Every public method of Csound and PerformanceThread, and the PerformanceThread constructor,
with hostile arguments in every state, each case in its own child process (tests/_fuzz.py
says what the states are and what counts as a failure). The default suite runs a sixth of
one case per method and state (a different sixth in each state); `pytest -m slow` runs 5
cases per method in every state."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import csoundpp

HERE = Path(__file__).resolve().parent
STATES = ["fresh", "compiled", "started", "playing", "paused", "ended", "score-ended", "failed", "destroyed"]


def fuzz(state: str, timeout: float, *extra: str) -> int:
    """Runs _fuzz.py for one state; returns the number of cases, fails the test on any finding."""
    env = {**os.environ, "PYTHONPATH": str(Path(csoundpp.__file__).parent.parent)}
    cmd = [sys.executable, str(HERE / "_fuzz.py"), state, *extra]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        out, rc = r.stdout + r.stderr, r.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        pytest.fail(f"the fuzz of state {state!r} did not finish within {timeout:.0f} s\n{out[-3000:]}")
    done = re.search(r"^DONE cases=(\d+) failures=(\d+)", out, re.M)
    fails = re.findall(r"^FAIL .*?^--- end of case$", out, re.M | re.S)
    if rc != 0 or not done or fails:
        pytest.fail(f"fuzz of state {state!r}: exit {rc}, {len(fails)} failed cases\n" + "\n".join(fails)[:6000]
                    + ("" if fails else out[-3000:]))
    return int(done.group(1))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("state", STATES)
def test_fuzz_every_method_short(state):
    n = fuzz(state, 540, "--per-method", "1", "--seed", "1", "--sample", "6", "--offset", str(STATES.index(state)))
    assert n > (30 if state == "fresh" else 40)


@pytest.mark.slow
@pytest.mark.timeout(6 * 3600 + 300)  # the child's bound (6 h) decides first
@pytest.mark.parametrize("state", STATES)
def test_fuzz_every_method_long(state):
    n = fuzz(state, 6 * 3600, "--per-method", "5", "--seed", "7")
    print(f"state={state} cases={n}")
    assert n > 5 * (200 if state != "fresh" else 150)
