#!/usr/bin/env bash
# Concurrent capture from several clients and both protocols while other sessions read the
# views and reset: no count is lost, no error reaches a client, nothing deadlocks.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_concurrency
PORT=55435
HOST="$PGA_TMP/$NAME"
WORK="$(mktemp -d)"
trap 'pga_cluster_stop $NAME; rm -rf "$WORK"' EXIT

pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'" "pg_advisor.sample_rate = 0.2" \
  "pg_advisor.verify_query_ids = on"
q() { pga_psql $NAME $PORT -qAt -c "$1"; }
bench() { pgbench -h "$HOST" -p $PORT -U postgres -n "$@" postgres; }

q "CREATE EXTENSION pg_advisor"
q "CREATE TABLE ct (id int PRIMARY KEY, v int); INSERT INTO ct SELECT g, g FROM generate_series(1, 1000) g; ANALYZE ct"
printf '\\set id random(1, 1000)\nSELECT v FROM ct WHERE id = :id;\n' >"$WORK/simple.sql"
printf '\\set id random(1, 1000)\nSELECT v FROM ct WHERE id = :id AND v >= 0 /*controller='"'"'bench'"'"'*/;\n' >"$WORK/prepared.sql"
cat >"$WORK/reader.sql" <<'SQL'
SELECT count(*) FROM advisor.query_patterns;
SELECT count(*) FROM advisor.scan_shapes;
SELECT * FROM advisor.capture_info;
SQL
printf 'SELECT advisor.reset();\n' >"$WORK/reset.sql"
calls_of() { q "SELECT coalesce(sum(calls), 0) || '/' || coalesce(sum(rows), 0) FROM advisor.query_patterns WHERE query LIKE '$1'"; }

# 1. Four simple-protocol and two prepared clients, with readers, then exact totals.
q "SELECT advisor.reset()"
bench -M simple -c 4 -j 2 -t 2000 -f "$WORK/simple.sql" >"$WORK/a.log" 2>&1 & a=$!
bench -M prepared -c 2 -j 1 -t 2000 -f "$WORK/prepared.sql" >"$WORK/b.log" 2>&1 & b=$!
bench -M simple -c 1 -j 1 -T 5 -f "$WORK/reader.sql" >"$WORK/r.log" 2>&1 & r=$!
wait $a; ra=$?; wait $b; rb=$?; wait $r; rr=$?
expect_eq "simple-protocol clients succeeded" "$ra" 0
expect_eq "prepared clients succeeded" "$rb" 0
expect_eq "readers succeeded" "$rr" 0
expect_eq "8000 simple executions counted (calls/rows)" "$(calls_of 'SELECT v FROM ct WHERE id = $1')" "8000/8000"
expect_eq "4000 prepared executions counted (calls/rows)" "$(calls_of 'SELECT v FROM ct WHERE id = $1 AND v >= $2')" "4000/4000"
expect_eq "last tags kept" "$(q "SELECT tags->>'controller' FROM advisor.query_patterns WHERE query LIKE 'SELECT v FROM ct WHERE id = \$1 AND v%'")" bench
sampled=$(q "SELECT sum(sampled_calls) FROM advisor.query_patterns WHERE query LIKE 'SELECT v FROM ct%'")
expect_true "about a fifth of executions sampled ($sampled of 12000)" test "$sampled" -gt 1800 -a "$sampled" -lt 3000
shape_samples=$(q "SELECT sum(sampled_execs) FROM advisor.scan_shapes WHERE relation = 'ct'::regclass")
expect_eq "every sampled execution reached its shape" "$shape_samples" "$sampled"
expect_eq "no capture failures" "$(q "SELECT capture_failures FROM advisor.capture_info")" 0
expect_eq "every reused query id matched the server's jumble" \
  "$(q "SELECT query_id_mismatches FROM advisor.capture_info")" 0

# 2. The same load with a session resetting 200 times in between: no error, no deadlock. Once
#    the resets are over, with the load and the readers still running, a counted client's
#    executions are counted exactly (what runs after the last reset is never lost).
printf '\\set id random(1, 1000)\nSELECT v FROM ct WHERE id = :id AND v <> -1;\n' >"$WORK/counted.sql"
bench -M simple -c 3 -j 2 -T 15 -f "$WORK/simple.sql" >"$WORK/a2.log" 2>&1 & a=$!
bench -M prepared -c 1 -j 1 -T 15 -f "$WORK/prepared.sql" >"$WORK/b2.log" 2>&1 & b=$!
bench -M simple -c 1 -j 1 -t 200 -f "$WORK/reset.sql" >"$WORK/z.log" 2>&1 & z=$!
bench -M simple -c 1 -j 1 -T 15 -f "$WORK/reader.sql" >"$WORK/r2.log" 2>&1 & r=$!
rz=0; wait $z || rz=$?
running=$(jobs -rp | wc -l)
rc2=0; bench -M prepared -c 2 -j 2 -t 1000 -f "$WORK/counted.sql" >"$WORK/c2.log" 2>&1 || rc2=$?
still=$(jobs -rp | wc -l)
wait $a; ra=$?; wait $b; rb=$?; wait $r; rr=$?
expect_eq "workload under resets succeeded" "$ra$rb" 00
expect_eq "200 resets succeeded" "$rz" 0
expect_eq "readers under resets succeeded" "$rr" 0
expect_true "no client saw an error" sh -c "! grep -qi 'error' '$WORK/a2.log' '$WORK/b2.log' '$WORK/z.log' '$WORK/r2.log' '$WORK/c2.log'"
expect_eq "the load and the readers ran all through the counted phase" "$running/$still/$rc2" "3/3/0"
expect_eq "2000 executions after the last reset counted exactly, under load and readers" \
  "$(calls_of 'SELECT v FROM ct WHERE id = $1 AND v <> $2')" "2000/2000"

# 3. After the storm, counting is exact again.
q "SELECT advisor.reset()"
bench -M simple -c 2 -j 2 -t 500 -f "$WORK/simple.sql" >"$WORK/a3.log" 2>&1
expect_eq "exact after resets" "$(calls_of 'SELECT v FROM ct WHERE id = $1')" "1000/1000"
expect_true "server log has no pg_advisor failure" sh -c "! grep -q 'pg_advisor: .* failed' '$HOST/server.log'"

finish
