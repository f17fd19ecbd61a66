"""PerformanceThread: behaviour of the native performance thread (issue 3)."""
from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import weakref

import numpy as np
import pytest

import csoundpp

SR = 48000
KSMPS = 32

ORC = textwrap.dedent(
    f"""
    sr = {SR}
    ksmps = {KSMPS}
    nchnls = 1
    0dbfs = 1
    giCount init 0

    instr 1            ; counts its instances
      giCount = giCount + 1
      chnset giCount, "count"
    endin

    instr 2            ; remembers the score time it started at and its p4
      chnset times:i(), "start"
      chnset p4, "p4"
      chnset p(p3 > 0 ? 3 : 3), "p3"
    endin

    instr 3            ; a click of one sample of value p4 at its first sample
      aout init 0
      if timeinstk() == 1 then
        aout = 0
        aout[0] = p4
      else
        aout = 0
      endif
      out aout
    endin

    instr 4            ; sums all its p-fields after p3 into "sum"
      isum = 0
      indx = 4
      while indx <= pcount() do
        isum += p(indx)
        indx += 1
      od
      chnset isum, "sum"
      chnset pcount(), "npf"
    endin
    """
)


def make_csound(score: str = "f0 3600", orc: str = ORC) -> csoundpp.Csound:
    cs = csoundpp.Csound()
    cs.setOption("-n")
    cs.setOption("-d")
    cs.setOption("-m0")
    assert cs.compileOrc(orc) == 0
    assert cs.readScore(score) == 0
    assert cs.start() == 0
    return cs


def chan(cs: csoundpp.Csound, name: str) -> float:
    value, err = cs.controlChannel(name)
    return value


def wait_for(pred, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.001)
    return pred()


def settle(pt, cycles: int = 4) -> None:
    """Let a playing thread render a few more k-cycles (events start at a boundary)."""
    c = pt.cycles
    assert wait_for(lambda: pt.cycles >= c + cycles or not pt.isRunning())


@pytest.fixture
def cs():
    c = make_csound()
    yield c


@pytest.fixture
def pt(cs):
    t = csoundpp.PerformanceThread(cs)
    yield t
    t.stop()
    t.join(timeout=20)


# ------------------------------------------------------------------ construction


def test_three_ways_to_construct_and_it_keeps_its_csound_alive():
    cs = make_csound()
    a = csoundpp.PerformanceThread(cs)
    assert a.csound is cs
    assert a.csoundPtr() == cs.csound()
    a.stop()
    a.join()

    b = csoundpp.CsoundPerformanceThread(cs.csound())  # raw pointer, as ctcsound
    assert isinstance(b, csoundpp.PerformanceThread)
    assert b.csound() == cs.csound()  # ctcsound: csound() returns the pointer
    b.stop()
    b.join()

    c = cs.performanceThread()
    assert cs.performanceThread() is c  # one per instance ...
    assert cs.performance_thread() is c
    with pytest.raises(csoundpp.StateError):
        csoundpp.PerformanceThread(cs)  # ... and no second driver
    c.stop()
    c.join()
    d = cs.performanceThread()  # a new one after join
    assert d is not c
    d.stop()
    d.join()

    ref = weakref.ref(cs)
    e = csoundpp.PerformanceThread(cs)
    del cs
    gc.collect()
    assert e.csound is not None and e.csound.csound() == e.csoundPtr()
    e.stop()
    e.join()
    del e
    gc.collect()
    assert ref() is None  # released with the thread


def test_starts_paused_and_paused_renders_nothing(pt, cs):
    assert pt.isRunning() and pt.is_running()
    assert pt.status() == 0
    assert pt.paused
    pt.flushMessageQueue()
    time.sleep(0.05)
    assert pt.cycles == 0
    assert cs.scoreTime() == 0.0
    pt.play()
    pt.flushMessageQueue()
    assert wait_for(lambda: cs.scoreTime() > 0.1)
    pt.pause()
    pt.flushMessageQueue()
    t1, c1 = cs.scoreTime(), pt.cycles
    time.sleep(0.1)
    assert cs.scoreTime() == t1 and pt.cycles == c1  # score time frozen
    pt.togglePause()
    pt.flushMessageQueue()
    assert wait_for(lambda: cs.scoreTime() > t1)
    pt.toggle_pause()
    pt.flush_message_queue()
    assert pt.paused


