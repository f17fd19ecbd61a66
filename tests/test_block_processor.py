"""BlockProcessor: a host audio callback of any size driving Csound k-cycles."""
from __future__ import annotations

import threading

import numpy as np
import pytest

import csoundpp

HEADER = "sr = 48000\nksmps = 32\nnchnls = 2\nnchnls_i = 2\n0dbfs = 1\n"
SINE = """
instr 1
 a1 poscil 0.5, 1000
 a2 poscil 0.25, 250
 outs a1, a2
endin
schedule 1, 0, 100
"""


def make(orc: str, **kw):
    cs = csoundpp.Csound()
    for opt in ("-d", "-m0", "--nodisplays"):
        cs.setOption(opt)
    bp = csoundpp.BlockProcessor(cs, **kw)
    assert cs.compileOrc(HEADER + orc) == 0
    bp.start()
    return cs, bp


def reference(orc: str, frames: int) -> np.ndarray:
    """The same orchestra rendered with performKsmps: (frames, 2)."""
    cs = csoundpp.Csound()
    for opt in ("-n", "-d", "-m0"):
        cs.setOption(opt)
    cs.compileOrc(HEADER + orc)
    cs.start()
    out = []
    while len(out) * 32 < frames:
        cs.performKsmps()
        out.append(np.array(cs.spout()).reshape(32, 2))
    cs.cleanup()
    return np.concatenate(out)[:frames]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["planar", "interleaved", "list"])
def test_any_block_size_matches_reference(dtype, layout):
    total = 12000
    ref = reference(SINE, total)
    cs, bp = make(SINE, outputs=2, interleaved=(layout == "interleaved"))
    got = np.zeros((total, 2))
    pos, k = 0, 0
    sizes = [64, 128, 7, 1, 100, 333, 32, 5]  # aligned first, then not
    while pos < total:
        n = min(sizes[k % len(sizes)], total - pos)
        k += 1
        if layout == "interleaved":
            out = np.zeros((n, 2), dtype)
            bp.process(None, out)
            got[pos:pos + n] = out
        elif layout == "planar":
            out = np.zeros((2, n), dtype)
            bp.process(None, out)
            got[pos:pos + n] = out.T
        else:
            chans = [np.zeros(n, dtype), np.zeros(n, dtype)]
            bp.process(None, chans)
            got[pos:pos + n, 0], got[pos:pos + n, 1] = chans
        if pos == 0:
            assert bp.latency == 0
        pos += n
    tol = 1e-6 if dtype == np.float32 else 1e-12
    assert np.abs(got[:192] - ref[:192]).max() < tol  # aligned blocks: no latency
    assert bp.latency == 31  # the first 7-frame block switched to ksmps - 1
    assert np.abs(got[192 + 31:] - ref[192:total - 31]).max() < tol
    assert np.abs(got[192:192 + 31]).max() == 0.0  # the inserted silence
    assert bp.frames_processed == total
    bp.close()


def test_aligned_blocks_have_zero_latency():
    cs, bp = make(SINE)
    out = np.zeros((2, 96))
    for _ in range(20):
        bp.process(None, out)
    assert bp.latency == 0
    cs2, bp2 = make(SINE, variable_blocks=True)
    assert bp2.latency == 31  # fixed from the start, never changes
    bp2.process(None, np.zeros((2, 96)))
    assert bp2.latency == 31


def test_input_passthrough_and_channel_mapping():
    orc = "instr 1\n a1, a2 ins\n outs a1, a2 * 0.5\nendin\nschedule 1, 0, 100\n"
    # mono host input -> both Csound inputs; third host output silent
    cs, bp = make(orc, inputs=1, outputs=3, variable_blocks=True)
    n = 4000
    x = np.sin(0.01 * np.arange(n))
    y = np.full((3, n), 7.0)
    for pos in range(0, n, 45):
        m = min(45, n - pos)
        out = np.empty((3, m))
        bp.process(x[pos:pos + m].reshape(1, m).copy(), out)
        y[:, pos:pos + m] = out
    expect = np.concatenate([np.zeros(31), x[:-31]])
    assert np.abs(y[0] - expect).max() < 1e-12
    assert np.abs(y[1] - 0.5 * expect).max() < 1e-12
    assert np.all(y[2] == 0.0)


