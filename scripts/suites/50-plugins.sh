#!/usr/bin/env bash
# Plugins (issue 15): builds the example .csd plugins (LV2, VST3, VST2 through
# DPF on csoundpp::BlockProcessor) and drives them through hosts nobody here
# wrote: lilv's lv2info/lv2apply/lv2bench, pedalboard and dawdreamer (VST3).
# Also turns a third .csd into a plugin with the one-command plugins/csd2plugin.
# Hosts go into a venv cached under $CSOUNDPP_CACHE/plugins.
set -euo pipefail
ROOT=$PWD
CACHE=${CSOUNDPP_CACHE:-/var/cache/csoundpp}/plugins
mkdir -p "$CACHE"

APT=(dpf-source lilv-utils lv2-examples cmake)
missing=()
for p in "${APT[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "plugins: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The hosts (and the test tools) in their own venv: pedalboard and dawdreamer
# bring JUCE; they stay out of the project's .venv.
HOST_REQS="pedalboard==0.9.26 dawdreamer==0.9.0 numpy scipy pytest pytest-timeout"
VENV=$CACHE/hostvenv
stamp=$VENV/.reqs-$(echo "$HOST_REQS" | sha1sum | cut -c1-12)
if [[ ! -f $stamp ]]; then
  echo "plugins: creating the host venv in $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install -q $HOST_REQS
  touch "$stamp"
fi

# The example plugins, against the csoundpp that scripts/setup.sh installed.
BUILD=$ROOT/build/plugins
CMAKE_DIR=$("$ROOT/.venv/bin/python" -c "import csoundpp; print(csoundpp.get_cmake_dir())")
GEN=(); command -v ninja >/dev/null || [[ ! -x $ROOT/.venv/bin/ninja ]] || GEN=(-G Ninja -DCMAKE_MAKE_PROGRAM="$ROOT/.venv/bin/ninja")
[[ -f $BUILD/CMakeCache.txt ]] && GEN=()
cmake -S plugins -B "$BUILD" "${GEN[@]}" -Dcsoundpp_DIR="$CMAKE_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2

export CSD_PLUGIN_BIN=$BUILD/bin CSD_PLUGIN_PYTHON=$ROOT/.venv/bin/python
"$VENV/bin/python" -m pytest plugins/tests -p no:cacheprovider -q
