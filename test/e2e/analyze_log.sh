#!/usr/bin/env bash
# pg_advisor analyze-log end to end: a workload (psycopg2 simple protocol, asyncpg extended
# protocol, SQLAlchemy lazy loading, a write loop, a trace-id fanned out over three pooled
# connections) runs against a preloaded cluster logging every statement to stderr, csvlog and
# jsonlog. analyze-log on each captured log must give the findings advisor.n_plus_one gave
# (kind, parent and child pattern, child relation, occurrences), plus the fan-out the
# per-backend extension cannot see; gzip input, malformed lines and a custom --prefix too.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=e2e_analyze_log
PORT=55620
NAME2=e2e_analyze_log_prefix
PORT2=55621
PY=/usr/bin/python3
CLI="$PGA_ROOT/build/pg_advisor"
OUT="$PGA_TMP/analyze_log_out"

pga_ensure_packages python3 python3-psycopg2 python3-asyncpg python3-sqlalchemy
[ -x "$CLI" ] || pga_die "build the CLI first ($CLI)"
cleanup() { pga_cluster_stop $NAME; pga_cluster_stop $NAME2; }
trap cleanup EXIT

LOG_SETTINGS=("shared_preload_libraries = 'pg_advisor'" "log_statement = 'all'"
  "logging_collector = on" "log_directory = 'log'" "log_filename = 'pg.log'"
  "log_min_messages = warning" "log_min_error_statement = error")
pga_cluster_start $NAME $PORT "${LOG_SETTINGS[@]}" "log_destination = 'stderr,csvlog,jsonlog'" \
  "log_line_prefix = '%m [%p] %q%u@%d '"
LOGDIR="$PGA_TMP/$NAME/data/log"
q() { pga_psql $NAME $PORT -qAt "$@"; }
q -c "CREATE DATABASE shop"
q -d shop -c "CREATE EXTENSION pg_advisor" -c "ALTER DATABASE shop SET pg_advisor.idle_gap_ms = 5000"

export PGHOST="$PGA_TMP/$NAME" PGPORT=$PORT PGUSER=postgres PYTHONDONTWRITEBYTECODE=1
rc=0
timeout 120 "$PY" "$HERE/analyze_log/workload.py" shop || rc=$?
expect_eq "the workload ran" "$rc" 0

EXT_QUERY="SELECT kind || '|' || coalesce(regexp_replace(parent_query, '\s+', ' ', 'g'), '') || '|' ||
  regexp_replace(child_query, '\s+', ' ', 'g') || '|' || coalesce(child_relation::text, '') || '|' ||
  occurrences FROM advisor.n_plus_one"
rm -rf "$OUT"; mkdir -p "$OUT"
q -d shop -c "$EXT_QUERY" | LC_ALL=C sort >"$OUT/ext"
sleep 1  # the logging collector writes asynchronously
pga_as_root cp "$LOGDIR/pg.log" "$LOGDIR/pg.csv" "$LOGDIR/pg.json" "$OUT/"
pga_as_root chmod 644 "$OUT"/pg.*
echo "# the extension's findings:"; sed 's/^/#   /' "$OUT/ext"
expect_true "the extension found loops on the workload" test "$(wc -l <"$OUT/ext")" -ge 4

analyze() { "$CLI" analyze-log --format json --idle-gap-ms 5000 "$@"; }
for f in pg.log pg.csv pg.json; do
  analyze "$OUT/$f" >"$OUT/$f.out.json"
  "$PY" "$HERE/analyze_log/findings.py" shop <"$OUT/$f.out.json" | grep -v '^n_plus_one|.*|profiles|' |
    LC_ALL=C sort >"$OUT/$f.findings"
  echo "# analyze-log on $f:"; sed 's/^/#   /' "$OUT/$f.findings"
  expect_eq "analyze-log on $f gives the extension's findings" "$(cat "$OUT/$f.findings")" "$(cat "$OUT/ext")"
  expect_eq "analyze-log on $f finds the cross-connection fan-out as one trace" \
    "$("$PY" "$HERE/analyze_log/findings.py" shop --scope <"$OUT/$f.out.json" | grep '|profiles|')" \
    "n_plus_one|profiles|trace|6"
done
expect_eq "the extension (per backend) does not see the fan-out" \
  "$(q -d shop -c "SELECT count(*) FROM advisor.n_plus_one WHERE child_relation = 'profiles'::regclass")" 0
for f in pg.csv pg.json; do
  expect_eq "$f counts the statements and sessions of the stderr log" \
    "$("$PY" "$HERE/analyze_log/findings.py" shop --counts <"$OUT/$f.out.json")" \
    "$("$PY" "$HERE/analyze_log/findings.py" shop --counts <"$OUT/pg.log.out.json")"
