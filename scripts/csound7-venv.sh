#!/usr/bin/env bash
# Builds csoundpp against Csound 7 into the virtual environment .venv-cs7 and prints its python.
#
#   scripts/csound7-venv.sh          -> /path/to/checkout/.venv-cs7/bin/python
#
# The Csound 7 prefix comes from scripts/csound7-prefix.sh (cached). The same venv, build folder
# (build/cs7-<wheel tag>) and stamps (.stamps/cs7-*) for scripts/suites/50-csound7.sh (which calls it)
# so either one reuses what the other built. Idempotent: an unchanged tree is not rebuilt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/ccache-env.sh
source scripts/ccache-env.sh
PREFIX=$(PYTHON=${PYTHON:-$ROOT/.venv/bin/python} scripts/csound7-prefix.sh)
export OPCODE7DIR64=${OPCODE7DIR64:-$PREFIX/lib/csound/plugins64-7.0}
PATH=$ROOT/.venv/bin:$PATH

VENV=$ROOT/.venv-cs7
VPY=$VENV/bin/python
if [[ ! -x $VPY ]]; then
  echo "csound7-venv: creating .venv-cs7" >&2
  "${PYTHON:-python3}" -m venv "$VENV"
fi
REQS="'scikit-build-core>=0.10' 'pybind11>=3.0' 'numpy>=1.22' 'cmake>=3.20' ninja $("$VPY" -c '
import tomllib
d = tomllib.load(open("pyproject.toml", "rb"))
print(" ".join(repr(r) for r in d["project"]["dependencies"] + d["project"]["optional-dependencies"]["test"]))')"
STAMPS=$ROOT/.stamps
mkdir -p "$STAMPS"
req_hash=$(echo "$REQS" | sha1sum | cut -c1-16)
if [[ ! -f $STAMPS/cs7-reqs-$req_hash ]]; then
  echo "csound7-venv: installing the build and test requirements" >&2
  "$VPY" -m pip install -q --upgrade pip >&2
  # shellcheck disable=SC2086
  eval "\"$VPY\" -m pip install -q $REQS" >&2
  touch "$STAMPS/cs7-reqs-$req_hash"
fi
src_hash=$( (cd "$ROOT" && find cpp python CMakeLists.txt pyproject.toml -type f -not -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum; echo "$PREFIX") | sha1sum | cut -c1-16)
if [[ ! -f $STAMPS/cs7-pkg-$src_hash ]] || ! "$VPY" -c "import csoundpp" 2>/dev/null; then
  echo "csound7-venv: building csoundpp against Csound 7 into .venv-cs7" >&2
  "$VPY" -m pip install -q --no-build-isolation --no-deps \
    -Cbuild-dir="build/cs7-{wheel_tag}" -Ccmake.define.CSOUND_ROOT="$PREFIX" . >&2
  rm -f "$STAMPS"/cs7-pkg-*
  touch "$STAMPS/cs7-pkg-$src_hash"
fi
"$VPY" -c 'import csoundpp, sys; v = csoundpp.csound_version(); sys.exit(0 if v[0] == 7 else f"csoundpp in .venv-cs7 is built for Csound {v}")'
echo "$VPY"
