"""Csound's opcode plugins shipped inside the wheel (see scripts/build_wheel.sh).

A wheel carries Debian's libcsound64 in ``csoundpp.libs/`` and its plugin libraries in
``csoundpp/plugins64-6.0/``. At import csoundpp points libcsound at that folder, unless the
user chose one: ``OPCODE6DIR64`` in the environment wins, and so do a later
``csoundpp.setOpcodedir(path)`` or ``Csound(opcodeDir=path)``. A development build (no bundled
folder) keeps libcsound's own default, the system's plugin folder.
"""
from __future__ import annotations

import os
TYPE_CHECKING = False  # typing is not imported at run time: it costs more than this module
if TYPE_CHECKING:
    from typing import Callable, Optional

_PLUGIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins64-6.0")


def bundled_plugin_dir() -> Optional[str]:
    """The wheel's plugin folder, or None in a build that bundles no plugins."""
    return _PLUGIN_DIR if os.path.isdir(_PLUGIN_DIR) else None


def use_bundled_plugins(set_global_env: Callable[[str, str], int]) -> Optional[str]:
    """Called once at import, before any Csound exists; returns the folder it chose, or None.

    It sets OPCODE6DIR64 in libcsound's global environment (csoundSetGlobalEnv), not in the
    process environment (child processes, e.g. a system csound, are not affected) and not
    with csoundSetOpcodedir (that stays the user's: it would print "OPCODEDIR overridden" at
    every csoundCreate and could not be undone).
    """
    folder = bundled_plugin_dir()
    if folder is None or os.environ.get("OPCODE6DIR64"):
        return None
    if set_global_env("OPCODE6DIR64", folder) != 0:
        raise ImportError(f"csoundpp: could not point libcsound at its plugin folder {folder}")
    return folder
