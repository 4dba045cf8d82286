#!/usr/bin/env bash
# The sqlsmith end-to-end test for longer and with several seeds (not part of scripts/test.sh):
#   test/stress/sqlsmith.sh [MINUTES_PER_SEED] [SEED...]     default: 10 minutes, 3 random seeds
set -euo pipefail
minutes="${1:-10}"; shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=("$RANDOM" "$RANDOM" "$RANDOM")
for seed in "${seeds[@]}"; do
  echo "== seed $seed, $minutes min"
  SQLSMITH_SECONDS=$((minutes * 60)) SQLSMITH_SEED="$seed" \
    bash "$(dirname "${BASH_SOURCE[0]}")/../e2e/sqlsmith.sh"
done
