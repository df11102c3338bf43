#!/usr/bin/env bash
# The layers, checked on the sources (CMake enforces the include rule at compile
# time too: services/service_layers.cmake). Fails, naming file and line, when
#   1. a file under libs/ includes anything from services/;
#   2. a service includes a peer's header other than its client headers (those
#      CMake puts in <layers dir>/<peer>/client: <peer>_client.hpp, _codec.hpp,
#      _http_client.hpp and what they include), or reaches out of its folder with "../";
#   3. a service's CMakeLists links a peer's library rather than its *_client target.
# (getenv outside Config: tests/unit/settings_only_in_config.sh.)
# Usage: layers_test.sh <source dir> <layers dir (build/layers)>
set -uo pipefail
root="$1"
layers="$2"
cd "$root" || exit 2
[ -d "$layers" ] || { echo "layers: no $layers (configure first)"; exit 2; }
failures=0
fail() { echo "layers: $*"; failures=$((failures + 1)); }

services=$(find services -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
sources() { find "$@" -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) | sort; }

# 0. A library never shares a service's name, so "x/y.hpp" means one thing.
for s in $services; do
  [ -d "libs/$s" ] && fail "libs/$s has the name of services/$s"
done

# 1. libs/ never includes a service.
for s in $services; do
  while IFS= read -r hit; do
    fail "$hit (libs/ must not include services/)"
  done < <(grep -HnE "^\s*#\s*include\s*\"$s/" $(sources libs) /dev/null)
done
while IFS= read -r hit; do fail "$hit (libs/ must not include services/)"; done \
  < <(grep -HnE '^\s*#\s*include\s*"[^"]*services/' $(sources libs) /dev/null)

# 2. A service includes of a peer only its client headers.
for s in $services; do
  while IFS= read -r hit; do
    header=$(sed -E 's/.*#include *"([^"]+)".*/\1/' <<<"${hit#*:*:}")
    case "$header" in
      ../*|*/../*) fail "$hit (a service includes only its own folder and its peers' clients)"; continue ;;
    esac
    peer=${header%%/*}
    [ "$header" = "$peer" ] && continue          # no folder: its own (or a library's) header
    [ "$peer" = "$s" ] && continue
    [ -d "services/$peer" ] || continue          # core/, http/, db/, ... (libs/)
    [ -e "$layers/$peer/client/$header" ] && continue
    fail "$hit (only $peer's client headers are for its peers)"
  done < <(grep -HnE '^\s*#\s*include\s*"' $(sources "services/$s") /dev/null)
done

# 3. A service links of a peer only its *_client target.
for s in $services; do
  [ -f "services/$s/CMakeLists.txt" ] || continue
  for peer in $services; do
    [ "$peer" = "$s" ] && continue
    while IFS= read -r hit; do
      fail "services/$s/CMakeLists.txt:$hit (link cloudretail::${peer}_client, not the service)"
    done < <(grep -nE "cloudretail(::|_)$peer([^_a-z]|\$)" "services/$s/CMakeLists.txt")
  done
done

if [ "$failures" -gt 0 ]; then
  echo "layers: $failures violation(s)"
  exit 1
fi
echo "layers: ok"
