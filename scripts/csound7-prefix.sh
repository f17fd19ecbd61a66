#!/usr/bin/env bash
# Builds a Csound 7.0 installation prefix from the files PyPI publishes, for building and testing
# csoundpp against Csound 7 (no Debian package has Csound 7).
#
#   scripts/csound7-prefix.sh            prints the prefix path (building it first if needed)
#
# Sources (only used as a Csound 7 installation; nothing of cycsound's own code is used):
#   - the manylinux wheel of cycsound 0.2.3: libcsound64 7.0 (double precision) + 93 opcode plugins
#   - the sdist of cycsound 0.2.3: the matching Csound 7 public headers under include/
# Layout made (a normal Csound install layout, so csoundpp finds it like any other prefix):
#   <prefix>/include/csound/*.h
#   <prefix>/lib/libcsound64.so -> libcsound64-<hash>.so.7.0   (the wheel's SONAME is kept)
#   <prefix>/lib/csound/plugins64-7.0/*.so                     (set OPCODE7DIR64 to use them)
#   <prefix>/lib/pkgconfig/csound64.pc
# Cached under ${CSOUNDPP_CACHE:-/var/cache/csoundpp}/csound7; a second run only prints the path.
set -euo pipefail
VERSION=0.2.3
CACHE=${CSOUNDPP_CACHE:-/var/cache/csoundpp}/csound7
PREFIX=$CACHE/prefix
STAMP=$PREFIX/.complete-cycsound-$VERSION
if [[ -f $STAMP ]]; then echo "$PREFIX"; exit 0; fi

PY=${PYTHON:-python3}
mkdir -p "$CACHE/dl"
DL=$CACHE/dl
if ! ls "$DL"/cycsound-$VERSION-*manylinux*x86_64*.whl >/dev/null 2>&1; then
  echo "csound7-prefix: downloading the cycsound $VERSION wheel (libcsound64 7.0 + plugins)" >&2
  "$PY" -m pip download -q --no-deps --only-binary :all: --python-version 3.11 --platform manylinux_2_34_x86_64 \
      -d "$DL" "cycsound==$VERSION" >&2
fi
if [[ ! -f $DL/cycsound-$VERSION.tar.gz ]]; then
  echo "csound7-prefix: downloading the cycsound $VERSION sdist (Csound 7 headers)" >&2
  "$PY" -m pip download -q --no-deps --no-binary cycsound -d "$DL" "cycsound==$VERSION" >&2
fi

TMP=$(mktemp -d "$CACHE/build.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
"$PY" -m zipfile -e "$DL"/cycsound-$VERSION-*manylinux*x86_64*.whl "$TMP/wheel"
tar -xzf "$DL/cycsound-$VERSION.tar.gz" -C "$TMP"

NEW=$TMP/prefix
mkdir -p "$NEW/include/csound" "$NEW/lib/csound/plugins64-7.0" "$NEW/lib/pkgconfig"
cp "$TMP/cycsound-$VERSION"/include/*.h "$TMP/cycsound-$VERSION"/include/*.hpp "$NEW/include/csound/"
grep -q 'CS_VERSION *(7)' "$NEW/include/csound/version.h" || { echo "csound7-prefix: headers are not Csound 7" >&2; exit 1; }
lib=$(cd "$TMP/wheel/cycsound.libs" && ls libcsound64*.so.7*)
cp "$TMP/wheel/cycsound.libs/$lib" "$NEW/lib/"
ln -s "$lib" "$NEW/lib/libcsound64.so"
cp "$TMP/wheel/cycsound/plugins/"*.so "$NEW/lib/csound/plugins64-7.0/"
cat > "$NEW/lib/pkgconfig/csound64.pc" <<PC
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: csound64
Description: Csound 7.0 (double precision), from the cycsound $VERSION wheel
Version: 7.0.0
Libs: -L\${libdir} -lcsound64
Cflags: -I\${includedir} -DUSE_DOUBLE=1
PC
touch "$NEW/.complete-cycsound-$VERSION"
rm -rf "$PREFIX"
mv "$NEW" "$PREFIX"
echo "csound7-prefix: built $PREFIX ($lib, $(ls "$PREFIX/lib/csound/plugins64-7.0" | wc -l) plugins)" >&2
echo "$PREFIX"
