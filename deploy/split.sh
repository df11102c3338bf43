#!/usr/bin/env bash
# Starts or stops the split topology on loopback: nine `cloudretail serve
# --services X` processes, one nginx gateway, and PostgreSQL.
#
#   deploy/split.sh start     # prints the gateway URL when everything answers
#   deploy/split.sh stop
#   deploy/split.sh restart-service inventory   (or stop-service / start-service)
#
# Environment: RUN_DIR (./run-split), GATEWAY_PORT (8080), BASE_PORT (9101),
# DATABASE_URL (postgresql://…; default: a throwaway cluster from
# scripts/pg-test-cluster.sh), SERVICE_TOKEN (generated), BOOTSTRAP_ADMIN_EMAIL
# and BOOTSTRAP_ADMIN_PASSWORD (passed to the auth process), BUILD_DIR (./build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
RUN_DIR="$(mkdir -p "${RUN_DIR:-$root/run-split}" && cd "${RUN_DIR:-$root/run-split}" && pwd)"
BIN="${BUILD_DIR:-$root/build}/cloudretail"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
BASE_PORT="${BASE_PORT:-9101}"
services=(auth product cart inventory order payment notification dbtest web)
export PATH="$PATH:/usr/sbin"

port_of() {
  local i=0
  for s in "${services[@]}"; do
    if [ "$s" = "$1" ]; then echo $((BASE_PORT + i)); return; fi
    i=$((i + 1))
  done
}

common_env() {
  echo "DATABASE_URL=$(cat "$RUN_DIR/database_url")"
  echo "SERVICE_TOKEN=$(cat "$RUN_DIR/service_token")"
  echo "HOST=127.0.0.1"
  echo "PUBLIC_BASE_URL=http://127.0.0.1:$GATEWAY_PORT"
  echo "DB_POOL_SIZE=${DB_POOL_SIZE:-4}"
  echo "LOG_LEVEL=${LOG_LEVEL:-warn}"
  for s in auth product cart inventory order payment notification; do
    echo "$(echo "$s" | tr a-z A-Z)_API_BASE=http://127.0.0.1:$(port_of "$s")"
  done
  if [ -n "${BOOTSTRAP_ADMIN_EMAIL:-}" ]; then
    echo "BOOTSTRAP_ADMIN_EMAIL=$BOOTSTRAP_ADMIN_EMAIL"
    echo "BOOTSTRAP_ADMIN_PASSWORD=$BOOTSTRAP_ADMIN_PASSWORD"
  fi
  for v in ORDER_PENDING_TTL_SECONDS CHECKOUT_RECOVERY_GRACE_MS SMTP_URL; do
    if [ -n "${!v:-}" ]; then echo "$v=${!v}"; fi
  done
}

start_service() {
  local s="$1" port
  port="$(port_of "$s")"
  mkdir -p "$RUN_DIR/data-$s"
  # shellcheck disable=SC2046
  env $(common_env) PORT="$port" DATA_DIR="$RUN_DIR/data-$s" \
    "$BIN" serve --services "$s" >>"$RUN_DIR/$s.log" 2>&1 &
  echo $! >"$RUN_DIR/$s.pid"
  for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat "$RUN_DIR/$s.pid")" 2>/dev/null; then
      echo "split: $s exited; its log:" >&2; tail -20 "$RUN_DIR/$s.log" >&2; return 1
    fi
    sleep 0.1
  done
  echo "split: $s did not answer on port $port" >&2
  return 1
}

stop_service() {
  local pidfile="$RUN_DIR/$1.pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

start() {
  [ -x "$BIN" ] || { echo "split: build first (scripts/build.sh)" >&2; exit 1; }
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "$DATABASE_URL" >"$RUN_DIR/database_url"
  elif [ ! -f "$RUN_DIR/database_url" ]; then
    "$root/scripts/pg-test-cluster.sh" start "$RUN_DIR/pg" >"$RUN_DIR/database_url"
    touch "$RUN_DIR/pg.owned"
  fi
  [ -f "$RUN_DIR/service_token" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RUN_DIR/service_token"
  # Migrations once, before the services start (they would also take the lock themselves).
  # shellcheck disable=SC2046
  env $(common_env) DATA_DIR="$RUN_DIR/data-migrate" "$BIN" migrate >>"$RUN_DIR/migrate.log" 2>&1
  for s in "${services[@]}"; do start_service "$s"; done
  mkdir -p "$RUN_DIR/nginx-tmp"
  sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@GATEWAY_PORT@|$GATEWAY_PORT|g" \
    -e "s|@AUTH_PORT@|$(port_of auth)|g" -e "s|@PRODUCT_PORT@|$(port_of product)|g" \
    -e "s|@CART_PORT@|$(port_of cart)|g" -e "s|@INVENTORY_PORT@|$(port_of inventory)|g" \
    -e "s|@ORDER_PORT@|$(port_of order)|g" -e "s|@PAYMENT_PORT@|$(port_of payment)|g" \
    -e "s|@NOTIFICATION_PORT@|$(port_of notification)|g" -e "s|@DBTEST_PORT@|$(port_of dbtest)|g" \
    -e "s|@WEB_PORT@|$(port_of web)|g" \
    "$root/deploy/nginx/gateway.conf.template" >"$RUN_DIR/gateway.conf"
  nginx -c "$RUN_DIR/gateway.conf" -p "$RUN_DIR"
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$GATEWAY_PORT/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo "http://127.0.0.1:$GATEWAY_PORT"
}

stop() {
  if [ -f "$RUN_DIR/nginx.pid" ]; then
    nginx -c "$RUN_DIR/gateway.conf" -p "$RUN_DIR" -s quit 2>/dev/null || kill "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null || true
  fi
  for s in "${services[@]}"; do stop_service "$s"; done
  if [ -f "$RUN_DIR/pg.owned" ]; then
    "$root/scripts/pg-test-cluster.sh" stop "$RUN_DIR/pg" || true
    rm -f "$RUN_DIR/pg.owned" "$RUN_DIR/database_url"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  stop-service) stop_service "$2" ;;
  start-service) start_service "$2" ;;
  restart-service) stop_service "$2"; start_service "$2" ;;
  *) echo "usage: deploy/split.sh start|stop|stop-service NAME|start-service NAME|restart-service NAME" >&2; exit 2 ;;
esac
