"""setOption does what a command line would: every option of Csound 6.18's `csound --help` given
with a space before its value reaches Csound as that option with that value, and several
options in one string are applied one by one. (Csound 6's own csoundSetOption decodes the
whole string as one argument: "-o dac -dm0" names the output file " dac -dm0".)
"""
from __future__ import annotations

import re
import shutil
import subprocess
import wave

import pytest

import csoundpp
from csoundpp import _core

split = _core._split_options


def help_options():
    """(option, placeholder) pairs of `csound --help` whose value follows the option: short
    options "-k N" and long options "--sample-rate=N" / "-+rtaudio=<string>"."""
    if shutil.which("csound") is None:
        pytest.skip("the csound program (Debian package csound) is not installed")
    text = subprocess.run(["csound", "--help"], capture_output=True, text=True, timeout=60).stderr
    text += subprocess.run(["csound", "--help"], capture_output=True, text=True, timeout=60).stdout
    short, long_, cfg = set(), set(), set()
    for line in text.splitlines():
        m = re.match(r"^(-[A-Za-z]) (N|fnam|dnam|unam)\s", line)
        if m:
            short.add((m[1], m[2]))
        m = re.match(r"^(--[A-Za-z0-9_-]+)=(\S+)", line)
        if m and not m[1].startswith(("--env", "--strset", "--omacro", "--smacro")):
            long_.add((m[1], m[2]))
        m = re.match(r"^(-\+[A-Za-z0-9_]+)=<(\w+)>", line)
        if m:
            cfg.add((m[1], m[2]))
    assert len(short) >= 14 and len(long_) >= 40 and len(cfg) >= 20, (short, long_, cfg)
    return sorted(short), sorted(long_), sorted(cfg)


def sample_value(placeholder: str) -> str:
    if placeholder in ("N", "O", "[01]", "integer", "float") or placeholder.startswith("[01"):
        return "1"
    if placeholder == "boolean":
        return "yes"
    return "some_name"


def test_every_help_option_given_with_a_space_reaches_csound_with_its_value():
    short, long_, cfg = help_options()
    for opt, ph in short:
        v = "9600" if ph == "N" else "some.file"
        assert split(f"{opt} {v}") == [f"{opt}{v}"], opt
        assert split(f"{opt}{v}") == [f"{opt}{v}"], opt
    for opt, ph in long_:
        v = sample_value(ph)
        assert split(f"{opt} {v}") == [f"{opt}={v}"], opt
        assert split(f"{opt}={v}") == [f"{opt}={v}"], opt
    for opt, ph in cfg:
        v = sample_value(ph)
        assert split(f"{opt} {v}") == [f"{opt}={v}"], opt
        assert split(f"{opt}={v}") == [f"{opt}={v}"], opt


def test_several_options_in_one_string():
    assert split("-o dac -dm0") == ["-odac", "-dm0"]
    assert split("-d -m 0 -o dac") == ["-d", "-m0", "-odac"]
    assert split("-n -d -m0") == ["-n", "-d", "-m0"]
    assert split("-k 9600 --sample-rate 48000 -+rtaudio jack --nodisplays") == [
        "-k9600", "--sample-rate=48000", "-+rtaudio=jack", "--nodisplays"]
    assert split("-dm 0") == ["-dm0"]  # a cluster whose last flag takes the next word
    assert split("-W -o 'my take.wav'") == ["-W", "-omy take.wav"]  # quotes as in a shell
    assert split('--output="a b.wav"') == ["--output=a b.wav"]
    assert split("-F") == ["-F"] and split("-F song.mid -T") == ["-Fsong.mid", "-T"]
    assert split("-F -T") == ["-F", "-T"]  # -F alone switches MIDI file input on
    assert split("--sched 0 --limiter") == ["--sched=0", "--limiter"]
    assert split("--devices out -v3 -H2") == ["--devices=out", "-v3", "-H2"]
    assert split("  ") == []
    with pytest.raises(ValueError, match="needs a value"):
        split("-o")
    with pytest.raises(ValueError, match="quote"):
        split("-o 'x")


def test_csound_sees_the_values(tmp_path):
    out = tmp_path / "take.wav"
    cs = csoundpp.Csound()
    try:
        assert cs.setOption("-k 9600") == 0  # ctcsound's own test suite does this
        assert cs.params().control_rate_override == 9600  # (Csound 6.18 then ignores it at start)
        assert cs.setOption("--ksmps 5") == 0
        assert cs.setOption(f"-d -m 0 -o {out} -W") == 0
        assert cs.setOption("--nchnls 1 --0dbfs 2") == 0
        assert cs.setOption("-b 256 -B 1024") == 0
        assert cs.compileOrc("sr = 48000\ninstr 1\nout oscili:a(0.5, 440)\nendin\n") == 0
        assert cs.readScore("i1 0 0.1\n") == 0
        assert cs.start() == 0
        assert cs.ksmps() == 5 and cs.kr() == 9600
        assert cs.nchnls() == 1 and cs.get0dBFS() == 2
        p = cs.params()
        assert p.buffer_frames == 256 and p.hardware_buffer_frames == 1024
        assert p.message_level == 0 and p.displays == 0
        assert cs.outputName() == str(out)
        while cs.performKsmps() == 0:
            pass
        cs.cleanup()
    finally:
        cs.destroy()
    with wave.open(str(out)) as w:
        assert w.getnchannels() == 1 and w.getframerate() == 48000 and w.getnframes() >= 4800


def test_threads_option():
    # checked without performing: Csound 6.18's worker threads (-j) can crash at destroy
    cs = csoundpp.Csound()
    try:
        assert cs.setOption("-j 2") == 0 and cs.params().number_of_threads == 2
    finally:
        cs.destroy()


def test_bad_option_strings_raise():
    cs = csoundpp.Csound()
    try:
        with pytest.raises(ValueError):
            cs.setOption("")
        with pytest.raises(ValueError, match="needs a value"):
            cs.setOption("-d -o")
        with pytest.raises(ValueError, match="quote"):
            cs.setOption('-o "unterminated')
    finally:
        cs.destroy()
