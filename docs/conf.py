"""Sphinx configuration of csoundpp's documentation site (scripts/build_docs.sh)."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

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
# Modules whose docstrings are written as reStructuredText; every other docstring (the
# pybind11 bindings, the peers' compatibility methods) is plain text.
_RST_MODULES = {"csoundpp._render", "csoundpp._batch", "csoundpp._logging", "csoundpp._notebook",
                "csoundpp._tools", "csoundpp._cli"}


def _plain(app, what, name, obj, options, lines):
    """Show plain-text docstrings verbatim, so a stray `*args` or `name_` never becomes
    markup (or a warning that fails the build)."""
    module = obj.__name__ if inspect.ismodule(obj) else (getattr(obj, "__module__", None) or "")
    if module in _RST_MODULES:
        return
    lines[:] = [_RST_SPECIAL.sub(r"\\\1", ln.strip()) for ln in lines]


# The README is the source of the usage pages: one page per "## " section, whatever the
# sections are called (so renaming or adding one never breaks the build).
HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
GENERATED = HERE / "readme"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "section"


def _split_readme() -> None:
    text = README.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    GENERATED.mkdir(exist_ok=True)
    for old in GENERATED.glob("*.md"):
        old.unlink()
    intro = parts[0].split("\n", 1)[1] if "\n" in parts[0] else ""
    (GENERATED / "00-about.md").write_text("# About csoundpp\n" + intro, encoding="utf-8")
    for i in range(1, len(parts), 2):
        title, body = parts[i].strip(), parts[i + 1]
        body = re.sub(r"^### ", "## ", body, flags=re.M)
        body = re.sub(r"^#### ", "### ", body, flags=re.M)
        name = f"{(i + 1) // 2:02d}-{_slug(title)}.md"
        (GENERATED / name).write_text(f"# {title}\n{body}", encoding="utf-8")


_split_readme()


def setup(app):
    app.connect("autodoc-process-docstring", _plain)
