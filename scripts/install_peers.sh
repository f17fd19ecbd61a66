#!/usr/bin/env bash
# Installs the peer bindings side by side for the compatibility tests, each importable from
# the project's .venv by its own name without touching the others or csoundpp:
#   ctcsound   Debian's python3-csound 6.18 (pure ctypes; a link to its one file)
#   libcsound  0.18.5 from PyPI, the last release for Csound 6
#   ctcsound7  0.8.0 from PyPI (loads Csound 6.18 through its api6 layer)
# Each lives in .venv/peers/<name>; .venv/lib/python*/site-packages/csoundpp-peers.pth puts
# the three folders on sys.path. Idempotent; called by scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
VPY=${VPY:-$PWD/.venv/bin/python}
PEERS=$PWD/.venv/peers
LIBCSOUND=libcsound==0.18.5
CTCSOUND7=ctcsound7==0.8.0
mkdir -p "$PEERS"
if [[ ! -e $PEERS/ctcsound/ctcsound.py ]]; then
  mkdir -p "$PEERS/ctcsound"
  ln -sfn /usr/lib/python3/dist-packages/ctcsound.py "$PEERS/ctcsound/ctcsound.py"
fi
for spec in "$LIBCSOUND" "$CTCSOUND7"; do
  name=${spec%%==*}; version=${spec##*==}
  if [[ ! -d $PEERS/$name/$name-$version.dist-info ]]; then
    echo "setup: installing peer $spec into .venv/peers/$name"
    rm -rf "${PEERS:?}/$name"
    # numpy (their only dependency) comes from the venv
    "$VPY" -m pip install -q --no-deps --target "$PEERS/$name" "$spec"
  fi
done
site=$("$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n' "$PEERS/ctcsound" "$PEERS/libcsound" "$PEERS/ctcsound7" > "$site/csoundpp-peers.pth"
