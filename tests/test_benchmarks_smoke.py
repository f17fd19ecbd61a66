"""Smoke mode of benchmarks/run.py, so the benchmarks cannot rot.

Runs every item with tiny counts in a subprocess (numbers are meaningless and no target
is asserted) and checks that csoundpp produced real figures for each of them. The C++
floor is compiled here from benchmarks/floor so it is exercised too; peers that are not
installed (libcsound from benchmarks/setup.sh) must be reported with a reason.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import needs_csound6

# On Csound 7, benchmarks/run.py runs as `run.py --csound 7` against the Csound 7 peers; its smoke
# run is scripts/suites/55-bench-csound7.sh. These are the Csound 6 run's.
csound6_run = needs_csound6("this smoke run is benchmarks/run.py's Csound 6 run (ctcsound 6, the csound "
                            "program); the --csound 7 run has its own, scripts/suites/55-bench-csound7.sh")
ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def helpers(tmp_path_factory):
    """Compiles the C++ floor and the JACK xrun counter as benchmarks/setup.sh does."""
    out = tmp_path_factory.mktemp("benchbuild")
    gxx, gcc = shutil.which("g++"), shutil.which("gcc")
    if gxx:
        subprocess.run([gxx, "-std=c++17", "-O2", "-DUSE_DOUBLE=1", "-o", str(out / "floor"),
                        str(ROOT / "benchmarks/floor/floor.cpp"), "-lcsound64", "-lcsnd6", "-lpthread"],
                       check=True, timeout=300)
    if gcc and Path("/usr/include/jack/jack.h").exists():
        subprocess.run([gcc, "-O2", "-o", str(out / "jack_xruns"), str(ROOT / "benchmarks/floor/jack_xruns.c"),
                        "-ljack"], check=True, timeout=120)
    return out


def run_bench(helpers, tmp_path, *args, timeout=240):
    env = dict(os.environ, CSOUNDPP_BENCH_BUILD=str(helpers))
    # the child imports the same csoundpp as this test process
    import csoundpp
    pkg_parent = str(Path(csoundpp.__file__).parent.parent)  # not resolved: dev builds symlink the sources
    env["PYTHONPATH"] = os.pathsep.join([pkg_parent, env.get("PYTHONPATH", "")])
    out = tmp_path / "bench.json"
    md = tmp_path / "bench.md"
    r = subprocess.run([sys.executable, str(RUN), "--quick", "--json", str(out), "--markdown", str(md), *args],
                       capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return json.loads(out.read_text()), md.read_text(), r.stdout


def figure(row, impl):
    f = row["figures"].get(impl)
    assert isinstance(f, dict), f"{row['item']} {row['what']}: {impl} has no figure: {f!r}"
    assert f["samples"], row
    assert all(math.isfinite(x) for x in f["samples"]), row
    return f


@csound6_run
def test_quick_run_measures_every_item(helpers, tmp_path):
    data, md, stdout = run_bench(helpers, tmp_path, "--no-jack")
    items = {r["item"] for r in data["rows"]}
    assert {"1", "1b", "2", "2b", "3", "3b", "4", "5", "6", "7", "9", "10", "11", "12", "13", "14"} <= items
    assert data["machine"]["cores"] == os.cpu_count()
    assert "cpu" in data["machine"] and "csoundpp" in data["machine"]
    for row in data["rows"]:
        if row["item"] in ("8",) or "JACK dummy" in row["what"]:
            continue
        if row["item"] == "4" and "batch" in row["what"] and isinstance(row["figures"]["csoundpp"], str):
            continue  # reported as missing in the table; judged there
        if row["item"] == "7" and "cores actually available" in row["what"]:
            if shutil.which("g++"):
                figure(row, "C++ floor / CLI")
            continue
        if row["item"] == "14" and "backlog" in row["what"]:
            assert "events, drained in" in row["figures"]["csoundpp"], row
            continue
        f = figure(row, "csoundpp")
        if row["item"] in ("1", "1b", "2", "2b", "3", "4"):
            assert min(f["samples"]) > 0, row
        # every peer column is either a figure or says why it is missing
        for impl in ("ctcsound", "libcsound"):
            v = row["figures"].get(impl)
            assert v is None or isinstance(v, (dict, str)) and v != "", row
    by = {(r["item"], r["what"].split(",")[0]): r for r in data["rows"]}
    one = [r for r in data["rows"] if r["item"] == "1"][0]
    # the C++ floor ran (compiled by the fixture) and ctcsound (Debian python3-csound) was measured
    if shutil.which("g++"):
        figure(one, "C++ floor / CLI")
    if Path("/usr/lib/python3/dist-packages/ctcsound.py").exists():
        figure(one, "ctcsound")
        assert one["ratio"] is not None
    three = [r for r in data["rows"] if r["item"] == "3"][0]
    if shutil.which("csound"):
        figure(three, "C++ floor / CLI")
    assert by
    assert "| # | what |" in md and "Machine:" in md
    assert "targets met" in stdout


def test_unknown_item_is_rejected(tmp_path):
    r = subprocess.run([sys.executable, str(RUN), "--quick", "--only", "42"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2
    assert "unknown item" in r.stderr


@pytest.mark.jack
@csound6_run
def test_quick_realtime_items_on_jack_dummy(helpers, tmp_path):
    if not shutil.which("jackd") or not (helpers / "jack_xruns").exists():
        pytest.skip("jackd / JACK headers not installed")
    data, _, _ = run_bench(helpers, tmp_path, "--only", "5,8")
    rows = data["rows"]
    jack_rows = [r for r in rows if "JACK dummy" in r["what"] and r["item"] in ("5", "6")]
    assert jack_rows
    for r in jack_rows:
        figure(r, "csoundpp")
    eight = [r for r in rows if r["item"] == "8"]
    f = figure(eight[0], "csoundpp")
    assert f["samples"][0] >= 0  # -1 would mean the counter did not report
    assert eight[0]["note"].startswith("jackd")  # real-time or not, the table says which
    rendered = [r for r in eight if "audio rendered" in r["what"]][0]
    assert 50 < figure(rendered, "csoundpp")["samples"][0] < 110  # Csound's clock lines were parsed
    info = [r for r in eight if "outvalues" in r["what"]][0]["figures"]["csoundpp"]
    assert "outvalues" in info and not info.startswith("0 outvalues")
