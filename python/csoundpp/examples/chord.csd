<CsoundSynthesizer>
<CsOptions>
-d -m0
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 2
0dbfs = 1

; a plucked-string-like voice with a gentle stereo spread
instr 1
  iamp = p4
  icps = p5
  ipan = p6
  kenv linseg 0, 0.01, 1, p3 - 0.21, 0.6, 0.2, 0
  asig vco2 iamp, icps, 10
  asig moogladder asig, 600 + 3000 * kenv, 0.3
  asig = asig * kenv
  aL, aR pan2 asig, ipan
  outs aL, aR
endin
</CsInstruments>
<CsScore>
i 1 0.0 2.0 0.20 220.00 0.2
i 1 0.5 1.5 0.18 277.18 0.5
i 1 1.0 1.0 0.16 329.63 0.8
i 1 2.0 1.0 0.25 440.00 0.5
e
</CsScore>
</CsoundSynthesizer>
