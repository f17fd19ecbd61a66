"""The peers' keyword arguments and defaults, accepted by csoundpp's native methods.

Every peer (ctcsound 6, libcsound 0.18, ctcsound7) passes a method's arguments in the same
order as the C API, but names them differently (``scoreEvent(type_, pFields)`` in ctcsound,
``scoreEvent(kind, pfields)`` in libcsound) and gives some of them defaults the others do
not. The spelling table (``_spellings.SPELLINGS``, with the installed peers' parameters filled
in from ``_peer_signatures.py``) records them.

``install()`` appends one generic overload to each native method whose peers name or default
a parameter differently from csoundpp's typed overload (``_core._add_keyword_fallback``).
pybind11 reaches it only after every typed overload refused the call, so positional calls
keep their fast path. It maps each keyword to its position (any peer's name for that
position is accepted), fills skipped positions with csoundpp's own default or else the
peer's, and calls the method again with positional arguments only.

Which methods get a fallback, and the names and defaults it accepts, is build-time data:
``compute()`` derives it from the spelling table and the compiled methods' signatures
(pybind11 docstrings, parsed with ast), and scripts/gen_import_tables.py writes the result
into ``_import_tables.py``, which ``install()`` reads, so ``import csoundpp`` parses nothing.
tests/test_import_tables.py checks that the committed data equals ``compute()``.
"""
from __future__ import annotations

from _thread import _local

from . import _core

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

__all__ = ["install", "compute", "FALLBACKS"]

_REQUIRED = object()
_tls = _local()

#: class name -> method name -> the method's positional parameters as csoundpp sees them
FALLBACKS: Dict[str, Dict[str, "Spec"]] = {}


class Spec:
    """Positions, names and defaults one method accepts through the fallback."""

    __slots__ = ("qualname", "names", "position", "defaults", "arity", "translate")

    def __init__(self, qualname: str, names: Sequence[Sequence[str]], defaults: Sequence[Any],
                 translate: Optional[Callable[[list, dict], None]] = None) -> None:
        self.qualname = qualname
        self.translate = translate
        self.names = [tuple(n) for n in names]
        self.defaults = list(defaults)
        self.arity = len(self.names)
        self.position: Dict[str, int] = {}
        for i, ns in enumerate(self.names):
            for n in ns:
                self.position.setdefault(n, i)

    def positional(self, args: tuple, kwargs: dict) -> list:
        values = list(args)
        if self.translate is not None:
            self.translate(values, kwargs)
        if len(values) > self.arity:
            raise TypeError(f"{self.qualname}() takes at most {self.arity} arguments ({len(values)} given)")
        given: Dict[int, Any] = {}
        for key, value in kwargs.items():
            i = self.position.get(key)
            if i is None:
                raise TypeError(f"{self.qualname}() got an unexpected keyword argument {key!r}; "
                                f"it accepts {self._accepted()}")
            if i < len(values) or i in given:
                raise TypeError(f"{self.qualname}() got multiple values for argument {key!r}")
            given[i] = value
        last = max([len(values) - 1, *given])
        for i in range(len(values), last + 1):
            if i in given:
                values.append(given[i])
            elif self.defaults[i] is not _REQUIRED:
                values.append(self.defaults[i])
            else:
                raise TypeError(f"{self.qualname}() missing required argument {self.names[i][0]!r}")
        for i in range(len(values), self.arity):  # required ones the caller left out
            if self.defaults[i] is _REQUIRED:
                raise TypeError(f"{self.qualname}() missing required argument {self.names[i][0]!r}")
        return values

    def _accepted(self) -> str:
        return ", ".join("/".join(ns) for ns in self.names)


def _handler(spec: Spec, name: str) -> Callable[[Any, tuple, dict], Any]:
    def call(self: Any, args: tuple, kwargs: dict) -> Any:
        values = spec.positional(args, kwargs)
        key = (id(self), name)
        active = getattr(_tls, "active", None)
        if active == key and not kwargs:
            # the typed overloads refused these positional values too
            raise TypeError(f"{spec.qualname}(): no signature of csoundpp or its peers accepts "
                            f"these arguments ({', '.join(type(v).__name__ for v in args)}); "
                            f"parameters: {spec._accepted()}")
        _tls.active = key
        try:
            return getattr(type(self), name)(self, *values)
        finally:
            _tls.active = active
    return call


def _channel_ptr_translate(values: list, kwargs: dict) -> None:
    # ctcsound7: channelPtr(name, kind, output=True, input=False) -> libcsound's mode 'r'/'w'/'rw'
    out = kwargs.pop("output", None)
    inp = kwargs.pop("input", None)
    if len(values) >= 3 and isinstance(values[2], bool):
        out = values[2]
        if len(values) >= 4:
            inp = values[3]
        del values[2:]
    if out is not None or inp is not None:
        if "mode" in kwargs or len(values) > 2:
            raise TypeError("channelPtr(): give mode or output/input, not both")
        out = True if out is None else bool(out)
        inp = False if inp is None else bool(inp)
        kwargs["mode"] = ("r" if inp else "") + ("w" if out else "") or "r"


#: value translations where a peer's parameter means something else at the same position
TRANSLATE: Dict[Tuple[str, str], Callable[[list, dict], None]] = {
    ("Csound", "channelPtr"): _channel_ptr_translate,
}


