#!/usr/bin/env bash
# Builds the Debian package: build/package/cloudretail_<version>_<arch>.deb (CPack; the
# layout and maintainer scripts are in deploy/debian/). Install it on Debian 12 with
#   apt-get install ./build/package/cloudretail_*.deb
# tests/package/fresh_install.sh checks that in a brand-new root.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# CPack finds the binary's library packages with dpkg-shlibdeps, which needs `file`.
if ! command -v file >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends file >/dev/null
fi
scripts/build.sh
rm -f build/package/cloudretail_*.deb
cpack --config build/CPackConfig.cmake -B build/package >/dev/null
ls build/package/cloudretail_*.deb
