"""Which Csound csoundpp was built for, and the table of what differs between the backends."""
from __future__ import annotations

import pytest

import csoundpp
from conftest import CSOUND7, quiet


def test_csound_version_is_the_loaded_library():
    major, minor, patch = csoundpp.csound_version()
    assert major in (6, 7)
    info = csoundpp.build_info()
    assert info["csound_version"] == (major, minor, patch)
    # csoundGetVersion(): 6180 for 6.18, 7000 for 7.0
    assert info["csound_library_version"] // 1000 == major
    assert "libcsound64" in info["csound_library"]
    assert csoundpp.Csound().version() == info["csound_library_version"]


def test_feature_table():
    feats = csoundpp.build_info()["features"]
    assert feats, "the table lists the methods that differ"
    for name, (support, note) in feats.items():
        assert support in ("native", "emulated", "unavailable")
        assert note
        assert hasattr(csoundpp.Csound, name) or hasattr(csoundpp, name), f"{name} is neither a method nor a function"
    unavailable = [n for n, (s, _) in feats.items() if s == "unavailable"]
    assert bool(unavailable) == CSOUND7
    if not CSOUND7:
        assert all(s == "native" for s, _ in feats.values())


# How to call each method that Csound 7 may not have (arguments are irrelevant: it raises first).
CALLS = {
    "APIVersion": lambda cs: cs.APIVersion(),
    "outputFormat": lambda cs: cs.outputFormat(),
    "namedGens": lambda cs: cs.namedGens(),
    "namedGEN": lambda cs: cs.namedGEN(1, 10),
    "isNamedGEN": lambda cs: cs.isNamedGEN(1),
    "openLibrary": lambda cs: cs.openLibrary("libm.so.6"),
    "closeLibrary": lambda cs: cs.closeLibrary(1),
    "getLibrarySymbol": lambda cs: cs.getLibrarySymbol(1, "cos"),
    "channelLock": lambda cs: cs.channelLock("x"),
    "setYieldCallback": lambda cs: cs.setYieldCallback(lambda: True),
    "registerSenseEventCallback": lambda cs: cs.registerSenseEventCallback(lambda: None),
    "setCscoreCallback": lambda cs: cs.setCscoreCallback(lambda cs: None),
}


@pytest.mark.skipif(not CSOUND7, reason="every method is available on Csound 6")
@pytest.mark.parametrize("name", sorted(CALLS))
def test_unavailable_on_csound7_raise_naming_the_version(name):
    feats = csoundpp.build_info()["features"]
    assert feats[name][0] == "unavailable"
    cs = quiet(csoundpp.Csound())
    with pytest.raises(csoundpp.CsoundError, match=r"Csound 7\.0.*: "):
        CALLS[name](cs)


def test_every_unavailable_method_is_exercised():
    unavailable = {n for n, (s, _) in csoundpp.build_info()["features"].items() if s == "unavailable"}
    assert unavailable <= set(CALLS)


def test_emulated_methods_work(started):
    cs = started
    # absolute-time event: at t = 0.5 s while the score is at ~0.1 s
    cs.compileOrc('instr 9\n itim times\n chnset itim, "t9"\n endin\n')
    for _ in range(150):
        cs.performKsmps()
    cs.scoreEventAbsolute("i", [9, 0.5, 0.01])
    for _ in range(1000):
        cs.performKsmps()
    assert cs.controlChannel("t9")[0] == pytest.approx(0.5, abs=0.002)
    # tables by element
    cs.readScore("f 5 0 4 -2 1 2 3 4\n")
    cs.performKsmps()
    assert cs.tableGet(5, 2) == 3
    cs.tableSet(5, 2, -1)
    assert cs.tableGet(5, 2) == -1
    assert cs.performBuffer() == 0


@pytest.mark.skipif(not CSOUND7, reason="the README lists Csound 7's differences; on Csound 6 every method is native")
def test_readme_lists_every_method_that_differs_on_csound7():
    """README's 'What behaves differently on Csound 7': every emulated method of the backend
    table is in its table, every unavailable one in the paragraph after it."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = text.split("### What behaves differently on Csound 7", 1)[1].split("\n## ", 1)[0]
    table_names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            table_names |= set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", line.split("|")[1]))
    unavailable_par = section.split("Unavailable on Csound 7", 1)[1].split("\n\n", 1)[0]
    unavailable_names = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", unavailable_par))
    feats = csoundpp.build_info()["features"]
    missing_emulated = sorted(n for n, (s, _) in feats.items() if s == "emulated" and n not in table_names)
    missing_unavailable = sorted(n for n, (s, _) in feats.items() if s == "unavailable" and n not in unavailable_names)
    assert not missing_emulated, f"emulated on Csound 7 but not in the README's table: {missing_emulated}"
    assert not missing_unavailable, f"unavailable on Csound 7 but not in the README's list: {missing_unavailable}"
    listed_wrong = sorted(n for n in table_names if n in feats and feats[n][0] == "unavailable")
    assert not listed_wrong, f"in the README's table of working methods but unavailable: {listed_wrong}"
