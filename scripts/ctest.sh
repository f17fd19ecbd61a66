#!/usr/bin/env bash
# Builds and runs the C++ unit tests (no Python involved).
#   scripts/ctest.sh                      plain build (build/ctest)
#   SANITIZE=thread scripts/ctest.sh      ThreadSanitizer (build/ctest-thread)
#   SANITIZE=address,undefined scripts/ctest.sh   ASan + UBSan (build/ctest-address,undefined)
set -euo pipefail
cd "$(dirname "$0")/.."
san=${SANITIZE:-}
B=build/ctest${san:+-$san}
PATH=$PWD/.venv/bin:$PATH
# shellcheck source=scripts/ccache-env.sh
source scripts/ccache-env.sh
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSOUNDPP_BUILD_TESTS=ON \
  -DCSOUNDPP_SANITIZE="$san" >/dev/null
cmake --build "$B"
supp=""; [[ -f cpp/tests/tsan.supp ]] && supp=" suppressions=$PWD/cpp/tests/tsan.supp"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1$supp}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1 halt_on_error=1}"
ctest --test-dir "$B" --output-on-failure
