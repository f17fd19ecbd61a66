"""Calls every public method of Csound and PerformanceThread with hostile arguments in every
state (run by test_fuzz.py, in child interpreters).

    python _fuzz.py STATE [--methods a,b,...] [--per-method N] [--seed S]

prints one line per case before making it ("CASE state method args"), so the parent can name
the culprit when the child dies or hangs, and "DONE n" at the end. Any Python exception is
an acceptable outcome (the point is that nothing crashes or hangs); a call slower than BOUND
seconds is reported as a hang.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time

import numpy as np

import csoundpp
from csoundpp import Csound, PerformanceThread

BOUND = 15.0
ORC = """
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  a1 oscili p4, p5
  outs a1, a1
endin
instr 2
  k1 chnget "x"
  chnset k1, "y"
endin
"""
STATES = ["fresh", "compiled", "started", "playing", "paused", "ended", "destroyed"]

# Methods that block by contract or act outside the process, with the reason.
SKIP = {
    "sleep": "sleeps as long as asked",
    "runCommand": "runs external programs",
    "runUtility": "runs external programs",
    "perform": "renders until the end of the score (bounded separately by the state machines)",
    "waitBarrier": "waits for other threads by contract",
    "waitThreadLockNoTimeout": "waits forever by contract",
    "lockMutex": "blocks by contract",
    "spinLock": "spins by contract",
    "joinThread": "waits for a thread by contract",
    "UDPServerStart": "opens network ports",
    "UDPConsole": "opens network ports",
    "keyPress": "feeds the keyboard callback",
    "setLanguage": "process-wide setting",
    "setGlobalEnv": "process-wide setting (tested in test_failure_modes)",
    "openLibrary": "loads shared libraries",
    "closeLibrary": "dlclose of a handle (pointer-taking ctcsound API)",
    "getLibrarySymbol": "dlsym on a handle (pointer-taking ctcsound API)",
    "loadPlugins": "loads shared libraries",
    "setOpcodedir": "process-wide setting",
}


def hostile_values(tmp: str):
    big = "x" * 200_000
    return [
        None, 0, 1, -1, 2, 7, 99, 2**31, -(2**31) - 1, 2**63 - 1, 2**64, -(2**64), 1e300, -1e300,
        float("nan"), float("inf"), -0.0, 0.5, True, "", "\x00", "a\x00b", "%s%n%s%n", "i 1 0 1", big,
        "instr 1\n endin", "#include \"nowhere.orc\"\n", os.path.join(tmp, "out.wav"), "/", "/dev/null",
        "/proc/self/mem", b"bytes", [], [1.0], [float("nan")], [1, 0, 1, 0.1, 440], [0.0] * 100_000, (1, 2), {},
        object(), lambda *a: None, lambda *a: 1 / 0, np.zeros(0), np.zeros(64), np.zeros(64, dtype=np.float32),
        np.zeros((4, 4)), np.zeros(3, dtype=np.int64), np.zeros(10)[::2], np.full(5, np.nan),
    ]


def build(state: str):
    cs = Csound()
    cs.setOption("-n -d -m0")
    pt = None
    if state == "fresh":
        return cs, pt
    if state == "destroyed":
        cs.destroy()
        return cs, pt
    assert cs.compileOrc(ORC) == 0
    cs.readScore("f 1 0 1024 10 1\nf0 0.2\n")
    if state == "compiled":
        return cs, pt
    assert cs.start() == 0
    if state == "started":
        return cs, pt
    pt = PerformanceThread(cs)
    if state == "playing":
        pt.play()
    elif state == "ended":
        pt.play()
        pt.stop()
        pt.join(10)
    return cs, pt


def methods_of(obj) -> list[str]:
    seen = {}
    for name in sorted(dir(type(obj))):
        if name.startswith("_"):
            continue
        attr = getattr(type(obj), name, None)
        if not callable(attr) or isinstance(attr, type):
            continue
        key = id(attr)
        if key not in seen:  # aliases are the same object: call the canonical spelling once
            seen[key] = name
    return sorted(seen.values())


def cases(state: str, per_method: int, seed: int, only: list[str] | None):
    """Yields (target, method, args) deterministically for a state."""
    rng = random.Random(f"{seed}-{state}")
    cs0 = Csound()
    names = [("cs", m) for m in methods_of(cs0)]
    cs0.destroy()
    if state in ("playing", "paused", "ended"):
        c = Csound()
        c.setOption("-n -d -m0")
        c.compileOrc(ORC)
        p = PerformanceThread(c)
        names += [("pt", m) for m in methods_of(p)]
        p.stop()
        p.join(10)
        del p
        c.destroy()
    for target, m in names:
        if only and m not in only:
            continue
        if m in SKIP:
            continue
        for k in range(per_method):
            arity = rng.choice([0, 1, 1, 2, 2, 3, 4])
            idx = [rng.randrange(10_000) for _ in range(arity)]
            yield target, m, idx


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("state", choices=STATES)
    ap.add_argument("--methods", default="")
    ap.add_argument("--per-method", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-cases", type=int, default=0)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="csoundpp-fuzz-")
    os.chdir(tmp)
    values = hostile_values(tmp)
    only = [m for m in a.methods.split(",") if m] or None
    n = 0
    cs, pt = build(a.state)
    fresh_each = 25  # rebuild the state regularly: a case may legitimately change it
    for i, (target, m, idx) in enumerate(cases(a.state, a.per_method, a.seed, only)):
        if i < a.skip_cases:
            continue
        if n and n % fresh_each == 0:
            if pt is not None:
                pt.stop()
            del pt
            cs, pt = build(a.state)
        args = [values[j % len(values)] for j in idx]
        print(f"CASE {i} {a.state} {target}.{m} {[repr(x)[:40] for x in args]}", flush=True)
        obj = cs if target == "cs" else pt
        fn = getattr(obj, m)
        # A wait given no timeout, None or a huge one waits as long as asked (Ctrl-C still works):
        # bound it here, the hostile values still go to every other position.
        pos = {"join": 0, "flushMessageQueue": 0, "flushProcessQueue": 0, "evalCode": 2}.get(m)
        if pos is not None and target == "pt":
            args = list(args) + [0.5] * max(0, pos + 1 - len(args))
            t = args[pos]
            if t is None or (isinstance(t, (int, float)) and not isinstance(t, bool) and not t <= 60):
                args[pos] = 0.5
        t0 = time.monotonic()
        try:
            r = fn(*args)
            if hasattr(r, "__iter__") and not isinstance(r, (str, bytes, dict)):
                try:
                    for _ in zip(range(100), r):
                        pass
                except Exception:
                    pass
        except BaseException as e:  # noqa: BLE001 - every Python exception is an acceptable outcome
            if isinstance(e, (SystemExit, KeyboardInterrupt)):
                raise
        dt = time.monotonic() - t0
        if dt > BOUND:
            print(f"HANG {i} {a.state} {target}.{m} took {dt:.1f} s", flush=True)
            sys.exit(3)
        n += 1
    if pt is not None:
        pt.stop()
        try:
            pt.join(5)
        except Exception:
            pass
    print(f"DONE {n}", flush=True)


if __name__ == "__main__":
    main()
