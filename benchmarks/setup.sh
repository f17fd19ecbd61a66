#!/usr/bin/env bash
# Installs what benchmarks/run.py compares csoundpp with, and builds the C++ floor.
# Idempotent. Runs scripts/setup.sh first (Debian packages, .venv, csoundpp itself)
# unless CSOUNDPP_BENCH_NO_PROJECT_SETUP=1 (e.g. when csoundpp comes from a devbuild).
#   - Debian: python3-csound (ctcsound 6.18), libcsnd-dev/libcsnd6 (CsoundPerformanceThread),
#     csound (CLI), jackd2 + libjack-jackd2-dev (real-time items), g++
#   - PyPI: libcsound==0.18.5 (last release supporting Csound 6) into benchmarks/.peers
#     (a --target directory: the project venv is left alone)
#   - benchmarks/.build/floor (C++ floor) and benchmarks/.build/jack_xruns (xrun counter)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [[ ${CSOUNDPP_BENCH_NO_PROJECT_SETUP:-0} != 1 ]]; then
  ./scripts/setup.sh
fi

APT_PACKAGES=(build-essential pkg-config libcsound64-dev csound python3-csound libcsnd-dev libcsnd6-6.0v5
              jackd2 libjack-jackd2-dev)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bench-setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

VPY=${VPY:-$ROOT/.venv/bin/python}
PEERS=$ROOT/benchmarks/.peers
if [[ ! -d $PEERS/libcsound-0.18.5.dist-info ]]; then
  echo "bench-setup: installing libcsound==0.18.5 into benchmarks/.peers"
  rm -rf "$PEERS"
  # numpy (its only dependency) comes from the venv; --no-deps keeps .peers small
  "$VPY" -m pip install -q --no-deps --target "$PEERS" libcsound==0.18.5
fi

B=$ROOT/benchmarks/.build
mkdir -p "$B"
if [[ ! -x $B/floor || benchmarks/floor/floor.cpp -nt $B/floor ]]; then
  echo "bench-setup: building the C++ floor"
  g++ -std=c++17 -O2 -DUSE_DOUBLE=1 -o "$B/floor" benchmarks/floor/floor.cpp -lcsound64 -lcsnd6 -lpthread
fi
if [[ ! -x $B/jack_xruns || benchmarks/floor/jack_xruns.c -nt $B/jack_xruns ]]; then
  echo "bench-setup: building the JACK xrun counter"
  gcc -O2 -o "$B/jack_xruns" benchmarks/floor/jack_xruns.c -ljack
fi
echo "bench-setup: ready — run: $VPY benchmarks/run.py"
