"""The one command: plugins/csd2plugin turns a user's .csd into a plugin."""

import os
import pathlib
import subprocess
import sys

import numpy as np
from scipy.io import wavfile

from conftest import SR, db, read_wav, run, tone_levels

CSD2PLUGIN = pathlib.Path(__file__).parents[1] / "csd2plugin"

MONO_GAIN = """<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 64
nchnls = 1
0dbfs = 1
chn_k "volume", 1, 2, 0.5, 0, 2
instr 1
  out in() * chnget:k("volume")
endin
</CsInstruments>
<CsScore>
i 1 0 z
</CsScore>
</CsoundSynthesizer>
"""


def csd2plugin(*args, check=True):
    python = os.environ.get("CSD_PLUGIN_PYTHON", sys.executable)
    return subprocess.run([sys.executable, str(CSD2PLUGIN), *args, "--python", python],
                          capture_output=True, text=True, timeout=900, check=check)


def test_csd2plugin_builds_a_working_lv2_and_reports_csd_errors(tmp_path):
    build = tmp_path / "build"
    bad = tmp_path / "broken.csd"
    bad.write_text(MONO_GAIN.replace("out in()", "a1 nosuchopcode 1\n  out a1"))
    p = csd2plugin(str(bad), "--formats", "lv2", "--build-dir", str(build), "-o", str(tmp_path / "out"), check=False)
    assert p.returncode != 0
    assert "nosuchopcode" in p.stdout + p.stderr  # Csound's own diagnostic reaches the user

    good = tmp_path / "my-gain.csd"
    good.write_text(MONO_GAIN)
    p = csd2plugin(str(good), "--formats", "lv2", "--build-dir", str(build), "-o", str(tmp_path / "out"))
    bundle = tmp_path / "out" / "my-gain.lv2"
    assert str(bundle) in p.stdout and (bundle / "manifest.ttl").is_file()

    env = dict(os.environ, LV2_PATH=str(tmp_path / "out"))
    uri = "urn:csoundpp:plugin:my-gain"
    info = run(["lv2info", uri], env=env)
    assert info.count("lv2core#AudioPort") == 2  # mono in, mono out
    t = np.arange(2 * SR) / SR
    wavfile.write(tmp_path / "in.wav", SR, (0.4 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32))
    run(["lv2apply", "-i", str(tmp_path / "in.wav"), "-o", str(tmp_path / "o.wav"), "-c", "volume", "1.5", uri], env=env)
    _, y = read_wav(tmp_path / "o.wav")
    assert y.ndim == 1 and len(y) == 2 * SR
    # the host's 48 kHz, not the .csd's 44.1 kHz: the tone stays at 1 kHz
    level = tone_levels(y[SR:], [1000])[0]
    assert abs(db(level / 0.4) - db(1.5)) < 0.01
