#!/usr/bin/env bash
# Runs the rule fixtures (test/rules/<rule>/) through the pg_advisor command line against a
# throwaway cluster without the extension: each fixture gets a fresh database, its setup.sql,
# ANALYZE, its after.sql if any, then `pg_advisor review --rule <rule> --format tsv` must list
# exactly `expected`.
#
#   test/rules/run_cli.sh [RULE...]      (default: every fixture)
# Environment: PGA_RULES_PORT (default 55470), PGA_RULES_CLUSTER (default rules_cli),
# PGA_CLI (default build/pg_advisor).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$PGA_ROOT/test/e2e/e2e_lib.sh"

PORT="${PGA_RULES_PORT:-55470}"
NAME="${PGA_RULES_CLUSTER:-rules_cli}"
CLI="${PGA_CLI:-$PGA_ROOT/build/pg_advisor}"
HOST="$(pga_cluster_host "$NAME")"
[ -x "$CLI" ] || pga_die "no $CLI: build it first (cmake --build build)"

rules=("$@")
if [ ${#rules[@]} -eq 0 ]; then
  for d in "$PGA_ROOT"/test/rules/*/; do [ -d "$d" ] && rules+=("$(basename "$d")"); done
fi

pga_cluster_start "$NAME" "$PORT" >/dev/null
trap 'pga_cluster_stop "$NAME"' EXIT

for rule in "${rules[@]}"; do
  dir="$PGA_ROOT/test/rules/$rule"
  [ -f "$dir/setup.sql" ] && [ -f "$dir/expected" ] || { expect_true "$rule: fixture has setup.sql and expected" false; continue; }
  db="fx_$rule"
  pga_psql "$NAME" "$PORT" -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  if ! out=$(pga_psql "$NAME" "$PORT" -q -d "$db" -f "$dir/setup.sql" -c "ANALYZE" 2>&1); then
    expect_true "$rule: setup.sql runs ($out)" false
    continue
  fi
  if [ -f "$dir/after.sql" ] && ! out=$(pga_psql "$NAME" "$PORT" -q -d "$db" -f "$dir/after.sql" 2>&1); then
    expect_true "$rule: after.sql runs ($out)" false
    continue
  fi
  args=(--rule "$rule" --format tsv)
  if [ -f "$dir/settings" ]; then
    while IFS= read -r line; do [ -n "$line" ] && args+=(--set "$line"); done <"$dir/settings"
  fi
  user=postgres
  [ -f "$dir/reader" ] && user="$(tr -d '[:space:]' <"$dir/reader")"
  actual=$("$CLI" review --dsn "host=$HOST port=$PORT dbname=$db user=$user" "${args[@]}" 2>&1 | cut -f2,3 | sort)
  expected=$(sort "$dir/expected")
  expect_eq "$rule: findings over libpq" "$actual" "$expected"
  pga_psql "$NAME" "$PORT" -q -d postgres -c "DROP DATABASE $db" >/dev/null
done
finish
