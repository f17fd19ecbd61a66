#!/usr/bin/env bash
# Builds the documentation site (Sphinx + MyST) into docs/_build/html; warnings are errors.
#   scripts/build_docs.sh [extra sphinx-build args]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
rm -rf docs/_build/doctrees
"$PY" -m sphinx -W --keep-going -q -b html -d docs/_build/doctrees docs docs/_build/html "$@"
echo "docs: $(pwd)/docs/_build/html/index.html"
