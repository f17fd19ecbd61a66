"""-j N: libcsound's k-cycle worker threads end before the instance is reset or destroyed.

libcsound 6.18 never tells its worker threads to leave in csoundReset/csoundDestroy (only the end
of a csoundPerform does); a worker that had not yet gone back to its barrier then reads the reset
or freed struct and calls pthread_barrier_wait(NULL), killing the process some time after the
destroy (20-40 % of such processes before the fix). csoundpp ends and joins them first
(cpp/src/worker_threads.cpp). Each case runs in a fresh interpreter: the crash comes after the
destroy, and pytest's own threads must not count."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import CSOUND7

pytestmark = pytest.mark.skipif(
    CSOUND7, reason="Csound 7: csoundpp knows no verified layout of its worker-thread fields yet "
    "(README, Failure modes)")

CHILD = textwrap.dedent("""
    import os, sys, time, csoundpp

    def threads():
        return len(os.listdir("/proc/self/task"))

    def performing(k):
        cs = csoundpp.Csound()
        for o in ("-n", "-d", "-m0", "-j2"):
            cs.setOption(o)
        orc = 'instr 1\\n  a1 oscili 0.01, 220 + p4\\n  outs a1, a1\\nendin\\n'
        assert cs.compileOrc(orc) == 0 and cs.start() == 0
        cs.readScore("".join(f"i1 0 1 {n}\\n" for n in range(8)))
        for _ in range(k):
            assert cs.performKsmps() == 0
        return cs

    base = threads()
    mode = sys.argv[1]
    if mode == "destroy":
        cs = performing(50)
        assert threads() > base  # the worker
        cs.destroy()
    elif mode == "reset":
        cs = performing(50)
        cs.reset()
        assert threads() == base, (threads(), base)
        cs.destroy()
    elif mode == "reuse":  # reset, then a second -j 2 performance on the same instance
        cs = performing(20)
        cs.reset()
        for o in ("-n", "-d", "-m0", "-j2"):
            cs.setOption(o)
        assert cs.compileOrc('instr 1\\n  a1 oscili 0.01, 330\\n  outs a1, a1\\nendin\\n') == 0
        assert cs.start() == 0
        cs.readScore("i1 0 1\\ni1 0 1\\n")
        for _ in range(20):
            assert cs.performKsmps() == 0
        cs.destroy()
    elif mode in ("perform", "thread"):  # csoundPerform (its workers leave at the end) / a thread
        cs = csoundpp.Csound()
        for o in ("-n", "-d", "-m0", "-j2"):
            cs.setOption(o)
        assert cs.compileOrc('instr 1\\n  a1 oscili 0.01, 220\\n  outs a1, a1\\nendin\\n') == 0
        assert cs.start() == 0
        cs.readScore("i1 0 0.1\\ni1 0 0.1\\ne 0.2\\n")
        if mode == "perform":
            assert cs.perform() != 0
        else:
            pt = csoundpp.PerformanceThread(cs)
            pt.play()
            pt.join()
        cs.destroy()
    elif mode == "unstarted":  # compiled with -j 2, never started: no workers to end
        cs = csoundpp.Csound()
        for o in ("-n", "-d", "-m0", "-j2"):
            cs.setOption(o)
        assert cs.compileOrc('instr 1\\nendin\\n') == 0
        cs.destroy()
    assert threads() == base, (threads(), base)  # no worker left behind
    time.sleep(0.2)  # live on: a stray worker would crash the process now
    print("ok", flush=True)
""")


def run_children(mode: str, n: int, parallel: int = 2) -> list[subprocess.CompletedProcess]:
    done = []
    for first in range(0, n, parallel):
        procs = [subprocess.Popen([sys.executable, "-c", CHILD, mode], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for _ in range(min(parallel, n - first))]
        for p in procs:
            out, err = p.communicate(timeout=60)
            done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


def failures(done: list[subprocess.CompletedProcess]) -> list[str]:
    return [f"exit {r.returncode}: {r.stderr[-600:]}" for r in done
            if r.returncode != 0 or not r.stdout.strip().endswith("ok")]


def test_destroy_after_a_j2_performance_never_crashes_the_process_later():
    """30 processes: create, -j 2 k-cycles, destroy, live on 200 ms. Before the fix 20-40 % died."""
    bad = failures(run_children("destroy", 30))
    assert not bad, f"{len(bad)} of 30 crashed or failed: {bad[:3]}"


@pytest.mark.parametrize("mode", ["reset", "reuse", "perform", "thread", "unstarted"])
def test_reset_and_reuse_end_the_workers_too(mode):
    bad = failures(run_children(mode, 6))
    assert not bad, f"{len(bad)} of 6 crashed or failed: {bad[:3]}"
