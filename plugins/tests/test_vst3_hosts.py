"""The VST3 builds in two hosts nobody here wrote: pedalboard and dawdreamer."""

import numpy as np
import pytest

from conftest import KSMPS, SR, butterworth_lp_gain, db, peak_freq, tone_levels

import dawdreamer
import pedalboard


@pytest.fixture(scope="module")
def lowpass_path(bin_dir):
    return str(bin_dir / "csoundpp-lowpass.vst3")


@pytest.fixture(scope="module")
def synth_path(bin_dir):
    return str(bin_dir / "csoundpp-sinesynth.vst3")


def tones(freqs, amp, seconds, sr=SR):
    t = np.arange(int(seconds * sr)) / sr
    return sum(amp * np.sin(2 * np.pi * f * t) for f in freqs)


def stereo(x):
    return np.stack([x, x]).astype(np.float32)


# ---------------------------------------------------------------- pedalboard


def test_pedalboard_sees_the_csd_parameters_and_latency(lowpass_path):
    fx = pedalboard.load_plugin(lowpass_path)
    assert fx.is_effect and not fx.is_instrument
    assert set(fx.parameters) == {"cutoff", "gain"}
    assert fx.parameters["cutoff"].range[:2] == (20.0, 20000.0)
    assert fx.parameters["gain"].range[:2] == (-24.0, 12.0)
    assert fx.cutoff == pytest.approx(1000, rel=1e-3) and fx.gain == pytest.approx(0, abs=1e-3)
    assert fx.reported_latency_samples == KSMPS - 1


@pytest.mark.parametrize("sr", [48000, 44100])
def test_pedalboard_frequency_response_at_the_host_rate(lowpass_path, sr):
    fx = pedalboard.load_plugin(lowpass_path)
    fx.cutoff = 2000
    freqs = [500, 2000, 8000]
    y = fx.process(stereo(tones(freqs, 0.25, 3, sr)), sr)
    got = db(tone_levels(y[0, sr:], freqs, sr) / 0.25)
    want = db(butterworth_lp_gain(freqs, fx.cutoff, sr))
    np.testing.assert_allclose(got, want, atol=0.05)
    np.testing.assert_array_equal(y[0], y[1])


