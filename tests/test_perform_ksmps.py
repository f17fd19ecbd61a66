"""performKsmps: the k-cycle loop's fast method behaves exactly like the checked binding."""
from __future__ import annotations

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
