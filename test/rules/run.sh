#!/usr/bin/env bash
# Runs the rule fixtures (test/rules/<rule>/) against a throwaway cluster, one fresh database
# each (setup.sql, ANALYZE, after.sql), by one of the two readers of the same SQL and rules:
#   cli     `pg_advisor review --rule <rule> --format tsv` over libpq, on a cluster without the
#           extension;
#   server  `SELECT ... FROM advisor.findings WHERE rule = <rule>` on a cluster with pg_advisor
#           preloaded and created in each database (what setup.sql runs is captured too; a
#           fixture whose findings differ there has `expected.server`).
# Either must list exactly `expected`.
#
#   test/rules/run.sh [--server] [RULE...]      (default: every fixture, over the CLI)
# Environment: PGA_RULES_PORT (default 55470, 55471 with --server), PGA_RULES_CLUSTER
# (default rules_cli / rules_server), PGA_CLI (default build/pg_advisor).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$PGA_ROOT/test/e2e/e2e_lib.sh"

MODE=cli
[ "${1:-}" = --server ] && { MODE=server; shift; }
if [ $MODE = cli ]; then
  PORT="${PGA_RULES_PORT:-55470}"
  NAME="${PGA_RULES_CLUSTER:-rules_cli}"
else
  PORT="${PGA_RULES_PORT:-55471}"
  NAME="${PGA_RULES_CLUSTER:-rules_server}"
fi
CLI="${PGA_CLI:-$PGA_ROOT/build/pg_advisor}"
HOST="$(pga_cluster_host "$NAME")"
[ $MODE = server ] || [ -x "$CLI" ] || pga_die "no $CLI: build it first (cmake --build build)"

rules=("$@")
if [ ${#rules[@]} -eq 0 ]; then
  for d in "$PGA_ROOT"/test/rules/*/; do [ -d "$d" ] && rules+=("$(basename "$d")"); done
fi

if [ $MODE = cli ]; then
  pga_cluster_start "$NAME" "$PORT" >/dev/null
else
  pga_cluster_start "$NAME" "$PORT" "shared_preload_libraries = 'pg_advisor'" >/dev/null
fi

# The fixture's findings: "severity<TAB>object" lines, sorted.
findings() {
  local db="$1" rule="$2" user="$3" dir="$4"
  if [ $MODE = cli ]; then
    local args=(--rule "$rule" --format tsv) line
    if [ -f "$dir/settings" ]; then
      while IFS= read -r line; do [ -n "$line" ] && args+=(--set "$line"); done <"$dir/settings"
    fi
    "$CLI" review --dsn "host=$HOST port=$PORT dbname=$db user=$user" "${args[@]}" 2>&1 | cut -f2,3 | sort
  else
    local options="" line
    if [ -f "$dir/settings" ]; then
      while IFS= read -r line; do [ -n "$line" ] && options+=" -c pg_advisor.$line"; done <"$dir/settings"
    fi
    PGOPTIONS="$options" psql -X -qAt -h "$HOST" -p "$PORT" -U "$user" -d "$db" \
      -c "SELECT severity || E'\\t' || object FROM advisor.findings WHERE rule = '$rule'" 2>&1 | sort
  fi
}
trap 'pga_cluster_stop "$NAME"' EXIT

for rule in "${rules[@]}"; do
  dir="$PGA_ROOT/test/rules/$rule"
  [ -f "$dir/setup.sql" ] && [ -f "$dir/expected" ] || { expect_true "$rule: fixture has setup.sql and expected" false; continue; }
  db="fx_$rule"
  pga_psql "$NAME" "$PORT" -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  [ $MODE = server ] && pga_psql "$NAME" "$PORT" -q -d "$db" -c "CREATE EXTENSION pg_advisor" >/dev/null
  if ! out=$(pga_psql "$NAME" "$PORT" -q -d "$db" -f "$dir/setup.sql" -c "ANALYZE" 2>&1); then
    expect_true "$rule: setup.sql runs ($out)" false
    continue
  fi
  if [ -f "$dir/after.sql" ] && ! out=$(pga_psql "$NAME" "$PORT" -q -d "$db" -f "$dir/after.sql" 2>&1); then
    expect_true "$rule: after.sql runs ($out)" false
    continue
  fi
  user=postgres
  [ -f "$dir/reader" ] && user="$(tr -d '[:space:]' <"$dir/reader")"
  expected_file="$dir/expected"
  [ $MODE = server ] && [ -f "$dir/expected.server" ] && expected_file="$dir/expected.server"
  expect_eq "$rule: findings ($MODE)" "$(findings "$db" "$rule" "$user" "$dir")" "$(sort "$expected_file")"
  pga_psql "$NAME" "$PORT" -q -d postgres -c "DROP DATABASE $db" >/dev/null
done
finish
