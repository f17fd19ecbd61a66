"""Sphinx configuration of csoundpp's documentation site (scripts/build_docs.sh)."""
from __future__ import annotations

import re

import csoundpp

project = "csoundpp"
author = "csoundpp contributors"
release = version = csoundpp.__version__

extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path: list = []
myst_heading_anchors = 3
# README sections are included below a page title, so their ### headings follow an H1
suppress_warnings = ["myst.header", "myst.xref_missing"]
autodoc_default_options = {"members": True, "undoc-members": True, "member-order": "bysource"}
autodoc_typehints = "signature"

_RST_SPECIAL = re.compile(r"([*`|_\\])")


def _plain(app, what, name, obj, options, lines):
    """pybind11 docstrings are plain text, not reStructuredText: show them verbatim so a
    stray `*args` or `name_` never becomes markup (or a warning)."""
    module = getattr(obj, "__module__", None) or ""
    qual = name or ""
    if module.startswith("csoundpp._core") or qual.startswith("csoundpp._core") or \
            type(obj).__name__ in ("builtin_function_or_method", "instancemethod", "property") and \
            "csoundpp._core" in repr(getattr(obj, "__objclass__", "")):
        text = [ln.strip() for ln in lines]
        lines[:] = [_RST_SPECIAL.sub(r"\\\1", ln) for ln in text]


def setup(app):
    app.connect("autodoc-process-docstring", _plain)
