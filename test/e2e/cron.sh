#!/usr/bin/env bash
# The daily review job of the README, scheduled with pg_cron (Debian postgresql-NN-cron):
# pg_cron runs it once (every minute here instead of daily), it snapshots the findings and
# exports the report, and the files are there, complete.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_cron
PORT=55442
DIR="$(pga_cluster_host $NAME)/reviews"
trap 'pga_cluster_stop $NAME' EXIT
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_cron,pg_advisor'" \
  "cron.database_name = 'postgres'" "cron.use_background_workers = on" "max_worker_processes = 16"
q() { pga_psql $NAME $PORT -qAt "$@"; }
pga_as_cluster_user mkdir -p "$DIR"

q -c "CREATE EXTENSION pg_cron" -c "CREATE EXTENSION pg_advisor" \
  -c "ALTER SYSTEM SET pg_advisor.export_directory = '$DIR'" -c "SELECT pg_reload_conf()" >/dev/null
# Something to find: a foreign key without an index on a table worth indexing, and an N+1.
q -c "CREATE TABLE cr_authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)" \
  -c "CREATE TABLE cr_books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        author_id bigint NOT NULL REFERENCES cr_authors, title text NOT NULL)" \
  -c "INSERT INTO cr_authors (name) SELECT 'a' || g FROM generate_series(1, 2000) g" \
  -c "INSERT INTO cr_books (author_id, title) SELECT 1 + g % 2000, 'b' FROM generate_series(1, 50000) g" \
  -c "ANALYZE"
{
  echo "SET pg_advisor.idle_gap_ms = 60000;"
  echo "SELECT id, name FROM cr_authors ORDER BY id LIMIT 8 /*controller='authors',action='index'*/;"
  for i in 1 2 3 4 5 6 7 8; do
    echo "SELECT title FROM cr_books WHERE author_id = $i /*controller='authors',action='index'*/;"
  done
} | pga_psql $NAME $PORT -q >/dev/null

job="SELECT advisor.snapshot(); SELECT * FROM advisor.export_report('$DIR')"
q -c "SELECT cron.schedule('database-review', '* * * * *', \$\$$job\$\$)" >/dev/null
# pg_cron 1.4 schedules by the minute: wait for the first run to finish.
status=""
for _ in $(seq 1 100); do
  status=$(q -c "SELECT status FROM cron.job_run_details ORDER BY runid LIMIT 1")
  case "$status" in succeeded|failed) break ;; esac
  sleep 1
done
expect_eq "pg_cron ran the review job" "$status" succeeded
[ "$status" = succeeded ] || q -c "SELECT return_message FROM cron.job_run_details"
day=$(q -c "SELECT to_char(now(), 'YYYY-MM-DD')")
expect_true "summary written" test -s "$DIR/database-review-$day.md"
expect_true "JSON written" test -s "$DIR/database-review-$day.json"
expect_true "HTML written" test -s "$DIR/database-review-$day.html"
nfiles=$(ls "$DIR/database-review-$day/" 2>/dev/null | grep -c '^finding-[0-9][0-9][0-9]-.*\.md$' || true)
expect_eq "one file per finding" "$nfiles" "$(q -c "SELECT findings FROM advisor.snapshots ORDER BY id DESC LIMIT 1")"
expect_eq "no temporary file left" "$(find "$DIR" -name '*.tmp' -o -name '.*.new' -o -name '.*.old' | wc -l)" 0
expect_eq "the snapshot was stored" "$(q -c "SELECT count(*) FROM advisor.snapshots")" 1
# The exported JSON's findings: the unindexed foreign key of cr_books and the N+1 over it,
# each once.
rules=$(python3 -c "
import json, sys
findings = json.load(open(sys.argv[1]))['findings']
print(' '.join(sorted(f['rule'] + ':' + f['object'] for f in findings
                      if f['rule'] in ('fk_missing_index', 'n_plus_one'))))" \
  "$DIR/database-review-$day.json")
expect_eq "the report lists the unindexed foreign key and the N+1" "$rules" \
  "fk_missing_index:public.cr_books n_plus_one:public.cr_books"
expect_true "at least two finding files" test "${nfiles:-0}" -ge 2
q -c "SELECT cron.unschedule('database-review')" >/dev/null
finish
