"""Binds the spelling table's aliases at import, from the precomputed ``_import_tables``.

``_spellings.py`` is the table (every name csoundpp answers to, and which canonical attribute
it is); building it and filling in the peers' parameters costs more than the rest of
``import csoundpp``, so the {alias: canonical} maps it yields are precomputed into
``_import_tables.py`` by scripts/gen_import_tables.py (tests/test_import_tables.py checks
they equal ``_spellings.aliases()``). The rules ``_spellings`` states are kept here: a
spelling never replaces a different attribute; csnd spellings go only on csoundpp.csnd's
classes.

With CSOUNDPP_COMPUTE_IMPORT_TABLES=1 in the environment the tables are computed at import
instead (from ``_spellings`` and ``_keywords.compute()``): scripts/gen_import_tables.py
does so, so a stale ``_import_tables.py`` never stops it from writing a fresh one.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any, Dict

_tables: Any = None


def import_tables() -> Any:
    """The module (or namespace) holding ALIASES, CSND_ALIASES and KEYWORDS."""
    global _tables
    if _tables is None:
        if os.environ.get("CSOUNDPP_COMPUTE_IMPORT_TABLES") == "1":
            _tables = computed_tables()
        else:
            from . import _import_tables

            _tables = _import_tables
    return _tables


def computed_tables() -> ModuleType:
    """ALIASES, CSND_ALIASES and KEYWORDS computed from the spelling table and the compiled
    classes (what scripts/gen_import_tables.py writes into _import_tables.py)."""
    import types

    from . import _core, _keywords, _spellings

    scopes = ("Csound", "PerformanceThread")
    t = types.ModuleType("csoundpp._import_tables (computed)")
    t.ALIASES = {scope: _spellings.aliases(scope) for scope in (*scopes, "module")}
    t.CSND_ALIASES = {scope: _spellings.aliases(scope, include_csnd=True) for scope in scopes}
    t.KEYWORDS = _keywords.compute({scope: getattr(_core, scope) for scope in scopes})
    return t


def _set(target: Any, name: str, obj: Any, where: str) -> None:
    have = target.get(name, obj) if isinstance(target, dict) else target.__dict__.get(name, obj)
    if have is not obj:
        raise RuntimeError(f"spelling {where}.{name} would replace a different attribute")
    if isinstance(target, dict):
        target[name] = obj
    else:
        setattr(target, name, obj)


def _static(cls: type, name: str) -> Any:
    """The attribute as stored in the first class of the MRO that has it (what inspect's
    getattr_static returns for a class attribute, without importing inspect)."""
    for c in cls.__mro__:
        if name in c.__dict__:
            return c.__dict__[name]
    raise AttributeError(f"{cls.__name__} has no attribute {name!r}")


def apply_classes(core: Any) -> None:
    """Makes every non-csnd spelling of the class scopes the canonical attribute itself."""
    ALIASES = import_tables().ALIASES
    for scope in ("Csound", "PerformanceThread"):
        cls = getattr(core, scope)
        for name, canonical in ALIASES[scope].items():
            _set(cls, name, _static(cls, canonical), scope)


def apply_module(namespace: Dict[str, Any]) -> None:
    """Binds the module-scope spellings in a module namespace (its canonicals must be there)."""
    ALIASES = import_tables().ALIASES
    for name, canonical in ALIASES["module"].items():
        _set(namespace, name, namespace[canonical], "csoundpp")


def apply_csnd(classes: Dict[str, Any], bases: Dict[str, Any]) -> None:
    """Puts the CSND spellings on csoundpp.csnd's classes: classes[scope] receives each
    spelling as the canonical attribute of bases[scope] (looked up through the MRO)."""
    CSND_ALIASES = import_tables().CSND_ALIASES
    for scope, cls in classes.items():
        for name, canonical in CSND_ALIASES[scope].items():
            _set(cls, name, _static(bases[scope], canonical), "csnd." + cls.__name__)
