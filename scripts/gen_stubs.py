#!/usr/bin/env python3
"""Post-processes pybind11-stubgen's stub of csoundpp._core into python/csoundpp/_core.pyi.

    python scripts/gen_stubs.py RAW_PYI OUT_PYI      (scripts/gen_stubs.sh runs it)

Each fix is a named patch below, applied in order. The aliases of the spelling table
(python/csoundpp/_spellings.py) are written as ``alias = canonical`` lines in their class,
so an alias is typed exactly as its canonical method (stubgen alone would write an untyped
``def alias(*args, **kwargs)``). The same table also generates the TYPE_CHECKING blocks of
the module-level and csnd spellings (``--check`` compares instead of writing).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]


def _load_spellings():
    """python/csoundpp/_spellings.py by path: pure data, importable without the compiled module.

    It is loaded as a submodule of a bare package named for the folder (its __init__, which
    needs the compiled module, is not run) so its relative imports (_peer_signatures) work.
    """
    import importlib.util
    import types

    pkg = types.ModuleType("_csoundpp_data")
    pkg.__path__ = [str(ROOT / "python" / "csoundpp")]
    sys.modules[pkg.__name__] = pkg
    spec = importlib.util.spec_from_file_location("_csoundpp_data._spellings", ROOT / "python" / "csoundpp" / "_spellings.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


_spellings = _load_spellings()


def strip_addresses(text: str) -> str:
    """Memory addresses in default-value reprs would make every run differ."""
    return re.sub(r" at 0x[0-9a-f]+", "", text)


def build_dependent_values(text: str) -> str:
    """Values that depend on the Csound the module was built for (6 or 7): the type only."""
    return re.sub(r"^OPDS_SIZE: int = \d+$", "OPDS_SIZE: int", text, flags=re.M)


def declare_errors(text: str) -> str:
    """The error classes live in _core but are re-exported by csoundpp: declare them here."""
    errors = re.findall(r"^from csoundpp import (\w+)\n", text, flags=re.M)
    text = re.sub(r"^from csoundpp import \w+\n", "", text, flags=re.M)
    decl = ["class CsoundError(RuntimeError):", "    status: int"]
    decl += [f"class {e}(CsoundError): ..." for e in sorted(errors) if e != "CsoundError"]
    return re.sub(r"^(__all__: .*\n)", lambda m: m.group(1) + "\n".join(decl) + "\n", text, count=1, flags=re.M)


def import_python_structures(text: str) -> str:
    """Methods attached in pure Python (_extras.py, _module_functions.py) name these structures."""
    imports = ("from csoundpp._extras import ControlChannelInfo\n"
               "from csoundpp._module_functions import CsoundAudioDevice, CsoundMidiDevice, NamedGen, OpcodeListEntry\n"
               "from csoundpp._peer_api import OpcodeDef\n"
               "import ctypes as _ct\n")
    return re.sub(r"^(import typing_extensions\n)", lambda m: m.group(1) + imports, text, count=1, flags=re.M)


def ctcsound_csound_method(text: str) -> str:
    """ctcsound's CsoundPerformanceThread.csound() is a method where PerformanceThread has a property."""
    return text.replace("    def csound(self: PerformanceThread) -> int:",
                        "    def csound(self: PerformanceThread) -> int:  # type: ignore[override]")


def raw_method_signatures(text: str) -> str:
    """Methods written as raw CPython methods (Csound.performKsmps, cpp/bindings/bind_csound.cpp)
    carry a __text_signature__, which pybind11-stubgen prefers; their docstring's first line is
    pybind11's typed signature. The stub takes the types from that line and drops it from the
    docstring, as pybind11-stubgen does for pybind11's own methods."""
    pattern = re.compile(
        r'^(    def (\w+)\(self\)):\n        """\n        \2\(self: [\w.]+\) -> ([^\n]+)\n        \n',
        re.MULTILINE)
    return pattern.sub(lambda m: f'{m.group(1)} -> {m.group(3)}:\n        """\n', text)


