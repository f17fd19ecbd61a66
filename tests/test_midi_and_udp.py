"""Host-implemented MIDI (native rings and Python callbacks) and the UDP server."""
from __future__ import annotations

import socket

import pytest

import csoundpp

ORC = """sr=48000
ksmps=32
nchnls=1
0dbfs=1
instr 3
 kst, kch, kd1, kd2 midiin
 if kst == 144 then
   chnset kd1, "note"
   chnset kd2, "vel"
 endif
endin
instr 4
 midiout 144, 1, 60, 100
 turnoff
endin
instr 5
 chnset p4, "udp"
endin
"""


def new():
    cs = csoundpp.Csound()
    cs.setOption("-n -d -m0")
    return cs


def test_host_midi_ring_in_and_out():
    cs = new()
    cs.setHostMidiIO()
    assert cs.compileOrc(ORC) == 0
    cs.readScore("i3 0 1\ni4 0 0.01\n")
    cs.start()
    cs.pushMidi(bytes([0x90, 64, 99]))
    for _ in range(10):
        cs.performKsmps()
    assert cs.controlChannel("note")[0] == 64.0
    assert cs.controlChannel("vel")[0] == 99.0
    assert cs.popMidiOutput() == bytes([0x90, 60, 100])
    assert cs.popMidiOutput() == b""
    cs.pushMidi([0x90, 70, 1])  # a list of ints works too
    for _ in range(3):
        cs.performKsmps()
    assert cs.controlChannel("note")[0] == 70.0
    with pytest.raises(ValueError):
        cs.pushMidi([300])
    cs.destroy()


def test_push_midi_needs_host_midi_and_raises_when_full():
    cs = new()
    with pytest.raises(csoundpp.StateError):
        cs.pushMidi(b"\x90\x40\x40")
    cs.setHostMidiIO(capacity=6)
    cs.pushMidi(b"\x90\x40\x40")
    cs.pushMidi(b"\x80\x40\x00")
    with pytest.raises(csoundpp.QueueFullError):
        cs.pushMidi(b"\x90\x41\x40")
    cs.destroy()


def test_python_midi_callbacks():
    cs = new()
    cs.setOption("-M0 -Q0")
    pending = [bytes([0x90, 50, 77])]
    written, opened = [], []
    cs.setHostImplementedMIDIIO(True)
    cs.setExternalMidiInOpenCallback(lambda dev: opened.append(("in", dev)) or 0)
    cs.setExternalMidiReadCallback(lambda n: pending.pop() if pending else b"")
    cs.setExternalMidiInCloseCallback(lambda: opened.append("in-close") or 0)
    cs.setExternalMidiOutOpenCallback(lambda dev: opened.append(("out", dev)) or 0)
    cs.setExternalMidiWriteCallback(lambda data: written.append(data))
    cs.setExternalMidiOutCloseCallback(lambda: opened.append("out-close") or 0)
    cs.compileOrc(ORC)
    cs.readScore("i3 0 1\ni4 0 0.01\n")
    cs.start()
    for _ in range(10):
        cs.performKsmps()
    assert cs.controlChannel("note")[0] == 50.0 and cs.controlChannel("vel")[0] == 77.0
    assert b"".join(written) == bytes([0x90, 60, 100])
    assert ("in", "0") in opened and ("out", "0") in opened
    cs.cleanup()
    assert "in-close" in opened and "out-close" in opened
    cs.destroy()


def test_udp_server_performs_a_score_line_sent_over_loopback():
    cs = new()
    cs.compileOrc(ORC)
    cs.readScore("f0 60\n")
    cs.start()
    port = 47000 + (id(cs) % 1000)
    assert cs.UDPServerStart(port) == csoundpp.CSOUND_SUCCESS
    assert cs.UDPServerStatus() == port
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.sendto(b"$i5 0 0.1 7", ("127.0.0.1", port))
        for _ in range(20000):
            cs.performKsmps()
            if cs.controlChannel("udp")[0] == 7:
                break
    finally:
        s.close()
    assert cs.controlChannel("udp")[0] == 7.0
    assert cs.UDPServerClose() == csoundpp.CSOUND_SUCCESS
    assert cs.UDPServerStatus() == csoundpp.CSOUND_ERROR
    with pytest.raises(ValueError):
        cs.UDPServerStart(70000)
    cs.destroy()
