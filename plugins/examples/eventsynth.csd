<CsoundSynthesizer>
; An example instrument plugin built with NOTE_EVENTS 1: each MIDI note starts
; "i 1.f 0 -1 note velocity channel" on the note's exact frame (sample-accurate),
; its note off ends that instance (with the release).
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 2
0dbfs = 1

chn_k "level", 1, 2, 0.5, 0, 1, 0, 0, 0, 0, "name=Level"
chn_k "release", 1, 3, 0.05, 0.001, 4, 0, 0, 0, 0, "unit=s;name=Release"

instr 1
  icps = cpsmidinn(p4)
  iamp = p5 / 127
  irel = chnget:i("release")
  aenv linsegr 1, irel, 0           ; full level from the first sample, released by the note off
  asig = poscil(iamp * chnget:k("level") * aenv, icps, -1, 0.25)   ; cosine: non-zero first sample
  outs asig, asig
endin
</CsInstruments>
<CsScore>
f 0 z
</CsScore>
</CsoundSynthesizer>
