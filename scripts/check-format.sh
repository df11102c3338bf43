#!/usr/bin/env bash
# Checks that every C++ file in the repository follows .clang-format (a ctest, so CI).
#   scripts/check-format.sh        lists the files that differ; fails if any does
#   scripts/check-format.sh --fix  rewrites them in place
set -euo pipefail
cd "$(dirname "$0")/.."
tool="$(command -v clang-format-14 || command -v clang-format || true)"
if [ -z "$tool" ]; then
  echo "check-format: clang-format is not installed (scripts/setup.sh --test installs it)" >&2
  exit 77  # ctest: skipped
fi
# The source folders (not build trees or node_modules); no git needed.
mapfile -t files < <(find apps libs services tests fuzz bench -name '*.cpp' -o -name '*.hpp' -not -path '*/node_modules/*' | sort)
if [ "${1:-}" = "--fix" ]; then
  "$tool" -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  "$tool" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'not formatted (run scripts/check-format.sh --fix):\n' >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files follow .clang-format"
