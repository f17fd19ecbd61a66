#!/usr/bin/env bash
# The wheel on machines without Csound (issue 12).
#
# 1. Builds the self-contained wheels (scripts/build_wheel.sh): for this Python (cp311) and,
#    when the machine has a CPython 3.13 (pyenv's), for 3.13, which Debian 13 runs.
# 2. On this machine: installs the cp311 wheel in a fresh venv and runs
#    tests/test_cpp_interop.py against it (a C++ extension built from the wheel's CMake
#    package shares the wheel's one libcsound with csoundpp).
# 3. In a minimal Debian 12 chroot and a Debian 13 chroot (debootstrap minbase, no Csound, no
#    libsndfile, no compiler): installs the wheel, checks its plugins and libcsound are the ones
#    in use, renders the demo and compares it with this machine's render, checks that
#    -+rtaudio=jack without libjack raises naming the package and loads once libjack is
#    apt-installed, then (with ALSA's library installed too) runs the pytest suite except what
#    needs a compiler, a JACK server or the peers (see PYTEST_SKIP below), and checks that
#    `pip uninstall` leaves nothing behind.
#    A chroot whose base cannot be made (Debian archive unreachable) or whose wheel cannot be
#    built (no CPython 3.13) is skipped with a message saying so.
#
# Cached under ${CSOUNDPP_CACHE:-/var/cache/csoundpp}/chroots: the two base chroots (made once,
# ~5 min each), pip downloads, and the built wheels keyed by a hash of their inputs. Each run
# works in a throw-away overlay over a base, so the bases stay clean.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CACHE=${CSOUNDPP_CACHE:-/var/cache/csoundpp}/chroots
mkdir -p "$CACHE/pip" "$CACHE/wheels"
start=$SECONDS
say() { echo "wheel-chroots [$((SECONDS - start)) s]: $*"; }

# ---------------------------------------------------------------- 1. the wheels
# A CPython 3.13 for Debian 13's wheel: this machine kind's pyenv has one (a shim is no use here).
PY313=""
for candidate in "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.13*/bin/python3.13 /usr/bin/python3.13 /usr/local/bin/python3.13; do
  if [[ -x $candidate ]] && "$candidate" -c 'import venv' 2>/dev/null; then PY313=$candidate; fi
done
PYTHONS="python3${PY313:+ $PY313}"
key=$( (cd "$ROOT" && find cpp python cmake CMakeLists.txt pyproject.toml scripts/build_wheel.sh scripts/wheel/finish_wheel.py \
          -type f -not -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum
        dpkg-query -W libcsound64-6.0 libcsound64-dev libsndfile1 2>/dev/null; echo "$PYTHONS") | sha1sum | cut -c1-16)
