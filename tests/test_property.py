"""Stateful property tests of PerformanceThread and Csound (hypothesis), each run in a child
interpreter so that a crash or a hang fails the test. The machines and their invariants are in
_stateful_machines.py. A short run is in the default suite; `pytest -m slow` runs the long ones
(>= 100,000 steps each)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_python

HERE = Path(__file__).resolve().parent


def run_machine(machine: str, examples: int, steps: int, timeout: float) -> int:
    r = run_python(
        f"""
        import sys
        sys.path.insert(0, {str(HERE)!r})
        import _stateful_machines as m
        m.run({machine!r}, examples={examples}, steps={steps})
        """,
        timeout=timeout,
    )
    assert r.returncode == 0, f"exit status {r.returncode}\n{r.stdout[-4000:]}\n{r.stderr[-6000:]}"
    found = re.search(r"steps_run=(\d+)", r.stdout)
    assert found, r.stdout
    print(r.stdout.strip().splitlines()[-1])
    return int(found.group(1))


@pytest.mark.timeout(240 + 60)  # the child's bound (240 s) decides first
@pytest.mark.parametrize("machine", ["pt", "csound"])
def test_state_machine_short(machine):
    assert run_machine(machine, examples=4, steps=15, timeout=240) > 0


@pytest.mark.slow
@pytest.mark.timeout(6 * 3600 + 300)  # the child's bound (6 h) decides first
@pytest.mark.parametrize("machine", ["pt", "csound"])
def test_state_machine_long(machine):
    # 100,000+ steps: 2,000 examples of up to 60 steps (hypothesis stops an example early
    # at random, so the total is checked, not assumed).
    steps = run_machine(machine, examples=2500, steps=60, timeout=6 * 3600)
    assert steps >= 100_000, steps
