<CsoundSynthesizer>
; An example effect plugin: a stereo 2nd-order Butterworth low-pass with an
; output gain. Each control channel declared with a range is a parameter.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 16
nchnls = 2
nchnls_i = 2
0dbfs = 1

; chn_k name, mode (1 = input), type (2 = linear, 3 = exponential), default, min, max
chn_k "cutoff", 1, 3, 1000, 20, 20000, 0, 0, 0, 0, "unit=Hz;name=Cutoff"
chn_k "gain", 1, 2, 0, -24, 12, 0, 0, 0, 0, "unit=dB;name=Gain"

instr 1
  kcut = chnget:k("cutoff")
  kgain = ampdb(chnget:k("gain"))
  aL, aR ins
  outs butterlp(aL, kcut) * kgain, butterlp(aR, kcut) * kgain
endin
</CsInstruments>
<CsScore>
i 1 0 z
</CsScore>
</CsoundSynthesizer>
