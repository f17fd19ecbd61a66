#!/usr/bin/env bash
# Developer build without pip: builds the C++ library, its ctest tests and the
# Python module into build/dev-NAME, and lays out an importable package there.
#   scripts/devbuild.sh NAME [extra cmake args]
#   PYTHONPATH=build/dev-NAME/py .venv/bin/python -m pytest tests/...
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-default}; shift || true
B=build/dev-$name
VPY=$PWD/.venv/bin/python
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSOUNDPP_BUILD_PYTHON=ON \
  -DCSOUNDPP_BUILD_TESTS=ON -DPython_EXECUTABLE="$VPY" \
  -Dpybind11_DIR="$("$VPY" -m pybind11 --cmakedir)" "$@" >/dev/null
cmake --build "$B"
mkdir -p "$B/py/csoundpp"
for f in python/csoundpp/*; do ln -sfn "$PWD/$f" "$B/py/csoundpp/$(basename "$f")"; done
ln -sfn "$(ls "$PWD/$B"/_core*.so)" "$B/py/csoundpp/"
echo "PYTHONPATH=$B/py"
