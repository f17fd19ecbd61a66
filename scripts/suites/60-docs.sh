#!/usr/bin/env bash
# The documentation site builds with warnings as errors (Sphinx + MyST, from the installed
# package's docstrings and the README), and its API page documents the public names.
set -euo pipefail
bash scripts/build_docs.sh
html=docs/_build/html
for page in index usage tools threading migration api benchmarks; do
  [[ -s $html/$page.html ]] || { echo "docs: $page.html is missing" >&2; exit 1; }
done
for name in render_many RenderResult log_messages PerformanceThread Csound.compileOrc; do
  grep -q "csoundpp.$name" "$html/api.html" || { echo "docs: api.html lacks csoundpp.$name" >&2; exit 1; }
done
echo "docs: 7 pages, API reference present"
