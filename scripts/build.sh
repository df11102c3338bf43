#!/usr/bin/env bash
# Configures and builds into ./build (the binary is build/cloudretail).
#   scripts/build.sh           the binary only: needs no test packages
#   scripts/build.sh --tests   the binary and every test target, warnings as errors
# BUILD_TYPE=Debug for a debug build. ccache is used when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type="${BUILD_TYPE:-Release}"
with_tests=OFF
if [ "${1:-}" = "--tests" ]; then with_tests=ON; fi

args=(-S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type")
if command -v ccache >/dev/null; then args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
if [ "$with_tests" = ON ]; then
  # The test build (scripts/test.sh, so CI) treats warnings as errors; the shop's own
  # build does not, so a newer compiler's new warning never stops a newcomer.
  args+=(-DCLOUDRETAIL_BUILD_TESTS=ON -DCLOUDRETAIL_WERROR=ON)
elif [ ! -f build/build.ninja ]; then
  args+=(-DCLOUDRETAIL_BUILD_TESTS=OFF)   # a first build for the shop alone
fi
cmake "${args[@]}" >/dev/null
if [ "$with_tests" = ON ]; then
  cmake --build build --parallel "$(nproc)"
else
  cmake --build build --parallel "$(nproc)" --target cloudretail
fi
