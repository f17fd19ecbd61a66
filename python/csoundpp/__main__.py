"""csoundpp's main job: render a .csd to a WAV file and report what was made.

    python -m csoundpp [input.csd] [-o output.wav]

Without an input it renders the bundled example (csoundpp/examples/chord.csd).
"""
from __future__ import annotations

import argparse
import math
import sys
import wave
from pathlib import Path

import numpy as np

from . import Csound

EXAMPLE = Path(__file__).with_name("examples") / "chord.csd"


def render(csd: Path, out: Path, cycles_per_call: int = 256) -> dict:
    with Csound() as cs:
        cs.setOption("-d -m0")
        cs.setOption(f"-o{out}")
        cs.setOption("-W -s")  # 16-bit WAV
        if cs.compileCsd(str(csd)) != 0:
            raise SystemExit(f"csoundpp: {csd} did not compile:\n{cs.lastErrors()}")
        if cs.start() != 0:
            raise SystemExit(f"csoundpp: could not start {csd}:\n{cs.lastErrors()}")
        nch, ksmps, sr, zdb = cs.nchnls(), cs.ksmps(), cs.sr(), cs.get0dBFS()
        block = np.empty(cycles_per_call * ksmps * nch)
        peak = 0.0
        frames = 0
        finished = False
        while not finished:
            n, finished = cs.performKsmpsInto(block)
            if n:
                used = block[: n * ksmps * nch]
                peak = max(peak, float(np.max(np.abs(used))))
                frames += n * ksmps
        cs.cleanup()
    with wave.open(str(out), "rb") as w:
        file_frames, file_channels, file_rate = w.getnframes(), w.getnchannels(), w.getframerate()
    return {
        "output": str(out),
        "frames": file_frames,
        "rendered_frames": frames,
        "channels": file_channels,
        "sample_rate": file_rate,
        "duration": file_frames / file_rate,
        "peak": peak / zdb,
        "engine_sr": sr,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m csoundpp", description=__doc__.splitlines()[0])
    ap.add_argument("csd", nargs="?", type=Path, default=EXAMPLE, help="input .csd (default: bundled example)")
    ap.add_argument("-o", "--output", type=Path, default=None, help="output WAV (default: <csd name>.wav here)")
    args = ap.parse_args(argv)
    if not args.csd.is_file():
        ap.error(f"no such file: {args.csd}")
    out = args.output or Path.cwd() / (args.csd.stem + ".wav")
    info = render(args.csd, out.resolve())
    peak_db = 20 * math.log10(info["peak"]) if info["peak"] > 0 else float("-inf")
    print(f"rendered  {args.csd}")
    print(f"output    {info['output']}")
    print(f"duration  {info['duration']:.3f} s ({info['frames']} frames at {info['sample_rate']} Hz)")
    print(f"channels  {info['channels']}")
    print(f"peak      {info['peak']:.4f} of 0dBFS ({peak_db:.2f} dBFS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
