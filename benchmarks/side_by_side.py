#!/usr/bin/env python3
"""The Csound 6 and the Csound 7 figures of benchmarks/run.py side by side, as ratios.

    .venv/bin/python benchmarks/run.py --only 1,2,3,4,12,13 --no-jack --json cs6.json
    .venv-cs7/bin/python benchmarks/run.py --csound 7 --only 1,2,3,4,12,13 --json cs7.json
    python3 benchmarks/side_by_side.py cs6.json cs7.json [--markdown docs/benchmarks.md]

Each run compares csoundpp with the peers of its own Csound in the same process run (repetitions
interleaved), so a ratio holds within a run; the absolute figures of two runs on a shared machine
are not comparable. The table gives, for each row present in both runs, csoundpp's own figure
and every other column as a ratio to it: a peer's time (or memory) / csoundpp's, and for the
throughput row (3b, seconds of audio per CPU second) csoundpp's / the peer's, so > 1 always means
csoundpp is ahead. --markdown writes between the file's <!-- bench:side-by-side:begin/end -->
markers (appended when absent). Standard library only.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HIGHER_IS_BETTER = {"s/s", "events/s", "×"}


def median(fig):
    if isinstance(fig, dict) and fig.get("samples"):
        return statistics.median(fig["samples"]), fig.get("unit", "")
    return None, None


def fmt(x: float) -> str:
    a = abs(x)
    return f"{x:.0f}" if a >= 100 else f"{x:.1f}" if a >= 10 else f"{x:.2f}" if a >= 1 else f"{x:.3g}"


def cell(row: dict, peer: str, notes: list[str]) -> str:
    base, unit = median(row["figures"].get("csoundpp"))
    other, _ = median(row["figures"].get(peer))
    if other is None:
        why = row["figures"].get(peer)
        if isinstance(why, str) and why.strip("—– "):
            if why not in notes:
                notes.append(why)
            return f"— [{notes.index(why) + 1}]"
        return "—"
    if base is None or base == 0 or other == 0:
        return "n/a"
    r = base / other if unit in HIGHER_IS_BETTER else other / base
    return f"{r:.2f}×"


def keyed(data: dict) -> dict:
    """(item, index of the row within its item) -> row."""
    out, seen = {}, {}
    for r in data["rows"]:
        if r["what"].startswith("item failed"):
            continue
        i = seen.get(r["item"], 0)
        seen[r["item"]] = i + 1
        out[(r["item"], i)] = r
    return out


def run_line(label: str, data: dict) -> str:
    m = data["machine"]
    load = m.get("load average (1/5/15 min) at start → end", "?")
    return (f"- **{label}**: `{data.get('command', '?')}` at {data.get('date', '?')}, load average (1/5/15 min) "
            f"start → end {load}; csoundpp {m.get('csoundpp', '?')}")


def table(d6: dict, d7: dict) -> str:
    cols6 = [c for c in d6["columns"] if c != "csoundpp"]
    cols7 = [c for c in d7["columns"] if c != "csoundpp"]
    name6 = {"ctcsound": "ctcsound 6.18", "libcsound": "libcsound 0.18.5", "C++ floor / CLI": "C++ floor / CLI"}
    name7 = {"ctcsound7": "ctcsound7 0.8.0", "libcsound": "libcsound 1.0.3", "cycsound": "cycsound 0.2.3",
             "C++ floor / CLI": "C++ floor / CLI"}
    head = (["#", "what", "Csound 6: csoundpp"] + [f"6: {name6.get(c, c)}" for c in cols6]
            + ["Csound 7: csoundpp"] + [f"7: {name7.get(c, c)}" for c in cols7])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    notes: list[str] = []
    k6, k7 = keyed(d6), keyed(d7)
    for key in k6:
        if key not in k7:
            continue
        r6, r7 = k6[key], k7[key]
        f6, f7 = r6["figures"].get("csoundpp"), r7["figures"].get("csoundpp")
        c6 = f"{fmt(median(f6)[0])} {median(f6)[1]}" if median(f6)[0] is not None else "—"
        c7 = f"{fmt(median(f7)[0])} {median(f7)[1]}" if median(f7)[0] is not None else "—"
        what = r6["what"].replace("|", "/")
        lines.append("| " + " | ".join([r6["item"], what, c6] + [cell(r6, c, notes) for c in cols6] + [c7]
                                       + [cell(r7, c, notes) for c in cols7]) + " |")
    lines.append("")
    lines += [f"[{i}] {why.replace('|', '/')}  " for i, why in enumerate(notes, 1)]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csound6", type=Path, help="--json of a Csound 6 run")
    ap.add_argument("csound7", type=Path, help="--json of a --csound 7 run")
    ap.add_argument("--markdown", type=Path, action="append", default=[])
    args = ap.parse_args(argv)
    d6, d7 = json.loads(args.csound6.read_text()), json.loads(args.csound7.read_text())
    if d6.get("csound", 6) != 6 or d7.get("csound") != 7:
        ap.error("give the Csound 6 run first, then the --csound 7 run")
    m = d6["machine"]
    body = "\n".join([
        f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, Python {m.get('python', '?')}, kernel "
        f"{m.get('kernel', '?')}; Csound 7: {d7['machine'].get('libcsound loaded (every column)', '?')}", "",
        run_line("Csound 6 run", d6), run_line("Csound 7 run", d7), "",
        "csoundpp's own figure (median), then every other column of the same run as a ratio to it "
        "(> 1: csoundpp is ahead; — : the column has no figure, with the reason).", "",
        table(d6, d7), ""])
    print(body)
    begin, end = "<!-- bench:side-by-side:begin -->", "<!-- bench:side-by-side:end -->"
    for md in args.markdown:
        prev = md.read_text() if md.exists() else ""
        if begin in prev and end in prev:
            new = prev[: prev.index(begin) + len(begin)] + "\n" + body + prev[prev.index(end):]
        else:
            new = prev.rstrip("\n") + f"\n\n{begin}\n{body}{end}\n"
        md.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
