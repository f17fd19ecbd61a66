#!/usr/bin/env bash
# Makes (once) a minimal Debian chroot without Csound or libsndfile, cached under
#   ${CSOUNDPP_CACHE:-/var/cache/csoundpp}/chroots/<suite>
# usage: scripts/wheel/chroot_base.sh bookworm|trixie
# The base gets python3 + venv, apt lists, and the .debs of the JACK client library
# downloaded but not installed (the suite installs them later, offline).
# Exits 77 when the Debian archive is unreachable (no base can be made here).
set -euo pipefail
suite=$1
CACHE=${CSOUNDPP_CACHE:-/var/cache/csoundpp}/chroots
VERSION=1                       # bump when the recipe below changes
dir=$CACHE/$suite
stamp=$dir/.csoundpp-base-v$VERSION
[[ -f $stamp ]] && exit 0

command -v debootstrap >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}
mkdir -p "$CACHE"
# Exit 77 (the suite then skips this chroot, saying why) when the Debian archive cannot be
# reached: a machine without that network cannot make the base, which is no fault of the wheel.
mirror=${CSOUNDPP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
if ! python3 - "$mirror/dists/$suite/Release" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="HEAD"), timeout=20).close()
except Exception as e:
    print(f"chroot_base: cannot reach {sys.argv[1]}: {e}", file=sys.stderr)
    raise SystemExit(1)
PY
then
  exit 77
fi
tmp=$dir.tmp.$$
cleanup() {  # debootstrap mounts /proc and /sys inside while it works: never rm -rf through them
  local m
  for m in $(awk -v t="$tmp" 'index($2, t) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
  rm -rf "$tmp" "$tmp.log"
}
trap cleanup EXIT
echo "chroot_base: debootstrap --variant=minbase $suite (once; cached in $dir)"
debootstrap --variant=minbase --include=python3,python3-venv "$suite" "$tmp" "$mirror" >"$tmp.log" 2>&1 \
  || { tail -30 "$tmp.log" >&2; rm -f "$tmp.log"; exit 1; }
rm -f "$tmp.log"
chroot "$tmp" apt-get clean
chroot "$tmp" apt-get update -qq
chroot "$tmp" apt-get install -y -qq --download-only --no-install-recommends libjack-jackd2-0 >/dev/null
# The point of the exercise: no Csound and no libsndfile in the base.
if chroot "$tmp" sh -c 'ls /usr/lib/x86_64-linux-gnu/ | grep -E "^lib(csound|sndfile)"'; then
  echo "chroot_base: $suite unexpectedly has Csound or libsndfile" >&2; exit 1
fi
touch "$tmp/.csoundpp-base-v$VERSION"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
