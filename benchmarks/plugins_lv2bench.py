#!/usr/bin/env python3
"""Cost per block of the .csd plugins in lv2bench, next to LV2's example amplifier.

    python3 benchmarks/plugins_lv2bench.py [--bin build/plugins/bin] [--repeat 5] [--frames 480000]

Runs `lv2bench -f -b B -n FRAMES URI` for B in 32, 64, 256, 1024 on:
  eg-amp     http://lv2plug.in/plugins/eg-amp (Debian's lv2-examples): a trivial
             reference, one multiply per sample
  lowpass    the example effect (stereo butterlp + gain, ksmps 16)
  sinesynth  the example instrument, idle (lv2bench sends no notes: k-cycles only)
Each cell is the median (min-max) over the repetitions, in microseconds per block;
the ratio column divides the plugin's median by eg-amp's. Repetitions interleave
the plugins so load changes hit all alike. Build the plugins first
(scripts/suites/50-plugins.sh does).
"""

import argparse
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
PLUGINS = {
    "eg-amp": "http://lv2plug.in/plugins/eg-amp",
    "lowpass": "urn:csoundpp:plugin:csoundpp-lowpass",
    "sinesynth": "urn:csoundpp:plugin:csoundpp-sinesynth",
}
BLOCKS = (32, 64, 256, 1024)


def bench(uri, block, frames, env):
    out = subprocess.run(["lv2bench", "-f", "-b", str(block), "-n", str(frames), uri], env=env,
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == uri:
            return float(parts[2]) / (frames / block) * 1e6  # µs per block
    raise RuntimeError(f"lv2bench printed no result for {uri}:\n{out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", type=pathlib.Path, default=ROOT / "build/plugins/bin")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--frames", type=int, default=480000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as lv2:
        for b in args.bin.glob("*.lv2"):
            os.symlink(b, pathlib.Path(lv2) / b.name)
        env = dict(os.environ, LV2_PATH=f"{lv2}:/usr/lib/lv2")
        runs = {(p, b): [] for p in PLUGINS for b in BLOCKS}
        for _ in range(args.repeat):
            for b in BLOCKS:
                for name, uri in PLUGINS.items():
                    runs[name, b].append(bench(uri, b, args.frames, env))
    load = os.getloadavg()
    print(f"Command: `python3 benchmarks/plugins_lv2bench.py --repeat {args.repeat} --frames {args.frames}`  ")
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min); lv2bench at 48 kHz  ")
    print()
    print("| block (frames) | eg-amp µs/block | lowpass µs/block | lowpass / eg-amp | sinesynth (idle) µs/block | sinesynth / eg-amp |")
    print("|---|---|---|---|---|---|")

    def cell(v):
        return f"{statistics.median(v):.3g} ({min(v):.3g}–{max(v):.3g})"

    for b in BLOCKS:
        amp = statistics.median(runs["eg-amp", b])
        lp = statistics.median(runs["lowpass", b])
        sy = statistics.median(runs["sinesynth", b])
        print(f"| {b} | {cell(runs['eg-amp', b])} | {cell(runs['lowpass', b])} | {lp / amp:.0f}× "
              f"| {cell(runs['sinesynth', b])} | {sy / amp:.0f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
