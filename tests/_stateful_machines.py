"""Hypothesis state machines for PerformanceThread and Csound (run by test_property.py).

They run in a child interpreter so that a crash is a failed test. Every call that may wait
is given a timeout and timed: a call exceeding BOUND seconds is a hang and fails the run.

Invariants checked:
- no call hangs (BOUND) and none dies with anything but the documented exceptions;
- every command queued before flushMessageQueue() has been executed when it returns
  (commands_executed), and every event sent was performed (counted by the orchestra);
- events sent from several threads at once all arrive (exact count);
- a recording is a valid WAV whose frame count is the frames rendered while recording;
- status conventions: 0 while running, > 0 after stop()/end of score, < 0 after an error;
  isRunning() is False exactly when status() != 0 after join().
"""
from __future__ import annotations

import os
import tempfile
import threading
import time
import wave

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import csoundpp
from csoundpp import CompileError, Csound, PerformanceThread, QueueFullError, StateError

BOUND = 20.0  # seconds: any single call slower than this is a hang
KSMPS = 32
ORC = f"""
sr = 48000
ksmps = {KSMPS}
nchnls = 2
0dbfs = 1
giCount ftgen 99, 0, 4, -2, 0, 0, 0, 0
instr 1
  a1 oscili p4, p5
  outs a1, a1
endin
instr 2
  tabw_i tab_i(0, 99) + 1, 0, 99
endin
"""
STEPS = {"n": 0}


def timed(fn, *args, **kw):
    t0 = time.monotonic()
    try:
        return fn(*args, **kw)
    finally:
        dt = time.monotonic() - t0
        assert dt < BOUND, f"{getattr(fn, '__name__', fn)} took {dt:.1f} s (hang)"


def make_csound() -> Csound:
    cs = Csound()
    cs.setOption("-n -d -m0")
    assert cs.compileOrc(ORC) == 0
    cs.readScore("f0 36000")
    assert cs.start() == 0
    return cs


def count_played(cs: Csound) -> int:
    return int(cs.tableGet(99, 0))


class PerformanceThreadMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.cs = make_csound()
        self.pt = PerformanceThread(self.cs)
        self.sent = 0          # instr-2 events queued while the thread could still run them
        self.queued = 0        # commands queued (executed count must reach it after a flush)
        self.base_executed = self.pt.commands_executed
        self.ended = False
        self.tmp = tempfile.mkdtemp(prefix="csoundpp-sm-")
        self.rec_path = None
        self.rec_cycles0 = 0

    def teardown(self):
        try:
            if self.rec_path:
                timed(self.pt.stopRecord)
            self.pt.stop()
            st_ = timed(self.pt.join, BOUND)
            assert st_ != 0 and not self.pt.isRunning()
        finally:
            del self.pt
            self.cs.destroy()

    def _queue(self, fn, *args):
        if self.ended:
            try:
                fn(*args)
            except StateError:
                return False
            raise AssertionError(f"{fn.__name__} after the end did not raise StateError")
        try:
            fn(*args)
        except QueueFullError:
            return False
        self.queued += 1
        return True

    @rule()
    def play(self):
        if not self.ended:
            self.pt.play()
            self.queued += 1
        else:
            self.pt.play()  # ignored after the end

    @rule()
    def pause(self):
        if not self.ended:
            self.pt.pause()
            self.queued += 1

    @rule()
    def toggle(self):
        if not self.ended:
            self.pt.togglePause()
            self.queued += 1

    @rule(n=st.integers(1, 40))
    def events(self, n):
        for _ in range(n):
            if self._queue(self.pt.scoreEvent, 0, "i", [2, 0, 0]):
                self.sent += 1

    @rule(rows=st.integers(1, 50))
    def batch(self, rows):
        b = np.zeros((rows, 3))
        b[:, 0] = 2
        if self._queue(self.pt.scoreEvents, 0, "i", b):
            self.sent += rows

    @rule(threads=st.integers(2, 4), per=st.integers(1, 50))
    def events_from_threads(self, threads, per):
        if self.ended:
            return
        done = []

        def producer():
            k = 0
            for _ in range(per):
                try:
                    self.pt.scoreEvent(0, "i", [2, 0, 0])
                    k += 1
                except QueueFullError:
                    pass
            done.append(k)

        ts = [threading.Thread(target=producer) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(BOUND)
            assert not t.is_alive(), "producer hung"
        self.sent += sum(done)
        self.queued += sum(done)

    @rule()
    def flush(self):
        timed(self.pt.flushMessageQueue, BOUND)
        if not self.ended and self.pt.status() == 0:
            assert self.pt.commands_executed - self.base_executed >= self.queued, (
                self.pt.commands_executed, self.base_executed, self.queued)

    @rule()
    def settle_and_count(self):
        """Plays until every event sent has been performed: exact count."""
        if self.ended:
            return
        self.pt.play()
        self.queued += 1
        timed(self.pt.flushMessageQueue, BOUND)
        c0 = self.pt.cycles
        deadline = time.monotonic() + BOUND
        while self.pt.cycles < c0 + 3 and time.monotonic() < deadline:
            time.sleep(0.002)
        assert count_played(self.cs) == self.sent, (count_played(self.cs), self.sent)

    @rule(value=st.integers(-1000, 1000))
    def eval_code(self, value):
        if self.ended:
            try:
                timed(self.pt.evalCode, f"return {value}", None, 2.0)
            except StateError:
                return
            raise AssertionError("evalCode after the end did not raise")
        self.pt.play()
        self.queued += 1
        assert timed(self.pt.evalCode, f"return {value}", None, BOUND) == value
        self.queued += 1

    @precondition(lambda self: not self.ended and self.rec_path is None)
    @rule()
    def record(self):
        self.rec_path = os.path.join(self.tmp, f"r{STEPS['n']}.wav")
        # read before record(): the thread may render recorded cycles before it returns
        self.rec_cycles0 = self.pt.cycles
        timed(self.pt.record, self.rec_path)
        self.queued += 1

    @precondition(lambda self: self.rec_path is not None)
    @rule()
    def stop_record(self):
        c_before_stop = self.pt.cycles
        timed(self.pt.stopRecord)
        c_after = self.pt.cycles
        frames = self.pt.recorded_frames
        with wave.open(self.rec_path) as w:
            assert w.getnframes() == frames
            assert w.getnchannels() == 2
        assert frames % KSMPS == 0
        # rendered while recording: between the cycles seen at record() and after stopRecord()
        assert frames <= (c_after - self.rec_cycles0 + 1) * KSMPS, (frames, c_after, self.rec_cycles0)
        assert frames >= 0 and c_before_stop >= self.rec_cycles0
        os.unlink(self.rec_path)
        self.rec_path = None
        if not self.ended:
            self.queued += 1

    @rule()
    def stop(self):
        self.pt.stop()
        st_ = timed(self.pt.join, BOUND)
        assert st_ > 0, st_
        self.ended = True

    @rule()
    def join_short(self):
        if self.ended:
            assert timed(self.pt.join, 0.1) > 0
        else:
            try:
                timed(self.pt.join, 0.01)
            except csoundpp.TimeoutError:
                pass
            else:
                raise AssertionError("join returned while the thread runs")

    @invariant()
    def status_conventions(self):
        STEPS["n"] += 1  # invariants run after every step: this counts the steps
        s = self.pt.status()
        if self.ended:
            assert s > 0 and not self.pt.isRunning()
        else:
            assert s == 0 and self.pt.isRunning()


class CsoundMachine(RuleBasedStateMachine):
    """Direct Csound use from several threads; the model tracks fresh/compiled/started/ended."""

    def __init__(self):
        super().__init__()
        self.cs = Csound()
        self.cs.setOption("-n -d -m0")
        self.state = "fresh"
        self.sent = 0

    def teardown(self):
        if not self.cs.destroyed:
            self.cs.destroy()

    @rule()
    def compile(self):
        if self.state in ("fresh", "compiled", "started"):
            assert timed(self.cs.compileOrc, ORC) == 0
            if self.state == "fresh":
                self.state = "compiled"
            elif self.state == "started":
                self.sent = 0  # the orchestra's global ftgen runs again: the count table is new
        elif self.state == "destroyed":
            try:
                self.cs.compileOrc(ORC)
            except StateError:
                return
            raise AssertionError("compileOrc after destroy")

    @rule()
    def bad_compile(self):
        if self.state in ("fresh", "compiled", "started"):
            assert timed(self.cs.compileOrc, "instr 1\n a1 nosuch 3\nendin\n") != 0
            assert timed(self.cs.compileOrc, '#include "nowhere_at_all.orc"\n') != 0

    @rule()
    def start(self):
        if self.state == "compiled":
            self.cs.readScore("f0 36000")
            assert timed(self.cs.start) == 0
            self.state = "started"

    @rule(n=st.integers(1, 64))
    def perform(self, n):
        if self.state == "started":
            for _ in range(n):
                assert timed(self.cs.performKsmps) == 0
        elif self.state in ("fresh", "compiled", "cleaned"):
            try:
                r = timed(self.cs.performKsmps)
            except StateError:
                return
            if self.state == "compiled":
                # something is compiled: performKsmps starts the instance implicitly (as the
                # peers do, issue 10); with no score it performs until stopped
                assert r == 0
                self.state = "started"
                return
            raise AssertionError(f"performKsmps in state {self.state}")

    @rule(n=st.integers(0, 40))
    def render(self, n):
        if self.state == "started":
            out = timed(self.cs.render, n)
            assert out.shape == (n * KSMPS, 2)

    @rule(threads=st.integers(1, 3), per=st.integers(1, 30))
    def events_while_performing(self, threads, per):
        """Events from several threads while another thread performs: all of them played."""
        if self.state != "started":
            return
        stop = threading.Event()

        def performer():
            while not stop.is_set():
                self.cs.performKsmps()

        def producer():
            for _ in range(per):
                self.cs.scoreEvent("i", [2, 0, 0])

        p = threading.Thread(target=performer)
        p.start()
        ts = [threading.Thread(target=producer) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(BOUND)
            assert not t.is_alive()
        stop.set()
        p.join(BOUND)
        assert not p.is_alive()
        self.sent += threads * per
        for _ in range(3):
            self.cs.performKsmps()
        assert count_played(self.cs) == self.sent

    @rule()
    def event(self):
        if self.state == "fresh":
            try:
                self.cs.scoreEvent("i", [2, 0, 0])
            except StateError:
                return
            raise AssertionError("event before compile")
        if self.state == "started":
            self.cs.scoreEvent("i", [2, 0, 0])
            self.sent += 1
            for _ in range(2):
                self.cs.performKsmps()
            assert count_played(self.cs) == self.sent

    @rule(name=st.sampled_from(["a", "b", "c"]), value=st.floats(-1e6, 1e6, allow_subnormal=False))
    def channel(self, name, value):
        if self.state in ("fresh", "compiled", "started"):
            self.cs.setControlChannel(name, value)
            assert self.cs.controlChannel(name)[0] == value

    @rule()
    def cleanup(self):
        if self.state == "started":
            assert timed(self.cs.cleanup) == 0
            self.state = "cleaned"

    @rule()
    def reset(self):
        if self.state != "destroyed":
            timed(self.cs.reset)
            self.cs.setOption("-n -d -m0")
            self.state = "fresh"
            self.sent = 0

    @rule()
    def destroy(self):
        timed(self.cs.destroy)
        self.state = "destroyed"

    @rule()
    def with_thread(self):
        """A PerformanceThread on this instance for a moment; afterwards it must be reset."""
        if self.state != "started":
            return
        pt = PerformanceThread(self.cs)
        pt.play()
        pt.scoreEvent(0, "i", [2, 0, 0])
        timed(pt.flushMessageQueue, BOUND)
        pt.stop()
        assert timed(pt.join, BOUND) > 0
        self.state = "cleaned"
        self.sent += 1

    @invariant()
    def destroyed_flag(self):
        STEPS["n"] += 1
        assert self.cs.destroyed == (self.state == "destroyed")


def run(machine: str, examples: int, steps: int, seed: int | None = None) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    cls = {"pt": PerformanceThreadMachine, "csound": CsoundMachine}[machine]
    cfg = settings(max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=seed is None,
                   suppress_health_check=list(HealthCheck), database=None)
    STEPS["n"] = 0
    t0 = time.monotonic()
    run_state_machine_as_test(cls, settings=cfg)
    print(f"machine={machine} examples={examples} max_steps_per_example={steps} steps_run={STEPS['n']} "
          f"seconds={time.monotonic() - t0:.0f}", flush=True)
