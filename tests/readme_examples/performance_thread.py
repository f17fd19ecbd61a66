# The README's performance-thread example.
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
    cs.setOption("-n -d")                    # no device: the thread renders as fast as it can
    cs.compileOrc(ORC)
    cs.readScore("f 0 2\n")                  # a 2-second score
    cs.start()
    pt = cs.performanceThread()              # starts paused, like csPerfThread
    pt.record("take.wav", 24)                # a writer thread records; nothing is dropped
    for k in range(8):
        pt.scoreEvent(False, "i", [1, k * 0.25, 0.2, 0.3, 220 * (k + 1)])
    pt.play()                                # queued commands run in order, then the score
    status = pt.join()                       # > 0 at the end of the score; take.wav is complete
