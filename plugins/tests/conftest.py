"""Fixtures for the plugin tests: the built bundles and the host programs.

Run by scripts/suites/50-plugins.sh, which builds the plugins and a venv with
the hosts (pedalboard, dawdreamer); CSD_PLUGIN_BIN points at the build's bin/.
"""

import os
import pathlib
import subprocess

import numpy as np
import pytest

SR = 48000
LOWPASS_URI = "urn:csoundpp:plugin:csoundpp-lowpass"
SYNTH_URI = "urn:csoundpp:plugin:csoundpp-sinesynth"
KSMPS = 16  # both example .csd files


@pytest.fixture(scope="session")
def bin_dir() -> pathlib.Path:
    d = pathlib.Path(os.environ.get("CSD_PLUGIN_BIN", pathlib.Path(__file__).parents[2] / "build/plugins/bin"))
    if not (d / "csoundpp-lowpass.lv2").is_dir():
        pytest.fail(f"no built plugins in {d}: run scripts/suites/50-plugins.sh (or set CSD_PLUGIN_BIN)")
    return d


@pytest.fixture(scope="session")
def lv2_env(bin_dir, tmp_path_factory):
    """LV2_PATH with only the built .lv2 bundles (bin/ also holds the VST builds) and the system's."""
    d = tmp_path_factory.mktemp("lv2")
    for bundle in bin_dir.glob("*.lv2"):
        (d / bundle.name).symlink_to(bundle)
    return dict(os.environ, LV2_PATH=f"{d}:/usr/lib/lv2")


def run(cmd, env=None, timeout=120):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise AssertionError(f"{cmd} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p.stdout


def tone_levels(x: np.ndarray, freqs, sr=SR) -> np.ndarray:
    """Amplitude of each frequency in x; each must complete whole cycles over len(x) samples."""
    n = len(x)
    bins = np.asarray(freqs, float) * n / sr
    assert np.allclose(bins, np.round(bins)), f"{freqs} Hz are not whole cycles over {n} samples"
    spec = np.abs(np.fft.rfft(x)) * 2 / n
    return spec[np.round(bins).astype(int)]


def butterworth_lp_gain(f, fc, sr=SR):
    """|H| of Csound's butterlp (bilinear, prewarped): 1/sqrt(1 + (tan(pi f/sr)/tan(pi fc/sr))^4)."""
    r = np.tan(np.pi * np.asarray(f, float) / sr) / np.tan(np.pi * fc / sr)
    return 1 / np.sqrt(1 + r**4)


def db(x):
    return 20 * np.log10(np.maximum(np.abs(x), 1e-12))


def peak_freq(x: np.ndarray, sr=SR) -> float:
    """Frequency of the strongest partial, refined by parabolic interpolation of a Hann spectrum."""
    w = np.hanning(len(x))
    s = np.abs(np.fft.rfft(x * w))
    k = int(np.argmax(s[1:-1])) + 1
    a, b, c = np.log(s[k - 1 : k + 2])
    k += 0.5 * (a - c) / (a - 2 * b + c)
    return k * sr / len(x)


def read_wav(path):
    """(rate, samples) of a WAV libsndfile wrote (its PEAK chunk is not an error)."""
    import warnings

    from scipy.io import wavfile

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=wavfile.WavFileWarning)
        return wavfile.read(path)


def write_midi_file(path, events):
    """A format-0 Standard MIDI File of (seconds, [status, data...]) events (120 bpm, 960 ticks/s)."""
    import struct

    def vlq(n):
        out = [n & 0x7F]
        n >>= 7
        while n:
            out.append(0x80 | (n & 0x7F))
            n >>= 7
        return bytes(reversed(out))

    data, last = b"", 0
    for t, msg in sorted(events, key=lambda e: e[0]):
        tick = int(round(t * 960))
        data += vlq(tick - last) + bytes(msg)
        last = tick
    data += vlq(0) + b"\xff\x2f\x00"
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(data)) + data)


def semitones(f, ref):
    return 12 * np.log2(f / ref)
