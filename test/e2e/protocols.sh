#!/usr/bin/env bash
# Capture through real drivers: psycopg2 (simple protocol, client-side interpolation) and
# asyncpg (extended protocol, binary parameters, statement cache).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

NAME=e2e_protocols
PORT=55437
trap 'pga_cluster_stop $NAME' EXIT
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'"
pga_psql $NAME $PORT -qAt -c "CREATE EXTENSION pg_advisor"
PGHOST="$PGA_TMP/$NAME" PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres \
  /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/protocols.py"
