#!/usr/bin/env bash
# The documentation site builds with warnings as errors (Sphinx + MyST, from the installed
# package's docstrings and the README), and its API page documents the public names.
set -euo pipefail
bash scripts/build_docs.sh
html=docs/_build/html
for page in index tools api benchmarks; do
  [[ -s $html/$page.html ]] || { echo "docs: $page.html is missing" >&2; exit 1; }
done
# the README's threading model and migration guide are pages of the guide
grep -l "Threading model" $html/readme/*.html >/dev/null || { echo "docs: no threading model page" >&2; exit 1; }
grep -l "Migrating from ctcsound" $html/readme/*.html >/dev/null || { echo "docs: no migration page" >&2; exit 1; }
for name in render_many RenderResult log_messages PerformanceThread Csound.compileOrc; do
  grep -q "csoundpp.$name" "$html/api.html" || { echo "docs: api.html lacks csoundpp.$name" >&2; exit 1; }
done
echo "docs: $(ls $html/readme/*.html | wc -l) guide pages, tools, API reference, benchmarks"