def test_pedalboard_parameter_change_mid_stream(lowpass_path):
    fx = pedalboard.load_plugin(lowpass_path)
    fx.cutoff = 20000
    x = stereo(tones([440], 0.5, 2))
    fx.gain = 0
    a = fx.process(x[:, :SR], SR, reset=True)
    fx.gain = -12
    b = fx.process(x[:, SR:], SR, reset=False)
    lvl_a = tone_levels(a[0, SR // 2 :], [440])[0]  # 0.5 s repeated: whole second, 440 Hz periodic
    lvl_b = tone_levels(b[0, SR // 2 :], [440])[0]
    assert db(lvl_a / 0.5) == pytest.approx(db(butterworth_lp_gain(440, 20000)), abs=0.1)
    assert db(lvl_b / lvl_a) == pytest.approx(fx.gain, abs=0.1)
    assert fx.gain == pytest.approx(-12, abs=0.05)


@pytest.mark.parametrize("buffer_size", [37, 100, 512, 4096])
def test_pedalboard_any_block_size_gives_the_same_audio(lowpass_path, buffer_size):
    fx = pedalboard.load_plugin(lowpass_path)
    fx.cutoff = 1500
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((2, SR // 2)) * 0.1).astype(np.float32)
    ref = fx.process(x, SR, buffer_size=64)
    y = fx.process(x, SR, buffer_size=buffer_size)
    assert np.any(ref)
    np.testing.assert_allclose(y, ref, atol=1e-6)


def test_pedalboard_latency_is_compensated(lowpass_path):
    fx = pedalboard.load_plugin(lowpass_path)
    fx.cutoff = 20000
    x = np.zeros((2, 4800), np.float32)
    x[:, 1000] = 1.0
    y = fx.process(x, SR)
    # butterlp at 20 kHz is nearly an impulse: its peak is the input frame
    assert int(np.argmax(np.abs(y[0]))) == 1000


def test_pedalboard_state_roundtrip(lowpass_path):
    fx = pedalboard.load_plugin(lowpass_path)
    fx.cutoff = 321
    fx.gain = -7
    state = fx.raw_state
    other = pedalboard.load_plugin(lowpass_path)
    assert other.cutoff == pytest.approx(1000, rel=1e-3)
    other.raw_state = state
    assert other.cutoff == pytest.approx(321, rel=1e-3) and other.gain == pytest.approx(-7, abs=1e-2)
    x = stereo(tones([300, 3000], 0.2, 1))
    np.testing.assert_allclose(other.process(x, SR), fx.process(x, SR), atol=1e-6)


def test_pedalboard_two_instances_in_one_process(lowpass_path):
    a = pedalboard.load_plugin(lowpass_path)
    b = pedalboard.load_plugin(lowpass_path)
    a.cutoff, b.cutoff = 500, 5000
    a.gain, b.gain = 0, -6
    freqs = [250, 1000, 4000]
    x = stereo(tones(freqs, 0.2, 2))
    board = pedalboard.Pedalboard([a, b])
    y = board(x, SR)
    got = db(tone_levels(y[0, SR:], freqs) / 0.2)
    want = db(butterworth_lp_gain(freqs, 500) * butterworth_lp_gain(freqs, 5000)) - 6
    np.testing.assert_allclose(got, want, atol=0.05)


def synth_note(synth, messages, seconds=1.0, sr=SR):
    return synth(messages, duration=seconds, sample_rate=sr, num_channels=2)


def test_pedalboard_synth_pitch_level_and_note_off(synth_path):
    synth = pedalboard.load_plugin(synth_path)
    assert synth.is_instrument and set(synth.parameters) == {"attack", "level", "release"}
    synth.level = 0.5
    y = synth_note(synth, [([0x90, 69, 127], 0.0), ([0x80, 69, 0], 0.5)], seconds=1.0)
    sustain = y[0, int(0.1 * SR) : int(0.45 * SR)]
    assert peak_freq(sustain) == pytest.approx(440, abs=0.2)
    assert np.max(np.abs(sustain)) == pytest.approx(0.5, rel=0.01)
    assert np.max(np.abs(y[0, int(0.8 * SR) :])) < 1e-4  # released (release 0.05 s)
    # velocity 64 -> ampmidi 64/127; note 60 -> 261.63 Hz
    y = synth_note(synth, [([0x90, 60, 64], 0.0)], seconds=0.5)
    sustain = y[0, int(0.1 * SR) :]
    assert peak_freq(sustain) == pytest.approx(261.626, abs=0.2)
    assert np.max(np.abs(sustain)) == pytest.approx(0.5 * 64 / 127, rel=0.01)


def test_pedalboard_synth_pitch_bend_and_cc(synth_path):
    synth = pedalboard.load_plugin(synth_path)
    synth.level = 1.0
    bend_up = [0xE0, 0x7F, 0x7F]  # +2 semitones (full range)
    cc7_half = [0xB0, 7, 64]
    y = synth_note(synth, [([0x90, 69, 127], 0.0), (bend_up, 0.5), (cc7_half, 0.5)], seconds=1.0)
    before, after = y[0, int(0.1 * SR) : int(0.5 * SR)], y[0, int(0.6 * SR) :]
    assert peak_freq(before) == pytest.approx(440, abs=0.2)
    assert peak_freq(after) == pytest.approx(440 * 2 ** (2 * 8191 / 8192 / 12), abs=0.3)
    assert np.max(np.abs(after)) == pytest.approx(64 / 127, rel=0.01)


def test_pedalboard_note_on_lands_within_one_k_cycle(synth_path):
    synth = pedalboard.load_plugin(synth_path)
    synth.attack = 0.001
    at = 0.25
    y = synth_note(synth, [([0x90, 69, 127], at)], seconds=0.5)
    onset = int(np.argmax(np.abs(y[0]) > 1e-3))
    # Csound 6 starts MIDI notes on k-cycle boundaries: within ksmps frames of the event
    assert abs(onset - at * SR) <= KSMPS


# ---------------------------------------------------------------- dawdreamer


def test_dawdreamer_effect_with_automation(lowpass_path):
    engine = dawdreamer.RenderEngine(SR, 128)
    fx = engine.make_plugin_processor("lowpass", lowpass_path)
    names = [fx.get_parameter_name(i) for i in range(fx.get_plugin_parameter_size())]
    assert "Cutoff" in names and "Gain" in names
    x = stereo(tones([440], 0.5, 2))
    src = engine.make_playback_processor("src", x)
    cutoff, gain = names.index("Cutoff"), names.index("Gain")
    fx.set_parameter(cutoff, 1.0)  # normalized: 20 kHz
    # gain 0 dB for the first second, -12 dB for the second (normalized over -24..12)
    auto = np.where(np.arange(2 * SR) < SR, 24 / 36, 12 / 36).astype(np.float32)
    assert fx.set_automation(gain, auto)
    engine.load_graph([(src, []), (fx, ["src"])])
    engine.render(2.0)
    y = engine.get_audio()
    first = tone_levels(y[0, SR // 2 : SR], [440])[0]
    second = tone_levels(y[0, 3 * SR // 2 : 2 * SR], [440])[0]
    assert db(first / 0.5) == pytest.approx(0, abs=0.1)
    assert db(second / first) == pytest.approx(-12, abs=0.1)


def test_dawdreamer_two_synths_in_one_graph(synth_path, tmp_path):
    engine = dawdreamer.RenderEngine(SR, 256)
    a = engine.make_plugin_processor("a", synth_path)
    b = engine.make_plugin_processor("b", synth_path)
    a.add_midi_note(69, 127, 0.0, 0.5)  # A4
    b.add_midi_note(76, 127, 0.0, 0.5)  # E5
    mix = engine.make_add_processor("mix", [1.0, 1.0])
    engine.load_graph([(a, []), (b, []), (mix, ["a", "b"])])
    engine.render(1.0)
    y = engine.get_audio()
    f_a, f_b = 440.0, 440 * 2 ** (7 / 12)
    np.testing.assert_allclose(y, a.get_audio() + b.get_audio(), atol=1e-6)
    assert peak_freq(a.get_audio()[0, int(0.1 * SR) : int(0.45 * SR)]) == pytest.approx(f_a, abs=0.2)
    assert peak_freq(b.get_audio()[0, int(0.1 * SR) : int(0.45 * SR)]) == pytest.approx(f_b, abs=0.3)
    # state: a saved and reloaded processor keeps its parameters
    level = [a.get_parameter_name(i) for i in range(a.get_plugin_parameter_size())].index("Level")
    a.set_parameter(level, 0.25)
    a.save_state(str(tmp_path / "a.state"))
    a.set_parameter(level, 0.9)
    a.load_state(str(tmp_path / "a.state"))
    assert a.get_parameter(level) == pytest.approx(0.25, abs=1e-4)
