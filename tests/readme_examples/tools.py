# The README's "Everyday tools" example (type-checked by mypy, run by tests/test_render_many.py).
import logging

import csoundpp

ORC = """
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  icut chnget "cutoff"
  a1 vco2 0.3, p4
  a1 moogladder a1, icut, 0.5
  outs a1, a1
endin
"""

if __name__ == "__main__":  # render_many starts worker processes that import this file
    res = csoundpp.render(orc=ORC, sco="i1 0 1 110", params={"cutoff": 900})
    print(res.audio.shape, res.sr, round(res.peak, 3))     # (48000, 2) 48000 ...
    res.save("bass.flac", subtype="PCM_24")

    jobs = [dict(orc=ORC, sco="i1 0 1 55", params={"cutoff": c}, output=f"cut{c}.wav")
            for c in (200, 800, 3200)]
    for r in csoundpp.render_many(jobs):                  # every core; results in order
        print(r.label, r.ok, r.output if r.ok else r.error)

    logging.basicConfig(level=logging.INFO)
    with csoundpp.Csound() as cs:
        csoundpp.log_messages(cs)                         # logger "csoundpp.csound"
        cs.setOption("-n")
        cs.compileOrc(ORC + 'instr 2\n prints "hello\\n"\nendin\n')
        cs.readScore("i2 0 0\n")
        cs.start()
        cs.perform()                                      # INFO:csoundpp.csound:hello
