#!/usr/bin/env bash
# Installs what CloudRetail needs from Debian 12's packages (and, for the test tooling, the
# npm registry), only what is missing; safe to run again.
#   scripts/setup.sh          build and run the shop (what scripts/start.sh needs)
#   scripts/setup.sh --test   also what the whole test suite needs
#   scripts/setup.sh --bench  also what the benchmark needs (wrk, nginx)
set -euo pipefail
cd "$(dirname "$0")/.."

# Build and run: compiler, CMake, the libraries the binary links, and curl (start.sh
# waits for the server with it).
packages=(
  build-essential cmake ninja-build pkg-config ccache curl ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libjwt-dev libsodium-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev
  zlib1g-dev libspdlog-dev libfmt-dev libcli11-dev
)
want_promtool=0
npm_dirs=()  # folders with a package-lock.json whose tools the tests run
for arg in "$@"; do
  case "$arg" in
    --test)
      packages+=(libgtest-dev libgmock-dev python3 python3-aiosmtpd postgresql postgresql-client
                 openssl sqlite3 nginx procps chromium nodejs)
      packages+=(lintian file)  # tests/package: the Debian package (cpack, lintian)
      packages+=(clang libclang-rt-14-dev)  # sanitizer stages and libFuzzer (scripts/test-sanitizers.sh)
      packages+=(clang-format)  # scripts/check-format.sh (a ctest)
      want_promtool=1
      # The browser tests: Debian's Chromium driven by playwright-core (tests/browser).
      npm_dirs+=(tests/browser)
      npm_dirs+=(tests/openapi)  # redocly lint and the OpenAPI checks (issue 18)
      ;;
    --bench) packages+=(wrk nginx procps strace) ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

# Node.js may come from elsewhere (NodeSource's bundles npm): add Debian's only when absent.
if [ ${#npm_dirs[@]} -gt 0 ]; then
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# promtool checks deploy/prometheus/*.yml. Debian ships it only in the prometheus package,
# whose install starts a Prometheus server (init script); take the one binary out of it.
if [ "$want_promtool" = 1 ] && ! command -v promtool >/dev/null; then
  echo "setup: promtool from Debian's prometheus package"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  tmp=$(mktemp -d); chmod 0755 "$tmp"
  (cd "$tmp" && { apt-get download -qq prometheus 2>/dev/null || { $SUDO apt-get update -qq && apt-get download -qq prometheus; }; } &&
   dpkg-deb --fsys-tarfile prometheus_*.deb | tar -x ./usr/bin/promtool) &&
    $SUDO install -m 0755 "$tmp/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$tmp"
fi

# Debian's nodejs comes without npm (a nodejs built elsewhere may bring its own).
if [ ${#npm_dirs[@]} -gt 0 ] && ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; else SUDO=""; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

# npm packages are pinned by each folder's lockfile; `npm ci` runs only when the installed
# tree is missing or older than the lockfile.
for dir in "${npm_dirs[@]}"; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci in $dir"
    # The npm tools only drive tests: when the registry cannot be reached (no network, or
    # a TLS-intercepting proxy whose CA this machine lacks) the rest of the suite still
    # runs, and the tests needing them report themselves skipped, not passed.
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error); then
      rm -rf "$dir/node_modules"
      echo "setup: WARNING: npm ci failed in $dir; the tests that need it will be SKIPPED" >&2
    fi
  fi
done
