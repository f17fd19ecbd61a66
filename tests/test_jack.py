"""A real host: JACK clients running a .csd through BlockProcessor.

Starts its own `jackd --no-realtime -d dummy` (private server name) when jackd
is installed; runs the C++ client of examples/jack_client and the Python
client of examples/jack_python.py for a few seconds each, and checks they
produced non-silent audio with no xrun reported by JACK.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from _cmake_helpers import EXAMPLES, build_example, find_cmake_dir

pytestmark = [
    pytest.mark.jack,
    pytest.mark.skipif(shutil.which("jackd") is None, reason="jackd is not installed (Debian package jackd2)"),
]

SECONDS = 4
# 1024 frames (21 ms) leaves headroom for a test machine shared with other jobs, where jackd
# runs without real-time scheduling; benchmarks/run.py item 8 measures the 256-frame case.
PERIOD = 1024
STATS = re.compile(r"frames=(\d+) peak=([\d.]+) rms=([\d.]+) xruns=(\d+) latency=(\d+).*max_callback_us=([\d.]+)")


@pytest.fixture(scope="module")
def jack_server(tmp_path_factory):
    name = f"csoundpp-test-{os.getpid()}"
    log = tmp_path_factory.mktemp("jackd") / "jackd.log"
    with open(log, "w") as f:  # a file, not a pipe: jackd must never block on its output
        proc = subprocess.Popen(["jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r", "48000",
                                 "-p", str(PERIOD)], stdout=f, stderr=subprocess.STDOUT)
    time.sleep(0.5)
    if proc.poll() is not None:
        pytest.skip(f"jackd could not start: {log.read_text()[-2000:]}")
    env = dict(os.environ, JACK_DEFAULT_SERVER=name, JACK_NO_AUDIO_RESERVATION="1")
    yield env
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def check_stats(out: str, seconds: float) -> dict:
    m = STATS.search(out)
    assert m, out
    frames, peak, rms, xruns, latency = int(m[1]), float(m[2]), float(m[3]), int(m[4]), int(m[5])
    max_us = float(m[6])
    period_us = PERIOD / 48000 * 1e6
    assert frames >= 0.5 * seconds * 48000, out  # JACK called us through the run
    assert peak > 0.05 and rms > 0.01, out       # the .csd was heard
    assert latency == 0, out                     # PERIOD-frame blocks, a multiple of ksmps 64
    print(out, f"period={period_us:.0f}us load={os.getloadavg()}")
    if xruns:
        load = os.getloadavg()[0]
        if load > (os.cpu_count() or 1):
            # jackd --no-realtime on an overloaded machine: JACK's own threads are
            # not scheduled in time, whatever the client does.
            pytest.xfail(f"{xruns} xruns with load average {load:.1f} on {os.cpu_count()} CPUs "
                         f"(longest callback {max_us:.0f} us of a {period_us:.0f} us period)")
        assert xruns == 0, out
    return {"frames": frames, "peak": peak, "rms": rms, "xruns": xruns}


@pytest.mark.timeout(900)
def test_cpp_jack_client(jack_server, tmp_path_factory):
    b = build_example("jack_client", find_cmake_dir(tmp_path_factory), tmp_path_factory.mktemp("jack"))
    r = subprocess.run([str(b / "csoundpp_jack"), str(EXAMPLES / "jack_client" / "synth.csd"), str(SECONDS),
                        "cpp-client"], env=jack_server, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    check_stats(r.stdout, SECONDS)


@pytest.mark.timeout(300)
def test_python_jack_client(jack_server):
    pytest.importorskip("jack", reason="the JACK-Client package is not installed (pip install JACK-Client)")
    env = dict(jack_server, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    r = subprocess.run([sys.executable, str(EXAMPLES / "jack_python.py"), str(EXAMPLES / "jack_client" / "synth.csd"),
                        "--seconds", str(SECONDS), "--name", "py-client"],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    check_stats(r.stdout, SECONDS)
