#!/usr/bin/env bash
# `pg_advisor report` (the installed command): the files of advisor.export_report written on the
# client's machine, rendered by the extension when it is installed (captured workload included)
# and by the command line's own review of the catalog when it is not (a managed database).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_report_cli
PORT=55461
OUT="$(mktemp -d)"
trap 'pga_cluster_stop $NAME; rm -rf "$OUT"' EXIT
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'"
q() { pga_psql $NAME $PORT -qAt "$@"; }
DSN="host=$(pga_cluster_host $NAME) port=$PORT user=postgres dbname=postgres"
CLI="$(command -v pg_advisor || true)"
expect_true "pg_advisor is on the PATH" test -n "$CLI"
[ -n "$CLI" ] || { finish; exit 1; }

q -c "CREATE TABLE rc_authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)" \
  -c "CREATE TABLE rc_books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        author_id bigint NOT NULL REFERENCES rc_authors, title text NOT NULL)" \
  -c "INSERT INTO rc_authors (name) SELECT 'a' || g FROM generate_series(1, 2000) g" \
  -c "INSERT INTO rc_books (author_id, title) SELECT 1 + g % 2000, 'b' FROM generate_series(1, 50000) g" \
  -c "ANALYZE" >/dev/null
day=$(date +%F)

# 1. Without the extension in the database: the catalog review runs in the command line.
rc=0; "$CLI" report --dsn "$DSN" --out "$OUT/local" >"$OUT/local.out" 2>"$OUT/local.err" || rc=$?
expect_eq "exit status without the extension" "$rc" 0
expect_true "says it reviews the catalog itself" grep -q "not installed in this database" "$OUT/local.err"
expect_true "summary written" test -s "$OUT/local/database-review-$day.md"
expect_true "HTML written" test -s "$OUT/local/database-review-$day.html"
expect_eq "fk_missing_index in the JSON report" \
  "$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sorted({f['rule'] for f in r['findings'] if f['rule']=='fk_missing_index'}))" "$OUT/local/database-review-$day.json")" \
  "['fk_missing_index']"
nfind=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$OUT/local/database-review-$day.json")
nfiles=$(ls "$OUT/local/database-review-$day/" | grep -c '^finding-[0-9][0-9][0-9]-.*\.md$' || true)
expect_eq "one file per finding" "$nfiles" "$nfind"
expect_eq "paths printed, one per file" "$(wc -l <"$OUT/local.out")" "$((nfiles + 3))"
expect_eq "no staging directory left" "$(ls -A "$OUT/local" | grep -c '^\.' || true)" 0

# 2. A stale finding file from an earlier run is replaced with the folder.
touch "$OUT/local/database-review-$day/finding-999-stale.md"
"$CLI" report --dsn "$DSN" --out "$OUT/local" >/dev/null 2>&1 || true
expect_true "stale finding file gone" test ! -e "$OUT/local/database-review-$day/finding-999-stale.md"

# 3. --format json writes the JSON report only.
"$CLI" report --dsn "$DSN" --out "$OUT/json" --format json >/dev/null 2>&1 || true
expect_eq "only the JSON file" "$(ls "$OUT/json")" "database-review-$day.json"

# 4. With the extension: the server renders the files, captured statements included.
q -c "CREATE EXTENSION pg_advisor" >/dev/null
for i in $(seq 1 30); do q -c "SELECT title FROM rc_books WHERE author_id = $i" >/dev/null; done
rc=0; "$CLI" report --dsn "$DSN" --out "$OUT/server" >/dev/null 2>"$OUT/server.err" || rc=$?
expect_eq "exit status with the extension" "$rc" 0
expect_eq "nothing said about a local review" "$(cat "$OUT/server.err")" ""
expect_eq "captured statements in the server's report" \
  "$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['overview']['analysed']['statements'] > 0)" "$OUT/server/database-review-$day.json")" \
  True
rc=0; "$CLI" report --dsn "$DSN" --out "$OUT/forced" --local >/dev/null 2>"$OUT/forced.err" || rc=$?
expect_eq "--local: exit status" "$rc" 0
expect_true "--local reviews here even with the extension" grep -q "\-\-local was given" "$OUT/forced.err"
expect_true "--local: the JSON report written" test -s "$OUT/forced/database-review-$day.json"

# 5. Errors: exit status 2 with the reason.
rc=0; "$CLI" report --dsn "$DSN" >/dev/null 2>"$OUT/e1" || rc=$?
expect_eq "no --out: usage error" "$rc" 2
rc=0; "$CLI" report --dsn "host=/nonexistent port=1" --out "$OUT/x" >/dev/null 2>"$OUT/e2" || rc=$?
expect_eq "bad DSN: exit 2" "$rc" 2
expect_true "bad DSN: says it could not connect" grep -q "could not connect" "$OUT/e2"
rc=0; "$CLI" report --dsn "$DSN" --out "$OUT/x" --format pdf >/dev/null 2>"$OUT/e3" || rc=$?
expect_eq "bad format: exit 2" "$rc" 2
rc=0; "$CLI" report --dsn "$DSN" --out /dev/null/x >/dev/null 2>"$OUT/e4" || rc=$?
expect_eq "an --out that cannot be a directory: exit 2" "$rc" 2
finish
