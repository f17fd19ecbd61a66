; The one orchestra every implementation runs in benchmarks/run.py (and the C++ floor).
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

chn_k "amp", 3
chn_k "freq", 3
giSine ftgen 1, 0, 16384, 10, 1, 0.5, 0.3, 0.25
giStart ftgen 2, 0, 1048576, -2, -1   ; instr 2 writes here the k-cycle it started in

instr 1   ; a voice: table oscillator driven by two control channels
  kamp chnget "amp"
  kfrq chnget "freq"
  a1 oscili 0.02 + 0.02*kamp, 220 + kfrq + p4, 1
  outs a1, a1
endin

instr 2   ; event target: records the k-cycle of its first performance in table 2 at index p4
  ik timek
  tablew ik, p4 % 1048576, 2
endin

instr 3   ; real-time load: one outvalue per k-cycle and a message every 0.1 s
  krms init 0
  a1 oscili 0.1, 330, 1
  krms rms a1
  outvalue "level", krms
  printks "level %f\n", 0.1, krms
  outs a1, a1
endin

instr 4   ; real-time clock: k-cycles rendered (timek) against wall time (rtclock), once a second
  kt timek
  kwall rtclock
  printks "csbench-clock %d %f\n", 1, kt, kwall
endin

instr 5   ; counted event: adds one to the "started" channel at init
  chnset chnget:i("started") + 1, "started"
endin
