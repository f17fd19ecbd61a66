#!/usr/bin/env bash
# Generates python/csoundpp/_core.pyi from the compiled module with pybind11-stubgen, then
# scripts/gen_stubs.py's named patches (aliases typed as their canonical, from the spelling table).
#   PYTHONPATH=build/dev-NAME/py scripts/gen_stubs.sh [OUTPUT_PYI]
# tests/test_stubs.py regenerates into a temporary file and fails on drift:
# rerun this after changing any binding.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-python/csoundpp/_core.pyi}
PY=${PYTHON:-$PWD/.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m pybind11_stubgen csoundpp._core -o "$tmp" --numpy-array-wrap-with-annotated \
  --ignore-invalid-expressions '.*' --ignore-unresolved-names '.*' >/dev/null
"$PY" scripts/gen_stubs.py "$tmp/csoundpp/_core.pyi" "$out"
echo "wrote $out"
