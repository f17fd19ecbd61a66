#!/usr/bin/env bash
# Installs everything csoundpp needs on Debian 12 and builds it into .venv.
# Idempotent: packages already present, an existing venv and an unchanged
# source tree are not redone.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STAMPS=$ROOT/.stamps
mkdir -p "$STAMPS"

APT_PACKAGES=(build-essential pkg-config libcsound64-dev libsndfile1-dev csound python3-csound
              libcsnd-dev jackd2 libjack-jackd2-dev ccache)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# shellcheck source=scripts/ccache-env.sh
source scripts/ccache-env.sh

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
VPY=$ROOT/.venv/bin/python

# Build requirements (for --no-build-isolation) + the project's dependencies + the [test]
# extra of pyproject.toml.
REQS="'scikit-build-core>=0.10' 'pybind11>=3.0' 'cmake>=3.20' ninja $("$VPY" -c '
import tomllib
d = tomllib.load(open("pyproject.toml", "rb"))
reqs = d["project"]["dependencies"] + d["project"]["optional-dependencies"]["test"]
print(" ".join(repr(r) for r in reqs))')"
req_hash=$(echo "$REQS" | sha1sum | cut -c1-16)
if [[ ! -f $STAMPS/reqs-$req_hash ]]; then
  echo "setup: installing Python build and test requirements"
  "$VPY" -m pip install -q --upgrade pip
  # shellcheck disable=SC2086
  eval "\"$VPY\" -m pip install -q $REQS"
  touch "$STAMPS/reqs-$req_hash"
fi

src_hash=$(cd "$ROOT" && find cpp python CMakeLists.txt pyproject.toml -type f -not -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-16)
if [[ ! -f $STAMPS/pkg-$src_hash ]] || ! "$VPY" -c "import csoundpp" 2>/dev/null; then
  echo "setup: building and installing csoundpp"
  # pyproject's build-dir makes rebuilds incremental; ccache (paths relative to the checkout)
  # serves a fresh clone.
  "$VPY" -m pip install -q --no-build-isolation --no-deps .
  rm -f "$STAMPS"/pkg-*
  touch "$STAMPS/pkg-$src_hash"
fi

# The peer bindings side by side (ctcsound 6.18, libcsound 0.18.5, ctcsound7) for the
# signature-parity and behaviour tests.
VPY="$VPY" ./scripts/install_peers.sh
