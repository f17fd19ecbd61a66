#!/usr/bin/env python3
"""One measurement in a fresh interpreter, for benchmarks/run.py (items 11, 12 and 13):

    child.py import IMPL      time of the first import of IMPL (nothing else imported before)
    child.py rss IMPL N       resident memory added by N more IMPL.Csound() instances
    child.py lifecycle IMPL N time per create → compileOrc → start → destroy cycle, over N cycles
                              after one warm-up cycle

IMPL: csoundpp, ctcsound or libcsound (with CSOUNDPP_BENCH_CSOUND=7: csoundpp, ctcsound7, libcsound or
cycsound), loaded as run.py loads them (benchmarks/peers.py).
Prints one JSON object.
"""
from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402  (standard library only: does not import numpy)


LIFE_ORC = "sr = 48000\nksmps = 32\nnchnls = 2\n0dbfs = 1\ninstr 1\n  a1 oscili 0.1, 440\n  outs a1, a1\nendin\n"


def pin_libjack() -> None:
    """As run.py does for its whole run (see run.pin_libjack): the peers reload libjack at every
    create otherwise, and crash after ~300 cycles."""
    import ctypes
    try:
        ctypes.CDLL("libjack.so.0", mode=os.RTLD_NOW | getattr(os, "RTLD_NODELETE", 0))
    except OSError:
        pass


def lifecycle(mod) -> None:
    cs = mod.Csound()
    for o in ("-n", "-d", "-m0"):
        cs.setOption(o)
    if cs.compileOrc(LIFE_ORC) != 0 or cs.start() != 0:
        raise RuntimeError(f"{mod.__name__}: compile/start failed")
    if hasattr(cs, "destroy"):  # csoundpp and libcsound destroy explicitly; ctcsound in __del__
        cs.destroy()
    del cs


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main(argv: list[str]) -> int:
    kind, impl = argv[0], argv[1]
    n = int(argv[2]) if len(argv) > 2 else 0
    peers.use_csound(int(os.environ.get("CSOUNDPP_BENCH_CSOUND", "6")))
    loaders = dict(peers.python_loaders())
    had_numpy = "numpy" in sys.modules
    t0 = time.perf_counter()
    mod, why = loaders[impl]()
    dt = time.perf_counter() - t0
    if mod is None:
        print(json.dumps({"error": why}))
        return 0
    if kind == "import":
        print(json.dumps({"import_ms": dt * 1e3, "imports_numpy": not had_numpy and "numpy" in sys.modules}))
        return 0
    if kind == "rss":
        keep = [mod.Csound() for _ in range(2)]  # first-instance costs out of the way
        gc.collect()
        r0 = rss_bytes()
        keep += [mod.Csound() for _ in range(n)]
        gc.collect()
        r1 = rss_bytes()
        print(json.dumps({"rss_per_instance": (r1 - r0) / n}))
        return 0
    if kind == "lifecycle":
        pin_libjack()
        lifecycle(mod)  # the first instance's one-time costs (first load of the plugins) out of the way
        t0 = time.perf_counter()
        for _ in range(n):
            lifecycle(mod)
        print(json.dumps({"lifecycle_ms": (time.perf_counter() - t0) / n * 1e3}))
        return 0
    print(f"unknown measurement {kind!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
