#!/usr/bin/env bash
# Random SQL (sqlsmith) as an ordinary login role against a server with pg_advisor preloaded,
# capturing everything (track = all, sample_rate = 1, query ids verified), while a superuser
# reads every advice view and resets in a loop. Fails on any backend crash, any internal error
# raised by pg_advisor code, or any statement pg_advisor failed to record; prints how many
# statements ran.
#
#   SQLSMITH_SECONDS (default 180)   how long sqlsmith runs
#   SQLSMITH_SEED    (default 4242)  its random seed (test/stress/sqlsmith.sh varies it)
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_sqlsmith
PORT=55440
SECONDS_TO_RUN="${SQLSMITH_SECONDS:-180}"
SEED="${SQLSMITH_SEED:-4242}"
WORK="$(mktemp -d)"
LOG="$PGA_TMP/$NAME/server.log"
trap 'kill $(jobs -p) 2>/dev/null || true; pga_cluster_stop $NAME; rm -rf "$WORK"' EXIT
command -v sqlsmith >/dev/null || pga_die "sqlsmith is not installed (Debian package sqlsmith)"

pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'" "pg_advisor.track = all" \
  "pg_advisor.sample_rate = 1" "pg_advisor.verify_query_ids = on" "statement_timeout = 5s" \
  "log_line_prefix = '%e '"
q() { pga_psql $NAME $PORT -qAt "$@"; }

q <<'SQL'
CREATE EXTENSION pg_advisor;
CREATE ROLE smith LOGIN;
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, region text, created_at timestamptz);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, status text,
                     total numeric, note jsonb, created_at timestamptz);
CREATE TABLE items (order_id bigint REFERENCES orders, sku text, qty int);
CREATE TABLE events (id bigint, at timestamptz, kind text) PARTITION BY RANGE (at);
CREATE TABLE events_a PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2030-01-01');
CREATE VIEW paid_orders AS SELECT * FROM orders WHERE status = 'paid';
INSERT INTO customers SELECT g, 'u' || g || '@example.com', 'r' || (g % 10), now() - g * interval '1 min'
  FROM generate_series(1, 2000) g;
INSERT INTO orders SELECT g, 1 + g % 2000, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], g % 97,
  jsonb_build_object('n', g), now() - g * interval '1 min' FROM generate_series(1, 20000) g;
INSERT INTO items SELECT 1 + g % 20000, 's' || (g % 50), g % 5 FROM generate_series(1, 30000) g;
INSERT INTO events SELECT g, '2024-01-01'::timestamptz + g * interval '1 hour', 'k' || (g % 4)
  FROM generate_series(1, 5000) g;
ANALYZE;
GRANT SELECT, INSERT, UPDATE, DELETE ON customers, orders, items, events, paid_orders TO smith;
SQL

# The superuser reads the advice and the review while sqlsmith runs, and resets now and then.
reader() {
  local i=0
  while :; do
    i=$((i + 1))
    q -c "SELECT count(*) FROM advisor.index_recommendations" \
      -c "SELECT count(*) FROM advisor.index_candidates" \
      -c "SELECT count(*) FROM advisor.index_advice_notes" \
      -c "SELECT count(*) FROM advisor.n_plus_one" \
      -c "SELECT count(*) FROM advisor.seq_scan_hotspots" \
      -c "SELECT count(*) FROM advisor.scan_shapes" \
      -c "SELECT count(*) FROM advisor.query_patterns" \
      -c "SELECT count(*) FROM advisor.findings" \
      -c "SELECT count(*) FROM advisor.review_checks" \
      -c "SELECT length(advisor.report('html'))" >/dev/null 2>>"$WORK/reader.err" || true
    [ $((i % 5)) -eq 0 ] && { q -c "SELECT advisor.reset()" >/dev/null 2>>"$WORK/reader.err" || true; }
    sleep 0.5
  done
}
reader &

( cd "$WORK" && timeout "$SECONDS_TO_RUN" sqlsmith --verbose --seed="$SEED" \
    --target="host=$(pga_cluster_host $NAME) port=$PORT dbname=postgres user=smith" \
    >"$WORK/sqlsmith.out" 2>&1 ) || true
kill %1 2>/dev/null || true; wait 2>/dev/null || true

ran=$(grep -a -oE "queries: [0-9]+" "$WORK/sqlsmith.out" | tail -n 1 | grep -oE "[0-9]+")
echo "sqlsmith (seed $SEED) ran ${ran:-0} statements in ${SECONDS_TO_RUN}s"
expect_true "sqlsmith ran statements (${ran:-0})" test "${ran:-0}" -gt 1000

crashes=$(grep -cE "terminated by signal|was terminated by|PANIC|TRAP:|server process .* exited" "$LOG" || true)
expect_eq "no backend crashed" "$crashes" 0
# Internal errors raised by pg_advisor's code (SQLSTATE XX000 naming pg_advisor or one of its
# functions), C++ exceptions, and statements pg_advisor failed to record.
ours=$(grep -E "^XX000 .*(pg_advisor|advisor\.)" "$LOG" | grep -v "STATEMENT" | sort | uniq -c | head -n 5 || true)
expect_eq "no internal error from pg_advisor" "${ours:-none}" none
expect_eq "no C++ exception reached PostgreSQL" "$(grep -c "unknown C++ exception" "$LOG" || true)" 0
expect_eq "no statement pg_advisor failed to record" "$(q -c "SELECT capture_failures FROM advisor.capture_info")" 0
expect_eq "no reused query id contradicted" "$(q -c "SELECT query_id_mismatches FROM advisor.capture_info")" 0
sort "$WORK/reader.err" | uniq -c | sort -rn | head -n 10
expect_eq "the reader saw no error" "$(grep -cvE "^$" "$WORK/reader.err" || true)" 0
expect_eq "server answers" "$(q -c "SELECT count(*) FROM customers")" 2000
finish
