# The README's quick start.
import numpy as np
import csoundpp

ORC = """
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  a1 oscili p4, p5
  outs a1, a1
endin
"""

with csoundpp.Csound() as cs:
    cs.setOption("-n -d")                  # no audio device: host-driven rendering
    cs.compileOrc(ORC)
    cs.start()
    cs.scoreEvent("i", [1, 0, 1, 0.5, 440])
    audio = cs.render(1500)                # (frames, nchnls) float64, GIL released
    print(audio.shape, np.abs(audio).max())
