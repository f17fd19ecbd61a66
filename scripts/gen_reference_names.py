#!/usr/bin/env python3
"""Lists the public names of the bindings csoundpp must answer to.

Sources:
- the reference ctcsound 6.18 module (Debian's python3-csound), read with ``ast``
  (never imported): module-level functions, constants and structures, and the
  methods of ``Csound`` and ``CsoundPerformanceThread``;
- the seed documents in ../shared/seeds/ (000/003 ctcsound 6, 001 libcsound's
  Csound 7 API, 002 snake_case ctcsound, 004 the old csnd module).

Output (one name per line, sorted, '#' comments): ``<source> <scope> <name>`` where
scope is ``module``, ``Csound``, ``CsoundPerformanceThread``, ``PerformanceThread``,
``csnd``, ``csnd.Csound`` or ``csnd.CsoundPerformanceThread``.

Run: python3 scripts/gen_reference_names.py > tests/data/ctcsound_names.txt
"""
from __future__ import annotations

import argparse
import ast
import glob
import os
import re
import sys

CTCSOUND = "/usr/lib/python3/dist-packages/ctcsound.py"
HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "seeds"))

# ctypes function-pointer types and private helpers of the reference module:
# implementation details of a ctypes binding, not API a program calls.
REFERENCE_SKIP = {
    "libcsound", "libcspt", "string128", "arrFromPointer", "defaultMessageCbRef",
}
CTYPES_FUNC_TYPES = re.compile(r"^[A-Z0-9]+FUNC$")


def reference_names(path: str):
    tree = ast.parse(open(path, encoding="utf-8").read())
    out = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            if not node.name.startswith("_"):
                out.add(("module", node.name))
        elif isinstance(node, ast.ClassDef):
            out.add(("module", node.name))
            if node.name in ("Csound", "CsoundPerformanceThread"):
                for m in node.body:
                    if isinstance(m, ast.FunctionDef) and not m.name.startswith("_"):
                        out.add((node.name, m.name))
            else:  # ctypes structures: their field names
                for m in node.body:
                    if isinstance(m, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "_fields_" for t in m.targets
                    ):
                        for elt in getattr(m.value, "elts", []):
                            if isinstance(elt, ast.Tuple) and isinstance(elt.elts[0], ast.Constant):
                                out.add((f"{node.name}.field", elt.elts[0].value))
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    if t.id in REFERENCE_SKIP or CTYPES_FUNC_TYPES.match(t.id):
                        continue
                    if t.id == "NamedGen":
                        continue
                    out.add(("module", t.id))
                elif (isinstance(t, ast.Attribute) and t.attr == "_fields_"
                      and isinstance(t.value, ast.Name)):  # NamedGen._fields_ = [...]
                    for elt in getattr(node.value, "elts", []):
                        if isinstance(elt, ast.Tuple) and isinstance(elt.elts[0], ast.Constant):
                            out.add((f"{t.value.id}.field", elt.elts[0].value))
    # Csound 6.18 also ships these in the module namespace
    return out


def seed_text(prefix: str) -> str:
    files = sorted(glob.glob(os.path.join(SEEDS, prefix + "_*.txt")))
    return open(files[0], encoding="utf-8").read() if files else ""


def seed000(text: str):
    # ctcsound 6 CsoundPerformanceThread reference: "name(args)" lines
    out = {("module", "CsoundPerformanceThread")}
    for m in re.finditer(r"^(\w+)\(", text, flags=re.M):
        if m.group(1) != "ctcsound":
            out.add(("CsoundPerformanceThread", m.group(1)))
    return out


def seed001(text: str):
    out = {("module", "Csound"), ("module", "PerformanceThread")}
    scope = None
    for line in text.splitlines():
        if line.startswith("class libcsound.api7.Csound"):
            scope = "Csound"
            continue
        if line.startswith("class libcsound.api7.PerformanceThread"):
            scope = "PerformanceThread"
            continue
        m = re.match(r"^(\w+)\(.*\)\[source\]#$", line.strip())
        if m and scope:
            out.add((scope, m.group(1)))
    return out


