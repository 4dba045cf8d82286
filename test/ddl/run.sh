#!/usr/bin/env bash
# Runs the migration rule fixtures (test/ddl/<rule>/: input.sql, optional setup.sql, expected)
# through one front end and compares `<line>:<column> <rule> <severity> <object>` lines, in
# output order, with `expected`; a mismatch prints a diff. Exit status: 0 when every fixture
# matched, 1 otherwise.
#
#   test/ddl/run.sh --server [RULE...]   advisor.lint_ddl on a cluster with pg_advisor preloaded,
#                                        one fresh database per fixture (setup.sql, then CREATE
#                                        EXTENSION)
#   test/ddl/run.sh --cli [RULE...]      `pg_advisor lint --format json --dsn ... input.sql` on a
#                                        cluster without the extension (setup.sql only); findings
#                                        and parse errors merged in position order
#
# Environment: PGA_DDL_PORT (default 55600), PGA_DDL_CLUSTER (default ddl_server / ddl_cli),
# PGA_CLI (default build/pg_advisor).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

MODE=
case "${1:-}" in
  --server) MODE=server; shift ;;
  --cli) MODE=cli; shift ;;
  *) pga_die "usage: test/ddl/run.sh --server|--cli [RULE...]" ;;
esac
PORT="${PGA_DDL_PORT:-55600}"
NAME="${PGA_DDL_CLUSTER:-ddl_$MODE}"

fixtures=("$@")
if [ ${#fixtures[@]} -eq 0 ]; then
  for d in "$PGA_ROOT"/test/ddl/*/; do [ -f "$d/input.sql" ] && fixtures+=("$(basename "$d")"); done
fi

# --- front ends: start_<mode>, prepare_<mode> DB DIR, findings_<mode> DB DIR ----------------

start_server() {
  pga_cluster_start "$NAME" "$PORT" "shared_preload_libraries = 'pg_advisor'" >/dev/null
}

prepare_server() {
  local db="$1" dir="$2"
  if [ -f "$dir/setup.sql" ]; then
    pga_psql "$NAME" "$PORT" -q -d "$db" -f "$dir/setup.sql" >/dev/null 2>"$WORK/setup.err" ||
      { cat "$WORK/setup.err"; return 1; }
  fi
  pga_psql "$NAME" "$PORT" -q -d "$db" -c "CREATE EXTENSION pg_advisor" >/dev/null
}

findings_server() {
  local db="$1" dir="$2"
  pga_psql "$NAME" "$PORT" -qAt -d "$db" -v input="$(cat "$dir/input.sql")" <<'SQL'
SELECT format('%s:%s %s %s %s', line, "column", rule, severity, object)
  FROM advisor.lint_ddl(:'input');
SQL
}

CLI="${PGA_CLI:-$PGA_ROOT/build/pg_advisor}"

start_cli() {
  [ -x "$CLI" ] || pga_die "no $CLI: build it first (cmake --build build)"
  pga_cluster_start "$NAME" "$PORT" >/dev/null
}

prepare_cli() {
  local db="$1" dir="$2"
  [ -f "$dir/setup.sql" ] || return 0
  pga_psql "$NAME" "$PORT" -q -d "$db" -f "$dir/setup.sql" >/dev/null 2>"$WORK/setup.err" ||
    { cat "$WORK/setup.err"; return 1; }
}

# The JSON report as the server's lines: findings and parse errors by position (stable).
findings_cli() {
  local db="$1" dir="$2"
  "$CLI" lint --format json --dsn "host=$(pga_cluster_host "$NAME") port=$PORT dbname=$db user=postgres" \
    "$dir/input.sql" >"$WORK/lint.json" 2>"$WORK/lint.err"
  [ $? -le 1 ] || { cat "$WORK/lint.err"; return 1; }
  python3 - "$WORK/lint.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
rows = [(f["line"], f["column"], "%s %s %s" % (f["rule"], f["severity"], f.get("object", "")))
        for f in report.get("findings", [])]
rows += [(e["line"], e["column"], "parse_error error ") for e in report.get("parse_errors", [])]
for line, column, rest in sorted(rows, key=lambda r: (r[0], r[1])):
    print("%s:%s %s" % (line, column, rest))
PY
}

# --- the fixtures ------------------------------------------------------------------------

WORK="$(mktemp -d)"
trap 'pga_cluster_stop "$NAME"; rm -rf "$WORK"' EXIT
"start_$MODE"

passed=0
failed=0
for fixture in "${fixtures[@]}"; do
  dir="$PGA_ROOT/test/ddl/$fixture"
  if [ ! -f "$dir/input.sql" ] || [ ! -f "$dir/expected" ]; then
    echo "not ok - $fixture: no input.sql or expected"
    failed=$((failed + 1))
    continue
  fi
  db="ddl_$(echo "$fixture" | tr -c 'a-z0-9_\n' '_')"
  pga_psql "$NAME" "$PORT" -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
  if ! "prepare_$MODE" "$db" "$dir"; then
    echo "not ok - $fixture: setup failed"
    failed=$((failed + 1))
    continue
  fi
  "findings_$MODE" "$db" "$dir" >"$WORK/actual" 2>&1
  if diff -u "$dir/expected" "$WORK/actual" >"$WORK/diff"; then
    echo "ok - $fixture ($MODE)"
    passed=$((passed + 1))
  else
    echo "not ok - $fixture ($MODE)"
    sed 's/^/    /' "$WORK/diff"
    failed=$((failed + 1))
  fi
  pga_psql "$NAME" "$PORT" -q -d postgres -c "DROP DATABASE $db" >/dev/null
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
