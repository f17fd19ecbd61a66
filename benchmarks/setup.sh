#!/usr/bin/env bash
# Installs what benchmarks/run.py compares csoundpp with, and builds the C++ floor.
# Idempotent. Runs scripts/setup.sh first (Debian packages, .venv, csoundpp itself)
# unless CSOUNDPP_BENCH_NO_PROJECT_SETUP=1 (e.g. when csoundpp comes from a devbuild).
#   - Debian: python3-csound (ctcsound 6.18), libcsnd-dev/libcsnd6 (CsoundPerformanceThread),
#     csound (CLI), jackd2 + libjack-jackd2-dev (real-time items), g++
#   - PyPI: libcsound==0.18.5 (last release supporting Csound 6) into benchmarks/.peers
#     (a --target directory: the project venv is left alone)
#   - benchmarks/.build/floor (C++ floor) and benchmarks/.build/jack_xruns (xrun counter)
#
#   benchmarks/setup.sh --csound7   the same for `benchmarks/run.py --csound 7`, after the above:
#   - the Csound 7 prefix (scripts/csound7-prefix.sh) and csoundpp built against it in .venv-cs7
#     (scripts/csound7-venv.sh)
#   - PyPI: ctcsound7==0.8.0, libcsound==1.0.3, cycsound==0.2.3, each into
#     benchmarks/.peers-cs7/<name> (--no-deps; numpy comes from .venv-cs7)
#   - benchmarks/.build-cs7/floor: floor.cpp against the prefix, when it compiles on Csound 7
#     (otherwise the reason goes to benchmarks/.build-cs7/floor.log and run.py's table)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CS7=0
for a in "$@"; do
  case $a in
    --csound7) CS7=1 ;;
    *) echo "usage: benchmarks/setup.sh [--csound7]" >&2; exit 2 ;;
  esac
done

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
if ((CS7 == 0)); then
  echo "bench-setup: ready — run: $VPY benchmarks/run.py"
  exit 0
fi

# --- Csound 7
PREFIX=$(PYTHON=$VPY scripts/csound7-prefix.sh)
VPY7=$(PYTHON=python3 scripts/csound7-venv.sh)
PEERS7=$ROOT/benchmarks/.peers-cs7
for spec in ctcsound7==0.8.0 libcsound==1.0.3 cycsound==0.2.3; do
  name=${spec%%==*}; version=${spec##*==}
  if [[ ! -d $PEERS7/$name/$name-$version.dist-info ]]; then
    echo "bench-setup: installing $spec into benchmarks/.peers-cs7/$name"
    rm -rf "${PEERS7:?}/$name"
    # cycsound: its wheel (the sdist would build Csound 7 from a download)
    "$VPY7" -m pip install -q --no-deps --only-binary cycsound --target "$PEERS7/$name" "$spec"
  fi
done
B7=$ROOT/benchmarks/.build-cs7
mkdir -p "$B7"
if [[ -x $B7/floor && ! benchmarks/floor/floor.cpp -nt $B7/floor ]] ||
   [[ -f $B7/floor.log && ! benchmarks/floor/floor.cpp -nt $B7/floor.log ]]; then
  :  # built, or known not to compile until floor.cpp changes
else
  echo "bench-setup: building the C++ floor against Csound 7"
  rm -f "$B7/floor"
  # libcsound 7 carries the performance thread (no libcsnd)
  if ! g++ -std=c++17 -O2 -DUSE_DOUBLE=1 -I"$PREFIX/include" -o "$B7/floor" benchmarks/floor/floor.cpp \
      -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" -lcsound64 -lpthread 2> "$B7/floor.err"; then
    { echo "benchmarks/floor/floor.cpp does not compile against Csound 7 ($(grep -c 'error:' "$B7/floor.err") errors, e.g. $(grep -m1 -o 'error: .*' "$B7/floor.err"))"
      cat "$B7/floor.err"; } > "$B7/floor.log"
    echo "bench-setup: WARNING: $(head -1 "$B7/floor.log"); the C++ column says so" >&2
  else
    rm -f "$B7/floor.log"
  fi
  rm -f "$B7/floor.err"
fi
echo "bench-setup: ready — run: $VPY7 benchmarks/run.py --csound 7"
