"""Utilities, environment, timers, random numbers, circular buffers, threading helpers,
global variables, locks, trees, pvs/string channel data, devices and Csound-7-only calls."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import csoundpp
from conftest import CSOUND7, needs_csound6

HDR = "sr=48000\nksmps=32\nnchnls=1\n0dbfs=1\n"


@pytest.fixture
def cs():
    c = csoundpp.Csound()
    c.setOption("-n -d -m0")
    yield c
    if not c.destroyed:
        c.destroy()


def test_modules_devices_utilities(cs, tmp_path):
    mods = cs.modules()
    assert mods and all(kind in ("audio", "midi") for _, kind in mods)
    name, kind, err = cs.module(0)
    assert (name, kind) == mods[0] and err == csoundpp.CSOUND_SUCCESS
    assert cs.module(10_000) == (None, None, csoundpp.CSOUND_ERROR)
    utils = cs.listUtilities()
    assert "sndinfo" in utils and "pvanal" in utils
    assert "sound" in cs.utilityDescription("sndinfo").lower()
    assert cs.utilityDescription("no-such-utility") is None
    cs.compileOrc(HDR)
    assert isinstance(cs.audioDevList(True), list) and isinstance(cs.midi_dev_list(is_output=False), list)
    # a file to inspect, then sndinfo on it
    wav = tmp_path / "a.wav"
    other = csoundpp.Csound()
    other.setOption(f"-o{wav} -W -d -m0")
    other.compileOrc(HDR + "instr 1\nout oscili(0.5, 440)\nendin\n")
    other.readScore("i1 0 0.1\n")
    other.start()
    other.perform()
    other.destroy()
    assert cs.runUtility("sndinfo", [str(wav)]) == 0


def test_device_entries_are_dicts_with_attributes():
    d = csoundpp.CsoundAudioDevice("hw:0", "dac0", "alsa", 2, True)
    assert d["device_name"] == "hw:0" and d.deviceName == "hw:0" and d.maxNchnls == 2 and d.isOutput
    m = csoundpp.CsoundMidiDevice("port", "iface", "0", "alsa", False)
    assert m["midi_module"] == "alsa" and m.midiModule == "alsa"


@needs_csound6("an API for named GENs")
def test_opcode_list_named_gens_and_run_command(cs):
    cs.compileOrc(HDR)
    ops, n = cs.newOpcodeList()
    assert n > 1000 and len(ops) == n
    names = {o.opname for o in ops}
    assert {"oscili", "outs", "pvsin"} <= names
    cs.disposeOpcodeList(ops)
    gens = dict(cs.namedGens())
    assert "padsynth" in gens
    num = gens["padsynth"]
    assert cs.isNamedGEN(num) == len("padsynth")
    assert cs.namedGEN(num, 32) == "padsynth"
    assert cs.runCommand(["true"], False) == 0
    assert cs.runCommand(["sh", "-c", "exit 3"], False) == 3


def test_environment_and_global_variables(cs):
    assert cs.env("PATH", False)
    assert cs.setGlobalEnv("CSOUNDPP_TEST_VAR", "xyz") == 0
    assert cs.env("CSOUNDPP_TEST_VAR", False) == "xyz"
    assert cs.setGlobalEnv("CSOUNDPP_TEST_VAR", None) == 0
    assert cs.createGlobalVariable("myvar", 16) == csoundpp.CSOUND_SUCCESS
    assert cs.createGlobalVariable("myvar", 16) == csoundpp.CSOUND_ERROR
    assert cs.createGlobalVariable("bad", 0) == csoundpp.CSOUND_ERROR
    p = cs.queryGlobalVariable("myvar")
    assert p is not None and p.value
    assert cs.queryGlobalVariable("nothing") is None
    assert cs.destroyGlobalVariable("myvar") == csoundpp.CSOUND_SUCCESS
    assert cs.destroyGlobalVariable("myvar") == csoundpp.CSOUND_ERROR


def test_timers_and_random(cs):
    t = cs.initTimerStruct(csoundpp.RtClock())
    time.sleep(0.02)
    assert 0.015 < cs.realTime(t) < 1.0
    assert cs.CPUTime(t) >= 0
    assert cs.rand31(1) == 742938285
    assert cs.rand31(742938285) == 742938285 * 742938285 % 2147483647
    with pytest.raises(ValueError):
        cs.rand31(0)
    a, b = cs.seedRandMT(5), cs.seedRandMT(5)
    seq = [cs.randMT(a) for _ in range(5)]
    assert seq == [cs.randMT(b) for _ in range(5)] and len(set(seq)) == 5
    assert cs.randMT(cs.seedRandMT([1, 2, 3])) != cs.randMT(cs.seedRandMT([1, 2, 4]))
    assert a.mt.shape == (624,)
    assert isinstance(cs.randomSeedFromTime(), int)


def test_circular_buffer_round_trip(cs):
    cb = cs.createCircularBuffer(16)
    assert cb.elemsize == 8
    data = np.arange(10, dtype=np.float64)
    assert cs.writeCircularBuffer(cb, data, 10) == 10
    peek = np.zeros(4)
    assert cs.peekCircularBuffer(cb, peek, 4) == 4 and list(peek) == [0, 1, 2, 3]
    out = np.zeros(10)
    assert cs.readCircularBuffer(cb, out, 10) == 10
    assert np.array_equal(out, data)
    # one slot stays free in Csound 6; Csound 7's buffer holds all 16
    assert cs.writeCircularBuffer(cb, np.arange(20.0), 20) == (16 if CSOUND7 else 15)
    cs.flushCircularBuffer(cb)
    assert cs.readCircularBuffer(cb, out, 10) == 0
    assert cs.readCircularBuffer(cb, np.zeros(2), 10) == 0  # out too small: 0, as ctcsound
    ints = cs.createCircularBuffer(8, 4)
    assert cs.writeCircularBuffer(ints, np.array([7, 8], dtype=np.int32), 2) == 2
    got = np.zeros(2, dtype=np.int32)
    assert cs.readCircularBuffer(ints, got, 2) == 2 and list(got) == [7, 8]
    cs.destroyCircularBuffer(cb)
    with pytest.raises(csoundpp.StateError):
        cs.readCircularBuffer(cb, out, 1)
    other = csoundpp.Csound()
    with pytest.raises(ValueError):
        other.readCircularBuffer(ints, got, 1)
    other.destroy()
    cs.reset()
    with pytest.raises(csoundpp.StateError):
        cs.readCircularBuffer(ints, got, 1)


def test_threads_locks_mutexes_barriers(cs):
    seen = []
    t = cs.createThread(lambda ud: seen.append(ud) or 42, "data")
    assert cs.joinThread(t) == 42 and seen == ["data"]
    assert isinstance(cs.currentThreadId(), int)
    lock = cs.createThreadLock()
    assert cs.waitThreadLock(lock, 0) == 0  # created notified
    assert cs.waitThreadLock(lock, 20) != 0  # not notified again: times out
    threading.Timer(0.05, lambda: cs.notifyThreadLock(lock)).start()
    cs.waitThreadLockNoTimeout(lock)
    cs.destroyThreadLock(lock)
    with pytest.raises(csoundpp.StateError):
        cs.notifyThreadLock(lock)
    m = cs.createMutex(False)
    cs.lockMutex(m)
    r = []
    th = threading.Thread(target=lambda: r.append(cs.lockMutexNoWait(m)))
    th.start()
    th.join()
    assert r[0] != 0
    cs.unlockMutex(m)
    assert cs.lockMutexNoWait(m) == 0
    cs.unlockMutex(m)
    cs.destroyMutex(m)
    bar = cs.createBarrier(2)
    child = cs.createThread(lambda ud: (cs.waitBarrier(bar), 1)[1], None)
    cs.waitBarrier(bar)
    assert cs.joinThread(child) == 1
    cs.destroyBarrier(bar)
    t0 = time.monotonic()
    cs.sleep(20)
    assert time.monotonic() - t0 >= 0.018


@needs_csound6("channel spin-lock pointers (csoundGetChannelLock)")
def test_channel_and_spin_locks(cs):
    cs.compileOrc(HDR)
    cs.setControlChannel("c", 1.0)
    lk = cs.channelLock("c")
    assert lk is not None and cs.channelLock("nope") is None
    assert cs.spinTryLock(lk) == csoundpp.CSOUND_SUCCESS
    assert cs.spinTryLock(lk) != csoundpp.CSOUND_SUCCESS
    cs.spinUnlock(lk)
    cs.lockChannel("c")
    assert cs.spinTryLock(lk) != csoundpp.CSOUND_SUCCESS
    cs.unlockChannel("c")
    import ctypes

    own = ctypes.c_int32(0)
    cs.spinLockInit(own)
    cs.spinLock(own)
    assert cs.spinTryLock(own) != csoundpp.CSOUND_SUCCESS
    cs.spinUnlock(own)
    assert cs.spinTryLock(own) == csoundpp.CSOUND_SUCCESS
    cs.spinUnlock(own)
    with pytest.raises(TypeError):
        cs.spinLock(123)


def test_lock_and_unlock_channel_by_name(cs):
    # Csound 6: the channel's spin lock (test_channel_and_spin_locks checks it is held);
    # Csound 7: csoundLockChannel/csoundUnlockChannel. Unknown names raise on both.
    cs.compileOrc(HDR)
    cs.setStringChannel("s", "before")
    cs.lockChannel("s")
    cs.unlockChannel("s")
    cs.setStringChannel("s", "after")  # takes the same lock: it was released
    assert cs.stringChannel("s") == "after"
    with pytest.raises(csoundpp.CsoundError, match="nope"):
        cs.lock_channel("nope")
    with pytest.raises(csoundpp.CsoundError, match="nope"):
        cs.unlockChannel("nope")


def test_parse_and_compile_tree_and_instr_number(cs):
    cs.compileOrc(HDR)
    tree = cs.parseOrc('instr Foo\nchnset 5, "t"\nendin\n')
    assert tree is not None
    assert cs.compileTree(tree) == 0
    cs.deleteTree(tree)
    assert cs.parseOrc("instr 1\n this is not csound\nendin\n") is None
    cs.readScore('i "Foo" 0 0.01\n')
    cs.start()
    for _ in range(3):
        cs.performKsmps()
    assert cs.controlChannel("t")[0] == 5
    assert cs.instrNumber("Foo") >= 1
    with pytest.raises(ValueError):
        cs.instrNumber('bad"name')


def test_pvs_channel_round_trip_and_string_data(cs):
    cs.compileOrc(HDR)
    if CSOUND7:  # Csound 7 makes pvs channels only once started
        with pytest.raises(csoundpp.StateError, match="start"):
            cs.initPvsChannel("pv", 512, 128, 512, 1)
        cs.start()
    p = cs.initPvsChannel("pv", 512, 128, 512, 1)
    assert cs.pvsDataFftSize(p) == 512 and cs.pvsDataOverlap(p) == 128 and p.frame.shape == (514,)
    frame = np.zeros(514, dtype=np.float32)
    frame[10], frame[11] = 0.25, 440.0
    cs.setPvsData(p, frame)
    assert cs.setPvsChannel(p, "pv") == 0
    back = csoundpp.PvsdatExt(N=512, overlap=128, winsize=512, wintype=1)
    assert cs.pvsChannel(back, "pv") == 0
    assert back.frame[10] == pytest.approx(0.25) and back.frame[11] == pytest.approx(440.0)
    ptr, err = cs.channelPtr("s", csoundpp.CSOUND_STRING_CHANNEL | csoundpp.CSOUND_INPUT_CHANNEL)
    assert err == ""
    cs.setStringChannel("s", "hello")
    assert cs.stringData(ptr) == "hello"
    cs.setStringData(ptr, "bye")
    assert cs.stringChannel("s") == "bye"
    with pytest.raises(ValueError):
        cs.stringData(12345)


def test_csound7_only_calls_raise_naming_csound7(cs):
    for call in (lambda: cs.arrayData(None), lambda: cs.arrayDataSizes(None), lambda: cs.setArrayData(None, [1]),
                 lambda: cs.initArrayChannel("a", "k", 4)):
        with pytest.raises(csoundpp.CsoundError, match="Csound 7"):
            call()


@needs_csound6("csoundGetOutputFormat")
def test_io_setters_and_module_functions(cs, tmp_path):
    cs.setOutput(str(tmp_path / "x.aif"), "aiff", "float")
    assert cs.outputFormat() == ("aiff", "float")
    cs.setInput("adc")
    assert cs.inputName() == "adc"
    cs.setMIDIFileInput(str(tmp_path / "in.mid"))
    cs.setMIDIInput("0")
    cs.setRTAudioModule("null")
    cs.setMIDIModule("null")
    assert csoundpp.csoundInitialize(csoundpp.CSOUNDINIT_NO_ATEXIT) > 0  # done at import
    assert csoundpp.cstring("é") == "é".encode() and csoundpp.pstring(b"ab") == "ab"
    assert csoundpp.cchar("i").value == b"i"
    argc, argv = csoundpp.csoundArgList(["csound", "-n"])
    assert argc.value == 2 and argv[1] == b"-n"


def test_event_and_message_buffer_keyword_spellings(cs):
    cs.compileOrc(HDR + 'instr 2\nchnset p4, "seen"\nendin\n')
    cs.start()
    cs.event(csoundpp.CS_INSTR_EVENT, np.array([2, 0, 0.01, 3.0]), async_=False)
    cs.event("i", [2, 0, 0.01, 4.0], block=True)
    cs.performKsmps()
    assert cs.controlChannel("seen")[0] == 4.0
    cs.create_message_buffer(to_stdout=False)
    cs.message("hello {}", 1)
    assert cs.messageCnt() >= 1
    cs.destroyMessageBuffer()
    cs.createMessageBuffer(echo=False)
    cs.destroyMessageBuffer()
