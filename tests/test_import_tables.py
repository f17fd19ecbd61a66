"""python/csoundpp/_import_tables.py, read by `import csoundpp` instead of computing the same at
every start, equals the computation: the spelling table's aliases (_spellings.aliases) and the
methods that get the peers' keyword fallback, with the names and defaults it accepts
(_keywords.compute, from the compiled methods' signatures). On a mismatch, rerun
scripts/gen_import_tables.py (after changing _spellings.py, _peer_signatures.py or a binding's
parameters)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import csoundpp
from csoundpp import _aliases, _import_tables, _keywords

ROOT = Path(__file__).resolve().parent.parent
HINT = "python/csoundpp/_import_tables.py is stale: run scripts/gen_import_tables.py"


def test_import_reads_the_committed_tables():
    assert _aliases.import_tables() is _import_tables or os.environ.get("CSOUNDPP_COMPUTE_IMPORT_TABLES") == "1"


def test_committed_tables_equal_the_computation():
    computed = _aliases.computed_tables()
    assert computed.ALIASES == _import_tables.ALIASES, HINT
    assert computed.CSND_ALIASES == _import_tables.CSND_ALIASES, HINT
    assert computed.KEYWORDS == _import_tables.KEYWORDS, HINT
    # and in the same order (aliases are bound in table order; the file is diffable)
    for var in ("ALIASES", "CSND_ALIASES", "KEYWORDS"):
        for scope, entries in getattr(computed, var).items():
            assert list(entries) == list(getattr(_import_tables, var)[scope]), (var, scope, HINT)


def test_installed_fallbacks_are_the_tables():
    for scope, entries in _import_tables.KEYWORDS.items():
        assert set(_keywords.FALLBACKS[scope]) == set(entries)
        for canonical, (names, defaults) in entries.items():
            spec = _keywords.FALLBACKS[scope][canonical]
            assert spec.names == list(names)
            assert spec.defaults == [d[0] if d else _keywords._REQUIRED for d in defaults]


def test_generator_check_passes():
    """scripts/gen_import_tables.py --check: what the generator would write is what is committed
    (it computes in a fresh interpreter, with CSOUNDPP_COMPUTE_IMPORT_TABLES=1)."""
    if not (ROOT / "scripts" / "gen_import_tables.py").exists() or \
            not (ROOT / "python" / "csoundpp" / "_import_tables.py").exists():
        pytest.skip("no source tree beside these tests (an installed wheel's tests): the installed "
                    "tables are checked against the computation by test_committed_tables_equal_the_computation")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_import_tables.py"), "--check"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr or HINT


def test_computed_import_matches_the_tables():
    """A fresh interpreter that computes the tables at import gets the same classes: every alias
    is its canonical, and a peer keyword call works."""
    code = ("import csoundpp, sys\n"
            "from csoundpp import _aliases, _import_tables\n"
            "t = _aliases.import_tables()\n"
            "assert t is not _import_tables, t\n"
            "assert t.ALIASES == _import_tables.ALIASES and t.KEYWORDS == _import_tables.KEYWORDS\n"
            "assert csoundpp.Csound.set_option is csoundpp.Csound.setOption\n"
            "print('ok')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), CSOUNDPP_COMPUTE_IMPORT_TABLES="1")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stderr
    assert csoundpp.Csound.set_option is csoundpp.Csound.setOption
