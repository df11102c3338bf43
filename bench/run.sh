#!/usr/bin/env bash
# The benchmark: installs wrk and nginx if missing, builds, and runs bench.py.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench
scripts/build.sh
exec python3 bench/bench.py "$@"
