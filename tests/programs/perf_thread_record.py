"""ctcsound program: a performance thread taking events while it records its output."""
import sys
import time

import ctcsound

out = sys.argv[1]
orc = """
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  a1 oscili p4, p5
  outs a1, a1
endin
instr 2
  chnset p4, "marker"
endin
"""
cs = ctcsound.Csound()
cs.setOption("-n")
cs.setOption("-d")
cs.setOption("-m0")
cs.compileOrc(orc)
cs.readScore("f 0 0.6\n")
cs.start()
pt = ctcsound.CsoundPerformanceThread(cs.csound())
pt.record(out, 16, 4)
# the thread starts paused: these wait in its queue until play()
pt.scoreEvent(0, "i", [1, 0, 0.2, 0.4, 440])
pt.inputMessage("i 2 0.1 0.01 7")
print("running", pt.isRunning())
print("status", pt.status())
pt.play()
time.sleep(0.01)
pt.join()
pt.stopRecord()
print("marker", cs.controlChannel("marker")[0])
print("after", pt.status())