def install(classes: Dict[str, Any]) -> None:
    """Adds the keyword fallback to the native methods of ``classes`` ({'Csound': cls, ...})
    that ``_import_tables.KEYWORDS`` lists (``compute()``'s result, precomputed). A canonical
    and its aliases are one function object: one fallback accepts every peer's names for it."""
    from ._aliases import import_tables

    KEYWORDS = import_tables().KEYWORDS
    for scope, cls in classes.items():
        for canonical, (names, defaults) in KEYWORDS.get(scope, {}).items():
            spec = Spec(f"{scope}.{canonical}", names, [d[0] if d else _REQUIRED for d in defaults],
                        TRANSLATE.get((scope, canonical)))
            FALLBACKS.setdefault(scope, {})[canonical] = spec
            _core._add_keyword_fallback(cls, canonical, _handler(spec, canonical))


# ---------------------------------------------------------------- the computation (build time)
# Run by scripts/gen_import_tables.py and tests/test_import_tables.py, never by `import csoundpp`:
# it imports the spelling table, re and ast.

def _is_expr(default: Any) -> bool:
    return isinstance(default, tuple) and len(default) == 2 and default[0] == "<expr>"


def _split_top(body: str) -> List[str]:
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def own_overloads(fn: Any) -> List[List[Tuple[str, Any]]]:
    """The typed overloads of a pybind11 method as [(name, default or _REQUIRED), ...]
    without self, read from its docstring signatures."""
    import ast
    import re

    sig_line = re.compile(r"^(?:\d+\.\s*)?(\w+)\((.*)\)\s*->")
    out = []
    for line in (getattr(fn, "__doc__", None) or "").splitlines():
        m = sig_line.match(line.strip())
        if not m or m.group(1) != getattr(fn, "__name__", m.group(1)):
            continue
        params = []
        for part in _split_top(m.group(2)):
            if part.startswith("*"):
                break
            name, _, default = part.partition("=")
            name = name.split(":")[0].strip()
            if name == "self":
                continue
            if default:
                try:
                    value: Any = ast.literal_eval(default.strip())
                except (ValueError, SyntaxError):
                    value = _REQUIRED  # not a literal: left to the typed overload
            else:
                value = _REQUIRED
            params.append((name, value))
        out.append(params)
    return out


def _needs_fallback(own: Sequence[Tuple[str, Any]], peers: Dict[str, Sequence[tuple]]) -> bool:
    for params in peers.values():
        pos = [p for p in params if p[1] == "p"]
        if len(pos) > len(own):
            return True
        for i, p in enumerate(pos):
            if own[i][0] != p[0]:
                return True
            if len(p) == 3 and own[i][1] is _REQUIRED:
                return True
    return False


def _accepted_forms(own: Sequence[Tuple[str, Any]],
                    peers: Dict[str, Sequence[tuple]]) -> Tuple[List[Tuple[str, ...]], List[Any]]:
    """Per position: every name csoundpp and its peers give it (csoundpp's first), and
    csoundpp's own default, else the first peer's literal one, else _REQUIRED."""
    names: List[List[str]] = []
    defaults: List[Any] = []
    for name, default in own:
        names.append([name])
        defaults.append(default)
    for params in peers.values():
        i = 0
        for p in params:
            if p[1] != "p":
                continue
            if i >= len(names):
                names.append([])
                defaults.append(_REQUIRED)
            if p[0] not in names[i]:
                names[i].append(p[0])
            if defaults[i] is _REQUIRED and len(p) == 3 and not _is_expr(p[2]):
                defaults[i] = p[2]
            i += 1
    return [tuple(n) for n in names], defaults


def _native(cls: Any, name: str) -> Any:
    """The pybind11 function behind cls.<name>, or None for Python-level methods."""
    fn = getattr(cls, name, None)
    fn = getattr(fn, "__func__", fn)  # instancemethod -> builtin function
    return fn if type(fn).__name__ == "builtin_function_or_method" else None


def _peer_params(scope: str, canonical: str) -> Dict[str, Sequence[tuple]]:
    """Every recorded peer parameter list of a canonical's spellings, in the table's order,
    as ((name, kind[, default]), ...) with kind 'p', '*' or '**'."""
    from . import _spellings

    out: Dict[str, Sequence[tuple]] = {}
    for s in _spellings.SPELLINGS[scope][canonical]:
        params = _spellings.parameters(s)
        if params is None:
            continue
        conv = []
        for p in params:
            if p.name.startswith("**"):
                conv.append((p.name[2:], "**"))
            elif p.name.startswith("*"):
                conv.append((p.name[1:], "*"))
            elif p.default is _spellings.REQUIRED:
                conv.append((p.name, "p"))
            else:
                conv.append((p.name, "p", p.default))
        out[f"{s.peer}.{s.name}"] = tuple(conv)
    return out


def compute(classes: Dict[str, Any]) -> Dict[str, Dict[str, tuple]]:
    """What ``install()`` installs, computed from the spelling table (the peers' recorded
    parameters) and the typed overloads of ``classes``' native methods: {scope: {canonical:
    (names, defaults)}} for every method whose peers name or default a parameter differently,
    with names[i] the accepted names at position i and defaults[i] ``(value,)`` or ``()``
    when the position is required. Plain data (``_import_tables.py`` holds it)."""
    from . import _spellings

    out: Dict[str, Dict[str, tuple]] = {}
    for scope, cls in classes.items():
        for canonical in _spellings.SPELLINGS[scope]:
            fn = _native(cls, canonical)
            if fn is None:
                continue
            peers = _peer_params(scope, canonical)
            if not peers:
                continue
            overloads = own_overloads(fn)
            if not overloads:
                continue
            own = max(overloads, key=len)
            if not _needs_fallback(own, peers):
                continue
            names, defaults = _accepted_forms(own, peers)
            out.setdefault(scope, {})[canonical] = (
                tuple(names), tuple(() if d is _REQUIRED else (d,) for d in defaults))
    return out
