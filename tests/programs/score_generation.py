"""ctcsound program: generate a score in Python, load it with readScore, render to a file."""
import sys

import ctcsound

out = sys.argv[1]
orc = """
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
instr 1
  aenv linen p4, 0.01, p3, 0.05
  a1 oscili aenv, cpspch(p5)
  out a1
endin
"""
notes = []
pitches = [8.00, 8.02, 8.04, 8.05, 8.07, 8.09, 8.11, 9.00]
for i, p in enumerate(pitches):
    notes.append("i 1 %f %f %f %f" % (i * 0.05, 0.05, 0.3, p))
sco = "\n".join(notes) + "\n"

cs = ctcsound.Csound()
cs.setOption("-o" + out)
cs.setOption("-W")
cs.setOption("-d")
cs.setOption("-m0")
assert cs.compileOrc(orc) == 0
assert cs.readScore(sco) == 0
assert cs.start() == 0
cycles = 0
while cs.performKsmps() == 0:
    cycles += 1
print("cycles", cycles)
print("time", cs.scoreTime())
cs.cleanup()
cs.reset()
