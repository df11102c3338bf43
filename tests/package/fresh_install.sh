#!/usr/bin/env bash
# The Debian package on a newcomer's Debian 12, run by hand from the project's checkout
# (it takes many minutes: it builds the binary from scratch):
#   ../shared/tools/fresh-debian 'cd /src && tests/package/fresh_install.sh'
# In that brand-new root it builds the package, removes every build dependency again
# (so the libraries the binary needs are gone), installs the package with apt-get, which
# must pull them back in from the Depends line, runs the service's command line as the
# service user, asks GET /health and GET /products/P001, and runs lintian.
set -euo pipefail
cd "$(dirname "$0")/../.."
step() { echo "== $*"; }
fail() { echo "FRESH_INSTALL FAILED: $*"; exit 1; }

step "build the package"
scripts/package.sh >/tmp/package.log 2>&1 || { tail -30 /tmp/package.log; fail "scripts/package.sh"; }
deb=$(ls "$PWD"/build/package/cloudretail_*.deb)
cp "$deb" /tmp/ && deb=/tmp/$(basename "$deb")

step "remove the build dependencies and what only they needed"
export DEBIAN_FRONTEND=noninteractive
apt-get purge -y -qq --auto-remove build-essential cmake ninja-build pkg-config ccache \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev libjwt-dev libsodium-dev \
  libsqlite3-dev libpq-dev libcurl4-openssl-dev zlib1g-dev libspdlog-dev libfmt-dev libcli11-dev >/dev/null
libs="libsqlite3-0 libpq5 libjwt0 libsodium23 libboost-json1.81.0 libboost-url1.81.0 libspdlog1.10 libfmt9"
for p in $libs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && echo "   still installed: $p"
done

step "apt-get install $(basename "$deb")"
apt-get install -y "$deb" 2>&1 | tee /tmp/install.log | sed -n '/NEW packages/,/upgraded/p'
for p in $libs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || fail "$p was not pulled in"
done
! ldd /usr/bin/cloudretail | grep "not found" || fail "unresolved libraries"
getent passwd cloudretail || fail "no cloudretail user"
stat -c '%n %U:%G %a' /var/lib/cloudretail /etc/cloudretail/cloudretail.env
ls /lib/systemd/system/cloudretail*

step "the service's command line as the service user (no systemd in this root)"
unit=/lib/systemd/system/cloudretail.service
cmd=$(sed -n 's/^ExecStart=//p' "$unit")
echo "   ExecStart: $cmd"
# The unit's Environment= and EnvironmentFile=, then a free port for this shared loopback.
runuser -u cloudretail -- sh -c "set -a; DATA_DIR=/var/lib/cloudretail; . /etc/cloudretail/cloudretail.env; \
  /usr/bin/cloudretail seed" || fail "seed as cloudretail"
runuser -u cloudretail -- sh -c "set -a; DATA_DIR=/var/lib/cloudretail; . /etc/cloudretail/cloudretail.env; \
  PORT=0; exec $cmd" >/tmp/serve.log 2>&1 &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\).*|\1|p' /tmp/serve.log | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat /tmp/serve.log; fail "the server did not start"; }
get() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3
  cat <&3
  exec 3<&-
}
health=$(get /health); echo "$health" | head -1; echo "$health" | tail -1; echo
product=$(get /products/P001); echo "$product" | head -1; echo "$product" | tail -1 | cut -c1-160; echo
grep -q '^HTTP/1.[01] 200' <<<"$health" || fail "GET /health"
grep -q '"status"' <<<"$health" || fail "GET /health body"
grep -q '^HTTP/1.[01] 200' <<<"$product" || fail "GET /products/P001"
grep -q '"productId":"P001"' <<<"$product" || fail "GET /products/P001 body"
server=""
for p in /proc/[0-9]*; do [ "$(readlink "$p/exe" 2>/dev/null)" = /usr/bin/cloudretail ] && server=${p#/proc/}; done
[ -n "$server" ] || fail "no cloudretail process"
echo "   pid $server runs as $(stat -c %U "/proc/$server")"
[ "$(stat -c %U "/proc/$server")" = cloudretail ] || fail "the server does not run as cloudretail"
kill "$server"; wait "$pid" 2>/dev/null || true

step "backup and restore as the service user"
runuser -u cloudretail -- sh -c "DATA_DIR=/var/lib/cloudretail /usr/bin/cloudretail backup --to /var/lib/cloudretail/b.db" \
  || fail "backup"
runuser -u cloudretail -- sh -c "DATA_DIR=/var/lib/cloudretail/restored /usr/bin/cloudretail restore --from /var/lib/cloudretail/b.db" \
  || fail "restore"

step "lintian"
apt-get install -y -qq --no-install-recommends lintian >/dev/null
lintian --fail-on error "$deb" || fail "lintian reports an error"
echo "FRESH_INSTALL OK"
