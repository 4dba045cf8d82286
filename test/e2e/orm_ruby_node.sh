#!/usr/bin/env bash
# Real ORMs end to end against one preloaded cluster, one database each:
#   ActiveRecord 6.1 + marginalia 1.11 (Debian packages), Sequelize 6 + sqlcommenter-sequelize,
#   Knex 3 / Objection 3 + sqlcommenter-knex (npm, installed at test time outside the repository).
# For each: the N+1 pages (one-to-many, many-to-one, many-to-many, nested N x M), their eager-loading
# fixes, a row-by-row write loop and its bulk fix, traps that must stay silent, and the
# n_plus_one_action = 'error' guard; every finding is compared exactly (kind, relations, counts,
# framework, scope). The apps live in orm_ruby_node/.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/orm_ruby_node" && pwd)"
NAME=e2e_orm_ruby_node
PORT=55455
HOST="$PGA_TMP/$NAME"
WORK="$(mktemp -d)"
NPM_PID=""
cleanup() {
  if [ -n "$NPM_PID" ] && kill -0 "$NPM_PID" 2>/dev/null; then kill "$NPM_PID" 2>/dev/null || true; fi
  pga_cluster_stop $NAME
  rm -rf "$WORK"
}
trap cleanup EXIT

pga_ensure_packages ruby ruby-activerecord ruby-pg ruby-marginalia ruby-railties
# marginalia's railtie needs rails/railtie (ruby-railties), which its Debian package does not pull in.
command -v node >/dev/null && command -v npm >/dev/null || pga_ensure_packages nodejs npm

# npm packages (exact versions from package-lock.json) into a temporary directory, in the
# background while the Ruby part runs. The app files are copied next to node_modules.
cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE"/*.js "$WORK/"
( cd "$WORK" && exec npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1 ) &
NPM_PID=$!

pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'" \
  "pg_advisor.verify_query_ids = on" "log_statement = 'all'" "log_line_prefix = '%m [%p] %d '"
q() { local db="$1"; shift; pga_psql $NAME $PORT -d "$db" -qAt -c "$1"; }

for db in blog_rails blog_sequelize blog_knex; do
  q postgres "CREATE DATABASE $db"
  # A slow machine must not split a loop into two idle-gap bursts.
  q postgres "ALTER DATABASE $db SET pg_advisor.idle_gap_ms = 5000"
  pga_psql $NAME $PORT -d $db -q -f "$HERE/schema.sql" >/dev/null
  q $db "CREATE EXTENSION pg_advisor"
done

run_app() {
  local label="$1" db="$2"; shift 2
  local start=$SECONDS rc=0
  env PGHOST="$HOST" PGPORT=$PORT PGUSER=postgres PGDATABASE="$db" "$@" || rc=$?
  expect_eq "$label app passed (exit code; $((SECONDS - start)) s)" "$rc" 0
}

run_app "ActiveRecord + marginalia" blog_rails ruby "$HERE/activerecord_app.rb"

npm_rc=0
wait "$NPM_PID" || npm_rc=$?
NPM_PID=""
[ "$npm_rc" -eq 0 ] || cat "$WORK/npm.log"
expect_eq "npm ci of the pinned Node packages" "$npm_rc" 0
if [ "$npm_rc" -eq 0 ]; then
  run_app "Sequelize + sqlcommenter-sequelize" blog_sequelize node "$WORK/sequelize_app.js"
  run_app "Knex/Objection + sqlcommenter-knex" blog_knex node "$WORK/knex_objection_app.js"
fi

expect_eq "no capture failures" "$(q blog_rails "SELECT capture_failures FROM advisor.capture_info" 2>/dev/null || echo n/a)" 0
expect_eq "every reused query id matched the server's jumble" \
  "$(q blog_rails "SELECT query_id_mismatches FROM advisor.capture_info" 2>/dev/null || echo n/a)" 0
expect_true "server log has no pg_advisor failure or crash" \
  sh -c "! grep -E 'pg_advisor: .* failed|terminated by signal|PANIC' '$HOST/server.log'"
[ "$E2E_FAILED" -eq 0 ] || echo "statements as the server received them: $HOST/server.log"
finish