def test_with_block_plays_then_stops_and_joins(cs):
    with cs.performanceThread() as pt:
        assert wait_for(lambda: pt.cycles > 10)
    assert not pt.isRunning()
    assert pt.status() > 0


# ------------------------------------------------------------------ commands


def test_events_sent_while_paused_are_performed_after_play(pt, cs):
    pt.scoreEvent(0, "i", [2, 0.5, 0.1, 7])
    pt.flushMessageQueue()
    time.sleep(0.05)
    assert chan(cs, "p4") == 0  # nothing happens while paused
    pt.play()
    assert wait_for(lambda: chan(cs, "p4") == 7)
    assert chan(cs, "start") == pytest.approx(0.5, abs=1.0 / (SR / KSMPS))


def test_event_timing_in_samples(tmp_path):
    """An absolute event at 1.0 s makes its click exactly at sample 48000."""
    cs = make_csound("f0 3600")
    pt = csoundpp.PerformanceThread(cs)
    path = tmp_path / "click.wav"
    pt.record(str(path), 32)
    pt.scoreEvent(1, "i", np.array([3, 1.0, 0.01, 0.5]))
    pt.scoreEvent(True, "i", [3, 1.5, 0.01, 0.25])
    pt.setEndMarker(2.0, absolute=True)
    pt.play()
    assert pt.join(timeout=30) > 0
    data = read_wav(path)
    nz = np.flatnonzero(data[:, 0])
    assert list(nz) == [48000, 72000]
    assert data[48000, 0] == pytest.approx(0.5)
    assert data[72000, 0] == pytest.approx(0.25)
    assert len(data) == 96000  # the end marker at exactly 2 s


def test_any_number_of_pfields_list_and_numpy(pt, cs):
    pt.play()
    pfields = np.arange(1.0, 301.0)
    pfields[0], pfields[1], pfields[2] = 4, 0, 0
    pt.scoreEvent(0, "i", pfields)
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "npf") == 300
    assert chan(cs, "sum") == pytest.approx(sum(range(4, 301)))
    pt.score_event(absp2mode=0, opcod="i", pFields=[4, 0, 0, 1, 2, 3, 4, 5])  # seed 002 keywords
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "sum") == 15
    with pytest.raises(ValueError):
        pt.scoreEvent(0, "ii", [1, 0, 0])
    with pytest.raises(TypeError):
        pt.scoreEvent(0, "i", "1 0 0")


BATCH_ORC = ORC + textwrap.dedent(
    """
    giK ftgen 90, 0, 65536, -2, 0
    instr 5            ; writes the k-cycle it starts in (1 + timek) at index p4 of table 90
      ik timek
      tableiw ik + 1, p4, 90
    endin
    instr 6            ; writes its pcount at index p4 of table 90
      tableiw pcount(), p4, 90
    endin
    """
)


def started_cycles(cs, n):
    """k-cycle each instr-5 event started in (its p4 indexes table 90), -1 if it never ran."""
    return cs.table(90)[:n].copy() - 1


def test_an_event_queued_before_a_boundary_starts_in_the_next_k_cycle():
    cs = make_csound(orc=BATCH_ORC)
    pt = csoundpp.PerformanceThread(cs)
    pt.play()
    settle(pt)
    for i in range(20):
        pt.pause()
        pt.flushMessageQueue()
        k = cs.currentTimeSamples() // KSMPS  # frozen while paused
        pt.scoreEvent(0, "i", [5, 0, 0, i])
        pt.play()
        pt.flushMessageQueue()
        settle(pt, 2)
        assert started_cycles(cs, i + 1)[i] == k  # no k-cycle between the boundary and the event
    pt.stop()
    pt.join()


