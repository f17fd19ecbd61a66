"""Signature parity with the peers themselves: every public class, method and module-level name
of ctcsound 6.18 (Debian), libcsound 0.18.5 and ctcsound7 0.8.0, walked with inspect, exists in
csoundpp, and every positional and keyword form the peer accepts is accepted by csoundpp
(parameter names at their positions, defaults where the peer has them, *args). Module values
have the peer's types. The peers are installed side by side by scripts/install_peers.sh.

Allow-list entries say why; there are no others.
"""
from __future__ import annotations

import ctypes
import importlib
import inspect
import warnings
from typing import Any, Dict, List, Optional, Tuple

import pytest

import csoundpp
from csoundpp import _keywords
from csoundpp._peer_signatures import PEERS as GENERATED_FROM, SIGNATURES

PEER_NAMES = ("ctcsound", "libcsound", "ctcsound7")


def load(name: str):
    try:
        with warnings.catch_warnings():  # Debian's ctcsound.py has invalid escapes (SyntaxWarning)
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except Exception as e:  # noqa: BLE001 - a peer that cannot load is reported as a skip
        pytest.skip(f"peer {name} is not importable ({e}); scripts/install_peers.sh installs it")


# --------------------------------------------------------------------------------- allow-lists
# Module-level names of a peer that csoundpp does not have, and why.
MODULE_ALLOW = {
    # the ctypes handles of the loaded C libraries and helpers around them
    "libcsound": "the peer's ctypes.CDLL of libcsound; csoundpp links libcsound natively",
    "libcspt": "the peer's ctypes.CDLL of libcsnd's performance thread; csoundpp has its own in C++",
    "libcsoundPath": "where the peer found libcsound (csoundpp links it at build time: csoundpp.get_library_dir())",
    "libcsoundpath": "as libcsoundPath",
    "defaultMessageCbRef": "the peer keeps its ctypes callback alive in a global; csoundpp holds it natively",
    "logger": "the peer's logging.Logger",
    "BUILDING_DOCS": "the peer's Sphinx switch",
    # names the peer imported for its own use, not API
    "annotations": "from __future__ import annotations in the peer",
    "Sequence": "typing.Sequence imported by the peer",
    "dataclass": "dataclasses.dataclass imported by the peer",
    # ctypes-only types: C pointer types and callback prototypes for ctypes calls into libcsound
    "CSOUND_p": "a ctypes POINTER type; csoundpp methods take Python values",
    "STRINGDAT_p": "a ctypes POINTER type",
    "ARRAYDAT_p": "a ctypes POINTER type",
    "PVSDAT_p": "a ctypes POINTER type",
    "string128": "a ctypes char-array type used inside the peer's structures",
}
CTYPES_PROTOTYPE = "a ctypes CFUNCTYPE prototype: csoundpp takes Python callables"

# Methods of a peer class that csoundpp does not have, and why.
METHOD_ALLOW: Dict[Tuple[str, str], str] = {}


def native_positions(fn: Any) -> Optional[List[Tuple[str, Any]]]:
    overloads = _keywords.own_overloads(fn)
    if not overloads:
        return None
    return max(overloads, key=len)


def accepted(cls: Any, cname: str, mname: str) -> Tuple[List[set], List[bool], bool, bool]:
    """What csoundpp.<cls>.<mname> accepts: per position the set of keyword names, per position
    whether it may be omitted, whether extra positionals and unknown keywords are taken."""
    fn = inspect.getattr_static(cls, mname)
    if isinstance(fn, property):  # ctcsound's Csound.cs is an attribute; ours a property: no call forms
        return [], [], True, True
    fn = getattr(cls, mname)
    raw = getattr(fn, "__func__", fn)
    spec = _keywords.FALLBACKS.get(cname, {}).get(mname)
    if spec is None:  # an alias of a method with a fallback
        for other, s in _keywords.FALLBACKS.get(cname, {}).items():
            if getattr(getattr(cls, other), "__func__", getattr(cls, other)) is raw:
                spec = s
    if type(raw).__name__ == "builtin_function_or_method":
        own = native_positions(raw) or []
        names = [{n} for n, _ in own]
        optional = [d is not _keywords._REQUIRED for _, d in own]
        var_args = "*args" in (raw.__doc__ or "")
        var_kw = "**kwargs" in (raw.__doc__ or "")
        if spec is not None:
            for i, ns in enumerate(spec.names):
                if i >= len(names):
                    names.append(set())
                    optional.append(False)
                names[i].update(ns)
                optional[i] = optional[i] or spec.defaults[i] is not _keywords._REQUIRED
        return names, optional, var_args, var_kw
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    if params and params[0].name == "self":
        params = params[1:]
    names, optional = [], []
    var_args = var_kw = False
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            var_args = True
        elif p.kind is p.VAR_KEYWORD:
            var_kw = True
        elif p.kind is p.KEYWORD_ONLY:
            names.append({p.name})  # keyword-only: position check below is by name
            optional.append(p.default is not p.empty)
        else:
            names.append({p.name})
            optional.append(p.default is not p.empty)
    return names, optional, var_args, var_kw


