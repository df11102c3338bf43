#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite:
# installs what is missing, builds, and runs every test (unit, integration, e2e, pg).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/build.sh --tests
cd build
ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"

# Then the sanitizer stages (ASan+UBSan suite, fuzzing, TSan concurrency tests) when the
# whole suite ran (no ctest arguments); CLOUDRETAIL_SKIP_SANITIZERS=1 skips them.
if [ $# -eq 0 ]; then
  cd ..
  scripts/test-sanitizers.sh
fi
