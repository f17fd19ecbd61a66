"""The LV2 bundles in lilv's command-line hosts: lv2info, lv2apply, lv2bench."""

import re

import numpy as np
import pytest
from scipy.io import wavfile

from conftest import LOWPASS_URI, SR, SYNTH_URI, butterworth_lp_gain, db, read_wav, run, tone_levels


def test_lv2info_shows_ports_from_the_csd(lv2_env):
    out = run(["lv2info", LOWPASS_URI], env=lv2_env)
    assert out.count("lv2core#AudioPort") == 4  # nchnls_i = nchnls = 2
    # the chn_k declarations: symbol, name, range and default
    cutoff = out[out.index('Symbol:      cutoff') :]
    assert "Name:        Cutoff" in cutoff
    assert re.search(r"Minimum:\s+20\.0+\s", cutoff) and re.search(r"Maximum:\s+20000\.0+\s", cutoff)
    assert re.search(r"Default:\s+1000\.0+\s", cutoff)
    gain = out[out.index('Symbol:      gain') :]
    assert re.search(r"Minimum:\s+-24\.0+\s", gain) and re.search(r"Default:\s+0\.0+\s", gain)
    # the options/urid-map features are optional, so hosts without them (lv2apply) load it
    req = out[out.index("Required Features:") : out.index("Optional Features:")] if "Required Features:" in out else ""
    assert "options" not in req and "urid#map" not in req

    synth = run(["lv2info", SYNTH_URI], env=lv2_env)
    assert "Class:             Instrument Plugin" in synth
    assert synth.count("lv2core#AudioPort") == 2  # outputs only
    assert "atom#AtomPort" in synth and "Events Input" in synth  # MIDI in


@pytest.mark.parametrize("cutoff,gain", [(1000, 0), (3000, -6)])
def test_lv2apply_frequency_response(tmp_path, lv2_env, cutoff, gain):
    t = np.arange(3 * SR) / SR
    freqs_l, freqs_r = [250, 4000, 10000], [1000, 2000]
    left = sum(0.2 * np.sin(2 * np.pi * f * t) for f in freqs_l)
    right = sum(0.3 * np.sin(2 * np.pi * f * t) for f in freqs_r)
    wavfile.write(tmp_path / "in.wav", SR, np.stack([left, right], axis=1).astype(np.float32))
    run(["lv2apply", "-i", str(tmp_path / "in.wav"), "-o", str(tmp_path / "out.wav"),
         "-c", "cutoff", str(cutoff), "-c", "gain", str(gain), LOWPASS_URI], env=lv2_env)
    sr, y = read_wav(tmp_path / "out.wav")
    assert sr == SR and y.shape == (3 * SR, 2)
    steady = slice(SR, 3 * SR)  # after the filter settled: two whole seconds
    for ch, freqs, amp in ((0, freqs_l, 0.2), (1, freqs_r, 0.3)):
        got = db(tone_levels(y[steady, ch], freqs) / amp)
        want = db(butterworth_lp_gain(freqs, cutoff)) + gain
        np.testing.assert_allclose(got, want, atol=0.05, err_msg=f"channel {ch}, freqs {freqs}")


def test_lv2apply_silence_in_silence_out(tmp_path, lv2_env):
    wavfile.write(tmp_path / "in.wav", SR, np.zeros((SR, 2), np.float32))
    run(["lv2apply", "-i", str(tmp_path / "in.wav"), "-o", str(tmp_path / "out.wav"), LOWPASS_URI], env=lv2_env)
    _, y = read_wav(tmp_path / "out.wav")
    assert y.shape == (SR, 2) and not np.any(y)


def parse_lv2bench(out: str, uri: str) -> tuple[int, int, float]:
    """(block, frames, seconds) of `uri` in `lv2bench -f` output (lines: block frames seconds URI)."""
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == uri:
            return int(parts[0]), int(parts[1]), float(parts[2])
    raise AssertionError(f"{uri} missing from lv2bench output:\n{out}")


@pytest.mark.parametrize("block", [32, 64, 256, 1024, 100])
@pytest.mark.parametrize("uri", [LOWPASS_URI, SYNTH_URI])
def test_lv2bench_runs_at_any_block_size(lv2_env, uri, block):
    out = run(["lv2bench", "-f", "-b", str(block), "-n", str(SR), uri], env=lv2_env)
    b, frames, seconds = parse_lv2bench(out, uri)
    assert (b, frames) == (block, SR) and seconds > 0
