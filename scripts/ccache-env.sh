# Sourced by the build scripts (setup.sh, ctest.sh, the suites that compile): every CMake build
# goes through ccache (Debian's `ccache`), so a clean clone -- CI -- recompiles only what changed
# since any earlier build on this machine. The cache lives beside the other caches; paths are
# hashed relative to the checkout, so every clone and worktree shares it.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER-ccache}
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER-ccache}
  export CCACHE_DIR=${CCACHE_DIR:-${CSOUNDPP_CACHE:-/var/cache/csoundpp}/ccache}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR-1}
  export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-3G}
  mkdir -p "$CCACHE_DIR" 2>/dev/null || true
fi
