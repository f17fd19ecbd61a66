"""A JACK client in Python (the JACK-Client package) running a .csd through
csoundpp.BlockProcessor.

    python examples/jack_python.py examples/jack_client/synth.csd --seconds 5

GIL caveat: JACK calls the process callback on its real-time thread, and
JACK-Client runs it as Python code, so every block needs the GIL. While the
callback holds it no other Python thread runs; while another thread holds it
(a long computation, an import, a GC pass) the callback waits and JACK reports
an xrun. BlockProcessor.process() releases the GIL for the rendering itself and
neither allocates nor locks, but the Python around it (buffer lookup, the call,
numpy) still does. Keep the callback this small, keep other Python threads idle,
and use a larger JACK period if xruns appear. For glitch-free hosting use the
C++ client (examples/jack_client), which never touches Python on the audio
thread.
"""
from __future__ import annotations

import argparse
import sys
import threading
import time

import numpy as np

import csoundpp


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csd")
    ap.add_argument("--seconds", type=float, default=-1, help="run time (default: until Ctrl-C)")
    ap.add_argument("--name", default="csoundpp-py")
    args = ap.parse_args(argv)

    import jack  # the JACK-Client package

    client = None
    for _ in range(50):  # the server may still be starting
        try:
            client = jack.Client(args.name, no_start_server=True)
            break
        except jack.JackOpenError:
            time.sleep(0.1)
    if client is None:
        print("jack_python: cannot connect to a JACK server", file=sys.stderr)
        return 1

    cs = csoundpp.Csound()
    bp = csoundpp.BlockProcessor(cs, outputs=2)
    cs.setOption(f"--sample-rate={client.samplerate}")
    if cs.compileCsd(args.csd) != 0:
        print(f"jack_python: {args.csd} does not compile", file=sys.stderr)
        return 1
    bp.start()

    outs = [client.outports.register(f"out_{i + 1}") for i in range(2)]
    stats = {"frames": 0, "peak": 0.0, "sumsq": 0.0, "xruns": 0, "max_us": 0.0}
    blocksize, samplerate = client.blocksize, client.samplerate

    @client.set_process_callback
    def process(frames):
        t0 = time.perf_counter()
        bufs = [p.get_array() for p in outs]  # float32 views of JACK's buffers
        bp.process(None, bufs, frames)
        left = bufs[0]
        stats["frames"] += frames
        stats["peak"] = max(stats["peak"], float(np.abs(left).max()))
        stats["sumsq"] += float(np.dot(left, left))
        stats["max_us"] = max(stats["max_us"], (time.perf_counter() - t0) * 1e6)

    @client.set_xrun_callback
    def xrun(delay):
        stats["xruns"] += 1

    done = threading.Event()
    with client:
        for port, target in zip(outs, client.get_ports(is_physical=True, is_input=True, is_audio=True)):
            port.connect(target)
        try:
            done.wait(args.seconds if args.seconds >= 0 else None)
        except KeyboardInterrupt:
            pass
    frames = stats["frames"]
    rms = (stats["sumsq"] / frames) ** 0.5 if frames else 0.0
    print(f"frames={frames} peak={stats['peak']:.6f} rms={rms:.6f} xruns={stats['xruns']} "
          f"latency={bp.latency} max_callback_us={stats['max_us']:.1f} buffer={blocksize} sr={samplerate}")
    bp.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
