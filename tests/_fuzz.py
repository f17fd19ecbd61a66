"""Calls every public method of Csound and PerformanceThread (and the PerformanceThread
constructor) with hostile arguments in every state, each case in its own child process
(run by test_fuzz.py).

    python _fuzz.py STATE[,STATE...]|all [--targets cs,pt,new] [--methods a,b] [--per-method N]
                    [--seed S] [--sample K [--offset J]]

The driver imports csoundpp and numpy once and forks one child per case (no thread and no
Csound instance exist in the driver, so the fork is clean). The child builds the state, makes
the call, checks the object still answers, and leaves through a normal interpreter exit (so
the exit path with a playing thread is exercised too). Outcomes, per case:

- ok: the call returned or raised a clear Python exception (see CLEAR / unclear() below);
- CRASH: the child died of a signal;
- HANG: the call took more than BOUND s, or the child did not exit within LIMIT s;
- UNCLEAR: an exception that says nothing useful to the user (SystemError, a C++ text leaking
  through, an AttributeError from csoundpp's own code, ...);
- LOST: a command queued on the thread before the case was not executed when a flush returned;
- STUCK: after the call, the object no longer answers (a flush timed out, status() raised).

Every failed case is printed as "FAIL kind state target.method args" with the child's output;
the last line is "DONE cases=N failures=F". Exit status 1 when anything failed.

States (the Csound's, and what a PerformanceThread is in each):

=============  ========================================  =========================================
state          Csound (target "cs")                      PerformanceThread (target "pt")
=============  ========================================  =========================================
fresh          created, options set, nothing compiled    none can exist: only the constructor
                                                         (target "new") is fuzzed
compiled       orchestra compiled, score read            constructed over it (it starts it),
                                                         never played
started        compiled and started                      constructed over it, never played
playing        driven by a playing thread                playing
paused         driven by a thread played, then paused    played, then paused
ended          its thread was stopped and joined         stopped and joined
score-ended    its thread ended at the end of the score  ended at the end of the score, not
               (status > 0), not joined                  joined
failed         its thread ended with an error            ended with an error (exitnow: status
               (exitnow), not joined                     < 0), not joined
destroyed      destroy()ed                               joined, then its Csound destroy()ed
=============  ========================================  =========================================

Target "new" calls PerformanceThread(cs_in_that_state, *hostile) and PerformanceThread(*hostile).
"""
from __future__ import annotations

import argparse
import os
import random
import select
import signal
import sys
import tempfile
import time
import traceback

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no BLAS thread pool in the forking driver
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import csoundpp  # noqa: E402
from csoundpp import Csound, PerformanceThread  # noqa: E402

BOUND = 15.0  # one call
LIMIT = 60.0  # one child: build + call + checks + interpreter exit
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
instr 9
  exitnow
