"""The csoundpp command line, run as a user runs it: a subprocess (and a real terminal,
through a pseudo-terminal, for the progress bar and Ctrl-C)."""
from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import csoundpp

EXAMPLE = Path(csoundpp.__file__).with_name("examples") / "chord.csd"

SINE_CSD = """<CsoundSynthesizer>
<CsOptions>
-odac -d
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  iamp chnget "amp"
  iamp = (iamp == 0 ? 0.5 : iamp)
  a1 oscili iamp, p4
  outs a1, a1 * 0.5
endin
</CsInstruments>
<CsScore>
i 1 0 1.5 440
</CsScore>
</CsoundSynthesizer>
"""

BAD_CSD = """<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
instr 1
  a1 oscili 0.5, 440
  out a1
endin

instr 2
  a1 nosuchopcode 0.5, 440
  out a1
endin
</CsInstruments>
<CsScore>
i 1 0 1
</CsScore>
</CsoundSynthesizer>
"""

LONG_CSD = SINE_CSD.replace("i 1 0 1.5 440", "i 1 0 360000 440")


def cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120):
    return subprocess.run([sys.executable, "-m", "csoundpp", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


@pytest.fixture
def sine(tmp_path):
    p = tmp_path / "sine.csd"
    p.write_text(SINE_CSD)
    return p


def test_no_arguments_renders_the_bundled_example(tmp_path):
    r = cli(cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "rendered" in r.stdout and "duration  3.000 s (144000 frames at 48000 Hz)" in r.stdout
    info = sf.info(str(tmp_path / "chord.wav"))
    assert (info.frames, info.channels, info.samplerate, info.subtype) == (144000, 2, 48000, "PCM_16")
    # not a terminal: plain progress lines, no bar
    assert "render chord.csd: 3.0 s of audio" in r.stderr and "\r" not in r.stderr


@pytest.mark.parametrize("ext, fmt_flag, subtype, expect_fmt, expect_sub", [
    ("wav", None, "PCM_24", "WAV", "PCM_24"),
    ("flac", None, None, "FLAC", "PCM_16"),
    ("aiff", None, "FLOAT", "AIFF", "FLOAT"),
    ("w64", None, "DOUBLE", "W64", "DOUBLE"),
    ("ogg", None, None, "OGG", "VORBIS"),
    ("caf", None, "PCM_32", "CAF", "PCM_32"),
    ("bin", "RAW", "PCM_16", "RAW", "PCM_16"),
])
def test_render_formats_match_the_array(tmp_path, sine, ext, fmt_flag, subtype, expect_fmt, expect_sub):
    out = tmp_path / f"out.{ext}"
    args = ["render", str(sine), "-o", str(out)]
    if fmt_flag:
        args += ["--format", fmt_flag]
    if subtype:
        args += ["--subtype", subtype]
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    ref = csoundpp.render(str(sine))
    assert ref.audio.shape == (72000, 2)
    if expect_fmt == "RAW":
        data = np.fromfile(out, dtype="<i2").reshape(-1, 2) / 32768.0
    else:
        info = sf.info(str(out))
        assert (info.format, info.subtype, info.channels, info.samplerate) == (expect_fmt, expect_sub, 2, 48000)
        data, _ = sf.read(str(out), always_2d=True)
    assert data.shape == ref.audio.shape
    tol = {"PCM_16": 1 / 16000, "PCM_24": 1e-6, "PCM_32": 1e-9, "FLOAT": 1e-7, "DOUBLE": 0,
           "VORBIS": 0.05}[expect_sub]
    assert np.max(np.abs(data - ref.audio)) <= tol
    assert np.max(np.abs(data[:, 1])) == pytest.approx(0.25, abs=0.01)  # the right channel is half


def test_render_overrides_and_params(tmp_path, sine):
    out = tmp_path / "o.wav"
    r = cli("render", str(sine), "-o", str(out), "--sr", "44100", "--ksmps", "10", "--param", "amp=0.2",
            "--subtype", "FLOAT")
    assert r.returncode == 0, r.stderr
    data, sr = sf.read(str(out), always_2d=True)
    assert sr == 44100 and data.shape == (66150, 2)
    assert np.max(np.abs(data[:, 0])) == pytest.approx(0.2, abs=1e-3)
    # --duration cuts the score short
    r = cli("render", str(sine), "-o", str(out), "--duration", "0.25")
    assert r.returncode == 0, r.stderr
    assert sf.info(str(out)).frames == 12000


def test_errors_are_one_line_and_nonzero(tmp_path, sine):
    bad = tmp_path / "bad.csd"
    bad.write_text(BAD_CSD)
    cases = [
        (("render", str(tmp_path / "missing.csd")), 2, "no such file"),
        (("render", str(sine), "-o", str(tmp_path / "x.nosuch")), 2, "unknown sound file extension"),
        (("render", str(sine), "-o", str(tmp_path / "x.flac"), "--subtype", "FLOAT"), 2, "cannot hold sample type"),
        (("render", str(sine), "--sr", "-3"), 2, "sr must be a positive integer"),
        (("render", str(bad), "-o", str(tmp_path / "b.wav")), 1, "did not compile"),
        (("render", str(sine), "--param", "novalue"), 2, "NAME=VALUE"),
        (("play", str(tmp_path / "missing.csd")), 2, "no such file"),
    ]
    for args, code, text in cases:
        r = cli(*args)
        assert r.returncode == code, (args, r.stdout, r.stderr)
        lines = [ln for ln in r.stderr.splitlines() if ln.strip() and not ln.startswith("render ")]
        assert len(lines) == 1 and lines[0].startswith("csoundpp: error: ") and text in lines[0], (args, r.stderr)
        assert "Traceback" not in r.stderr


def test_check_reports_diagnostics_with_line_numbers(tmp_path, sine):
    bad = tmp_path / "bad.csd"
    bad.write_text(BAD_CSD)
    ok = cli("check", str(sine), str(EXAMPLE))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count("ok ") == 2
    r = cli("check", str(sine), str(bad))
    assert r.returncode == 1
    assert f"ok        {sine}" in r.stdout and f"FAILED    {bad}" in r.stdout
    assert "nosuchopcode" in r.stdout
    assert re.search(r"line\s*:?\s*\d+", r.stdout), r.stdout
    assert "1 of 2 file(s) did not compile" in r.stderr


def test_info_lists_versions_modules_and_plugins():
    r = cli("info", "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["csoundpp"] == csoundpp.__version__
    major = csoundpp.csound_version()[0]
    assert info["csound"].startswith(f"{major}.")
    assert (info["csound_api"] is None) == (major >= 7)  # Csound 7 has no API version number
    assert "jack" in info["modules"]["audio"] and info["modules"]["midi"]
    assert Path(info["plugin_folder"]).is_dir()
    assert info["opcodes"] > 1000
    text = cli("info").stdout
    assert "audio modules" in text and "plugins" in text
    r = cli("info", "--devices", "--json")
    assert r.returncode == 0, r.stderr
    devices = json.loads(r.stdout)["devices"]
    assert set(devices) == {f"audio:{m}" for m in info["modules"]["audio"] if m != "null"}
    assert all(isinstance(d["output"], list) and isinstance(d["input"], list) for d in devices.values())


def test_help_for_each_command():
    for args in ([], ["render"], ["play"], ["check"], ["info"]):
        r = cli(*args, "--help")
        assert r.returncode == 0 and "usage:" in r.stdout, (args, r.stderr)
    top = cli("--help").stdout
    for command in ("render", "play", "check", "info"):
        assert f"    {command} " in top, top


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("csoundpp")
    if not exe.exists():
        pytest.skip("the csoundpp console script is not installed next to this interpreter")
    r = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and csoundpp.__version__ in r.stdout


# ----------------------------------------------------------------------------- a real terminal
def run_in_pty(args, cwd, send_sigint_after=None, timeout=120.0):
    """Runs the CLI with stdin/stdout/stderr on a pseudo-terminal; returns (status, output);
    status None if it had to be killed at `timeout`. With send_sigint_after=regex, sends
    SIGINT to its process group (what Ctrl-C does) once the output matches it."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "csoundpp", *args], cwd=cwd, stdin=slave, stdout=slave,
                            stderr=slave, close_fds=True, start_new_session=True,
                            # a test runner started in the background may ignore SIGINT, and
                            # the child would inherit that: give it the default disposition
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                            env=dict(os.environ, COLUMNS="100"))
    os.close(slave)
    out = b""
    sent = False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
            if send_sigint_after and not sent and re.search(send_sigint_after.encode(), out):
                os.killpg(proc.pid, signal.SIGINT)
                sent = True
        try:
            status = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            status = None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return status, out.decode(errors="replace")


def test_progress_bar_on_a_terminal(tmp_path, sine):
    status, out = run_in_pty(["render", str(sine), "-o", str(tmp_path / "t.wav")], tmp_path)
    assert status == 0, out
    # tqdm draws in place with carriage returns and a bar of block characters
    assert "\r" in out and "render sine.csd" in out and "s audio" in out, out
    assert "1.5 s audio" in out or "1.5s audio" in out.replace(" s", "s"), out
    assert "duration  1.500 s" in out


def test_ctrl_c_leaves_a_valid_shorter_file(tmp_path):
    long_csd = tmp_path / "long.csd"
    long_csd.write_text(LONG_CSD)
    out = tmp_path / "long.flac"
    status, text = run_in_pty(["render", str(long_csd), "-o", str(out)], tmp_path,
                              send_sigint_after=r"[1-9][0-9]*\.[0-9] s audio \[")
    assert status == 130, text
    assert "interrupted" in text
    info = sf.info(str(out))
    assert 0 < info.frames < 360000 * 48000
    data, _ = sf.read(str(out), always_2d=True)
    assert data.shape[0] == info.frames and np.max(np.abs(data[:, 0])) == pytest.approx(0.5, abs=1e-3)
    m = re.search(r"duration\s+([\d.]+) s \((\d+) frames", text)
    assert m and int(m[2]) == info.frames, text


# ----------------------------------------------------------------------------- play through JACK
@pytest.mark.jack
@pytest.mark.skipif(shutil.which("jackd") is None, reason="jackd is not installed (Debian package jackd2)")
def test_play_through_a_real_jack_server(tmp_path, sine):
    jack = pytest.importorskip("jack")
    name = f"csoundpp-cli-{os.getpid()}"
    log = open(tmp_path / "jackd.log", "w")
    server = subprocess.Popen(["jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r", "48000", "-p", "1024"],
                              stdout=log, stderr=subprocess.STDOUT)
    env = dict(os.environ, JACK_DEFAULT_SERVER=name, JACK_NO_AUDIO_RESERVATION="1")
    try:
        time.sleep(0.5)
        if server.poll() is not None:
            pytest.skip("jackd could not start: " + (tmp_path / "jackd.log").read_text()[-500:])
        listener = None
        for _ in range(50):  # the server may need a moment before it accepts clients
            try:
                listener = jack.Client("cli-listener", servername=name, no_start_server=True)
                break
            except jack.JackOpenError:
                time.sleep(0.1)
        assert listener is not None, "could not connect to the private jackd"
        port = listener.inports.register("in")
        peak = [0.0]

        @listener.set_process_callback
        def process(frames):
            peak[0] = max(peak[0], float(np.max(np.abs(port.get_array()))))

        listener.activate()
        client = f"cliplay{os.getpid()}"
        proc = subprocess.Popen([sys.executable, "-m", "csoundpp", "play", str(sine), "--rtaudio", "jack",
                                 f"--option=-+jack_client={client}", "-b", "1024"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        connected = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None and not connected:
            ports = listener.get_ports(f"{client}:.*", is_output=True, is_audio=True)
            try:
                if ports:
                    listener.connect(ports[0], port)
                    connected = True
            except jack.JackError:  # the port appeared but its client is not active yet
                pass
            if not connected:
                time.sleep(0.02)
        out, err = proc.communicate(timeout=60)
        listener.deactivate()
        listener.close()
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    assert proc.returncode == 0, out + err
    assert connected, "csoundpp's JACK client never appeared"
    assert "played" in out and "through jack" in out
    m = re.search(r"duration\s+([\d.]+) s", out)
    assert m and float(m[1]) == pytest.approx(1.5, abs=0.1), out
    assert "play sine.csd: 1.5 s of audio (" not in err  # no total known: no percentage
    assert re.search(r"play sine\.csd: [\d.]+ s of audio", err), err
    assert peak[0] == pytest.approx(0.5, abs=0.05), "the sine did not reach JACK"
