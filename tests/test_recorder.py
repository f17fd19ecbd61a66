"""PerformanceThread.record: lossless, valid files in every stop order (issue 3)."""
from __future__ import annotations

import gc
import textwrap
import time

import numpy as np
import pytest

import csoundpp
from conftest import CSOUND7

from test_performance_thread import read_wav, wait_for

SR = 48000

ORC = textwrap.dedent(
    f"""
    sr = {SR}
    ksmps = 64
    nchnls = 2
    0dbfs = 2          ; not 1: the recording must be scaled by 1/0dbfs
    seed 0
    instr 1
      a1 oscili p4, p5
      a2 rand p4 * 0.5, 0.5, 0   ; deterministic noise
      outs a1, a2
    endin
    """
)
SCORE = "i1 0 1.5 1.2 440\ni1 0.5 1 0.6 660\n"


def make_csound(extra=(), score=SCORE):
    cs = csoundpp.Csound()
    for opt in ("-d", "-m0", *extra):
        cs.setOption(opt)
    assert cs.compileOrc(ORC) == 0
    assert cs.readScore(score) == 0
    assert cs.start() == 0
    return cs


@pytest.mark.parametrize("samplebits,tol", [(32, 0.0), (24, 1.0 / (1 << 23)), (16, 1.0 / (1 << 15))])
def test_recording_equals_what_csound_wrote_sample_for_sample(tmp_path, samplebits, tol):
    """Csound writes its own output (-o, float) while we record: the files must match."""
    ref = tmp_path / "csound_out.wav"
    rec = tmp_path / "recorded.wav"
    cs = make_csound(("-o" + str(ref), "-f"))  # file output: not real time -> lossless
    pt = csoundpp.PerformanceThread(cs)
    pt.record(str(rec), samplebits, 1)  # numbufs=1: the smallest ring, unpaced rendering
    pt.play()
    assert pt.join(timeout=60) > 0
    assert pt.record_overruns == 0
    if CSOUND7:  # Csound 7 has no csoundCleanup: its -o file is completed by csoundReset
        cs.reset()
    ours, theirs = read_wav(rec), read_wav(ref)
    assert ours.shape == theirs.shape == (int(1.5 * SR), 2)
    # Csound's -o output is scaled by 1/0dbfs too; ours must equal it within quantisation
    assert np.max(np.abs(ours - theirs)) <= tol + 1e-12
    assert np.max(np.abs(ours[: SR // 2, 0])) == pytest.approx(1.2 / 2, rel=0.01)  # first note alone
    assert pt.recorded_frames == int(1.5 * SR)


def test_record_after_play_and_stop_record_mid_performance(tmp_path):
    cs = make_csound(("-n",), score="i1 0 3600 1 440\n")
    pt = csoundpp.PerformanceThread(cs)
    pt.play()
    assert wait_for(lambda: pt.cycles > 100)
    path = tmp_path / "mid.wav"
    pt.record(path, 32)  # os.PathLike accepted
    assert pt.recording
    c0 = pt.cycles
    assert wait_for(lambda: pt.cycles > c0 + 200)
    pt.stopRecord()
    assert not pt.recording
    data = read_wav(path)  # complete as soon as stopRecord returns
    assert len(data) == pt.recorded_frames and len(data) % 64 == 0 and len(data) >= 200 * 64
    # a continuous sine: no block lost or repeated (phase advances steadily)
    x = data[:, 0] * 2
    d = np.diff(x)
    assert np.max(np.abs(d)) < 2 * np.pi * 440 / SR * 1.01  # no discontinuity anywhere
    pt.stop()
    pt.join()


@pytest.mark.parametrize("ext,fmt", [("wav", b"RIFF"), ("aiff", b"FORM"), ("aif", b"FORM"), ("flac", b"fLaC"), ("ogg", b"OggS")])
def test_formats_from_extension(tmp_path, ext, fmt):
    cs = make_csound(("-n",), score="i1 0 0.5 1 440\n")
    pt = csoundpp.PerformanceThread(cs)
    path = tmp_path / f"x.{ext}"
    pt.record(str(path), 24 if ext == "flac" else 16)
    pt.play()
    pt.join(timeout=30)
    assert path.read_bytes()[:4] == fmt
    assert pt.recorded_frames == SR // 2


def test_bad_arguments_raise_at_record_time(tmp_path):
    cs = make_csound(("-n",))
    pt = csoundpp.PerformanceThread(cs)
    with pytest.raises(ValueError):
        pt.record(str(tmp_path / "x.mp3"))
    with pytest.raises(ValueError):
        pt.record(str(tmp_path / "x.wav"), samplebits=12)
    with pytest.raises(csoundpp.CsoundError):
        pt.record(str(tmp_path / "no-such-dir" / "x.wav"))
    assert not pt.recording
    pt.stop()
    pt.join()


def test_realtime_mode_counts_overruns_instead_of_waiting(tmp_path):
    # realtime=True forces the real-time policy; rendering unpaced with the
    # smallest ring must then drop blocks (and count them), never wait.
    cs = make_csound(("-n",), score="i1 0 20 1 440\n")
    pt = csoundpp.PerformanceThread(cs)
    pt.record(str(tmp_path / "rt.wav"), 16, 1, realtime=True)
    pt.play()
    pt.join(timeout=60)
    total = 20 * SR
    assert pt.recorded_frames + pt.record_overruns * 64 == total
    assert pt.recordOverruns == pt.record_overruns


@pytest.mark.parametrize("order", ["stopRecord", "stop", "end", "join", "del"])
def test_file_is_complete_after_each_way_of_ending(tmp_path, order):
    path = tmp_path / f"{order}.wav"
    score = "i1 0 0.3 1 440\n" if order == "end" else "i1 0 3600 1 440\n"
    cs = make_csound(("-n",), score=score)
    pt = csoundpp.PerformanceThread(cs)
    pt.record(str(path), 16)
    pt.play()
    assert wait_for(lambda: pt.cycles > 50 or not pt.isRunning())
    if order == "stopRecord":
        pt.stopRecord()
    elif order == "stop":
        pt.stop()
        assert wait_for(lambda: not pt.isRunning())  # complete once the thread ended
    elif order == "end":
        assert wait_for(lambda: not pt.isRunning())
    elif order == "join":
        pt.stop()
        pt.join()
    elif order == "del":
        del pt, cs
        gc.collect()
    data = read_wav(path)  # read_wav checks the RIFF size against the file size
    assert len(data) > 0
    if order == "end":
        assert len(data) == int(0.3 * SR)


def test_two_hundred_record_stop_cycles_in_any_order(tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "cycle.wav"
    t0 = time.monotonic()
    cs = None
    pt = None
    for i in range(200):
        if pt is None:
            cs = make_csound(("-n",), score="i1 0 3600 1 440\n")
            pt = csoundpp.PerformanceThread(cs)
            if rng.random() < 0.7:
                pt.play()
        step = rng.integers(0, 5)
        if step == 0:
            pt.record(str(path), 16, 2)
            pt.stopRecord()
        elif step == 1:
            pt.record(str(path), 16, 2)
            pt.record(str(path), 16, 2)  # a second record finishes the first
            pt.stopRecord()
            pt.stopRecord()
        elif step == 2:
            pt.record(str(path), 16, 2)
            pt.stop()
            pt.stopRecord()
            pt.join(timeout=20)
            pt = None
        elif step == 3:
            pt.record(str(path), 16, 2)
            pt.stop()
            pt.join(timeout=20)
            pt.stopRecord()
            pt = None
        else:
            pt.record(str(path), 16, 2)
            pt = None  # destruction while recording
            gc.collect()
        read_wav(path)
    if pt is not None:
        pt.stop()
        pt.join()
    assert time.monotonic() - t0 < 100