def test_stereo_csound_to_mono_host_averages():
    orc = "instr 1\n aL init 0.2\n aR init 0.6\n outs aL, aR\nendin\nschedule 1, 0, 100\n"
    cs, bp = make(orc, outputs=1)
    out = np.zeros(64)
    bp.process(None, out)
    assert np.allclose(out, 0.4)


def test_scaling_by_0dbfs():
    cs = csoundpp.Csound()
    cs.setOption("-m0")
    bp = csoundpp.BlockProcessor(cs)
    cs.compileOrc("sr=48000\nksmps=16\nnchnls=2\n0dbfs=32768\ninstr 1\n aL init 16384\n aR init -32768\n outs aL, aR\nendin\n"
                  "schedule 1,0,10\n")
    bp.start()
    out = np.zeros((2, 32), np.float32)
    bp.process(None, out)
    assert np.allclose(out[0], 0.5) and np.allclose(out[1], -1.0)


@pytest.mark.parametrize("offset", [0, 3, 15, 16, 17, 31, 32, 50, 127])
def test_events_are_sample_accurate(offset):
    orc = "instr 2\n asig init p4\n outs asig, asig\nendin\n"
    cs, bp = make(orc)
    out = np.zeros((2, 128))
    bp.process(None, out)
    bp.schedule_event(offset, "i", [2, 0, 0.01, 0.5])
    bp.process(None, out)
    onset = int(np.flatnonzero(out[0])[0])
    assert onset == offset
    assert out[0, onset] == pytest.approx(0.5)


def test_events_without_sample_accuracy_start_on_the_k_cycle():
    orc = "instr 2\n asig init p4\n outs asig, asig\nendin\n"
    cs, bp = make(orc, sample_accurate=False)
    out = np.zeros((2, 128))
    bp.process(None, out)
    bp.schedule_event(50, "i", [2, 0, 0.01, 0.5])
    bp.process(None, out)
    assert int(np.flatnonzero(out[0])[0]) == 32  # the k-cycle holding frame 50


def test_event_with_latency_and_odd_blocks():
    orc = "instr 2\n asig init p4\n outs asig, asig\nendin\n"
    cs, bp = make(orc, variable_blocks=True)
    out = np.zeros((2, 100))
    bp.process(None, out)
    bp.schedule_event(40, "i", [2, 0, 0.01, 1.0])
    bp.process(None, out)
    # the event's frame (100 + 40) leaves the processor latency frames later
    first = int(np.flatnonzero(out[0])[0])
    assert first == 40 + bp.latency


def test_midi_in_reaches_csound_and_midi_out_is_collected():
    orc = """
massign 0, 3
instr 3
 iamp ampmidi 1
 inote notnum
 chnset inote, "note"
 asig init iamp
 outs asig, asig
endin
instr 4
 noteondur 2, 64, 90, 0.5
endin
"""
    cs, bp = make(orc)
    out = np.zeros((2, 128))
    bp.process(None, out[:, :64].copy())
    bp.send_midi(70, bytes([0x90, 61, 127]))
    bp.process(None, out)
    onset = int(np.flatnonzero(out[0])[0])
    assert onset == 64  # the k-cycle containing frame 70 (MIDI notes start on k-cycles)
    assert out[0, 100] == pytest.approx(127 / 128)
    assert cs.controlChannel("note")[0] == 61
    with pytest.raises(ValueError):
        bp.send_midi(0, b"\x40")
    bp.schedule_event(0, "i", [4, 0, 0.1])
    bp.process(None, out)
    msgs = bp.midi_out()
    assert any(m[1] == bytes([0x91, 64, 90]) for m in msgs), msgs
    frame = [m[0] for m in msgs if m[1][0] == 0x91][0]
    assert 64 + 128 <= frame < 64 + 256


