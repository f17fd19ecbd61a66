# The README's migration section: a ctcsound program with only the import changed,
# plus the csoundpp additions (host MIDI ring, circular buffers, device lists).
import numpy as np

import csoundpp as ctcsound

cs = ctcsound.Csound()
cs.setOption("-n -d -m0")
cs.setHostMidiIO()                         # Csound reads MIDI the host pushes
cs.compileOrc("sr=48000\nksmps=32\nnchnls=1\n0dbfs=1\ninstr 1\nout oscili(0.2, 440)\nendin\n")
cs.readScore("i1 0 0.1\n")
cs.start()
cs.pushMidi(bytes([0x90, 60, 100]))        # note on, from any thread
while cs.performKsmps() == 0:
    pass
midi_out: bytes = cs.popMidiOutput()
devices = cs.audioDevList(True)            # dicts with attribute access
names = [d["device_name"] for d in devices]
rb = cs.createCircularBuffer(1024)
written: int = cs.writeCircularBuffer(rb, np.zeros(64), 64)
ops, n = cs.newOpcodeList()
cs.cleanup()
cs.destroy()