def _members(body: List[str]) -> List[List[str]]:
    """Splits a class body into members: decorators + def/attribute + everything indented deeper."""
    out: List[List[str]] = []
    for line in body:
        starts = re.match(r"^    [^ ]", line) is not None
        if starts and not (out and all(x.startswith("    @") for x in out[-1])):
            out.append([line])
        elif out:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _member_name(member: List[str]) -> str:
    for line in member:
        m = re.match(r"^    def (\w+)\(", line) or re.match(r"^    (\w+)\s*[:=]", line)
        if m:
            return m.group(1)
    return ""


def typed_aliases(text: str) -> str:
    """Every alias of the spelling table becomes `alias = canonical` in its class."""
    lines = text.split("\n")
    out: List[str] = []
    i = 0
    while i < len(lines):
        m = re.match(r"^class (\w+)\b", lines[i])
        scope = m.group(1) if m else ""
        if scope not in ("Csound", "PerformanceThread"):
            out.append(lines[i])
            i += 1
            continue
        out.append(lines[i])
        i += 1
        body = []
        while i < len(lines) and (lines[i].startswith(" ") or lines[i] == ""):
            body.append(lines[i])
            i += 1
        aliases = _spellings.aliases(scope)
        trailing = []
        while body and body[-1] == "":
            trailing.append(body.pop())
        for member in _members(body):
            if _member_name(member) not in aliases:
                out.extend(member)
        out.append("    # other APIs' names for the methods above (python/csoundpp/_spellings.py)")
        out.extend(f"    {a} = {c}" for a, c in sorted(aliases.items()))
        out.extend(trailing)
    return "\n".join(out)


PATCHES: List[Callable[[str], str]] = [
    strip_addresses,
    build_dependent_values,
    declare_errors,
    import_python_structures,
    ctcsound_csound_method,
    raw_method_signatures,
    typed_aliases,
]


# ------------------------------------------------------------------ TYPE_CHECKING blocks
BEGIN = "    # --- generated by scripts/gen_stubs.py from _spellings.py: do not edit"
END = "    # --- end of generated spellings"


def _block(lines: List[str], indent: str) -> str:
    body = [BEGIN.replace("    ", indent, 1)] + [indent + x for x in lines] + [END.replace("    ", indent, 1)]
    return "\n".join(body)


def spelling_blocks() -> Dict[Path, List[tuple]]:
    """File -> [(indent, lines)] for each generated block, in file order."""
    module = [f"{a} = {c}" for a, c in _spellings.aliases("module").items()]
    csnd_cs = [f"{a} = _cpp.Csound.{c}" for a, c in sorted(_spellings.aliases("Csound", include_csnd=True).items())]
    csnd_pt = [f"{a} = _cpp.CsoundPerformanceThread.{c}"
               for a, c in sorted(_spellings.aliases("PerformanceThread", include_csnd=True).items())]
    pkg = ROOT / "python" / "csoundpp"
    return {pkg / "_module_functions.py": [("    ", module)],
            pkg / "csnd.py": [("        ", csnd_cs), ("        ", csnd_pt)]}


def apply_blocks(check: bool) -> bool:
    ok = True
    pattern = re.compile(r"^( *)# --- generated by scripts/gen_stubs.py.*?\n\1# --- end of generated spellings", re.M | re.S)
    for path, blocks in spelling_blocks().items():
        text = path.read_text(encoding="utf-8")
        found = list(pattern.finditer(text))
        if len(found) != len(blocks):
            raise SystemExit(f"{path}: expected {len(blocks)} generated blocks, found {len(found)}")
        new = text
        for m, (indent, lines) in reversed(list(zip(found, blocks))):
            new = new[:m.start()] + _block(lines, indent) + new[m.end():]
        if new != text:
            ok = False
            if not check:
                path.write_text(new, encoding="utf-8")
    return ok


def main(argv: List[str]) -> int:
    if argv[1:] == ["--check"]:
        return 0 if apply_blocks(check=True) else 1
    src, dst = argv[1], argv[2]
    text = Path(src).read_text(encoding="utf-8")
    for patch in PATCHES:
        text = patch(text)
    Path(dst).write_text(text, encoding="utf-8")
    # The generated blocks of the package are rewritten only when the real stub is; a run
    # into another file (the drift test) only checks them.
    if Path(dst).resolve() == (ROOT / "python" / "csoundpp" / "_core.pyi").resolve():
        apply_blocks(check=False)
    elif not apply_blocks(check=True):
        print("generated spelling blocks drifted: run scripts/gen_stubs.sh", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