def check_signature(cls: Any, cname: str, mname: str, params: tuple) -> List[str]:
    names, optional, var_args, var_kw = accepted(cls, cname, mname)
    problems = []
    positional = [p for p in params if p[1] == "p"]
    for i, p in enumerate(positional):
        if i >= len(names):
            if not var_args:
                problems.append(f"takes no argument at position {i} ({p[0]!r})")
            break
        if p[0] not in names[i] and not var_kw:
            problems.append(f"does not accept keyword {p[0]!r} (position {i}: {sorted(names[i])})")
        if len(p) == 3 and not optional[i]:
            problems.append(f"argument {p[0]!r} is required; the peer defaults it to {p[2]!r}")
    for p in params:
        if p[1] == "*" and not var_args:
            problems.append(f"does not take *{p[0]}")
        if p[1] == "k" and not var_kw and not any(p[0] in ns for ns in names):
            problems.append(f"does not accept keyword-only {p[0]!r}")
    return problems


# --------------------------------------------------------------------------------- the tests
def test_generated_data_matches_the_installed_peers():
    """_peer_signatures.py was generated from exactly the peers installed here."""
    import subprocess
    import sys
    from pathlib import Path

    for peer in PEER_NAMES:
        load(peer)
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, str(root / "scripts" / "gen_peer_signatures.py"), "--check"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr + r.stdout
    assert set(GENERATED_FROM) == set(PEER_NAMES)


@pytest.mark.parametrize("peer", PEER_NAMES)
def test_every_module_level_name_exists_with_the_peers_type(peer):
    mod = load(peer)
    missing, wrong = [], []
    for name, value in vars(mod).items():
        if name.startswith("_") or inspect.ismodule(value) or name in MODULE_ALLOW:
            continue
        if isinstance(value, type) and issubclass(value, ctypes._CFuncPtr):
            continue  # CTYPES_PROTOTYPE
        if not hasattr(csoundpp, name):
            missing.append(name)
            continue
        ours = getattr(csoundpp, name)
        if isinstance(value, (bool, int, float, str)) and not isinstance(value, type):
            if type(ours) is not type(value) or ours != value:
                wrong.append(f"{name}: peer {value!r} ({type(value).__name__}), csoundpp {ours!r}")
    assert not missing, f"{peer} names missing in csoundpp: {missing}"
    assert not wrong, f"{peer} values that differ: {wrong}"


@pytest.mark.parametrize("peer", PEER_NAMES)
def test_myflt_is_ctypes_double(peer):
    mod = load(peer)
    assert csoundpp.MYFLT is mod.MYFLT is ctypes.c_double
    ctypes.POINTER(csoundpp.MYFLT)  # what csoundengine does with it


@pytest.mark.parametrize("peer", PEER_NAMES)
@pytest.mark.parametrize("cname", ["Csound", "PerformanceThread"])
def test_every_method_accepts_the_peers_positional_and_keyword_forms(peer, cname):
    load(peer)
    cls = csoundpp.Csound if cname == "Csound" else csoundpp.PerformanceThread
    problems = []
    checked = 0
    for mname, peers in SIGNATURES[cname].items():
        params = peers.get(peer)
        if params is None:
            continue
        if mname == "__init__":
            continue  # constructors are called, not inspected: test_constructors_accept_the_peers_forms
        if not hasattr(cls, mname):
            if (cname, mname) not in METHOD_ALLOW:
                problems.append(f"{cname}.{mname}: missing")
            continue
        checked += 1
        for p in check_signature(cls, cname, mname, params):
            problems.append(f"{cname}.{mname}: {p}")
    assert checked > (150 if cname == "Csound" else 10)
    assert not problems, f"{peer}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("peer", PEER_NAMES)
