#!/usr/bin/env bash
# Python ORMs and drivers end to end: Django, SQLAlchemy, SQLModel, Peewee and asyncpg each run
# N+1 pages, their eager-loading fixes, write loops, their bulk fixes and traps against one
# preloaded cluster (one database each), tagged the way their sqlcommenter integrations tag SQL,
# and every finding of advisor.n_plus_one is compared exactly. Then two tagged requests share
# one server backend through pgbouncer (transaction pooling, pool size 1).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=e2e_orm_python
PORT=55450
BOUNCER_PORT=55454
HOST="$PGA_TMP/$NAME"
BOUNCER_DIR="$PGA_TMP/${NAME}_pgbouncer"
PY=/usr/bin/python3  # Debian's python, where the python3-* packages are

pga_ensure_packages python3 python3-psycopg2 python3-asyncpg python3-django python3-sqlalchemy \
  python3-sqlmodel python3-peewee pgbouncer

stop_bouncer() {
  local pid
  [ -f "$BOUNCER_DIR/pgbouncer.pid" ] || return 0
  pid="$(cat "$BOUNCER_DIR/pgbouncer.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$BOUNCER_DIR/pgbouncer.pid"
}
cleanup() {
  stop_bouncer
  pga_cluster_stop $NAME
}
trap cleanup EXIT

# Every reused query id is checked against a fresh jumble of the server (see query_id.h).
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'" "pg_advisor.verify_query_ids = on"
q() { pga_psql $NAME $PORT -qAt "$@"; }

DATABASES=(django_blog sqlalchemy_blog sqlmodel_blog peewee_blog asyncpg_blog pgbouncer_blog)
for db in "${DATABASES[@]}"; do
  q -c "CREATE DATABASE $db"
  # A unit of work must not be split by a slow machine; the polling trap sets its own gap.
  q -d "$db" -c "CREATE EXTENSION pg_advisor" -c "ALTER DATABASE $db SET pg_advisor.idle_gap_ms = 5000"
done

export PGHOST="$HOST" PGPORT=$PORT PGUSER=postgres PYTHONDONTWRITEBYTECODE=1
run_py() {
  local script="$1" db="$2" rc=0
  pga_log "$script ($db)"
  timeout 120 "$PY" "$HERE/orm_python/$script" "$db" || rc=$?
  expect_eq "$script: every check passed" "$rc" 0
}

run_py django_app.py django_blog
run_py sqlalchemy_app.py sqlalchemy_blog
run_py sqlmodel_app.py sqlmodel_blog
run_py peewee_app.py peewee_blog
run_py asyncpg_app.py asyncpg_blog

# pgbouncer: transaction pooling, one server connection for every client.
pga_as_root rm -rf "$BOUNCER_DIR"
pga_as_root install -d -o "$(pga_cluster_user)" -m 755 "$BOUNCER_DIR"
printf '"postgres" ""\n' | pga_as_cluster_user tee "$BOUNCER_DIR/userlist.txt" >/dev/null
cat <<INI | pga_as_cluster_user tee "$BOUNCER_DIR/pgbouncer.ini" >/dev/null
[databases]
* = host=$HOST port=$PORT

[pgbouncer]
listen_port = $BOUNCER_PORT
unix_socket_dir = $BOUNCER_DIR
auth_type = trust
auth_file = $BOUNCER_DIR/userlist.txt
pool_mode = transaction
default_pool_size = 1
max_client_conn = 20
ignore_startup_parameters = extra_float_digits,options
logfile = $BOUNCER_DIR/pgbouncer.log
pidfile = $BOUNCER_DIR/pgbouncer.pid
INI
pga_as_cluster_user pgbouncer -d "$BOUNCER_DIR/pgbouncer.ini" ||
  { cat "$BOUNCER_DIR/pgbouncer.log" 2>/dev/null; pga_die "pgbouncer did not start"; }
for _ in $(seq 50); do [ -S "$BOUNCER_DIR/.s.PGSQL.$BOUNCER_PORT" ] && break; sleep 0.1; done
PGBOUNCER_HOST="$BOUNCER_DIR" PGBOUNCER_PORT=$BOUNCER_PORT run_py pgbouncer_check.py pgbouncer_blog
stop_bouncer

expect_eq "every reused query id matched the server's jumble" \
  "$(q -d django_blog -c "SELECT query_id_mismatches FROM advisor.capture_info")" 0
expect_true "server log has no pg_advisor failure" sh -c "! grep -q 'pg_advisor: .* failed' '$HOST/server.log'"
expect_true "no backend crashed" sh -c "! grep -Eq 'terminated by signal|server process .* was terminated' '$HOST/server.log'"

finish