def seed002(text: str):
    out = set()
    lines = [ln.strip() for ln in text.splitlines()]
    scope = "Csound"
    for i, ln in enumerate(lines):
        if ln == "CsoundPerformanceThread class":
            scope = "CsoundPerformanceThread"
        if re.fullmatch(r"[A-Za-z_]\w*", ln) and i + 1 < len(lines) and lines[i + 1] in ("method", "function"):
            out.add(("module" if lines[i + 1] == "function" else scope, ln))
    for m in re.finditer(r"\bctcsound\.([A-Za-z_]\w*)", text):
        out.add(("module", m.group(1)))
    for m in re.finditer(r"\bcs\.([A-Za-z_]\w*)\(", text):
        out.add(("Csound", m.group(1)))
    for m in re.finditer(r"\bpt\.([A-Za-z_]\w*)\(", text):
        out.add(("CsoundPerformanceThread", m.group(1)))
    return out


def seed003(text: str):
    out = set()
    for m in re.finditer(r"\bctcsound\.([A-Za-z_]\w*)", text):
        out.add(("module", m.group(1)))
    for m in re.finditer(r"\bcs\.([A-Za-z_]\w*)\s*\(", text):
        out.add(("Csound", m.group(1)))
    # "Methods for pausing, stopping and joining the thread are available (pause(), stop(), and join())"
    m = re.search(r"Methods for pausing[^.]*\(([^.]*)\)\.", text)
    if m:
        for name in re.findall(r"(\w+)\(\)", m.group(1)):
            out.add(("CsoundPerformanceThread", name))
    return out


def seed004(text: str):
    out = set()
    for m in re.finditer(r"\bcsnd\.([A-Za-z_]\w*)", text):
        out.add(("csnd", m.group(1)))
    for m in re.finditer(r"\bcs\.([A-Za-z_]\w*)\(", text):
        out.add(("csnd.Csound", m.group(1)))
    for m in re.finditer(r"\bperf\.([A-Za-z_]\w*)\(", text):
        out.add(("csnd.CsoundPerformanceThread", m.group(1)))
    # methods named in prose: "using the Perform() method", "pause(), stop(), Join() ..."
    prose_csound = {"Compile", "Perform", "Reset", "SetChannel", "GetChannel"}
    prose_thread = {"Play", "Pause", "Stop", "Join"}
    for name in re.findall(r"\b([A-Z]\w*)\(\)", text):
        if name in prose_csound:
            out.add(("csnd.Csound", name))
        elif name in prose_thread:
            out.add(("csnd.CsoundPerformanceThread", name))
    # the page tells the reader to Reset, Play, Pause, Stop and Join without showing the calls
    for name in ("Perform", "Reset"):
        out.add(("csnd.Csound", name))
    for name in prose_thread:
        out.add(("csnd.CsoundPerformanceThread", name))
    return out


def main() -> int:
    global SEEDS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ctcsound", default=CTCSOUND)
    ap.add_argument("--seeds", default=None, help="seed folder (default: %s)" % SEEDS)
    args = ap.parse_args()
    if args.seeds:
        SEEDS = args.seeds
    rows = set()
    if not os.path.exists(args.ctcsound):
        print(f"error: {args.ctcsound} not found (apt-get install python3-csound)", file=sys.stderr)
        return 1
    for scope, name in reference_names(args.ctcsound):
        rows.add(("ctcsound", scope, name))
    for tag, fn in (("seed000", seed000), ("seed001", seed001), ("seed002", seed002),
                    ("seed003", seed003), ("seed004", seed004)):
        text = seed_text(tag[4:])
        if not text:
            print(f"error: seed {tag} not found in {SEEDS}", file=sys.stderr)
            return 1
        for scope, name in fn(text):
            rows.add((tag, scope, name))
    print("# Public names csoundpp answers to: <source> <scope> <name>")
    print("# generated by scripts/gen_reference_names.py from the reference ctcsound 6.18")
    print("# module (read with ast) and the seed documents; do not edit by hand.")
    for row in sorted(rows):
        print(" ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
