"""`import csoundpp` stays cheap: heavy modules are imported on first use, not at import.

Import time itself is measured by benchmarks/run.py (item 12), never asserted here; this checks
the mechanism: which modules a fresh `import csoundpp` loads, that no Csound instance is made
for VERSION/APIVERSION before they are asked for, and that every lazily provided name resolves
to the object its module defines.
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import csoundpp

HEAVY = ("numpy", "logging", "multiprocessing", "concurrent.futures", "html", "dataclasses", "inspect",
         # typing costs more than the rest of csoundpp's Python part; ast and re (and the spelling
         # table, with the peers' signatures) are read at build time into _import_tables.py
         "typing", "ast", "re", "csoundpp._spellings", "csoundpp._peer_signatures")


def _fresh(code: str) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                         check=True).stdout
    return out.strip().splitlines()[-1]


def test_import_loads_none_of_the_heavy_modules():
    # only what `import csoundpp` added counts: site (.pth files) may have imported some already
    code = ("import sys, json; before = set(sys.modules); import csoundpp; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules and m not in before]))")
    assert json.loads(_fresh(code)) == []


def test_versions_are_found_on_first_use():
    code = ("import json, csoundpp, csoundpp._peer_api as p; before = 'VERSION' in vars(p); "
            "v = csoundpp.VERSION; print(json.dumps([before, v, csoundpp.APIVERSION, p.VERSION]))")
    before, version, api, again = json.loads(_fresh(code))
    assert before is False
    assert version == again == csoundpp.Csound().version()
    if csoundpp.csound_version()[0] >= 7:
        assert api == 0  # Csound 7 has no API version number (APIVersion() raises there)
    else:
        assert api == csoundpp.Csound().APIVersion()


def test_lazy_names_match_their_modules():
    for mod in ("_tools", "_records"):
        m = importlib.import_module("csoundpp." + mod)
        assert {k for k, v in csoundpp._LAZY.items() if v == mod} == set(m.__all__), mod
    from csoundpp import _extras, _module_functions, _peer_api, _records
    for owner in (_extras, _module_functions, _peer_api):  # where the peers' code finds them
        for name in _records.__all__:
            if name in owner.__all__:
                assert getattr(owner, name) is getattr(_records, name)
    for name, mod in csoundpp._LAZY.items():
        assert getattr(csoundpp, name) is getattr(importlib.import_module("csoundpp." + mod), name)
        assert name in csoundpp.__all__ and name in dir(csoundpp)


def test_unknown_attribute_still_raises():
    try:
        csoundpp.no_such_name  # noqa: B018
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:
        raise AssertionError("expected AttributeError")
    try:
        csoundpp._peer_api.no_such_name  # noqa: B018
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:
        raise AssertionError("expected AttributeError")
