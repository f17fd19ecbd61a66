"""NOTE_EVENTS: MIDI notes as score events, started on their exact frame."""

import dawdreamer
import numpy as np
import pytest

from conftest import SR, peak_freq

KSMPS = 64  # eventsynth.csd


@pytest.mark.parametrize("on", [12000, 12011, 12063])  # on, just after and just before k-cycle boundaries
def test_note_starts_on_its_frame(bin_dir, on):
    engine = dawdreamer.RenderEngine(SR, 256)
    synth = engine.make_plugin_processor("synth", str(bin_dir / "csoundpp-eventsynth.vst3"))
    latency = synth.get_latency_samples()
    assert latency == KSMPS - 1
    synth.add_midi_note(69, 127, on / SR, 0.25)
    engine.load_graph([(synth, [])])
    engine.render(0.8)
    y = engine.get_audio()[0]
    # dawdreamer does not compensate latency: the note's first sample is at on + latency
    onset = int(np.flatnonzero(np.abs(y) > 1e-6)[0])
    assert onset == on + latency
    assert y[onset] == pytest.approx(0.5, rel=1e-3)  # cosine at full level from the first sample
    sustain = y[onset + 100 : onset + 100 + SR // 10]
    assert peak_freq(sustain) == pytest.approx(440, abs=0.5)
    # note off at on + 0.25 s, then a 0.05 s release
    assert np.max(np.abs(y[onset + int(0.35 * SR) :])) < 1e-6
