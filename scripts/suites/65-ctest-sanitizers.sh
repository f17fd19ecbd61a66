#!/usr/bin/env bash
# The C++ unit tests (ctest) under AddressSanitizer + UndefinedBehaviorSanitizer, then under
# ThreadSanitizer (scripts/ctest.sh with SANITIZE=...; each in its own build folder, compiled
# through ccache). libcsound itself is not instrumented; cpp/tests/tsan.supp names what is
# suppressed in it and why.
set -euo pipefail
cd "$(dirname "$0")/../.."
for san in address,undefined thread; do
  echo "sanitizers: ctest with -fsanitize=$san"
  SANITIZE=$san scripts/ctest.sh | tail -3
done
