#!/usr/bin/env bash
# Makes (once) a minimal Debian chroot without Csound or libsndfile, cached under
#   ${CSOUNDPP_CACHE:-/var/cache/csoundpp}/chroots/<suite>
# usage: scripts/wheel/chroot_base.sh bookworm|trixie
# The base gets python3 + venv, apt lists, and the .debs of the JACK client library
# downloaded but not installed (the suite installs them later, offline).
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
tmp=$dir.tmp.$$
cleanup() {  # debootstrap mounts /proc and /sys inside while it works: never rm -rf through them
  local m
  for m in $(awk -v t="$tmp" 'index($2, t) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
  rm -rf "$tmp" "$tmp.log"
}
trap cleanup EXIT
echo "chroot_base: debootstrap --variant=minbase $suite (once; cached in $dir)"
debootstrap --variant=minbase --include=python3,python3-venv "$suite" "$tmp" ${CSOUNDPP_DEBIAN_MIRROR:-} >"$tmp.log" 2>&1 \
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
