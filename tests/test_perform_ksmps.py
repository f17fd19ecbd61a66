"""performKsmps: the k-cycle loop's fast method behaves exactly like the checked binding."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import csoundpp
from conftest import CSOUND7, ORC


def started(score: str = "i1 0 100 0.5 440\n") -> csoundpp.Csound:
    cs = csoundpp.Csound()
    for o in ("-n", "-d", "-m0"):
        cs.setOption(o)
    assert cs.compileOrc(ORC) == 0
    assert cs.start() == 0
    cs.readScore(score)
    return cs


def test_loop_renders_and_returns_non_zero_at_the_end():
    cs = started()
    spout = cs.spout()
    peak = 0.0
    for _ in range(200):
        assert cs.performKsmps() == 0
        peak = max(peak, float(np.abs(spout).max()))
    assert peak == pytest.approx(0.5, abs=1e-3)
    del spout
    cs.readScore("e\n")
    for _ in range(100_000):
        if cs.performKsmps() != 0:
            break
    else:
        raise AssertionError("the score did not end")
    cs.destroy()


def test_every_spelling_is_the_same_method():
    assert csoundpp.Csound.perform_ksmps is csoundpp.Csound.performKsmps
    with pytest.raises(TypeError):
        csoundpp.Csound().performKsmps(1)


def test_errors_are_the_checked_bindings():
    cs = csoundpp.Csound()
    with pytest.raises(csoundpp.StateError, match="before anything was compiled"):
        cs.performKsmps()
    cs.destroy()
    with pytest.raises(csoundpp.StateError, match="destroyed"):
        cs.performKsmps()


def test_starts_a_compiled_instance_like_the_checked_binding():
    cs = csoundpp.Csound()
    for o in ("-n", "-d", "-m0"):
        cs.setOption(o)
    assert cs.compileOrc(ORC) == 0
    assert cs.performKsmps() == 0  # declined by the fast path, started by the checked one
    assert cs.performKsmps() == 0  # the fast path from now on
    cs.destroy()


def test_refused_while_a_performance_thread_drives_it_and_after_it_ended():
    cs = started("f0 10\n")
    pt = csoundpp.PerformanceThread(cs)
    with pytest.raises(csoundpp.StateError, match="performance thread"):
        cs.performKsmps()
    pt.stop()
    pt.join()
    with pytest.raises(csoundpp.StateError, match="call reset"):
        cs.performKsmps()
    cs.reset()
    cs.destroy()


def test_refused_after_cleanup_and_after_exitnow():
    cs = started()
    assert cs.performKsmps() == 0
    cs.cleanup()
    # Csound 7 has no csoundCleanup: cleanup() resets the instance (README, Csound 7)
    with pytest.raises(csoundpp.StateError, match="before anything was compiled" if CSOUND7 else "after cleanup"):
        cs.performKsmps()
    cs.destroy()
    cs = csoundpp.Csound()
    for o in ("-n", "-d", "-m0"):
        cs.setOption(o)
    assert cs.compileOrc("instr 1\nexitnow\nendin\n") == 0
    assert cs.start() == 0
    cs.readScore("i1 0 1\n")
    assert cs.performKsmps() != 0  # exitnow ends the k-cycle
    with pytest.raises(csoundpp.StateError, match="exitnow"):
        cs.performKsmps()
    cs.destroy()


def test_refused_from_inside_its_own_performance():
    # A callback that runs during a k-cycle calling performKsmps re-enters the instance:
    # the fast path must refuse it as the checked binding does.
    cs = started("i1 0 100 0.5 440\ni2 0 100\n")
    seen = []

    def on_out(csound, name, value_ptr, chan_type):  # this form runs on the performing thread
        try:
            cs.performKsmps()
            seen.append("performed")
        except csoundpp.StateError as e:
            seen.append(str(e))

    cs.setOutputChannelCallback(on_out)
    cs.compileOrc("instr 2\noutvalue \"x\", 1\nendin\n")
    for _ in range(5):
        assert cs.performKsmps() == 0
    assert seen and all("while another perform call runs" in s for s in seen), seen
    cs.destroy()


LONG_KCYCLE_ORC = """sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1  ; one k-cycle of busy work (0.2-0.5 s)
  kn = 0
  while kn < 10000000 do
    kn += 1
  od
