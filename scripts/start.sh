#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running shop on
# http://127.0.0.1:8080, with SQLite under ./data and the demo catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
export DATA_DIR="${DATA_DIR:-./data}"
if [ ! -f "$DATA_DIR/.seeded" ]; then
  build/cloudretail seed && mkdir -p "$DATA_DIR" && touch "$DATA_DIR/.seeded"
fi
exec build/cloudretail serve
