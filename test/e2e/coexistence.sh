#!/usr/bin/env bash
# pg_advisor next to pg_stat_statements, in both orders of shared_preload_libraries: both count
# every execution, and pg_stat_statements still gets its buffer counts (the two share the
# executor's query-level instrumentation, which pg_advisor alone allocates with time only).
# Alone, pg_advisor computes query ids itself (query_ids = cached) or lets the server jumble
# every statement (query_ids = core): the same counts either way.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_coexistence
PORT=55439
trap 'pga_cluster_stop $NAME' EXIT
q() { pga_psql $NAME $PORT -qAt -c "$1"; }

for order in "pg_advisor, pg_stat_statements" "pg_stat_statements, pg_advisor" "pg_advisor" \
  "pg_advisor (query_ids = core)"; do
  libs=${order% (*}
  mode=cached
  [[ "$order" == *core* ]] && mode=core
  pga_cluster_start $NAME $PORT "shared_preload_libraries = '$libs'" "pg_advisor.query_ids = $mode"
  q "CREATE EXTENSION IF NOT EXISTS pg_advisor"
  [[ "$order" == *pg_stat_statements* ]] && q "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
  q "DROP TABLE IF EXISTS co; CREATE TABLE co (id int PRIMARY KEY, v int);
     INSERT INTO co SELECT g, g FROM generate_series(1, 1000) g"
  q "SELECT advisor.reset()" >/dev/null
  [[ "$order" == *pg_stat_statements* ]] && q "SELECT pg_stat_statements_reset()" >/dev/null
  # Nine executions in one session.
  for i in $(seq 1 9); do echo "SELECT v FROM co WHERE id = $i;"; done |
    pga_psql $NAME $PORT -qAt >/dev/null
  # pg_advisor jumbles a statement itself only where the server does not (no pg_stat_statements,
  # query_ids = cached): once per statement shape and session, here the nine lookups' shape
  # and this query's own.
  jumbles=$(q "SELECT query_id_jumbles FROM advisor.capture_info")
  if [[ "$order" == "pg_advisor" ]]; then
    expect_eq "[$order] pg_advisor jumbled 2 shapes, not 10 statements" "$jumbles" 2
  else
    expect_eq "[$order] the server jumbled every statement" "$jumbles" 0
  fi
  expect_eq "[$order] pg_advisor counts 9 executions" \
    "$(q "SELECT sum(calls) FROM advisor.query_patterns WHERE query = 'SELECT v FROM co WHERE id = \$1'")" 9
  expect_eq "[$order] execution time recorded" \
    "$(q "SELECT bool_and(total_exec_ms > 0) FROM advisor.query_patterns WHERE query = 'SELECT v FROM co WHERE id = \$1'")" t
  if [[ "$order" == *pg_stat_statements* ]]; then
    expect_eq "[$order] pg_stat_statements counts 9 executions" \
      "$(q "SELECT sum(calls) FROM pg_stat_statements WHERE query = 'SELECT v FROM co WHERE id = \$1'")" 9
    expect_eq "[$order] pg_stat_statements still counts buffers (9 lookups, 2+ pages each)" \
      "$(q "SELECT sum(shared_blks_hit + shared_blks_read) >= 18 FROM pg_stat_statements WHERE query = 'SELECT v FROM co WHERE id = \$1'")" t
  fi
  pga_cluster_stop $NAME
done
finish
