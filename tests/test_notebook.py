"""A real notebook (examples/notebooks/tour.ipynb) executed on a real Jupyter kernel:
rendered audio shows a player and a waveform, a table plots, a sweep renders."""
from __future__ import annotations

import base64
import io
import os
import re
import wave
from pathlib import Path

import numpy as np
import pytest

import csoundpp

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebooks" / "tour.ipynb"


def test_result_html_has_a_player_and_a_waveform():
    r = csoundpp.RenderResult(audio=np.sin(np.linspace(0, 100, 4800)).reshape(-1, 1) * 0.5, sr=48000,
                              label="sine")
    html = r._repr_html_()
    assert "<svg" in html and "<polygon" in html and "<audio controls" in html
    wav = base64.b64decode(re.search(r'src="data:audio/wav;base64,([^"]+)"', html)[1])
    with wave.open(io.BytesIO(wav)) as w:
        assert (w.getnchannels(), w.getframerate(), w.getnframes()) == (1, 48000, 4800)
        pcm = np.frombuffer(w.readframes(4800), dtype="<i2")
    np.testing.assert_allclose(pcm / 32767.0, r.audio[:, 0], atol=1 / 32767)
    failed = csoundpp.RenderResult(audio=np.zeros((0, 0)), sr=0, error="CompileError: <b>x</b>", label="bad")
    assert "failed" in failed._repr_html_() and "&lt;b&gt;" in failed._repr_html_()


@pytest.mark.timeout(600)
def test_the_tour_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    env_backup = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"
    try:
        client.execute()
    finally:
        if env_backup is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backup
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"], outputs
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    # the rendered result: player + waveform; the table: a plot; the sweep's last result
    assert sum("<audio controls" in h and "<svg" in h for h in html) == 2, html
    assert any("ftable 1" in h and "<svg" in h for h in html)
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 2  # table.plot() and result.plot() through matplotlib
    texts = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "48000 (48000, 2)" in texts and "cutoff 4800" in texts
    import soundfile as sf

    info = sf.info(str(tmp_path / "tour.flac"))
    assert (info.frames, info.channels, info.samplerate) == (48000, 2, 48000)
