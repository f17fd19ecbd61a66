"""csnd program (seed 004): Compile a CSD, drive it through a performance thread and channels."""
import sys
import time

import csnd

csd = sys.argv[1]
cs = csnd.Csound()
res = cs.Compile(csd)
print("compile", res)
cs.SetChannel("frequency", 440.0)
perf = csnd.CsoundPerformanceThread(cs)
perf.Pause()
time.sleep(0.01)
perf.Play()
perf.Join()
print("rms_positive", cs.GetChannel("rms") > 0)
print("freq", cs.GetChannel("frequency"))
cs.Reset()