endin
"""


def test_releases_the_gil_when_other_python_threads_exist():
    cs = csoundpp.Csound()
    for o in ("-n", "-d", "-m0"):
        cs.setOption(o)
    assert cs.compileOrc(LONG_KCYCLE_ORC) == 0 and cs.start() == 0
    cs.readScore("i1 0 10\n")
    assert cs.performKsmps() == 0  # the instrument is running: every k-cycle now loops
    stamps: list = []
    stop = threading.Event()
    running = threading.Event()

    def spin():
        running.set()
        while not stop.is_set():
            stamps.append(time.perf_counter())

    t = threading.Thread(target=spin)
    t.start()
    try:
        assert running.wait(5)
        t0 = time.perf_counter()
        assert cs.performKsmps() == 0  # one call, one long k-cycle
        t1 = time.perf_counter()
    finally:
        stop.set()
        t.join()
        cs.destroy()
    # Around the call the spinner may hold the GIL for a switch interval (5 ms, more on a loaded
    # machine) before the call starts and after it returns; inside a call that kept the GIL it
    # could not run at all. So look at the middle of the call only.
    span = t1 - t0
    assert span > 0.05, span  # the k-cycle was long enough to tell
    lo, hi = t0 + 0.3 * span, t1 - 0.3 * span
    assert sum(lo < x < hi for x in stamps) > 100  # the other thread ran while the k-cycle did


def test_the_only_thread_performs_with_synchronous_python_callbacks():
    """Alone in its interpreter, performKsmps keeps the GIL (nothing else can want it) and the
    performing thread's own Python callbacks still run (a fresh interpreter: pytest's timeout
    thread would otherwise be a second thread)."""
    code = textwrap.dedent("""
        import threading, csoundpp
        cs = csoundpp.Csound()
        for o in ("-n", "-d", "-m0"):
            cs.setOption(o)
        asked = []
        cs.setInputChannelCallback(lambda name: (asked.append(threading.get_ident()), 41.0)[1])
        assert cs.compileOrc('instr 1\\n  kv invalue "knob"\\n  chnset kv + 1, "out"\\nendin\\n') == 0
        assert cs.start() == 0
        cs.readScore("i1 0 1\\n")
        assert threading.active_count() == 1
        for _ in range(10):
            assert cs.performKsmps() == 0
        assert asked and set(asked) == {threading.get_ident()}, asked
        assert cs.controlChannel("out")[0] == 42.0
        cs.destroy()
        print("ok")
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stderr[-2000:]


def test_with_worker_threads_a_callback_from_a_worker_does_not_deadlock():
    """-j 2: Csound's worker threads may run invalue, and so the Python callback, while the k-cycle
    waits for them: performKsmps then releases the GIL even as the only Python thread."""
    code = f"CSOUND7 = {CSOUND7}\n" + textwrap.dedent("""
        import threading, csoundpp
        cs = csoundpp.Csound()
        for o in ("-n", "-d", "-m0", "-j2"):
            cs.setOption(o)
        threads = set()
        cs.setInputChannelCallback(lambda name: (threads.add(threading.get_ident()), 1.0)[1])
        orc = 'instr 1\\n  kv invalue "knob"\\n  a1 oscili 0.01 * kv, 220 + p4\\n  outs a1, a1\\nendin\\n'
        assert cs.compileOrc(orc) == 0 and cs.start() == 0
        cs.readScore("".join(f"i1 0 1 {k}\\n" for k in range(16)))
        assert threading.active_count() == 1
        for _ in range(200):
            assert cs.performKsmps() == 0
        assert threads
        if CSOUND7:
            # Csound 7: csoundpp does not yet end the -j N workers before csoundDestroy (README,
            # "Failure modes"); a worker can crash the process later. Not what this test is about.
            print("ok", len(threads), flush=True)
            import os
            os._exit(0)
        cs.destroy()  # ends libcsound's worker threads first (tests/test_worker_threads.py)
        print("ok", len(threads), flush=True)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "ok" in r.stdout, r.stderr[-2000:]
