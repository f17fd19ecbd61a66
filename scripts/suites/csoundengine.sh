#!/usr/bin/env bash
# csoundengine (PyPI) as a test client: its offline and real-time paths run with csoundpp
# standing in for libcsound (CSOUNDPP_INSTALL_AS=libcsound), and the same tests run on
# libcsound 0.18.5 itself; tests/clients/test_csoundengine.py reads every result back.
#
# Cached under ${CSOUNDPP_CACHE:-/var/cache/csoundpp}/csoundengine:
#   plugins-<hash>/   the else, klib and beosc opcode libraries csoundengine needs, built from
#                     ../shared/third_party/csound-plugins (or $CSOUND_PLUGINS_SRC) for 6.18
#   venv-<version>/   csoundengine==$CE_VERSION with libcsound==0.18.5 and pytest
# Without the plugin sources (a user's clone) the suite says so and skips.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CE_VERSION=2.23.0         # the newest csoundengine on PyPI here; runs on Python 3.11 + Csound 6
LIBCSOUND_VERSION=0.18.5  # libcsound's last Csound 6 release
CACHE=${CSOUNDPP_CACHE:-/var/cache/csoundpp}/csoundengine
mkdir -p "$CACHE"

SRC=${CSOUND_PLUGINS_SRC:-}
if [[ -z $SRC ]]; then
  for d in "$ROOT/../shared/third_party/csound-plugins" "$ROOT/../../shared/third_party/csound-plugins"; do
    [[ -f $d/CMakeLists.txt ]] && { SRC=$(cd "$d" && pwd); break; }
  done
fi
if [[ -z $SRC || ! -f $SRC/CMakeLists.txt ]]; then
  echo "csoundengine suite: SKIPPED — the csound-plugins sources (else, klib, beosc) are not in"
  echo "  ../shared/third_party/csound-plugins; set CSOUND_PLUGINS_SRC to run it"
  exit 0
fi

# --- the plugins, built once per source tree
key=$(cd "$SRC" && find . -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12)
PLUGINS=$CACHE/plugins-$key
if [[ ! -f $PLUGINS/.complete ]]; then
  echo "csoundengine suite: building csound-plugins (else, klib, beosc) into $PLUGINS"
  b=$(mktemp -d)
  trap 'rm -rf "$b"' EXIT
  cp -r "$SRC"/. "$b"/
  mkdir -p "$b/csound"
  ln -sfn /usr/include/csound "$b/csound/include"
  PATH=$ROOT/.venv/bin:$PATH  # CMake >= 3.30 from PyPI (the [test] requirements have it)
  cmake -S "$b" -B "$b/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUSE_DOUBLE=ON -DAPIVERSION=6.0 >"$b/cmake.log" 2>&1 \
    || { cat "$b/cmake.log"; exit 1; }
  cmake --build "$b/build" -j2 >"$b/build.log" 2>&1 || { tail -50 "$b/build.log"; exit 1; }
  rm -rf "$PLUGINS"; mkdir -p "$PLUGINS"
  find "$b/build" -maxdepth 2 -name '*.so' -exec cp {} "$PLUGINS"/ \;
  for lib in else klib beosc; do
    ls "$PLUGINS"/lib"$lib".so >/dev/null
  done
  touch "$PLUGINS/.complete"
fi

# --- csoundengine and libcsound in a venv of their own (csoundengine pulls scipy, matplotlib, ...)
VENV=$CACHE/venv-$CE_VERSION-$LIBCSOUND_VERSION
if [[ ! -f $VENV/.complete ]]; then
  echo "csoundengine suite: installing csoundengine==$CE_VERSION and libcsound==$LIBCSOUND_VERSION into $VENV"
  rm -rf "$VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q "csoundengine==$CE_VERSION" "libcsound==$LIBCSOUND_VERSION" \
    "pytest>=7" "pytest-timeout>=2.1"
  touch "$VENV/.complete"
fi

# --- csoundpp from this checkout's .venv, importable in that venv for this run only
LINK=$(mktemp -d)
trap 'rm -rf "$LINK" ${b:-}' EXIT
# (CSOUNDPP_PKG_PARENT: a folder holding another csoundpp package, e.g. build/dev-NAME/py)
site=${CSOUNDPP_PKG_PARENT:-$("$ROOT/.venv/bin/python" -c 'import csoundpp, pathlib; print(pathlib.Path(csoundpp.__file__).parent.parent)')}
ln -s "$site/csoundpp" "$LINK/csoundpp"
# tests/clients/conftest.py flips the switch a user flips, CSOUNDPP_INSTALL_AS=libcsound (the
# .pth is not in that venv, so it calls the same install_from_env the .pth runs)
export CSOUNDPP_PLUGINS_DIR=$PLUGINS

# One pytest process per test: libcsound (ctypes) can crash the interpreter (it segfaults in
# Engine.sync() here), and a crash must cost one test, not the run.
ids=$(cd "$ROOT" && PYTHONPATH=$LINK CSOUNDPP_CLIENT_BACKEND=libcsound "$VENV/bin/python" -m pytest \
        -c tests/clients/pytest.ini --rootdir tests/clients --collect-only -q tests/clients/test_csoundengine.py \
      | grep '::' | sed 's|^\(tests/clients/\)\{0,1\}|tests/clients/|')
declare -A result
for backend in libcsound csoundpp; do
  echo "=== csoundengine $CE_VERSION on $backend"
  for id in $ids; do
    if (cd "$ROOT" && PYTHONPATH=$LINK CSOUNDPP_CLIENT_BACKEND=$backend timeout -s KILL 400 \
          "$VENV/bin/python" -m pytest -c tests/clients/pytest.ini --rootdir tests/clients -q "$id" \
          >"$LINK/out.log" 2>&1); then
      result[$backend:$id]=pass; echo "  PASS $id"
    else
      result[$backend:$id]=fail; echo "  FAIL $id"
      { grep -a -E '^E |Error|Fatal|Segmentation' "$LINK/out.log" | head -5 | sed 's/^/       /'; } || true
    fi
  done
done
status=0; n_lc=0; n_pp=0; total=0
for id in $ids; do
  total=$((total + 1))
  [[ ${result[libcsound:$id]} == pass ]] && n_lc=$((n_lc + 1))
  [[ ${result[csoundpp:$id]} == pass ]] && n_pp=$((n_pp + 1))
  if [[ ${result[libcsound:$id]} == pass && ${result[csoundpp:$id]} != pass ]]; then
    echo "csoundengine suite: $id passes with libcsound but not with csoundpp"; status=1
  fi
done
echo "=== csoundengine $CE_VERSION: csoundpp $n_pp of $total passed, libcsound $LIBCSOUND_VERSION $n_lc of $total"
if [[ $n_pp -eq 0 ]]; then echo "csoundengine suite: nothing passed on csoundpp"; status=1; fi
exit $status
