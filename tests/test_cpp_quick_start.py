"""examples/cpp_quick_start: the README's quick start done from C++ with csoundpp::Csound
alone (compile, start, score events, control channels, tables, render into a buffer),
built against the installed CMake package and run; the program checks its own audio and
this test checks the figures it prints."""
from __future__ import annotations

import pytest

from _cmake_helpers import build_example, find_cmake_dir, run


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    b = build_example("cpp_quick_start", find_cmake_dir(tmp_path_factory), tmp_path_factory.mktemp("quick"))
    return b / "quick_start"


def test_cpp_quick_start_renders_the_note(program, tmp_path):
    out = run([str(program)], cwd=tmp_path, timeout=120).stdout
    figures = {}
    for line in out.splitlines():
        parts = line.rsplit(None, 2)
        if len(parts) == 3 and parts[2] in ("ok", "FAILED"):
            figures[parts[0]] = (float(parts[1]), parts[2])
    assert "all checks passed" in out, out
    assert all(status == "ok" for _v, status in figures.values()), out
    assert figures["peak during the note"][0] == pytest.approx(0.5, abs=0.01)
    assert figures["frequency (zero crossings)"][0] == pytest.approx(440, abs=2)
    assert figures["level channel (rms*sqrt2)"][0] == pytest.approx(0.5, abs=0.02)
    assert figures["table 1 length"][0] == 1024