def test_score_events_batch_exact_count_any_input_form():
    cs = make_csound()
    pt = csoundpp.PerformanceThread(cs)
    arr = np.tile(np.array([1.0, 0.0, 0.0]), (3000, 1))
    pt.scoreEvents(0, "i", arr)                                     # float64 C-contiguous, read in place
    pt.score_events(False, "i", [[1, 0, 0]] * 7)                    # list of lists
    pt.scoreEvents(0, "i", np.asfortranarray(np.ones((11, 3)) * [1, 0, 0]))  # converted
    pt.scoreEvents(0, "i", np.array([[1, 0, 0]] * 13, dtype=np.int32))      # converted
    pt.scoreEvents(0, "i", [(1.0, 0.0, 0.0), np.array([1.0, 0.0, 0.0])])    # mixed rows
    pt.scoreEvents(0, "i", np.empty((0, 3)))                        # nothing
    pt.scoreEvents(0, "i", [])                                      # nothing
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "count") == 3000 + 7 + 11 + 13 + 2
    assert pt.commands_executed == 5 + 2  # one command per batch, play, the flush marker
    pt.stop()
    pt.join()


def test_score_events_all_in_one_k_cycle_and_exact_relative_and_absolute_times():
    cs = make_csound(orc=BATCH_ORC)
    pt = csoundpp.PerformanceThread(cs)
    pt.play()
    settle(pt)
    n = 2000  # far more than the 256 commands a boundary executes while playing
    batch = np.zeros((n, 4))
    batch[:, 0] = 5
    batch[:, 3] = np.arange(n)
    pt.scoreEvents(0, "i", batch)
    pt.flushMessageQueue()
    settle(pt)
    k = started_cycles(cs, n)
    assert (k >= 0).all() and (k == k[0]).all()  # the whole batch in one k-cycle

    # relative p2: event i one k-cycle after event i-1, counted from the same boundary
    batch[:, 1] = np.arange(n) * KSMPS / SR
    batch[:, 3] = np.arange(n) + n
    pt.scoreEvents(0, "i", batch)
    pt.flushMessageQueue()
    assert wait_for(lambda: started_cycles(cs, 2 * n)[-1] >= 0)
    k = started_cycles(cs, 2 * n)[n:]
    assert np.array_equal(k - k[0], np.arange(n))

    # absolute p2 (from the start of the performance): exactly the k-cycle asked for
    pt.pause()
    pt.flushMessageQueue()
    now = cs.currentTimeSamples() // KSMPS
    want = now + 10 + 3 * np.arange(100)
    ab = np.zeros((100, 4))
    ab[:, 0] = 5
    ab[:, 1] = want * KSMPS / SR
    ab[:, 3] = 2 * n + np.arange(100)
    pt.scoreEvents(True, "i", ab)
    pt.play()
    pt.flushMessageQueue()
    assert wait_for(lambda: started_cycles(cs, 2 * n + 100)[-1] >= 0)
    assert np.array_equal(started_cycles(cs, 2 * n + 100)[2 * n:], want)
    pt.stop()
    pt.join()


