#!/usr/bin/env bash
# Configures (once) and builds into ./build. BUILD_TYPE=Debug for a sanitizer build.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type="${BUILD_TYPE:-Release}"
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
fi
cmake --build build --parallel "$(nproc)"
