<CsoundSynthesizer>
<CsOptions>
-d -m0
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 2
0dbfs = 1

; a slow arpeggio that never ends; "gain" is a control channel the host may set
chn_k "gain", 1, 2, 1, 0, 1
instr 1
  kgain chnget "gain"
  kgain = (kgain == 0 ? 1 : kgain)
  knote = int(phasor:k(2) * 4)
  kfreq = cpsmidinn(57 + knote * 4)
  asig vco2 0.2 * kgain, kfreq, 12
  asig moogladder asig, 2000, 0.3
  outs asig, asig
endin
schedule 1, 0, -1
</CsInstruments>
</CsoundSynthesizer>