endin
"""
STATES = ["fresh", "compiled", "started", "playing", "paused", "ended", "score-ended", "failed", "destroyed"]
TARGETS = ["cs", "pt", "new"]

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
        2**31 - 1, 2**32, -(2**63), 1 << 100, "\udcff", "i", "e", -1.5, 1e-300, [[1, 0, 1]], np.zeros((1_000_000, 3)),
    ]


def methods_of(cls) -> list[str]:
    seen = {}
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        attr = getattr(cls, name, None)
        if not callable(attr) or isinstance(attr, type):
            continue
        key = id(attr)
        if key not in seen:  # aliases are the same object: call the canonical spelling once
            seen[key] = name
    return sorted(seen.values())


def targets_in(state: str) -> list[str]:
    return ["cs", "new"] if state == "fresh" else TARGETS


def cases(states, targets, per_method: int, seed: int, only):
    """Yields (state, target, method, value indexes), deterministically."""
    names = {"cs": methods_of(Csound), "pt": methods_of(PerformanceThread), "new": ["PerformanceThread"]}
    for state in states:
        rng = random.Random(f"{seed}-{state}")
        for target in targets_in(state):
            if target not in targets:
                continue
            for m in names[target]:
                if (only and m not in only) or m in SKIP:
                    continue
                for _ in range(per_method):
                    arity = rng.choice([0, 1, 1, 2, 2, 3, 4])
                    yield state, target, m, [rng.randrange(10_000) for _ in range(arity)]


# ---------------------------------------------------------------- the child


def wait_for(cond, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)
    return True


def build(state: str, target: str):
    """The Csound (and thread) in `state`. Returns (cs, pt, mark): mark is a list a command
    queued on a live pt before the case appends to when it runs (checked afterwards)."""
    cs = Csound()
    cs.setOption("-n -d -m0")
    if state == "fresh":
        return cs, None, None
    if state == "destroyed" and target != "pt":
        cs.destroy()
        return cs, None, None
    assert cs.compileOrc(ORC) == 0
    score = {"score-ended": "f0 0.05\n", "failed": "i 9 0.02 1\nf0 3600\n"}.get(state, "f 1 0 1024 10 1\nf0 3600\n")
    assert cs.readScore(score) == 0
    if state == "compiled" and target != "pt":
        return cs, None, None
    if not (state == "compiled" and target == "pt"):  # else the thread's constructor starts it
        assert cs.start() == 0
    if state == "started" and target != "pt":
        return cs, None, None
    pt = PerformanceThread(cs)
    if state in ("playing", "paused", "ended", "score-ended", "failed", "destroyed"):
        pt.play()
    if state == "paused":
        pt.pause()
        pt.flushMessageQueue(10)
    elif state in ("ended", "destroyed"):
        pt.stop()
        pt.join(10)
        if state == "destroyed":
            cs.destroy()
    elif state in ("score-ended", "failed"):
        assert wait_for(lambda: pt.status() != 0, 10), "the performance did not end"
        assert (pt.status() > 0) == (state == "score-ended"), pt.status()
    mark = None
    if pt.status() == 0:  # a live thread: a command it accepted must not be lost by the case
        mark = []
        pt.requestCallback(lambda c: mark.append(1))
    return cs, pt, mark


# Exceptions that tell the user what went wrong. Anything else (and any message that leaks C++
# or pybind11 internals) is UNCLEAR.
CLEAR = (TypeError, ValueError, OverflowError, MemoryError, LookupError, OSError, TimeoutError,
         csoundpp.CsoundError, NotImplementedError, BufferError)
CPP_TEXT = ("std::", "basic_string", "vector::", "_M_", "Unable to cast", "unknown C++", "bad_alloc",
            "returned a result with an exception set", "returned NULL without setting")


def unclear(e: BaseException) -> str | None:
    tb = traceback.extract_tb(e.__traceback__)
    if tb and tb[-1].name == "<lambda>" and tb[-1].filename == __file__:
        return None  # raised by a hostile callable itself and passed on: fine
    text = f"{type(e).__name__}: {e}"
    if any(s in text for s in CPP_TEXT):
        return text
    if isinstance(e, CLEAR):
        return None
    if isinstance(e, RuntimeError) and type(e) is not RuntimeError:
        return text  # RecursionError, NotImplementedError handled above
    if isinstance(e, RuntimeError):
        return None  # csoundpp's own RuntimeErrors say what happened (checked for C++ text above)
    return text + "\n" + "".join(traceback.format_exception(e)[-6:])


def child(state: str, target: str, m: str, args: list, values) -> int:
    cs, pt, mark = build(state, target)
    t0 = time.monotonic()
    try:
        if target == "new":
            if args and len(args) % 2:
                r = PerformanceThread(*args)
            else:
                r = PerformanceThread(cs, *args)
            r.stop()
        else:
            obj = cs if target == "cs" else pt
            fn = getattr(obj, m)
            r = fn(*args)
        if hasattr(r, "__iter__") and not isinstance(r, (str, bytes, dict)):
            try:
                for _ in zip(range(100), r):
                    pass
            except Exception:
                pass
        del r
    except BaseException as e:  # noqa: BLE001 - a clear Python exception is an acceptable outcome
        if isinstance(e, (SystemExit, KeyboardInterrupt)):
            print(f"UNCLEAR {type(e).__name__} escaped", flush=True)
            return 4
        why = unclear(e)
        if why:
            print(f"UNCLEAR {why}", flush=True)
            return 4
    dt = time.monotonic() - t0
    if dt > BOUND:
        print(f"HANG the call took {dt:.1f} s", flush=True)
        return 3
    # The object still answers, and nothing accepted before the case was lost.
    try:
        if pt is not None:
            pt.status()
            pt.isRunning()
            pt.flushMessageQueue(20)
            # (a case may legitimately end the performance first: its queue is then discarded)
            if mark is not None and not mark and pt.status() == 0:
                print("LOST a command queued before the case had not run when flushMessageQueue returned", flush=True)
                return 5
        repr(cs)
        cs.destroyed  # noqa: B018
    except TimeoutError as e:
        print(f"STUCK {e}", flush=True)
        return 6
    except Exception as e:  # noqa: BLE001
        if unclear(e):
            print(f"STUCK {type(e).__name__}: {e}", flush=True)
            return 6
    return 0


# ---------------------------------------------------------------- the driver


KINDS = {3: "HANG", 4: "UNCLEAR", 5: "LOST", 6: "STUCK", 7: "ERROR"}


def run_case(state, target, m, idx, values, outdir):
    args = [values[j % len(values)] for j in idx]
    out = os.path.join(outdir, "case.out")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: its own output file; leaves through a normal interpreter exit
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        os.setpgid(0, 0)
        rc = 7
        try:
            rc = child(state, target, m, bound_waits(target, m, args), values)
        except BaseException:  # noqa: BLE001 - the state could not be built: reported
            traceback.print_exc()
        sys.stdout.flush()
        raise SystemExit(rc)
    pidfd = os.pidfd_open(pid)
    t0 = time.monotonic()
    ready, _, _ = select.select([pidfd], [], [], LIMIT)
    kind = None
    if not ready:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        kind = f"HANG (child alive after {LIMIT:.0f} s)"
    _, status = os.waitpid(pid, 0)
    os.close(pidfd)
    dt = time.monotonic() - t0
    if kind is None:
        if os.WIFSIGNALED(status):
            kind = f"CRASH ({signal.Signals(os.WTERMSIG(status)).name})"
        elif os.WEXITSTATUS(status) != 0:
            kind = KINDS.get(os.WEXITSTATUS(status), f"exit {os.WEXITSTATUS(status)}")
    text = ""
    if kind:
        with open(out, errors="replace") as f:
            text = f.read()[-3000:]
    return kind, args, text, dt


def bound_waits(target: str, m: str, args: list) -> list:
    # A wait given no timeout, None or a huge one waits as long as asked (Ctrl-C still works):
    # bound it here, the hostile values still go to every other position.
    pos = {"join": 0, "flushMessageQueue": 0, "flushProcessQueue": 0, "evalCode": 2}.get(m)
    if pos is None or target != "pt":
        return args
    args = list(args) + [0.5] * max(0, pos + 1 - len(args))
    t = args[pos]
    if t is None or (isinstance(t, (int, float)) and not isinstance(t, bool) and not t <= 60):
        args[pos] = 0.5
    return args


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("states", help="comma-separated states, or 'all'")
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--methods", default="")
    ap.add_argument("--per-method", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=0, help="run every K-th case only (spread over methods)")
    ap.add_argument("--offset", type=int, default=0, help="with --sample: which of the K")
    a = ap.parse_args()
    states = STATES if a.states == "all" else a.states.split(",")
    for s in states:
        if s not in STATES:
            ap.error(f"unknown state {s!r}; states: {', '.join(STATES)}")
    tmp = tempfile.mkdtemp(prefix="csoundpp-fuzz-")
    os.chdir(tmp)
    values = hostile_values(tmp)
    only = [m for m in a.methods.split(",") if m] or None
    targets = a.targets.split(",")
    n = failures = 0
    counts: dict[str, int] = {}
    t_start = time.monotonic()
    for i, (state, target, m, idx) in enumerate(cases(states, targets, a.per_method, a.seed, only)):
        if a.sample > 1 and i % a.sample != a.offset % a.sample:
            continue
        kind, args, text, dt = run_case(state, target, m, idx, values, tmp)
        n += 1
        counts[f"{state}/{target}"] = counts.get(f"{state}/{target}", 0) + 1
        if kind:
            failures += 1
            shown = [repr(x)[:40] for x in args]
            print(f"FAIL {kind} {state} {target}.{m} {shown} ({dt:.1f} s)\n{text}\n--- end of case", flush=True)
        if n % 500 == 0:
            print(f"... {n} cases, {failures} failures, {time.monotonic() - t_start:.0f} s", flush=True)
    for k in sorted(counts):
        print(f"COUNT {k} {counts[k]}")
    print(f"DONE cases={n} failures={failures} seconds={time.monotonic() - t_start:.0f}", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
