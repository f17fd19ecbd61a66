"""The spelling table (python/csoundpp/_spellings.py): every spelling is its canonical
attribute itself, every peer name of the reference list is in the table with its peer,
and every public name of the classes is in the table."""
from __future__ import annotations

import inspect
import os

import pytest

import csoundpp
import csoundpp.csnd as csnd
from csoundpp import _core, _spellings
from csoundpp._spellings import CSND, PEERS, SPELLINGS, Spelling

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = os.path.join(HERE, "data", "ctcsound_names.txt")

CLASSES = {"Csound": _core.Csound, "PerformanceThread": _core.PerformanceThread}
CSND_CLASSES = {"Csound": csnd.Csound, "PerformanceThread": csnd.CsoundPerformanceThread}
CSND_BASES = {"Csound": _core.Csound, "PerformanceThread": _core.CsoundPerformanceThread}
ROWS = [(scope, canonical, s) for scope in SPELLINGS for canonical, s in _spellings.spellings(scope)]


def _where(scope: str, s: Spelling):
    """(object the spelling is looked up on, object the canonical is looked up on)."""
    if scope == "module":
        return csoundpp, csoundpp
    if s.peer == CSND:
        return CSND_CLASSES[scope], CSND_BASES[scope]
    return CLASSES[scope], CLASSES[scope]


@pytest.mark.parametrize("scope,canonical,spelling", ROWS,
                         ids=[f"{sc}.{c}:{s.name}[{s.peer}]" for sc, c, s in ROWS])
def test_spelling_is_the_canonical_object(scope, canonical, spelling):
    assert spelling.peer in PEERS
    _spellings.parameters(spelling)  # recorded parameters parse
    target, base = _where(scope, spelling)
    want = inspect.getattr_static(base, canonical)
    assert inspect.getattr_static(target, spelling.name) is want
    if scope != "module":
        assert getattr(target, spelling.name) == getattr(base, canonical)


def test_table_shape():
    for scope in SPELLINGS:
        _spellings.aliases(scope)  # raises when one name has two canonicals
        _spellings.aliases(scope, include_csnd=True)
        for canonical, items in SPELLINGS[scope].items():
            assert items and all(isinstance(s, Spelling) for s in items), canonical
            assert len(set(items)) == len(items), f"{scope}.{canonical} lists a spelling twice"
            assert any(s.name == canonical for s in items), f"{scope}.{canonical}: who spells it so?"
    assert len(ROWS) > 600


def test_parameters_parse():
    s = Spelling("scoreEvent", _spellings.LIBCSOUND7, "kind, pfields, block=True, *args, flag=None, **kw")
    assert _spellings.parameters(s) == (
        ("kind", _spellings.REQUIRED), ("pfields", _spellings.REQUIRED), ("block", True),
        ("*args", _spellings.REQUIRED), ("flag", None), ("**kw", _spellings.REQUIRED))
    assert _spellings.parameters(Spelling("x", _spellings.CTCSOUND)) is None


def test_a_spelling_never_replaces_another_attribute():
    class Fake:
        def a(self):
            pass

        def b(self):
            pass

    with pytest.raises(RuntimeError, match="different attribute"):
        _spellings._set(Fake, "b", Fake.__dict__["a"], "Fake")


def test_every_public_name_is_in_the_table():
    """The table is the whole naming surface of the classes: no name answers that it does not list."""
    for scope, cls in CLASSES.items():
        known = {s.name for _c, s in _spellings.spellings(scope) if s.peer != CSND}
        public = {n for n in dir(cls) if not n.startswith("_")}
        assert public - known == set(), f"{scope}: not in the spelling table"
        assert known - public == set(), f"{scope}: in the table but missing"


def test_reference_names_are_spelled_by_their_peer():
    peer_of = {"ctcsound": _spellings.CTCSOUND, "seed000": _spellings.CTCSOUND, "seed003": _spellings.CTCSOUND,
               "seed001": _spellings.LIBCSOUND7, "seed002": _spellings.SNAKE}
    scope_of = {"Csound": "Csound", "CsoundPerformanceThread": "PerformanceThread",
                "PerformanceThread": "PerformanceThread"}
    have = {(scope, s.name, s.peer) for scope, _c, s in ROWS}
    missing = []
    with open(NAMES, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            source, scope, name = line.split()
            if source in peer_of and scope in scope_of:
                if (scope_of[scope], name, peer_of[source]) not in have:
                    missing.append(line.strip())
    assert not missing, "names of the reference list not in the spelling table with their peer:\n" + "\n".join(missing)


def test_module_spellings_are_exported():
    for name in _spellings.module_names():
        assert name in csoundpp.__all__
