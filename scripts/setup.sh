#!/usr/bin/env bash
# Installs what CloudRetail needs from Debian 12's packages, only what is missing.
#   scripts/setup.sh          build and run
#   scripts/setup.sh --test   also what the test suite needs (PostgreSQL, aiosmtpd)
#   scripts/setup.sh --bench  also what the benchmark needs (wrk, nginx)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libjwt-dev libsodium-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev
)
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(libgtest-dev libgmock-dev python3 python3-aiosmtpd postgresql postgresql-client openssl sqlite3 curl nginx) ;;
    --bench) packages+=(wrk nginx procps) ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
