#!/usr/bin/env bash
# Runs the migration rule fixtures (test/ddl/<fixture>/: input.sql, optional setup.sql,
# expected, optional expected.offline) through the command line's front end, `pg_advisor lint
# --format json`, and compares `<line>:<column> <rule> <severity> <object>` lines, in output
# order, with the expected ones; a mismatch prints a diff. Prints "ok - ..." / "not ok - ..."
# per fixture and "N passed, N failed" last; exit status 0 when every fixture matched.
#
#   test/ddl/run_cli.sh [FIXTURE...]         offline (no database): expected.offline when the
#                                            fixture has one, else expected
#   test/ddl/run_cli.sh --dsn [FIXTURE...]   with --dsn on a plain cluster (no extension), one
#                                            fresh database per fixture (setup.sql, ANALYZE):
#                                            expected
#
# Environment: PGA_DDL_CLI_PORT (default 55611), PGA_DDL_CLI_CLUSTER (default ddl_cli),
# PGA_CLI (default build/pg_advisor).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

MODE=offline
[ "${1:-}" = --dsn ] && { MODE=dsn; shift; }
PORT="${PGA_DDL_CLI_PORT:-55611}"
NAME="${PGA_DDL_CLI_CLUSTER:-ddl_cli}"
CLI="${PGA_CLI:-$PGA_ROOT/build/pg_advisor}"
[ -x "$CLI" ] || pga_die "no $CLI: build it first (cmake --build build)"
PY=/usr/bin/python3

fixtures=("$@")
if [ ${#fixtures[@]} -eq 0 ]; then
  for d in "$PGA_ROOT"/test/ddl/*/; do [ -f "$d/input.sql" ] && fixtures+=("$(basename "$d")"); done
fi

WORK="$(mktemp -d)"
if [ $MODE = dsn ]; then
  trap 'pga_cluster_stop "$NAME"; rm -rf "$WORK"' EXIT
  pga_cluster_start "$NAME" "$PORT" >/dev/null
else
  trap 'rm -rf "$WORK"' EXIT
fi

# The fixture's findings as "<line>:<column> <rule> <severity> <object>" lines.
findings() {
  local dir="$1"; shift
  "$CLI" lint --format json "$@" "$dir/input.sql" >"$WORK/json" 2>"$WORK/stderr"
  local rc=$?
  [ $rc -le 1 ] || { cat "$WORK/stderr"; return 1; }
  "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print("%d:%d %s %s %s" % (f["line"], f["column"], f["rule"], f["severity"], f["object"]))
for e in d["parse_errors"]:
    print("%d:%d parse_error %s" % (e["line"], e["column"], e["message"]))
' "$WORK/json"
}

# Prepares the fixture's database (--dsn); prints the DSN.
prepare() {
  local fixture="$1" dir="$2" db
  db="ddl_$(echo "$fixture" | tr -c 'a-z0-9_\n' '_')"
  PGOPTIONS="-c client_min_messages=warning" pga_psql "$NAME" "$PORT" -q -d postgres \
    -c "DROP DATABASE IF EXISTS $db" \
    -c "CREATE DATABASE $db" >/dev/null || return 1
  if [ -f "$dir/setup.sql" ]; then
    pga_psql "$NAME" "$PORT" -q -d "$db" -f "$dir/setup.sql" >/dev/null 2>"$WORK/setup.err" ||
      { cat "$WORK/setup.err" >&2; return 1; }
  fi
  pga_psql "$NAME" "$PORT" -q -d "$db" -c "ANALYZE" >/dev/null || return 1
  echo "host=$(pga_cluster_host "$NAME") port=$PORT user=postgres dbname=$db"
}

passed=0
failed=0
for fixture in "${fixtures[@]}"; do
  dir="$PGA_ROOT/test/ddl/$fixture"
  expected="$dir/expected"
  [ $MODE = offline ] && [ -f "$dir/expected.offline" ] && expected="$dir/expected.offline"
  if [ ! -f "$dir/input.sql" ] || [ ! -f "$expected" ]; then
    echo "not ok - $fixture: no input.sql or $(basename "$expected")"
    failed=$((failed + 1))
    continue
  fi
  args=()
  if [ $MODE = dsn ]; then
    if ! dsn="$(prepare "$fixture" "$dir")"; then
      echo "not ok - $fixture: setup failed"
      failed=$((failed + 1))
      continue
    fi
    args=(--dsn "$dsn")
  fi
  if ! findings "$dir" "${args[@]}" >"$WORK/actual"; then
    echo "not ok - $fixture ($MODE): pg_advisor lint failed: $(cat "$WORK/actual")"
    failed=$((failed + 1))
  elif diff -u "$expected" "$WORK/actual" >"$WORK/diff"; then
    echo "ok - $fixture (cli $MODE)"
    passed=$((passed + 1))
  else
    echo "not ok - $fixture (cli $MODE): findings differ from $(basename "$expected")"
    sed 's/^/    /' "$WORK/diff"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
