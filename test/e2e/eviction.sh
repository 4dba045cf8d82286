#!/usr/bin/env bash
# Shared memory stays bounded: with pg_advisor.max_patterns = 100, a flood of distinct and
# long statements evicts the least used patterns (never an error), and a hot pattern survives.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_eviction
PORT=55436
WORK="$(mktemp -d)"
trap 'pga_cluster_stop $NAME; rm -rf "$WORK"' EXIT

pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'" "pg_advisor.max_patterns = 100" \
  "pg_advisor.max_findings = 50"
q() { pga_psql $NAME $PORT -qAt -c "$1"; }

q "CREATE EXTENSION pg_advisor"
q "CREATE TABLE ev (id int PRIMARY KEY, c0 int, c1 int, c2 int, c3 int, c4 int, c5 int, c6 int, c7 int, c8 int, c9 int)"
q "SELECT advisor.reset()"
for _ in $(seq 1 300); do echo "SELECT id FROM ev WHERE c9 = 1;"; done >"$WORK/hot.sql"
pga_psql $NAME $PORT -q -f "$WORK/hot.sql" >/dev/null

# 1023 distinct target lists (every non-empty subset of c0..c9) = 1023 query ids, and 200 long
# statements (IN lists of 1000+ constants: one query id per length before PostgreSQL 18).
/usr/bin/python3 - "$WORK/flood.sql" <<'PY'
import sys
cols = [f"c{i}" for i in range(10)]
with open(sys.argv[1], "w") as f:
    for mask in range(1, 1 << 10):
        sel = ", ".join(c for i, c in enumerate(cols) if mask & (1 << i))
        f.write(f"SELECT {sel} FROM ev WHERE id = {mask};\n")
    for n in range(1000, 1200):
        f.write("SELECT id FROM ev WHERE id IN (" + ", ".join(str(i) for i in range(n)) + ");\n")
PY
expect_true "flood of 1223 distinct statements ran without error" \
  pga_psql $NAME $PORT -q -f "$WORK/flood.sql" -o /dev/null

info=$(q "SELECT patterns, pattern_evictions > 0, patterns_rejected, capture_failures, scan_shapes <= 100, shape_evictions > 0, text_bytes_used <= text_bytes_total FROM advisor.capture_info")
IFS='|' read -r patterns evicted rejected failures shapes_ok shapes_evicted text_ok <<<"$info"
expect_true "at most 100 patterns kept ($patterns)" test "$patterns" -le 100
expect_eq "least used patterns were evicted" "$evicted" t
expect_eq "no pattern rejected" "$rejected" 0
expect_eq "no capture failure" "$failures" 0
expect_eq "at most 100 shapes kept" "$shapes_ok" t
expect_eq "shapes were evicted too" "$shapes_evicted" t
expect_eq "texts within their arena" "$text_ok" t
expect_eq "the hot pattern survived with its count" \
  "$(q "SELECT calls FROM advisor.query_patterns WHERE query = 'SELECT id FROM ev WHERE c9 = \$1'")" 300
# Each long text kept is the whole normalised statement: as many \$n as its constants, in order,
# up to the closing parenthesis (not a prefix cut at some length).
long=$(q "SELECT count(*) || '/' || count(*) FILTER (WHERE query = 'SELECT id FROM ev WHERE id IN ('
                 || (SELECT string_agg('\$' || i, ', ') FROM generate_series(1, n) i) || ')')
          FROM (SELECT query, length(query) - length(replace(query, '\$', '')) AS n
                  FROM advisor.query_patterns
                 WHERE query LIKE 'SELECT id FROM ev WHERE id IN%' AND octet_length(query) > 6000) s")
expect_true "recent long texts are kept ($long)" test "${long%/*}" -gt 0
expect_eq "every long text kept is whole" "${long#*/}" "${long%/*}"
expect_eq "server still answers" "$(q "SELECT count(*) FROM ev")" 0

# A flood far larger than the store: 20,000 one-off statements after a pattern with 3,000
# calls. Newcomers never start above one call's worth of usage and usage decays at most once
# a second, so the hot pattern stays (pg_stat_statements' median start lets such a flood
# ratchet new entries above it).
q "SELECT advisor.reset()"
for _ in $(seq 1 3000); do echo "SELECT id FROM ev WHERE c8 = 1;"; done >"$WORK/hot3000.sql"
pga_psql $NAME $PORT -q -f "$WORK/hot3000.sql" >/dev/null
/usr/bin/python3 - "$WORK/flood20k.sql" <<'PY'
import sys
ops = ["=", "<", ">", "<=", ">=", "<>"]
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        # a distinct query id each: i in base 6 picks the operator on each of six columns
        conds, n = [], i
        for c in range(6):
            conds.append(f"c{c} {ops[n % 6]} 1")
            n //= 6
        f.write("SELECT id FROM ev WHERE " + " AND ".join(conds) + ";\n")
PY
expect_true "flood of 20,000 distinct statements ran without error" \
  pga_psql $NAME $PORT -q -f "$WORK/flood20k.sql" -o /dev/null
expect_true "the flood evicted thousands of patterns ($(q "SELECT pattern_evictions FROM advisor.capture_info"))" \
  test "$(q "SELECT pattern_evictions FROM advisor.capture_info")" -gt 19000
expect_eq "the hot pattern survived the flood with its count" \
  "$(q "SELECT calls FROM advisor.query_patterns WHERE query = 'SELECT id FROM ev WHERE c8 = \$1'")" 3000

# Findings are bounded too: 200 distinct N+1 loops (one per request) into 50 slots.
q "SELECT advisor.reset()"
q "INSERT INTO ev (id) SELECT g FROM generate_series(1, 20) g"
/usr/bin/python3 - "$WORK/loops.sql" <<'PY'
import sys
cols = [f"c{i}" for i in range(10)]
with open(sys.argv[1], "w") as f:
    f.write("SET pg_advisor.idle_gap_ms = 60000;\n")
    for loop in range(200):
        mask = loop + 1
        sel = ", ".join(c for i, c in enumerate(cols) if mask & (1 << i))
        tag = f"/*request_id='r{loop}'*/"
        f.write(f"SELECT id FROM ev ORDER BY id {tag};\n")
        for k in range(1, 6):
            f.write(f"SELECT {sel} FROM ev WHERE id = {k} {tag};\n")
PY
expect_true "200 N+1 loops ran without error" pga_psql $NAME $PORT -q -f "$WORK/loops.sql" -o /dev/null
findings=$(q "SELECT loop_findings || '|' || (finding_evictions > 0) || '|' || capture_failures FROM advisor.capture_info")
IFS='|' read -r nfindings fevicted ffailures <<<"$findings"
expect_true "at most 50 findings kept ($nfindings)" test "$nfindings" -le 50 -a "$nfindings" -gt 0
expect_eq "old findings were evicted" "$fevicted" true
expect_eq "no capture failure while evicting findings" "$ffailures" 0
expect_eq "the view lists what is kept" "$(q "SELECT count(*) FROM advisor.n_plus_one WHERE kind = 'n_plus_one'")" "$nfindings"

finish
