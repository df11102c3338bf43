#!/usr/bin/env bash
# Runs one OpenAPI check with node from this folder; exits 77 (ctest: skipped)
# when node or the npm packages (`scripts/setup.sh --test`) are missing.
cd "$(dirname "$0")"
if ! command -v node >/dev/null || [ ! -d node_modules/ajv ] || [ ! -d node_modules/@redocly/cli ]; then
  echo "node or tests/openapi/node_modules missing (scripts/setup.sh --test installs them): skipped"
  exit 77
fi
exec node "$@"
