"""libcsound (Csound 7 API, seed 001) program: CSD text, events, a performance thread."""
import libcsound

csd = """<CsoundSynthesizer>
<CsOptions>
-n -d -m0
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 1
0dbfs = 1
instr 1
  chnset p4, "got"
endin
</CsInstruments>
<CsScore>
f 0 0.3
</CsScore>
</CsoundSynthesizer>
"""
cs = libcsound.Csound()
assert cs.compileCsdText(csd) == 0
cs.start()
pt = cs.performanceThread()
cs.eventString("i 1 0 0.01 5")
cs.event("i", [1, 0.05, 0.01, 6])
pt.play()
pt.join()
print("got", cs.controlChannel("got")[0])
