#!/usr/bin/env bash
# Index advisor benchmark: a captured workload of 1,000 distinct statements over 100 tables,
# then advisor.index_recommendations, cold (new session: nothing cached) and warm (the same
# session again: what-if costs cached). Reports elapsed time, planner calls, cache hits and
# what was recommended. Target: the cold run under 2 s on the 2-core development machine.
#
# Usage: test/bench/index_advisor_bench.sh   (OUT=file to choose the report path)
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

NAME=bench_index_advisor
PORT=55464
TABLES=${TABLES:-100}
ROWS=${ROWS:-20000}
OUT=${OUT:-$PGA_ROOT/test/bench/results/index-advisor-$(date -u +%Y-%m-%d).md}
trap "${KEEP:+:} pga_cluster_stop $NAME" EXIT

pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'" "autovacuum = off" \
  "pg_advisor.max_patterns = 5000"
q() { pga_psql $NAME $PORT -qAt "$@"; }

pga_log "creating $TABLES tables of $ROWS rows"
{
  echo "CREATE EXTENSION pg_advisor;"
  for i in $(seq 0 $((TABLES - 1))); do
    t=$(printf "bt%03d" "$i")
    echo "CREATE TABLE $t (id bigint PRIMARY KEY, a int NOT NULL, b int NOT NULL, c text NOT NULL,
            d timestamptz NOT NULL, e int NOT NULL, f text);
          INSERT INTO $t SELECT g, g % 300, g % 50, 'v' || (g % 1000),
            timestamptz '2024-01-01' + g * interval '1 minute', g % 7, md5(g::text)
          FROM generate_series(1, $ROWS) g;"
  done
} | q >/dev/null
q -c "VACUUM ANALYZE" >/dev/null

pga_log "capturing 10 statement shapes per table"
{
  echo "SELECT advisor.reset();"
  for i in $(seq 0 $((TABLES - 1))); do
    t=$(printf "bt%03d" "$i"); u=$(printf "bt%03d" $(((i + 1) % TABLES)))
    echo "SELECT * FROM $t WHERE a = 7;
          SELECT * FROM $t WHERE b = 3 AND a = 53;
          SELECT count(*) FROM $t WHERE d >= '2024-01-01 10:00' AND d < '2024-01-01 11:00';
          SELECT * FROM $t WHERE a = 11 ORDER BY d DESC LIMIT 10;
          SELECT a, e FROM $t WHERE a = 13;
          SELECT * FROM $t WHERE lower(c) = 'v17';
          SELECT * FROM $t WHERE c LIKE 'v12%';
          SELECT * FROM $t WHERE b IN (1, 2, 3) AND e = 4;
          UPDATE $t SET e = e WHERE a = 19;
          SELECT x.id, y.f FROM $t x JOIN $u y ON y.a = x.b WHERE x.id = 5;"
  done
} | q >/dev/null

distinct=$(q -c "SELECT count(*) FROM advisor.query_patterns WHERE query ~ 'bt[0-9]{3}'")
pga_log "captured $distinct distinct statements"

# Cold and warm runs in one session; the time is measured by the server around the query.
run=$(q <<'SQL'
\o /dev/null
SELECT count(*) FROM advisor.index_recommendations;
\o
SELECT format('cold|%s|%s|%s|%s|%s|%s|%s', statements, tables, candidates, planner_calls,
              round(elapsed_ms::numeric, 1), key_samples, round(key_sample_ms::numeric, 1))
  FROM advisor.index_advice_stats();
\o /dev/null
SELECT count(*) FROM advisor.index_recommendations;
\o
SELECT format('warm|%s|%s|%s|%s|%s|%s', statements, tables, candidates, planner_calls, cache_hits,
              round(elapsed_ms::numeric, 1))
  FROM advisor.index_advice_stats();
SELECT format('recommended|%s|%s', count(*), count(DISTINCT relation)) FROM advisor.index_recommendations;
SQL
)
echo "$run"
# Wall-clock time of the cold run as the client sees it, in a fresh session.
start=$(date +%s%N)
q -c "SELECT count(*) FROM advisor.index_recommendations" >/dev/null
wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))
by_rule=$(q -c "SELECT string_agg(rule || ': ' || n, ', ' ORDER BY n DESC) FROM (SELECT rule, count(*) n FROM advisor.index_recommendations GROUP BY rule) r")

IFS='|' read -r _ c_statements c_tables c_candidates c_calls c_ms c_samples c_sample_ms <<<"$(echo "$run" | grep '^cold|')"
IFS='|' read -r _ w_statements w_tables w_candidates w_calls w_hits w_ms <<<"$(echo "$run" | grep '^warm|')"
IFS='|' read -r _ n_rec n_rel <<<"$(echo "$run" | grep '^recommended|')"

mkdir -p "$(dirname "$OUT")"
{
  echo "# pg_advisor index advisor benchmark"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: nproc = $(nproc)"
  echo "- Workload: $TABLES tables x $ROWS rows, 10 statement shapes per table, $distinct distinct captured statements"
  echo
  echo "| run | statements | tables | candidates | planner calls | cache hits | elapsed ms (server) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  echo "| cold (new session) | $c_statements | $c_tables | $c_candidates | $c_calls | 0 | $c_ms |"
  echo "| warm (same session) | $w_statements | $w_tables | $w_candidates | $w_calls | $w_hits | $w_ms |"
  echo
  echo "- Cold run as the client sees it (connect + query, fresh session): $wall_ms ms"
  echo "- Table samples for the size of multi-column and partial indexes (cold run): $c_samples, $c_sample_ms ms"
  echo "- Recommended: $n_rec indexes on $n_rel tables ($by_rule)"
} >"$OUT"
cat "$OUT"