done

# gzip: the same output as the plain file.
gzip -c "$OUT/pg.log" >"$OUT/pg.log.gz"
expect_eq "a gzip log gives the same output" "$(analyze "$OUT/pg.log.gz")" "$(cat "$OUT/pg.log.out.json")"

# Malformed lines are counted and skipped.
base=$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["skipped_lines"])' <"$OUT/pg.log.out.json")
awk 'NR == 20 { print "garbage line"; print "\x01\x02 binary"; print "2026-99-99 not a prefix" } { print }' \
  "$OUT/pg.log" >"$OUT/bad.log"
analyze "$OUT/bad.log" >"$OUT/bad.out.json"
expect_eq "three malformed lines are counted" \
  "$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["skipped_lines"])' <"$OUT/bad.out.json")" $((base + 3))
expect_eq "malformed lines change no finding" \
  "$("$PY" "$HERE/analyze_log/findings.py" shop <"$OUT/bad.out.json")" \
  "$("$PY" "$HERE/analyze_log/findings.py" shop <"$OUT/pg.log.out.json")"

# Text and markdown.
"$CLI" analyze-log --idle-gap-ms 5000 "$OUT/pg.log" >"$OUT/text.out"
expect_true "text output names the fan-out" grep -q "^n_plus_one on profiles: 1 occurrence(s), 6 executions, up to 6 in one trace" "$OUT/text.out"
"$CLI" analyze-log --format markdown --idle-gap-ms 5000 "$OUT/pg.log" >"$OUT/md.out"
expect_true "markdown output has the findings table" grep -q "^| bulk_write_loop | reviews | " "$OUT/md.out"

# A custom log_line_prefix (not detected by itself, read with --prefix), and statements logged
# by log_min_duration_statement = 0 rather than log_statement (durations; parse, bind and
# execute lines of the extended protocol).
PREFIX='%n|%c|%u@%d|%a: '
pga_cluster_start $NAME2 $PORT2 "${LOG_SETTINGS[@]}" "log_destination = 'stderr'" \
  "log_line_prefix = '$PREFIX'" "log_statement = 'none'" "log_min_duration_statement = 0"
q2() { pga_psql $NAME2 $PORT2 -qAt "$@"; }
q2 -c "CREATE DATABASE shop"
q2 -d shop -c "CREATE EXTENSION pg_advisor" -c "ALTER DATABASE shop SET pg_advisor.idle_gap_ms = 5000"
export PGHOST="$PGA_TMP/$NAME2" PGPORT=$PORT2
rc=0
timeout 120 "$PY" "$HERE/analyze_log/workload.py" shop setup psycopg2 writes asyncpg || rc=$?
expect_eq "the workload ran on the custom-prefix cluster" "$rc" 0
q2 -d shop -c "$EXT_QUERY" | LC_ALL=C sort >"$OUT/ext2"
sleep 1
pga_as_root cp "$PGA_TMP/$NAME2/data/log/pg.log" "$OUT/custom.log"
pga_as_root chmod 644 "$OUT/custom.log"
analyze "$OUT/custom.log" >"$OUT/custom.noprefix.json"
expect_eq "without --prefix the custom prefix gives no finding" \
  "$("$PY" "$HERE/analyze_log/findings.py" shop <"$OUT/custom.noprefix.json")" ""
expect_eq "without --prefix every line is skipped" \
  "$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["skipped_lines"])' <"$OUT/custom.noprefix.json")" \
  "$(wc -l <"$OUT/custom.log")"
analyze --prefix "$PREFIX" "$OUT/custom.log" >"$OUT/custom.json"
expect_eq "with --prefix the findings are the extension's" \
  "$("$PY" "$HERE/analyze_log/findings.py" shop <"$OUT/custom.json")" "$(cat "$OUT/ext2")"
expect_true "the log has parse and bind lines" grep -q "duration: .* ms  bind " "$OUT/custom.log"
expect_true "child_total_ms comes from the durations" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if all(f["child_total_ms"] > 0 for f in d["findings"]) and d["findings"] else 1)' "$OUT/custom.json"
expect_eq "with --prefix no line is skipped" \
  "$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["skipped_lines"])' <"$OUT/custom.json")" 0
rc=0
"$CLI" analyze-log --prefix '%z' "$OUT/custom.log" >/dev/null 2>&1 || rc=$?
expect_eq "a malformed --prefix is a usage error" "$rc" 2
finish
