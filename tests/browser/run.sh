#!/usr/bin/env bash
# Runs the browser tests with node's test runner; exits 77 (ctest: skipped) when node,
# Chromium or this folder's npm packages (`scripts/setup.sh --test`) are missing.
cd "$(dirname "$0")"
if ! command -v node >/dev/null || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  echo "node or tests/browser/node_modules missing (scripts/setup.sh --test installs them): skipped"
  exit 77
fi
exec node --test --test-reporter=spec "$@"