def test_score_events_any_number_of_pfields():
    cs = make_csound(orc=BATCH_ORC)
    pt = csoundpp.PerformanceThread(cs)
    for width in (4, 5, 6, 9, 40):
        b = np.zeros((3, width))
        b[:, 0] = 6
        b[:, 3] = np.arange(3) + 3 * width
        pt.scoreEvents(0, "i", b)
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    t = cs.table(90)
    for width in (4, 5, 6, 9, 40):
        assert list(t[3 * width:3 * width + 3]) == [width] * 3
    pt.stop()
    pt.join()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_score_events_rejects_non_finite_values_before_queueing_anything(pt, cs, bad):
    arr = np.tile(np.array([1.0, 0.0, 0.0]), (500, 1))
    arr[499, 2] = bad
    with pytest.raises(ValueError, match="event 499, p-field 3"):
        pt.scoreEvents(0, "i", arr)
    rows = [[1, 0, 0]] * 10 + [[1, 0, bad]]
    with pytest.raises(ValueError, match="event 10"):
        pt.scoreEvents(0, "i", rows)
    for wrong, exc in ((np.zeros(3), ValueError), (np.zeros((2, 2, 2)), ValueError), ("i 1 0 0", TypeError),
                       ([[1, 0], [1]], ValueError), ([[1, "x"]], TypeError), (np.zeros((3, 0)), ValueError),
                       (None, TypeError), (5, TypeError)):
        with pytest.raises(exc):
            pt.scoreEvents(0, "i", wrong)
    with pytest.raises(ValueError):
        pt.scoreEvents(0, "ii", [[1, 0, 0]])
    with pytest.raises(ValueError):
        pt.scoreEvents(0, "Z", [[1, 0, 0]])
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "count") == 0
    assert pt.commands_executed == 2  # play and the flush marker: nothing else was queued


def test_score_events_full_queue_raises_with_nothing_queued(cs):
    pt = csoundpp.PerformanceThread(cs, capacity=8)
    release = threading.Event()
    inside = threading.Event()
    pt.requestCallback(lambda c: (inside.set(), release.wait(10)))  # holds the thread at a boundary
    assert inside.wait(10)
    for _ in range(8):
        pt.scoreEvent(0, "i", [1, 0, 0])
    batch = np.tile(np.array([1.0, 0.0, 0.0]), (1000, 1))
    with pytest.raises(csoundpp.QueueFullError):
        pt.scoreEvents(0, "i", batch)
    release.set()
    pt.flushMessageQueue(timeout=10)
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "count") == 8  # the batch left no trace
    pt.scoreEvents(0, "i", batch)  # room again: accepted whole
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "count") == 1008
    pt.stop()
    pt.join()


def test_score_events_refuses_a_batch_too_large_for_one_boundary(cs):
    # libcsound's insertion cost grows with the square of a batch run at one boundary;
    # the queue bounds the work it holds (C++ tests cover QueueFullError at the bound)
    pt = csoundpp.PerformanceThread(cs)
    with pytest.raises(ValueError, match="too large for one k-cycle boundary"):
        pt.scoreEvents(0, "i", np.tile(np.array([1.0, 0.0, 0.0]), (65536, 1)))
    pt.play()
    pt.scoreEvents(0, "i", np.tile(np.array([1.0, 0.0, 0.0]), (1000, 1)))  # still usable
    pt.flushMessageQueue(timeout=10)
    settle(pt)
    assert chan(cs, "count") == 1000
    pt.stop()
    pt.join()


def test_score_events_from_eight_threads_exact_count():
    cs = make_csound()
    pt = csoundpp.PerformanceThread(cs)
    pt.play()
    batch = np.tile(np.array([1.0, 0.0, 0.0]), (100, 1))
    errors = []

    def producer():
        try:
            for _ in range(50):
                pt.scoreEvents(0, "i", batch)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=producer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "count") == 8 * 50 * 100
    pt.stop()
    pt.join()


def test_score_events_costs_far_less_per_event_than_score_event(pt):
    pt.play()
    n = 5000
    arr = np.tile(np.array([1.0, 0.0, 0.0]), (n, 1))
    pf = [1.0, 0.0, 0.0]

    def per_call():
        t0 = time.perf_counter()
        for _ in range(n):
            pt.scoreEvent(0, "i", pf)
        return time.perf_counter() - t0

    def batch():
        t0 = time.perf_counter()
        pt.scoreEvents(0, "i", arr)
        return time.perf_counter() - t0

    calls, batches = [], []
    for _ in range(3):
        calls.append(per_call())
        pt.flushMessageQueue()
        batches.append(batch())
        pt.flushMessageQueue()
    # one batch command against n commands: typically ~50x here, asserted with margin for load
    assert min(batches) * 5 < min(calls)


