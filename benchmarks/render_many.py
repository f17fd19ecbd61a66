"""Throughput of csoundpp.render_many: seconds of audio rendered per wall-clock second for
1, 2 and 4 workers, with the default process pool and with a thread pool.

    .venv/bin/python benchmarks/render_many.py [--jobs 16] [--seconds 10] [--repeat 3]

Each job renders `--seconds` of a filtered sawtooth chord (8 voices, 48 kHz, stereo) to an
array that comes back to the caller; the figure is jobs * seconds / wall time, best of
`--repeat` (median printed beside it). The load average is printed with the results,
since the machine may be shared.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import statistics
import time

import csoundpp

ORC = """
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  icut chnget "cutoff"
  a1 vco2 0.05, p4
  a1 moogladder a1, icut, 0.4
  a2 vco2 0.05, p4 * 1.003
  a2 moogladder a2, icut * 1.1, 0.4
  outs a1, a2
endin
"""


def jobs(n: int, seconds: float) -> list:
    sco = "".join(f"i1 0 {seconds} {110 * (v + 1)}\n" for v in range(8))
    return [csoundpp.Job(orc=ORC, sco=sco, params={"cutoff": 400 + 100 * i}, name=f"job{i}") for i in range(n)]


def measure(kind: str, workers: int, js: list, repeat: int) -> list:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        if kind == "processes":
            res = csoundpp.render_many(js, max_workers=workers, progress=False)
        else:
            with cf.ThreadPoolExecutor(workers) as ex:
                res = csoundpp.render_many(js, ex, progress=False)
        times.append(time.perf_counter() - t)
        assert all(r.ok for r in res), [r.error for r in res if not r.ok]
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    a = ap.parse_args()
    js = jobs(a.jobs, a.seconds)
    audio = a.jobs * a.seconds
    print(f"{a.jobs} jobs x {a.seconds:g} s of audio; {os.cpu_count()} CPUs; load before "
          f"{os.getloadavg()[0]:.2f}")
    print("| workers | processes: s audio / wall s (best, median) | threads: s audio / wall s (best, median) |")
    print("|---|---|---|")
    for w in a.workers:
        cells = []
        for kind in ("processes", "threads"):
            t = measure(kind, w, js, a.repeat)
            cells.append(f"{audio / min(t):.1f} ({audio / statistics.median(t):.1f})")
        print(f"| {w} | {cells[0]} | {cells[1]} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
