"""Using csoundpp under another binding's name, for programs that cannot be edited.

``csoundpp.install_as("libcsound")`` makes every later ``import libcsound`` in the process
give the ``csoundpp`` module itself (``sys.modules["libcsound"] is csoundpp``). The same
works without touching the program through the environment: with
``CSOUNDPP_INSTALL_AS=libcsound`` (comma-separated for several names) set, the
``csoundpp-install-as.pth`` file the wheel puts into site-packages runs ``install_as`` at
interpreter start-up (without the variable it does nothing).
"""
from __future__ import annotations

import os
import sys
TYPE_CHECKING = False  # typing is not imported at run time: it costs more than this module
if TYPE_CHECKING:
    from typing import Optional

__all__ = ["install_as", "uninstall_as", "PEER_NAMES"]

#: the module names csoundpp can stand in for, and the module that answers to each
PEER_NAMES = {
    "ctcsound": "csoundpp",
    "libcsound": "csoundpp",
    "ctcsound7": "csoundpp",
    "csnd6": "csoundpp.csnd",
    "csnd": "csoundpp.csnd",
}
ENV_VAR = "CSOUNDPP_INSTALL_AS"
_installed: dict = {}


def install_as(*names: str, replace: bool = True) -> None:
    """Makes ``import <name>`` return csoundpp for each of ``names`` (``"ctcsound"``,
    ``"libcsound"``, ``"ctcsound7"``; ``"csnd6"``/``"csnd"`` give ``csoundpp.csnd``).

    Call it before the program imports the peer. A peer already imported stays as it is in
    the modules that imported it; with ``replace=False`` such a name is left alone (no
    error). Raises ValueError for a name csoundpp cannot stand in for.
    """
    import importlib

    if len(names) == 1 and not isinstance(names[0], str):
        names = tuple(names[0])  # install_as(["ctcsound", "libcsound"])
    if not names:
        raise ValueError(f"install_as needs at least one of {sorted(PEER_NAMES)}")
    for name in names:
        if name not in PEER_NAMES:
            raise ValueError(f"csoundpp cannot stand in for {name!r}; it can for {sorted(PEER_NAMES)}")
    for name in names:
        if name in sys.modules and not replace and name not in _installed:
            continue
        target = importlib.import_module(PEER_NAMES[name])
        if name not in _installed:
            _installed[name] = sys.modules.get(name)
        sys.modules[name] = target


def uninstall_as(*names: str) -> None:
    """Undoes install_as for ``names`` (all of them when none is given): the peer module that
    was in ``sys.modules`` before, if any, is put back."""
    for name in (names or tuple(_installed)):
        if name not in _installed:
            continue
        previous = _installed.pop(name)
        if previous is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = previous


def names_from_env(value: Optional[str] = None) -> list:
    value = os.environ.get(ENV_VAR, "") if value is None else value
    return [n.strip() for n in value.split(",") if n.strip()]


def install_from_env() -> None:
    """Run by the .pth file at start-up: install_as(names in $CSOUNDPP_INSTALL_AS)."""
    names = names_from_env()
    if names:
        install_as(*names)