def test_handles_from_another_thread():
    orc = """
instr 5
 k1 chnget "gain"
 Sl chnget "label"
 kl strlenk Sl
 outs a(k1), a(kl)
endin
schedule 5, 0, 100
"""
    cs, bp = make(orc)
    gain = bp.control_handle("gain")
    label = bp.string_handle("label", capacity=32)
    assert label.capacity == 32

    def gui():
        gain.value = 0.25
        label.set("hello")

    t = threading.Thread(target=gui)
    t.start()
    t.join()
    out = np.zeros((2, 64))
    bp.process(None, out)
    assert out[0, -1] == pytest.approx(0.25)
    assert out[1, -1] == 5
    assert cs.stringChannel("label") == "hello"
    assert gain.get() == 0.25
    with pytest.raises(ValueError, match="capacity"):
        label.set("x" * 33)


def test_gil_released_during_process():
    cs, bp = make(SINE)
    out = np.zeros((2, 4800))
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        for _ in range(30):
            bp.process(None, out)
    finally:
        stop.set()
        t.join()
    assert counter[0] > 0


def test_bad_buffers_raise():
    cs, bp = make(SINE)
    with pytest.raises(TypeError, match="float32 or float64"):
        bp.process(None, np.zeros((2, 64), np.int16))
    with pytest.raises(ValueError, match="shape"):
        bp.process(None, np.zeros((3, 64)))
    with pytest.raises(ValueError, match="C-contiguous"):
        bp.process(None, np.zeros((64, 2)).T)
    ro = np.zeros((2, 64))
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        bp.process(None, ro)
    with pytest.raises(ValueError, match="exceeds"):
        bp.process(None, np.zeros((2, 64)), 65)
    with pytest.raises(ValueError, match="0 such channels"):
        bp.process(np.zeros((2, 64)), np.zeros((2, 64)))
    with pytest.raises(ValueError):
        bp.schedule_event(0, "i", list(range(1, 20)))
    with pytest.raises(ValueError):
        bp.schedule_event(-1, "i", [1, 0, 1])
    with pytest.raises(ValueError):
        bp.schedule_event(0, "Z", [1, 0, 1])


def test_queue_full_raises():
    cs, bp = make(SINE, event_capacity=4)
    for _ in range(4):
        bp.schedule_event(0, "i", [1, 0, 0.01])
    with pytest.raises(csoundpp.QueueFullError):
        bp.schedule_event(0, "i", [1, 0, 0.01])


def test_states():
    cs = csoundpp.Csound()
    cs.setOption("-n")
    cs.compileOrc(HEADER + SINE)
    cs.start()
    with pytest.raises(csoundpp.StateError, match="before the Csound is started"):
        csoundpp.BlockProcessor(cs)

    cs, bp = make(SINE)
    with pytest.raises(csoundpp.StateError):
        cs.reset()  # busy while the processor drives it
    with pytest.raises(csoundpp.StateError):
        cs.performKsmps()
    bp.release()
    with pytest.raises(csoundpp.StateError):
        bp.process(None, np.zeros((2, 64)))
    cs.reset()

    cs2 = csoundpp.Csound()
    bp2 = csoundpp.BlockProcessor(cs2)
    with pytest.raises(csoundpp.StateError, match="before start"):
        bp2.process(None, np.zeros((2, 64)))
    with bp2:
        pass
    with pytest.raises(csoundpp.StateError, match="closed"):
        bp2.start()


def test_score_end_reports_finished():
    cs, bp = make("instr 1\n outs a(0.1), a(0.1)\nendin\nschedule 1, 0, 0.001\nevent_i \"e\", 0.002\n")
    out = np.zeros((2, 64))
    done = False
    for _ in range(10):
        done = bp.process(None, out)
        if done:
            break
    assert done and bp.finished
    bp.process(None, out)
    assert np.all(out == 0)