wheels=$CACHE/wheels/$key
if [[ ! -f $wheels/done ]]; then
  say "building the wheels for: $PYTHONS"
  rm -rf "$ROOT/dist" && CSOUNDPP_WHEEL_PYTHONS=$PYTHONS ./scripts/build_wheel.sh
  rm -rf "$wheels" && mkdir -p "$wheels" && cp dist/*.whl "$wheels/" && touch "$wheels/done"
  find "$CACHE/wheels" -mindepth 1 -maxdepth 1 -not -name "$key" -exec rm -rf {} +
else
  say "wheels of these sources are cached in $wheels"
fi
for w in "$wheels"/*.whl; do say "$(basename "$w"): $(stat -c %s "$w") bytes"; done
wheel_for() { ls "$wheels"/csoundpp-*-"$1"-"$1"-manylinux_2_35_x86_64.whl 2>/dev/null | head -1; }

# The host's render of the demo, to compare with each chroot's.
./scripts/setup.sh >/dev/null
.venv/bin/python -m csoundpp -o "$CACHE/host-demo.wav" >/dev/null 2>&1

# ---------------------------------------------------------------- 2. interop on this machine
say "C++ interop against the cp311 wheel (fresh venv)"
venv=$(mktemp -d /tmp/csoundpp-wheel-venv.XXXXXX)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --cache-dir "$CACHE/pip" "$(wheel_for cp311)" pytest pytest-timeout \
  "pybind11>=3.0" "cmake>=3.20" ninja
(cd "$venv" && "$venv/bin/python" -m pytest -q -p no:cacheprovider -c "$ROOT/pyproject.toml" --rootdir "$ROOT" \
   "$ROOT/tests/test_cpp_interop.py")
rm -rf "$venv"; trap - EXIT

# ---------------------------------------------------------------- 3. the chroots
# What the chroot runs of tests/: everything but what needs a compiler (C++ interop, the C++
# quick start, stubs via pybind11-stubgen + mypy), JACK (jackd), the peers' packages (ctcsound from python3-csound,
# the benchmarks' peers) or the source tree's generators. It runs once libjack and ALSA's
# library are installed (after the RT module checks below): the tests that list real-time
# modules expect some.
PYTEST_SKIP=(--ignore=tests/test_cpp_interop.py --ignore=tests/test_cpp_quick_start.py --ignore=tests/test_jack.py
             --ignore=tests/test_stubs.py --ignore=tests/test_benchmarks_smoke.py)

root=""
cleanup_chroot() {
  [[ -n $root ]] || return 0
  local m
  for m in $(awk -v t="$root" 'index($2, t) == 1 {print $2}' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  rm -rf "$(dirname "$root")"
  root=""
}
trap cleanup_chroot EXIT INT TERM

in_chroot() {  # runs a command in the chroot with a clean environment
  chroot "$root" /usr/bin/env -i PATH=/opt/venv/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_CACHE_DIR=/var/cache/pip PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

test_chroot() {  # suite tag
  local suite=$1 tag=$2 t0=$SECONDS wheel
  wheel=$(wheel_for "$tag")
  if [[ -z $wheel ]]; then
    echo "wheel-chroots: no $tag wheel was built (no CPython ${tag#cp3}.x on this machine?)" >&2; return 1
  fi
  local rc=0
  ./scripts/wheel/chroot_base.sh "$suite" || rc=$?
  if ((rc == 77)); then
    echo "wheel-chroots: SKIPPED Debian $suite: no cached base chroot and the Debian archive is unreachable" >&2
    skipped+=("$suite"); return 0
  fi
  ((rc == 0)) || return "$rc"
  local work; work=$(mktemp -d /tmp/csoundpp-chroot.XXXXXX)
  mkdir -p "$work/upper" "$work/work" "$work/root"
  root=$work/root
  mount -t overlay overlay -o "lowerdir=$CACHE/$suite,upperdir=$work/upper,workdir=$work/work" "$root"
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  mount --bind /dev/pts "$root/dev/pts"      # the CLI's terminal tests open a pty
  mkdir -p "$root/var/cache/pip" && mount --bind "$CACHE/pip" "$root/var/cache/pip"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$root/src/dist"
  cp "$wheel" "$root/src/dist/"
  cp -r tests examples pyproject.toml README.md "$root/src/"
  cp scripts/wheel/check_installed.py "$root/src/"
  mkdir -p "$root/src/python" && cp python/csoundpp-install-as.pth "$root/src/python/"  # tests/test_install_as.py compares
  .venv/bin/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["test"]))' \
    >"$root/src/test-requirements.txt"
  say "$suite: base ready in $((SECONDS - t0)) s"

  in_chroot sh -c '! ls /usr/lib/x86_64-linux-gnu | grep -E "^lib(csound|sndfile)"; ! command -v cc'
  in_chroot python3 -m venv /opt/venv
  # the wheel, and the [test] extra's requirements (what tests/ imports) from PyPI
  in_chroot pip install -q "/src/dist/$(basename "$wheel")" -r /src/test-requirements.txt
  in_chroot python /src/check_installed.py plugins
  in_chroot sh -c 'cd /tmp && python -m csoundpp -o /tmp/demo.wav'
  cmp "$root/tmp/demo.wav" "$CACHE/host-demo.wav" || { echo "wheel-chroots: $suite's demo render differs from the host's" >&2; return 1; }
  say "$suite: demo render identical to the host's"
  in_chroot python /src/check_installed.py rt-missing
  in_chroot apt-get install -y -qq --no-download --no-install-recommends libjack-jackd2-0 >/dev/null
  in_chroot python /src/check_installed.py rt-loaded
  # ALSA's library too (a desktop has it): the tests that list MIDI modules expect one
  local alsa=libasound2; [[ $suite == bookworm ]] || alsa=libasound2t64
  in_chroot sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $alsa >/dev/null"
  in_chroot sh -c "cd /src && python -m pytest -q -p no:cacheprovider ${PYTEST_SKIP[*]}"
  in_chroot pip uninstall -q -y csoundpp
  local left
  left=$(in_chroot sh -c 'ls -d /opt/venv/lib/python3*/site-packages/csoundpp* 2>/dev/null || true')
  [[ -z $left ]] || { echo "wheel-chroots: pip uninstall left $left" >&2; return 1; }
  cleanup_chroot
  say "$suite ($tag) passed in $((SECONDS - t0)) s"
}

skipped=()
test_chroot bookworm cp311
if [[ -n $PY313 ]]; then
  test_chroot trixie cp313
else
  echo "wheel-chroots: SKIPPED Debian 13: this machine has no CPython 3.13 to build its wheel with" >&2
  skipped+=(trixie)
fi
if ((${#skipped[@]})); then say "passed, but SKIPPED: ${skipped[*]} (see above)"; else say "all passed"; fi
