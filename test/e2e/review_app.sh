#!/usr/bin/env bash
# The review end to end through a real ORM: a Django shop with known defects of every category
# (test/e2e/review_app/django_shop.py) runs against a preloaded server, exports the review, and
# every defect is in the report exactly once, with its fix and its own finding file.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_review_app
PORT=55446
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EXPORTS="$(pga_cluster_host $NAME)/reviews"
trap 'pga_cluster_stop $NAME' EXIT
pga_ensure_packages python3 python3-psycopg2 python3-django
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'"
pga_as_cluster_user mkdir -p "$EXPORTS"
q() { pga_psql $NAME $PORT -qAt "$@"; }
q -c "CREATE DATABASE shop" -c "ALTER SYSTEM SET pg_advisor.export_directory = '$EXPORTS'" \
  -c "SELECT pg_reload_conf()" >/dev/null
q -d shop -c "CREATE EXTENSION pg_advisor"

rc=0
PGHOST="$(pga_cluster_host $NAME)" PGPORT=$PORT PGUSER=postgres PYTHONDONTWRITEBYTECODE=1 \
  /usr/bin/python3 "$HERE/review_app/django_shop.py" shop "$EXPORTS/shop" >"$PGA_TMP/$NAME/app.log" 2>&1 ||
  rc=$?
cat "$PGA_TMP/$NAME/app.log"
expect_eq "the shop ran and its checks passed" "$rc" 0
finish
