#!/usr/bin/env bash
# The second backend: builds csoundpp against Csound 7.0 and runs the C++ tests and the Python
# test suite there.
#   - scripts/csound7-prefix.sh makes (once, cached) a Csound 7 prefix from PyPI's cycsound 0.2.3
#     files (library + plugins from the wheel, headers from the sdist);
#   - ctest in build/ctest-cs7, against that prefix;
#   - a second virtual environment .venv-cs7 with csoundpp built against it (build/cs7-<tag>),
#     and pytest run there. Tests that cannot apply to Csound 7 skip, naming the removed feature;
#     their count is printed at the end.
# CSOUNDPP_CS7_PYTEST=0 leaves the pytest part out (ctest only). Arguments are passed to pytest.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PREFIX=$(PYTHON=${PYTHON:-$ROOT/.venv/bin/python} scripts/csound7-prefix.sh)
export OPCODE7DIR64=$PREFIX/lib/csound/plugins64-7.0
PATH=$ROOT/.venv/bin:$PATH

echo "csound7: C++ tests against $PREFIX"
B=build/ctest-cs7
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSOUNDPP_BUILD_TESTS=ON \
  -DCSOUND_ROOT="$PREFIX" >/dev/null
cmake --build "$B"
ctest --test-dir "$B" --output-on-failure

[[ ${CSOUNDPP_CS7_PYTEST:-1} == 0 ]] && exit 0

# .venv-cs7 with csoundpp built against the same prefix (shared with benchmarks --csound 7)
VPY=$(scripts/csound7-venv.sh)
"$VPY" -c 'import csoundpp; v = csoundpp.csound_version(); assert v[0] == 7, v; print("csound7: csoundpp built for Csound", v)'

# Known to fail on Csound 7, not yet fixed. A test listed here is deselected and named in the
# run's output (and in the issue note), never hidden:
#  (none today; fb7e5c4 made test_orchestra_header_and_options_libcsound_cannot_survive
#  version-aware: Csound 7 reads nchnls = -2147483649 as 1 channel)
KNOWN_CS7=()
deselect=()
for t in ${KNOWN_CS7[@]+"${KNOWN_CS7[@]}"}; do deselect+=(--deselect "$t"); echo "csound7: KNOWN FAILURE, deselected: $t"; done

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
set +e
"$VPY" -m pytest -p no:cacheprovider ${deselect[@]+"${deselect[@]}"} "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
n=$(awk '/^SKIPPED \[[0-9]+\] .*not on Csound 7: / {s += substr($2, 2)} END {print s + 0}' "$LOG")
echo "csound7: $n tests skipped because Csound 7 lacks the feature (pytest exit status $rc)"
exit "$rc"