def test_every_module_function_accepts_the_peers_forms(peer):
    load(peer)
    problems = []
    for fname, peers in SIGNATURES["<module>"].items():
        params = peers.get(peer)
        if params is None:
            continue
        if fname in ("dataclass",):
            continue
        fn = getattr(csoundpp, fname, None)
        if fn is None:
            problems.append(f"{fname}: missing")
            continue
        sig = inspect.signature(fn)
        ours = [p for p in sig.parameters.values()]
        positional = [p for p in ours if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        names = {p.name for p in ours}
        var_args = any(p.kind is p.VAR_POSITIONAL for p in ours)
        for i, p in enumerate(x for x in params if x[1] == "p"):
            if i >= len(positional) and not var_args:
                problems.append(f"{fname}: no position {i} for {p[0]!r}")
            if p[0] not in names:
                problems.append(f"{fname}: keyword {p[0]!r} not accepted")
            if len(p) == 3:
                q = next((q for q in ours if q.name == p[0]), positional[i] if i < len(positional) else None)
                if q is not None and q.default is q.empty:
                    problems.append(f"{fname}: {p[0]!r} required; the peer defaults it")
    assert not problems, f"{peer}: {problems}"


@pytest.mark.parametrize("peer", PEER_NAMES)
def test_every_public_class_exists(peer):
    mod = load(peer)
    missing = []
    for name, value in vars(mod).items():
        if name.startswith("_") or not isinstance(value, type) or name in MODULE_ALLOW:
            continue
        if issubclass(value, ctypes._CFuncPtr):
            continue  # CTYPES_PROTOTYPE
        if not hasattr(csoundpp, name):
            missing.append(name)
    assert not missing


def test_structures_have_the_peers_fields():
    """ctypes structures of the peers (CsoundParams, ControlChannelHints, ...) have the same
    field names in csoundpp (attribute access is what programs use)."""
    mod = load("ctcsound")
    problems = []
    for name, value in vars(mod).items():
        if not (isinstance(value, type) and issubclass(value, ctypes.Structure)) or name in MODULE_ALLOW:
            continue
        ours = getattr(csoundpp, name, None)
        if ours is None:
            continue
        try:
            obj = ours()
        except TypeError:
            continue  # needs arguments: covered by behaviour tests
        for field, *_ in value._fields_:
            if field in ("next",) or field.startswith("_"):
                continue
            if not hasattr(obj, field):
                problems.append(f"{name}.{field}")
    assert not problems


def test_constructors_accept_the_peers_forms(tmp_path):
    lib = ctypes.CDLL(csoundpp.build_info()["csound_library"])  # the one csoundpp uses (a wheel's own copy)
    lib.csoundCreate.restype = ctypes.c_void_p
    lib.csoundDestroy.argtypes = [ctypes.c_void_p]
    raw = lib.csoundCreate(None, None)  # (Csound 7 takes an opcode folder too) a CSOUND* no csoundpp object wraps yet, as ctcsound programs pass
    try:
        for kwargs in ({}, {"hostData": 1}, {"opcodeDir": ""}, {"hostData": None, "opcodeDir": ""}):
            c = csoundpp.Csound(**kwargs)
            c.destroy()
        c = csoundpp.Csound(None, "")
        c.destroy()
        # ctcsound: Csound(hostData, pointer_) / libcsound: Csound(pointer=)
        w = csoundpp.Csound(pointer_=raw)  # ctcsound
        assert w.csound() == raw
        w.destroy()  # a wrapped pointer is not destroyed by csoundpp
        w = csoundpp.Csound(pointer=ctypes.c_void_p(raw))  # libcsound, ctcsound7
        assert w.csound() == raw
        w.destroy()
    finally:
        lib.csoundDestroy(raw)
    cs = csoundpp.Csound()
    cs.setOption("-n -d -m0")
    cs.compileOrc("sr=48000\nksmps=32\nnchnls=1\n0dbfs=1\n")
    cs.start()
    try:
        for make in (lambda: csoundpp.PerformanceThread(cs),
                     lambda: csoundpp.CsoundPerformanceThread(cs.csound()),  # ctcsound: csp
                     lambda: csoundpp.PerformanceThread(csound=cs),  # libcsound
                     lambda: csoundpp.PerformanceThread(cs, withProcessQueue=True)):  # ctcsound7
            pt = make()
            pt.stop()
            pt.join()
    finally:
        cs.destroy()