def test_input_message_of_any_length(pt, cs):
    pt.play()
    text = "i 1 0 0\n" * 3000  # 24 kB of score text in one message
    pt.inputMessage(text)
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "count") == 3000
    pt.input_message("i 4 0 0 " + " ".join(["1"] * 1000))
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "sum") == 1000


def test_set_score_offset_seconds(pt, cs):
    # Free-running, the thread renders ~1000 s of score per second of wall time, so
    # any score time read from this thread after a wait is arbitrary. The score time
    # is observed on the performance thread itself, before every k-cycle; the
    # commands are queued while paused, so they run at one boundary.
    before_cycle = []
    pt.setScoreOffsetSeconds(10.0)
    pt.setProcessCallback(lambda _: before_cycle.append(cs.scoreTime()))
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    kc = KSMPS / SR
    # 0 before the first cycle; the jump is done in the first one
    assert before_cycle[:3] == [0.0, pytest.approx(10.0 + kc), pytest.approx(10.0 + 2 * kc)]

    pt.pause()
    pt.flushMessageQueue()
    assert cs.scoreTime() > 10.0
    after = []
    pt.set_score_offset_seconds(2.0)  # backwards: libcsound rewinds, then seeks to 2 s
    pt.setProcessCallback(lambda _: after.append(cs.scoreTime()))
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    assert after[:3] == [0.0, pytest.approx(2.0 + kc), pytest.approx(2.0 + 2 * kc)]
    assert np.allclose(np.diff(after[1:]), kc)  # then plain k-cycles from 2 s on


def test_set_end_marker_ends_the_performance(cs):
    pt = csoundpp.PerformanceThread(cs)
    pt.setEndMarker(0.25)
    pt.play()
    assert pt.join(timeout=20) > 0
    assert cs.scoreTime() == pytest.approx(0.25, abs=2 * KSMPS / SR)


def test_compile_orc_merges_in_order_and_parse_errors_raise(pt, cs):
    pt.play()
    pt.compileOrc('instr 20\n chnset 42, "new"\nendin\n')
    pt.scoreEvent(0, "i", [20, 0, 0])  # right after: the instrument exists by then
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "new") == 42
    with pytest.raises(csoundpp.CompileError) as info:
        pt.compile_orc("instr 21\n this is not csound\nendin\n")
    assert "error" in str(info.value).lower()


def test_eval_code_blocking_callback_and_timeout(pt, cs):
    pt.play()
    assert pt.evalCode("return 6 * 7") == 42.0
    got = []
    done = threading.Event()

    def cb(v):
        got.append(v)
        done.set()

    assert pt.eval_code("return 5", callback=cb) == 0.0
    assert done.wait(10)
    assert got == [5.0]
    pt.pause()
    blocker = threading.Event()
    pt.requestCallback(lambda c: blocker.wait(10))
    t0 = time.monotonic()
    with pytest.raises(csoundpp.TimeoutError):
        pt.evalCode("return 1", timeout=0.2)
    assert time.monotonic() - t0 < 2
    with pytest.raises(TimeoutError):  # also the builtin
        pt.evalCode("return 1", timeout=0.05)
    blocker.set()
    pt.flushMessageQueue()


def test_request_callback_and_process_queue(pt, cs):
    seen = []
    pt.requestCallback(lambda c: seen.append((c, threading.get_ident())))
    pt.flushMessageQueue()
    assert len(seen) == 1 and seen[0][0] is cs
    assert seen[0][1] != threading.get_ident()  # ran on the performance thread

    with pytest.raises(csoundpp.StateError):
        pt.processQueueTask(lambda c: None)
    pt.setProcessQueue()
    results = []
    for i in range(50):
        pt.processQueueTask(lambda c, i=i: results.append(i))
    pt.flushProcessQueue(timeout=10)
    assert results == list(range(50))
    pt.process_queue_task(lambda c: results.append(c.evalCode("return 99")))
    pt.flush_process_queue()
    assert results[-1] == 99.0


