#!/usr/bin/env bash
# Smoke run of the Csound 7 benchmark path, so it cannot rot (numbers meaningless, no target
# judged): benchmarks/setup.sh --csound7 (Csound 7 prefix, csoundpp built against it in .venv-cs7,
# ctcsound7 / libcsound 1.0 / cycsound in benchmarks/.peers-cs7, the C++ floor when it compiles
# on 7), then `benchmarks/run.py --csound 7 --quick` on every item ported to Csound 7, and
# benchmarks/side_by_side.py on a quick Csound 6 and Csound 7 run of item 1. Checks that csoundpp
# has a figure in every row, that every peer column has a figure or a reason, that libcsound 1.0
# and cycsound were measured, that the whole run used ONE libcsound (the prefix's), and that
# --markdown replaced only the Csound 7 section of a copy of docs/benchmarks.md.
# Warm (prefix, .venv-cs7 and peers already there): ~1 min on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CSOUNDPP_BENCH_NO_PROJECT_SETUP=1 benchmarks/setup.sh --csound7
VPY7=$ROOT/.venv-cs7/bin/python
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# a run's output (tables, Csound's messages) is shown only when it fails
run() { local log=$1; shift; "$@" > "$TMP/$log" 2>&1 || { cat "$TMP/$log"; echo "bench-csound7: FAILED: $*" >&2; exit 1; }; }
cp docs/benchmarks.md "$TMP/bench.md"
run cs7.log "$VPY7" benchmarks/run.py --csound 7 --quick --json "$TMP/cs7.json" --markdown "$TMP/bench.md"
run cs6-1.log .venv/bin/python benchmarks/run.py --quick --no-jack --only 1 --json "$TMP/cs6-1.json"
run cs7-1.log "$VPY7" benchmarks/run.py --csound 7 --quick --only 1 --json "$TMP/cs7-1.json"
run side.md python3 benchmarks/side_by_side.py "$TMP/cs6-1.json" "$TMP/cs7-1.json"

python3 - "$TMP" "$ROOT" <<'EOF'
import json, math, re, sys
from pathlib import Path
tmp, root = Path(sys.argv[1]), Path(sys.argv[2])
d = json.loads((tmp / "cs7.json").read_text())
assert d["csound"] == 7 and d["reference"] == "libcsound", d.get("csound")
assert d["columns"] == ["csoundpp", "ctcsound7", "libcsound", "cycsound", "C++ floor / CLI"], d["columns"]
items = {r["item"] for r in d["rows"]}
assert {"1", "1b", "2", "2b", "3", "3b", "4", "9", "11", "12", "13"} <= items, items
failed = [r["what"] for r in d["rows"] if r["what"].startswith("item failed")]
assert not failed, failed
prefix = str(Path(d["machine"]["OPCODE7DIR64"]).parents[2])
libs = d["machine"]["libcsound loaded (every column)"].split(", ")
assert len(libs) == 1 and libs[0].startswith(prefix + "/lib/libcsound64"), libs


def figure(row, impl):
    f = row["figures"].get(impl)
    assert isinstance(f, dict) and f["samples"], f"{row['item']} {row['what']}: {impl}: {f!r}"
    assert all(math.isfinite(x) and (x > 0 or row["item"] == "9" and x >= 0) for x in f["samples"]), row
    return f


floor_built = (root / "benchmarks/.build-cs7/floor").exists()
for r in d["rows"]:
    figure(r, "csoundpp")
    for impl in ("ctcsound7", "libcsound", "cycsound", "C++ floor / CLI"):
        v = r["figures"].get(impl)
        assert v is None or isinstance(v, dict) or (isinstance(v, str) and v.strip()), (r["item"], impl, v)
    if r["item"] in ("1", "3", "3b", "4", "11", "12", "13") and "batch" not in r["what"]:
        figure(r, "libcsound")
        figure(r, "cycsound")
    if r["item"] in ("1b", "2"):
        figure(r, "libcsound")
    if r["item"] == "1" and "set" in r["what"]:
        if floor_built:
            figure(r, "C++ floor / CLI")
        else:
            assert "not built for Csound 7" in r["figures"]["C++ floor / CLI"], r
md = (tmp / "bench.md").read_text()
orig = (root / "docs/benchmarks.md").read_text()
b6 = orig[orig.index("<!-- bench:begin -->"):orig.index("<!-- bench:end -->")]
assert b6 in md, "the Csound 6 table changed"
sec = md[md.index("<!-- bench:csound7:begin -->"):md.index("<!-- bench:csound7:end -->")]
assert "--csound 7" in sec and "| csoundpp | ctcsound7 | libcsound | cycsound |" in sec, sec[:500]
side = (tmp / "side.md").read_text()
assert re.search(r"^\| 1 \| setControlChannel by name.*\| [0-9.]+× \|", side, re.M), side
print(f"bench-csound7: {len(d['rows'])} rows on Csound 7, one libcsound ({libs[0]}), C++ floor "
      f"{'built' if floor_built else 'not built (reason in the table)'}; side-by-side table made")
EOF
