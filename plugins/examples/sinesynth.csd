<CsoundSynthesizer>
; An example instrument plugin: a sine voice per MIDI note, velocity-scaled,
; with pitch bend (+-2 semitones), CC 7 volume and an attack/release envelope.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 16
nchnls = 2
0dbfs = 1

chn_k "level", 1, 2, 0.5, 0, 1, 0, 0, 0, 0, "name=Level"
chn_k "attack", 1, 3, 0.005, 0.001, 2, 0, 0, 0, 0, "unit=s;name=Attack"
chn_k "release", 1, 3, 0.05, 0.001, 4, 0, 0, 0, 0, "unit=s;name=Release"

massign 0, 1
initc7 1, 7, 1          ; CC 7 starts at full volume on channel 1

instr 1
  icps cpsmidi
  ivel ampmidi 1
  kbend pchbend 0, 2    ; semitones
  kvol midictrl 7, 0, 1
  iatt = chnget:i("attack")
  irel = chnget:i("release")
  aenv madsr iatt, 0, 1, irel
  asig = poscil(ivel * kvol * chnget:k("level") * aenv, icps * semitone(kbend))
  outs asig, asig
endin
</CsInstruments>
<CsScore>
f 0 z
</CsScore>
</CsoundSynthesizer>