def test_process_callback_each_cycle_with_data(pt, cs):
    calls = []
    data = {"tag": 1}

    def cb(d):
        calls.append(d)

    pt.setProcessCallback(cb, data)
    assert pt.processCallback() is cb
    assert pt.processCB() is cb
    pt.flushMessageQueue()
    pt.play()
    pt.flushMessageQueue()
    settle(pt, 20)
    pt.pause()
    pt.flushMessageQueue()
    n = len(calls)
    assert n >= 20 and all(d is data for d in calls)
    assert n == pt.cycles  # once per k-cycle, and not while paused
    pt.setProcessCB(None, None)
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    assert len(calls) == n
    assert pt.process_cb() is None


def test_callbacks_are_kept_alive_by_the_thread(pt, cs):
    hits = []

    class Callable:
        def __call__(self, data):
            hits.append(1)

    obj = Callable()
    ref = weakref.ref(obj)
    pt.set_process_cb(obj, None)  # ctcsound's process callback was collected and segfaulted
    del obj
    gc.collect()
    assert ref() is not None
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    assert hits
    pt.setProcessCallback(None)
    pt.flushMessageQueue()
    pt.stop()
    pt.join()
    del pt
    gc.collect()
    assert wait_for(lambda: (gc.collect(), ref() is None)[1])


def test_callback_exceptions_go_to_unraisablehook(pt):
    caught = []
    old = sys.unraisablehook
    sys.unraisablehook = lambda u: caught.append(u.exc_value)
    try:
        def bad(c):
            raise ValueError("boom")

        pt.requestCallback(bad)
        pt.flushMessageQueue()
        pt.play()
        pt.setProcessCallback(lambda d: 1 / 0)
        pt.flushMessageQueue()
        settle(pt)
        pt.setProcessCallback(None)
        pt.flushMessageQueue()
    finally:
        sys.unraisablehook = old
    assert any(isinstance(e, ValueError) for e in caught)
    assert any(isinstance(e, ZeroDivisionError) for e in caught)
    assert pt.isRunning()  # the performance survived


# ------------------------------------------------------------------ queue


def test_eight_producers_ten_thousand_events_each_exact_count():
    cs = make_csound()
    pt = csoundpp.PerformanceThread(cs, capacity=1 << 17)
    pt.play()
    n_threads, n_events = 8, 10_000
    errors = []
    barrier = threading.Barrier(n_threads)

    def produce():
        try:
            barrier.wait()
            ev = np.array([1.0, 0.0, 0.0])
            for i in range(n_events):
                if i % 2:
                    pt.scoreEvent(0, "i", ev)
                else:
                    pt.score_event(0, "i", [1, 0, 0])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=produce) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    pt.flushMessageQueue(timeout=60)
    settle(pt)
    assert chan(cs, "count") == n_threads * n_events
    pt.stop()
    pt.join()


def test_full_queue_raises_in_the_caller_and_never_blocks(cs):
    pt = csoundpp.PerformanceThread(cs, capacity=16)
    assert pt.queue_capacity == 16
    release = threading.Event()
    inside = threading.Event()
    pt.requestCallback(lambda c: (inside.set(), release.wait(10)))
    assert inside.wait(10)
    accepted = 0
    t0 = time.monotonic()
    with pytest.raises(csoundpp.QueueFullError):
        for _ in range(100):
            pt.scoreEvent(0, "i", [1, 0, 0])
            accepted += 1
    assert accepted == 16
    assert time.monotonic() - t0 < 1.0
    release.set()
    pt.flushMessageQueue(timeout=10)
    pt.play()
    pt.flushMessageQueue()
    settle(pt)
    assert chan(cs, "count") == 16  # nothing lost, nothing duplicated
    pt.stop()
    pt.join()


