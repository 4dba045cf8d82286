#!/usr/bin/env bash
# Extension versioning: 0.1.0 installed as released, statements captured, then
# ALTER EXTENSION pg_advisor UPDATE to 0.2.0: nothing captured is lost, the new objects work,
# and a fresh CREATE EXTENSION gives the same objects as the upgrade.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_upgrade
PORT=55441
trap 'pga_cluster_stop $NAME' EXIT
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'"
q() { pga_psql $NAME $PORT -qAt "$@"; }

q -c "CREATE EXTENSION pg_advisor VERSION '0.1.0'"
expect_eq "0.1.0 installed" "$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_advisor'")" 0.1.0
q -c "CREATE TABLE up_posts (id int PRIMARY KEY, title text)" \
  -c "CREATE TABLE up_comments (id serial PRIMARY KEY, post_id int, body text)" \
  -c "INSERT INTO up_posts SELECT g, 't' || g FROM generate_series(1, 10) g" \
  -c "INSERT INTO up_comments (post_id, body) SELECT 1 + g % 10, 'c' FROM generate_series(1, 100) g"
q -c "SELECT advisor.reset()" >/dev/null
# Captured under 0.1.0: 7 calls of one pattern and an N+1 of 6 children.
for i in 1 2 3 4 5 6 7; do q -c "SELECT title FROM up_posts WHERE id = $i" >/dev/null; done
{
  echo "SET pg_advisor.idle_gap_ms = 60000;"
  echo "SELECT id FROM up_posts ORDER BY id LIMIT 6 /*request_id='r1'*/;"
  for i in 1 2 3 4 5 6; do echo "SELECT body FROM up_comments WHERE post_id = $i /*request_id='r1'*/;"; done
} | pga_psql $NAME $PORT -q >/dev/null
calls_before=$(q -c "SELECT calls FROM advisor.query_patterns WHERE query = 'SELECT title FROM up_posts WHERE id = \$1'")
loops_before=$(q -c "SELECT count(*) || '/' || sum(executions) FROM advisor.n_plus_one")
expect_eq "captured under 0.1.0" "$calls_before" 7
expect_eq "loop found under 0.1.0" "$loops_before" "1/6"
expect_eq "0.1.0 has no findings view yet" "$(q -c "SELECT to_regclass('advisor.findings') IS NULL")" t

q -c "ALTER EXTENSION pg_advisor UPDATE TO '0.2.0'"
expect_eq "updated to 0.2.0" "$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_advisor'")" 0.2.0
expect_eq "query patterns kept across the update" \
  "$(q -c "SELECT calls FROM advisor.query_patterns WHERE query = 'SELECT title FROM up_posts WHERE id = \$1'")" 7
expect_eq "loop findings kept across the update" "$(q -c "SELECT count(*) || '/' || sum(executions) FROM advisor.n_plus_one")" "1/6"
expect_eq "the review runs after the update" \
  "$(q -c "SELECT count(*) > 0 FROM advisor.review_checks")" t
expect_eq "the loop is a finding after the update" \
  "$(q -c "SELECT count(*) FROM advisor.findings WHERE rule = 'n_plus_one'")" 1
expect_eq "capturing goes on" \
  "$(q -c "SELECT title FROM up_posts WHERE id = 8" >/dev/null; q -c "SELECT calls FROM advisor.query_patterns WHERE query = 'SELECT title FROM up_posts WHERE id = \$1'")" 8

# Then to the current version (0.3.0: DDL review), captured statements still kept.
q -c "ALTER EXTENSION pg_advisor UPDATE"
expect_eq "updated to 0.3.0" "$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_advisor'")" 0.3.0
expect_eq "query patterns kept across the second update" \
  "$(q -c "SELECT calls FROM advisor.query_patterns WHERE query = 'SELECT title FROM up_posts WHERE id = \$1'")" 8
expect_eq "lint_ddl after the update" \
  "$(q -c "SELECT rule FROM advisor.lint_ddl('CREATE INDEX up_i ON up_posts (title)') WHERE rule = 'index_not_concurrent'")" \
  index_not_concurrent

# The upgraded objects are those of a fresh install.
objects() {
  q -d "$1" -c "SELECT pg_describe_object(classid, objid, objsubid) FROM pg_depend
                 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
                   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_advisor')
                 ORDER BY 1"
}
q -c "CREATE DATABASE fresh"
q -d fresh -c "CREATE EXTENSION pg_advisor"
expect_eq "an upgraded install has the objects of a fresh one" "$(objects postgres | md5sum)" "$(objects fresh | md5sum)"
for object in "view advisor.findings" "table advisor.suppression" "function advisor.snapshot()" \
  "function advisor.lint_ddl(text)" "function advisor.export_files()" \
              "function advisor.export_report(text)" "view advisor.index_advice_notes"; do
  expect_true "the upgrade created $object" grep -qx "$object" <(objects postgres)
done
finish
