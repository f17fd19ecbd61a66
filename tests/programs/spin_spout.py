"""ctcsound program: host-implemented audio, feeding spin and reading spout every k-cycle."""
import numpy as np

import ctcsound

orc = """
sr = 48000
ksmps = 16
nchnls = 2
nchnls_i = 1
0dbfs = 1
instr 1
  ain inch 1
  outs ain * 2, -ain
endin
"""
cs = ctcsound.Csound()
cs.setOption("-d")
cs.setOption("-m0")
cs.setHostImplementedAudioIO(1, 0)
cs.compileOrc(orc)
cs.readScore("i1 0 0.1\n")
cs.start()
spin = cs.spin()
spout = cs.spout()
ksmps = cs.ksmps()
t = 0
out = []
ramp = []
while True:
    block = (np.arange(ksmps) + t) / 10000.0
    spin[:] = block
    ramp.append(block.copy())
    if cs.performKsmps() != 0:
        break
    out.append(spout.copy().reshape(ksmps, 2))
    t += ksmps
out = np.concatenate(out)
ramp = np.concatenate(ramp)[: len(out)]
print("frames", len(out))
print("left_ok", bool(np.allclose(out[:, 0], ramp * 2)))
print("right_ok", bool(np.allclose(out[:, 1], -ramp)))
cs.cleanup()
