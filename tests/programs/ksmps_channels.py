"""ctcsound program: a performKsmps loop that drives a control channel and reads others back."""
import ctcsound

orc = """
sr = 48000
ksmps = 64
nchnls = 1
0dbfs = 1
instr 1
  kin chnget "freq"
  chnset kin * 2, "double"
  krms rms oscili(0.5, kin)
  chnset krms, "rms"
  out oscili(0.5, kin)
endin
"""
cs = ctcsound.Csound()
cs.setOption("-n")
cs.setOption("-d")
cs.setOption("-m0")
cs.compileOrc(orc)
cs.readScore("i1 0 0.5\n")
cs.start()
freq = 100.0
doubles = []
while cs.performKsmps() == 0:
    cs.setControlChannel("freq", freq)
    value, err = cs.controlChannel("double")
    doubles.append(value)
    freq += 1.0
rms, err = cs.controlChannel("rms")
print("cycles", len(doubles))
print("last_double", doubles[-1])
print("err", err)
print("rms", round(rms, 3))
ptr, msg = cs.channelPtr("freq", ctcsound.CSOUND_CONTROL_CHANNEL | ctcsound.CSOUND_INPUT_CHANNEL)
print("ptr", float(ptr[0]), repr(msg))
lst, e = cs.listChannels()
print("channels", sorted(c.name for c in lst))
cs.deleteChannelList(lst)
cs.cleanup()
