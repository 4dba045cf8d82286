#!/usr/bin/env bash
# The index advisor against two oracles: HypoPG (the planner cost with pg_advisor's hypothetical
# index equals the cost with HypoPG's, within 1%, when both estimate the index size the same
# way) and the real index (built, the planner uses it, with a cost within 10% of pg_advisor's
# prediction).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

NAME=e2e_index_oracle
PORT=55438
trap 'pga_cluster_stop $NAME' EXIT

pga_ensure_packages postgresql-15-hypopg python3 python3-psycopg2
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'" "autovacuum = off"
env PGHOST="$(pga_cluster_host $NAME)" PGPORT=$PORT PGUSER=postgres \
  PGDATABASE=postgres /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/index_oracle/oracle.py"
