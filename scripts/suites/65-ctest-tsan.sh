#!/usr/bin/env bash
# The C++ unit tests (ctest) under ThreadSanitizer (scripts/ctest.sh with SANITIZE=thread, in its
# own build folder, compiled through ccache). The same tests under ASan+UBSan+LSan run in
# 70-asan.sh. libcsound itself is not instrumented; cpp/tests/tsan.supp names what is
# suppressed in it and why.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "sanitizers: ctest with -fsanitize=thread"
SANITIZE=thread scripts/ctest.sh | tail -3
