#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time: run_fuzz.sh TARGET SEEDS WORKDIR SECONDS.
# New inputs go to WORKDIR/corpus (the seeds in the repo stay as they are); a
# finding is written to WORKDIR as crash-*/leak-*/timeout-* and fails the run.
set -euo pipefail
target="$1" seeds="$2" work="$3" seconds="$4"
mkdir -p "$work/corpus"
cd "$work"
exec "$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" corpus "$seeds"
