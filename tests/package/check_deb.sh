#!/usr/bin/env bash
# ctest package_deb: builds the Debian package from this build tree (cpack) and checks
# what an operator relies on: the layout, the conffile, the maintainer scripts, library
# dependencies declared, the units' limits and sandbox, and lintian without an error.
#   tests/package/check_deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
command -v lintian >/dev/null || { echo "lintian is not installed (scripts/setup.sh --test): skipped"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cpack --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; fail "cpack"; }
deb=$(ls "$out"/cloudretail_*.deb)
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/cloudretail ./etc/cloudretail/cloudretail.env ./lib/systemd/system/cloudretail.service \
         ./lib/systemd/system/cloudretail@.service ./usr/share/doc/cloudretail/copyright; do
  grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in adduser libc6 libsqlite3-0 libpq5 libssl3 libsodium23 libjwt0 libcurl4 libboost-json1.81.0; do
  grep -qE "(^|, )$p( |,|$)" <<<"$depends" || fail "Depends lacks $p"
done

dpkg-deb -e "$deb" "$out/control"
grep -qx /etc/cloudretail/cloudretail.env "$out/control/conffiles" || fail "the env file is not a conffile"
grep -q "adduser --system" "$out/control/postinst" || fail "postinst creates no system user"
grep -q "/var/lib/cloudretail" "$out/control/postinst" || fail "postinst makes no data directory"

dpkg-deb -x "$deb" "$out/root"
unit="$out/root/lib/systemd/system/cloudretail.service"
for line in "User=cloudretail" "ExecStart=/usr/bin/cloudretail serve" "EnvironmentFile=/etc/cloudretail/cloudretail.env" \
            "LimitNOFILE=65536" "ProtectSystem=strict" "NoNewPrivileges=true" "ReadWritePaths=/var/lib/cloudretail"; do
  grep -qx "$line" "$unit" || fail "cloudretail.service lacks $line"
done
grep -qx "LimitNOFILE=65536" "$out/root/lib/systemd/system/cloudretail@.service" || fail "cloudretail@.service lacks LimitNOFILE"
if command -v systemd-analyze >/dev/null; then
  # Unit syntax; the binary is not installed here, so that one complaint is expected.
  systemd-analyze verify "$out"/root/lib/systemd/system/cloudretail*.service "$out"/root/lib/systemd/system/*.timer 2>&1 |
    grep -v "is not executable" | grep . && fail "systemd-analyze verify complains"
  systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -1 || true
fi

lintian --fail-on error "$deb" >"$out/lintian.log" 2>&1 || {
  cat "$out/lintian.log"; fail "lintian reports an error"; }
grep -v "^running with root" "$out/lintian.log" || true
echo "lintian: $(grep -c '^E:' "$out/lintian.log" || true) errors, $(grep -c '^W:' "$out/lintian.log" || true) warnings"
