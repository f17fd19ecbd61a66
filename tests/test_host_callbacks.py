"""Host callbacks of the ctcsound surface really fire, with the right arguments."""
from __future__ import annotations

import ctypes

import numpy as np
import pytest

import csoundpp
from conftest import needs_csound6

HDR = "sr=48000\nksmps=32\nnchnls=1\n0dbfs=1\n"


def new(opts="-n -d -m0"):
    cs = csoundpp.Csound()
    cs.setOption(opts)
    return cs


@needs_csound6("the sense-event and yield callbacks")
def test_file_open_sense_and_yield_callbacks(tmp_path):
    cs = new()
    out = tmp_path / "o.wav"
    opened, sense, yields = [], [], []
    cs.setFileOpenCallback(lambda path, ftype, write, temp: opened.append((path, ftype, write, temp)))
    assert cs.registerSenseEventCallback(lambda csp, ud: sense.append((csp, ud)), "payload") == 0
    cs.setYieldCallback(lambda: yields.append(1) or True)
    cs.setOutput(str(out), "wav", "short")
    assert cs.compileOrc(HDR + "instr 1\nout oscili(0.5, 440)\nendin\n") == 0
    cs.readScore("i1 0 0.02\n")
    assert cs.start() == 0
    cycles = 0
    while cs.performKsmps() == 0:
        cycles += 1
    cs.cleanup()
    assert (str(out), csoundpp.CSFTYPE_WAVE, True, False) in opened
    assert len(sense) >= cycles and all(s == (cs.csound(), "payload") for s in sense)
    assert len(yields) > 0
    assert cs.outputName() == str(out)
    assert cs.outputFormat() == ("wav", "short")
    cs.destroy()


@needs_csound6("the yield callback")
def test_yield_callback_returning_false_stops_perform():
    cs = new()
    cs.setYieldCallback(lambda csp: False)
    cs.compileOrc(HDR + "instr 1\nout oscili(0.5, 440)\nendin\n")
    cs.readScore("i1 0 100\n")
    cs.start()
    cycles = 0
    while cs.performKsmps() == 0 and cycles < 48000 * 100 // 32:
        cycles += 1
    assert cycles < 100  # a 100-second score stopped at once
    cs.destroy()


@needs_csound6("the sense-event callback")
def test_callback_exception_goes_to_unraisablehook():
    cs = new()
    seen = []
    import sys

    old = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(u.exc_type)
    try:
        def boom(ud):
            raise ValueError("boom")

        cs.registerSenseEventCallback(boom, None)
        cs.compileOrc(HDR)
        cs.readScore("f0 1\n")
        cs.start()
        cs.performKsmps()
        cs.performKsmps()
    finally:
        sys.unraisablehook = old
    assert seen and seen[0] is ValueError
    cs.destroy()


def test_graph_callbacks_receive_table_display():
    cs = new("-n -d -m0 --displays")
    events = []
    cs.setIsGraphable(True)
    cs.setMakeGraphCallback(lambda w, name: events.append(("make", name, w.npts)))
    cs.setDrawGraphCallback(lambda w: events.append(("draw", w.caption, w.npts, float(w.fdata.max()))))
    cs.compileOrc(HDR + "gi1 ftgen 1, 0, 1024, 10, 1\n")
    cs.start()
    assert ("make", "ftable", 1024) in events
    draws = [e for e in events if e[0] == "draw"]
    assert draws and draws[0][1].startswith("ftable 1") and draws[0][2] == 1024
    assert draws[0][3] == pytest.approx(1.0, abs=1e-3)
    cs.destroy()


def test_rt_audio_callbacks_receive_rendered_audio():
    cs = new("-odac -d -m0 -+rtaudio=host")
    opened, blocks, closed = [], [], []
    cs.setPlayOpenCallback(lambda params: opened.append(params) or 0)
    cs.setRtPlayCallback(lambda buf: blocks.append(buf.copy()))
    cs.setRtCloseCallback(lambda: closed.append(True))
    cs.compileOrc(HDR + "instr 1\nout oscili(0.5, 480)\nendin\n")
    cs.readScore("i1 0 0.05\n")
    cs.start()
    while cs.performKsmps() == 0:
        pass
    cs.cleanup()
    assert len(opened) == 1 and opened[0].nChannels == 1 and opened[0].sampleRate == 48000
    audio = np.concatenate(blocks)
    assert audio.size >= 0.04 * 48000
    assert np.abs(audio).max() == pytest.approx(0.5, abs=0.01)
    assert closed == [True]
    cs.destroy()