def test_flush_waits_for_execution_in_every_state(cs):
    pt = csoundpp.PerformanceThread(cs)
    order = []
    # before play
    pt.requestCallback(lambda c: (time.sleep(0.1), order.append("slow")))
    pt.flushMessageQueue()
    order.append("flushed")
    assert order == ["slow", "flushed"]  # executed, not merely dequeued
    # playing
    pt.play()
    pt.requestCallback(lambda c: (time.sleep(0.05), order.append("slow2")))
    pt.flushMessageQueue(timeout=10)
    assert order[-1] == "slow2"
    # paused
    pt.pause()
    pt.requestCallback(lambda c: order.append("paused"))
    pt.flushMessageQueue(timeout=10)
    assert order[-1] == "paused"
    # after the end
    pt.stop()
    pt.join()
    pt.flushMessageQueue(timeout=1)
    pt.flushMessageQueue()


def test_flush_from_the_performance_thread_raises_instead_of_hanging(pt):
    raised = []

    def cb(c):
        for fn in (pt.flushMessageQueue, pt.join, lambda: pt.evalCode("return 1")):
            try:
                fn()
            except csoundpp.StateError as e:
                raised.append(e)

    pt.requestCallback(cb)
    pt.flushMessageQueue(timeout=10)
    assert len(raised) == 3


# ------------------------------------------------------------------ end, status, join


def test_end_of_score_status_and_is_running_before_join():
    cs = make_csound("i 2 0 0.1 1")
    pt = csoundpp.PerformanceThread(cs)
    pt.play()
    assert wait_for(lambda: not pt.isRunning())  # False without join
    assert pt.status() > 0
    assert pt.join(timeout=5) == pt.status()
    assert pt.join() == pt.status()  # idempotent


def test_events_after_the_end_raise(cs):
    pt = csoundpp.PerformanceThread(cs)
    pt.play()
    pt.stop()
    pt.join()
    for call in (
        lambda: pt.scoreEvent(0, "i", [1, 0, 0]),
        lambda: pt.inputMessage("i 1 0 0"),
        lambda: pt.requestCallback(lambda c: None),
        lambda: pt.record("/tmp/never.wav"),
    ):
        with pytest.raises(csoundpp.StateError, match="ended"):
            call()
    pt.stop()  # stop and the transport commands stay harmless
    pt.play()
    pt.stopRecord()


def test_stop_and_join_are_idempotent_and_safe_from_any_state(cs):
    pt = csoundpp.PerformanceThread(cs)
    pt.stop()
    pt.stop()
    assert pt.join() > 0
    assert pt.join() > 0
    pt.stop()
    assert not pt.isRunning()
    cs2 = make_csound()
    pt2 = csoundpp.PerformanceThread(cs2)
    pt2.play()
    pt2.pause()
    pt2.stop()
    assert pt2.join(timeout=10) > 0


def test_join_timeout_raises(pt):
    t0 = time.monotonic()
    with pytest.raises(csoundpp.TimeoutError):
        pt.join(timeout=0.1)
    assert time.monotonic() - t0 < 2
    assert pt.isRunning()


def test_csound_error_gives_negative_status():
    # Run in a subprocess: after a fatal exit (longjmp out of csoundPerformKsmps)
    # libcsound 6.18 leaves its API mutex locked, so csoundDestroy of that
    # instance would block forever; os._exit skips it.
    r = run_script(
        PRELUDE
        + """
import os
pt = csoundpp.PerformanceThread(cs)
pt.compileOrc("instr 30\\n exitnow -5\\nendin\\n")
pt.play()
pt.scoreEvent(0, "i", [30, 0, 1])
t0 = time.monotonic()
while pt.isRunning() and time.monotonic() - t0 < 20:
    time.sleep(0.001)
print("running", pt.isRunning(), "status", pt.status(), "join", pt.join(timeout=20), flush=True)
os._exit(0)
"""
    )
    assert "running False status -5 join -5" in r.stdout, r.stderr


def test_dropping_the_last_references_stops_and_joins():
    cs = make_csound()
    pt = csoundpp.PerformanceThread(cs)
    pt.play()
    pt.requestCallback(lambda c: None)
    assert wait_for(lambda: pt.cycles > 10)
    del pt, cs
    gc.collect()


