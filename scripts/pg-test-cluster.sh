#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests (label `pg`).
#   scripts/pg-test-cluster.sh start [STATE_DIR]   create + start a cluster, print its URL
#   scripts/pg-test-cluster.sh url   [STATE_DIR]   print the URL of the running cluster
#   scripts/pg-test-cluster.sh stop  [STATE_DIR]   stop it and delete its files
# STATE_DIR (default $CLOUDRETAIL_PG_TEST_DIR or /tmp/cloudretail-pg-test-$UID) holds
# `url` and `datadir`; the cluster itself lives in a fresh mktemp directory, listens on
# a free port on 127.0.0.1 with its unix socket in that directory, trusts local
# connections, and runs with fsync=off (test data only). PostgreSQL refuses to run as
# root: as root, initdb and pg_ctl run as the `postgres` system user. The cluster goes
# to /dev/shm when it has 4 GiB free (else $TMPDIR); CLOUDRETAIL_PG_TEST_TMP overrides.
# Exits 77 from `start` when no PostgreSQL server binaries are installed
# (scripts/setup.sh --test installs them).
set -euo pipefail

cmd="${1:-}"
state="${2:-${CLOUDRETAIL_PG_TEST_DIR:-/tmp/cloudretail-pg-test-$(id -u)}}"

find_bindir() {
  if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then echo "$PG_BINDIR"; return; fi
  local d
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; fi
}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_cluster() {
  [ -f "$state/datadir" ] || return 0
  local tmp bindir
  tmp="$(cat "$state/datadir")"
  bindir="$(cat "$state/bindir" 2>/dev/null || find_bindir)"
  if [ -n "$tmp" ] && [ -d "$tmp/data" ]; then
    as_pg "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$tmp" in /*cloudretail-pg.*) rm -rf "$tmp" ;; esac
  rm -f "$state/datadir" "$state/url" "$state/bindir"
}

case "$cmd" in
  start)
    bindir="$(find_bindir)"
    if [ -z "$bindir" ]; then
      echo "pg-test-cluster: no PostgreSQL server binaries (run scripts/setup.sh --test)" >&2
      exit 77
    fi
    mkdir -p "$state"
    # A cluster left by an earlier run in this state dir: replace it.
    stop_cluster
    # In memory when there is room: every test database is a ~8 MB copy of template0.
    base="${CLOUDRETAIL_PG_TEST_TMP:-}"
    if [ -z "$base" ]; then
      base="${TMPDIR:-/tmp}"
      shm_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $4}')
      if [ -n "$shm_kb" ] && [ "$shm_kb" -gt $((4 * 1024 * 1024)) ]; then base=/dev/shm; fi
    fi
    tmp="$(mktemp -d "$base/cloudretail-pg.XXXXXX")"
    chmod 755 "$tmp"
    mkdir -p "$tmp/data" "$tmp/sock"
    if [ "$(id -u)" -eq 0 ]; then
      if ! id postgres >/dev/null 2>&1; then
        echo "pg-test-cluster: running as root needs the 'postgres' system user" >&2
        rm -rf "$tmp"
        exit 1
      fi
      chown postgres: "$tmp/data" "$tmp/sock"
      touch "$tmp/log" && chown postgres: "$tmp/log"
    fi
    echo "$tmp" >"$state/datadir"
    echo "$bindir" >"$state/bindir"
    if ! as_pg "$bindir/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$tmp/initdb.log" 2>&1; then
      cat "$tmp/initdb.log" >&2
      stop_cluster
      exit 1
    fi
    started=""
    for _ in $(seq 1 20); do
      port=$(( 20000 + RANDOM % 30000 ))
      port_free "$port" || continue
      if as_pg "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w -t 30 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=256MB -c min_wal_size=64MB -c max_connections=300 -c shared_buffers=32MB" \
        >/dev/null 2>&1; then
        started=1
        break
      fi
    done
    if [ -z "$started" ]; then
      echo "pg-test-cluster: PostgreSQL did not start:" >&2
      tail -n 20 "$tmp/log" >&2 || true
      stop_cluster
      exit 1
    fi
    url="postgresql://postgres@127.0.0.1:$port/postgres"
    echo "$url" >"$state/url"
    echo "$url"
    ;;
  url)
    [ -f "$state/url" ] || { echo "pg-test-cluster: not running (state in $state)" >&2; exit 1; }
    cat "$state/url"
    ;;
  stop)
    stop_cluster
    ;;
  *)
    echo "usage: $0 start|stop|url [STATE_DIR]" >&2
    exit 2
    ;;
esac
