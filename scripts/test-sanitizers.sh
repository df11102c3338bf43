#!/usr/bin/env bash
# The sanitizer stages scripts/test.sh runs after the normal suite (and so CI):
#   asan  the unit and integration suites under ASan + UBSan   (preset debug, build-asan)
#   fuzz  each libFuzzer target for CLOUDRETAIL_FUZZ_SECONDS    (same build, ctest -L fuzz)
#   tsan  the concurrency tests under ThreadSanitizer          (preset tsan, build-tsan)
# All three run by default; CLOUDRETAIL_SANITIZER_STAGES="fuzz" (say) picks some.
# CLOUDRETAIL_SKIP_SANITIZERS=1 skips them all. Each stage prints its wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CLOUDRETAIL_SKIP_SANITIZERS:-0}" = 1 ]; then
  echo "sanitizer stages skipped (CLOUDRETAIL_SKIP_SANITIZERS=1)"
  exit 0
fi
stages="${CLOUDRETAIL_SANITIZER_STAGES:-asan fuzz tsan}"
jobs="$(nproc)"
cache=()
if command -v ccache >/dev/null; then
  cache=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$PWD"  # cache hits across checkouts in other folders
fi

# The concurrency tests and what they need; nothing else is built with TSan.
tsan_targets=(unit_tests db_backend_tests notification_unit_tests commerce_unit_tests catalog_unit_tests)

stage() {
  local name="$1" start=$SECONDS
  shift
  echo "== sanitizer stage: $name"
  "$@"
  echo "== sanitizer stage $name: $((SECONDS - start)) s"
}

asan_configure() {
  cmake --preset debug "${cache[@]}" -DCLOUDRETAIL_FUZZ_SECONDS="${CLOUDRETAIL_FUZZ_SECONDS:-60}" >/dev/null
}
asan() {
  asan_configure
  cmake --build build-asan --parallel "$jobs"
  ctest --preset debug -j "$jobs"
}
fuzz() {
  asan_configure
  cmake --build build-asan --parallel "$jobs" --target cloudretail_fuzzers
  ctest --preset fuzz -j "$jobs"
}
tsan() {
  cmake --preset tsan "${cache[@]}" >/dev/null
  cmake --build build-tsan --parallel "$jobs" --target "${tsan_targets[@]}"
  ctest --preset tsan -j "$jobs"
}

for s in $stages; do
  case "$s" in
    asan) stage asan asan ;;
    fuzz) stage fuzz fuzz ;;
    tsan) stage tsan tsan ;;
    *) echo "test-sanitizers.sh: unknown stage $s" >&2; exit 2 ;;
  esac
done