def run_script(code: str, timeout: float = 60, **kw):
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, timeout=timeout, env=env, **kw,
    )


PRELUDE = f"""
import csoundpp, time, textwrap
ORC = {ORC!r}
cs = csoundpp.Csound()
for o in ("-n", "-d", "-m0"):
    cs.setOption(o)
cs.compileOrc(ORC)
cs.readScore("f0 3600")
cs.start()
"""


def test_interpreter_exit_with_running_threads_and_callbacks():
    r = run_script(
        PRELUDE
        + """
pt = csoundpp.PerformanceThread(cs)
pt.setProcessCallback(lambda d: None)
pt.play()
time.sleep(0.2)
print("exiting", flush=True)
"""
    )
    assert r.returncode == 0, r.stderr
    assert "exiting" in r.stdout


def test_interpreter_exit_after_del_of_running_thread_and_csound():
    r = run_script(
        PRELUDE
        + """
pt = cs.performanceThread()
pt.play()
pt.requestCallback(lambda c: None)
time.sleep(0.1)
del pt, cs
print("deleted", flush=True)
"""
    )
    assert r.returncode == 0, r.stderr
    assert "deleted" in r.stdout


def test_ctrl_c_interrupts_join():
    proc = subprocess.Popen(
        [sys.executable, "-c", PRELUDE + """
pt = csoundpp.PerformanceThread(cs)
print("joining", flush=True)
try:
    pt.join()  # paused forever: only Ctrl-C ends this
except KeyboardInterrupt:
    print("interrupted", pt.isRunning(), flush=True)
    pt.stop()
    print("status", pt.join(timeout=10), flush=True)
"""],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # a runner started in the background may ignore SIGINT; the child must not inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "joining"
        time.sleep(0.3)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert time.monotonic() - t0 < 5
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "interrupted True" in out
    assert "status 1" in out


def read_wav(path):
    """Reads a WAV file (16/24-bit PCM or 32-bit float) into float64 frames x channels."""
    import wave
    import struct

    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:4] == b"RIFF" and raw[8:12] == b"WAVE"
    assert struct.unpack("<I", raw[4:8])[0] == len(raw) - 8  # header matches the size: complete file
    pos = 12
    fmt = None
    while pos < len(raw):
        cid, size = raw[pos:pos + 4], struct.unpack("<I", raw[pos + 4:pos + 8])[0]
        body = raw[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            tag, ch, sr, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == 0xFFFE:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, ch, sr, bits)
        elif cid == b"data":
            tag, ch, sr, bits = fmt
            if tag == 3 and bits == 32:
                a = np.frombuffer(body, "<f4").astype(np.float64)
            elif tag == 1 and bits == 16:
                a = np.frombuffer(body, "<i2") / 32768.0
            elif tag == 1 and bits == 24:
                b = np.frombuffer(body, np.uint8).reshape(-1, 3).astype(np.int32)
                v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
                v = np.where(v >= 1 << 23, v - (1 << 24), v)
                a = v / float(1 << 23)
            else:
                raise AssertionError(f"unexpected format {fmt}")
            return a.reshape(-1, ch)
        pos += 8 + size + (size & 1)
    raise AssertionError("no data chunk")


def test_transport_commands_after_the_end_are_ignored_but_events_raise():
    cs = csoundpp.Csound()
    cs.setOption("-n -d -m0")
    cs.compileOrc("sr=48000\nksmps=32\nnchnls=1\n0dbfs=1\ninstr 1\nendin\n")
    cs.readScore("f 0 0.01\n")
    cs.start()
    pt = csoundpp.PerformanceThread(cs)
    pt.play()
    assert pt.join(timeout=10) > 0
    pt.play()
    pt.pause()
    pt.togglePause()  # a csnd/ctcsound program doing Play(); ...; Pause() after a fast render keeps going
    with pytest.raises(csoundpp.StateError):
        pt.scoreEvent(False, "i", [1, 0, 1])