def test_append_opcode_calls_python_with_argument_pointers():
    cs = new()
    calls = []

    def init(csp, data):
        out = ctypes.cast(ctypes.c_void_p.from_address(data + csoundpp.OPDS_SIZE).value, ctypes.POINTER(ctypes.c_double))
        inp = ctypes.cast(ctypes.c_void_p.from_address(data + csoundpp.OPDS_SIZE + 8).value, ctypes.POINTER(ctypes.c_double))
        out[0] = inp[0] * 2
        calls.append((csp, inp[0]))
        return 0

    cs.compileOrc(HDR)  # the opcode table exists after the first compilation
    assert cs.appendOpcode("pydouble", csoundpp.OPDS_SIZE + 16, 0, 1, "i", "i", init, None, None) == 0
    assert cs.compileOrc('instr 1\nival = p4\ni1 pydouble ival\nchnset i1, "dbl"\nendin\n') == 0
    cs.readScore("i1 0 0.01 21\n")
    cs.start()
    for _ in range(4):
        cs.performKsmps()
    assert calls == [(cs.csound(), 21.0)]
    assert cs.controlChannel("dbl")[0] == 42.0
    with pytest.raises(ValueError):
        cs.appendOpcode("bad", 4, 0, 1, "i", "i", init, None, None)  # smaller than OPDS
    with pytest.raises(csoundpp.CsoundError, match="Csound 7"):
        cs.appendOpcode("bad7", csoundpp.OPDS_SIZE + 16, 0, "i", "i", init, None, init)
    cs.destroy()


def test_keyboard_registration_and_key_press():
    cs = new()
    assert cs.registerKeyboardCallback(lambda ud, t: 0, None, csoundpp.CSOUND_CALLBACK_KBD_EVENT) == 0
    cs.removeKeyboardCallback(cs.registerKeyboardCallback)  # not registered: ignored
    with pytest.raises(ValueError):
        cs.registerKeyboardCallback(lambda ud, t: 0, None, 99)
    cs.destroy()
    cs = new()
    cs.compileOrc(HDR + 'instr 1\nkk, kd sensekey\nif kk > 0 then\nchnset kk, "key"\nendif\nendin\n')
    cs.readScore("i1 0 1\n")
    cs.start()
    cs.performKsmps()
    cs.keyPress("A")
    for _ in range(4):
        cs.performKsmps()
    assert cs.controlChannel("key")[0] == 65.0
    with pytest.raises(ValueError):
        cs.keyPress("AB")
    cs.destroy()


def test_default_message_callback_for_foreign_instances():
    msgs = []
    csoundpp.setDefaultMessageCallback(lambda csp, attr, text, va: msgs.append((csp, text)))
    lib = ctypes.CDLL(csoundpp.build_info()["csound_library"])  # the libcsound csoundpp uses
    lib.csoundCreate.restype = ctypes.c_void_p
    lib.csoundCreate.argtypes = [ctypes.c_void_p, ctypes.c_char_p]  # (Csound 6 ignores the second)
    lib.csoundMessage.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.csoundDestroy.argtypes = [ctypes.c_void_p]
    raw = lib.csoundCreate(None, None)
    try:
        lib.csoundMessage(raw, b"hello %s\n", b"world")
    finally:
        csoundpp.setDefaultMessageCallback(None)
        lib.csoundDestroy(raw)
    assert (raw, "hello world\n") in msgs


@needs_csound6("the yield, sense-event and Cscore callbacks")
def test_callbacks_reject_non_callables():
    cs = new()
    for setter in ("setFileOpenCallback", "setYieldCallback", "setRtPlayCallback", "setExternalMidiReadCallback",
                   "setMakeGraphCallback"):
        with pytest.raises(TypeError):
            getattr(cs, setter)(42)
        getattr(cs, setter)(None)  # None clears
    with pytest.raises(csoundpp.CsoundError, match="Csound 7"):
        cs.setOpenSoundFileCallback(lambda *a: 0)
    cs.destroy()
