#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running shop on
# http://127.0.0.1:8080, with SQLite under ./data and the demo catalog.
# Installs what is missing, builds the binary (no test targets), seeds once, and serves;
# Ctrl-C stops it. The first start creates an admin account and prints its sign-in.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh

export DATA_DIR="${DATA_DIR:-./data}"
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8080}"
mkdir -p "$DATA_DIR"
if [ ! -f "$DATA_DIR/.seeded" ]; then
  build/cloudretail seed && touch "$DATA_DIR/.seeded"
fi

# The bootstrap admin: yours if BOOTSTRAP_ADMIN_EMAIL/PASSWORD are set, else one made on the
# first start and kept (readable by you only) in $DATA_DIR/admin-credentials.
credentials="$DATA_DIR/admin-credentials"
if [ -z "${BOOTSTRAP_ADMIN_EMAIL:-}" ]; then
  if [ ! -f "$credentials" ]; then
    password="Admin1$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16)"
    (umask 077; printf 'BOOTSTRAP_ADMIN_EMAIL=admin@example.com\nBOOTSTRAP_ADMIN_PASSWORD=%s\n' "$password" >"$credentials")
  fi
  set -a; . "$credentials"; set +a
fi

build/cloudretail serve &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' INT TERM
url="http://$HOST:$PORT"
for _ in $(seq 1 100); do
  curl -fsS "$url/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit $?; }
  sleep 0.2
done
cat <<MSG

  CloudRetail is serving at $url  (data in $DATA_DIR)
    catalog:  $url/products
    health:   $url/health
  Admin sign-in: $BOOTSTRAP_ADMIN_EMAIL / ${BOOTSTRAP_ADMIN_PASSWORD:-(as you set it)}
    token:    curl -s -X POST $url/auth/login -H 'Content-Type: application/json' \\
                -d '{"email":"$BOOTSTRAP_ADMIN_EMAIL","password":"…"}'
    another:  build/cloudretail admin create --email E --password P
  Stop with Ctrl-C.

MSG
wait "$server"
