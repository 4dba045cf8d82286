#!/usr/bin/env bash
# The embedded demo: installs what is missing, builds and installs pg_advisor, starts a
# throwaway PostgreSQL cluster with pg_advisor preloaded, runs a small application-like
# workload (tagged the way Django / Rails tag their SQL) and prints what pg_advisor captured and
# found: loops, hotspots, verified indexes, and the database review (ranked findings), whose
# report it exports to $PGA_TMP/demo/reviews.
# Run it again at any time: it recreates the cluster from scratch.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=demo
PORT="${PGA_DEMO_PORT:-55400}"

if [ "${1:-}" = "--stop" ]; then
  pga_cluster_stop $NAME
  pga_log "demo cluster stopped"
  exit 0
fi

pga_ensure_packages "${PGA_BUILD_PACKAGES[@]}"
pga_build_install
pga_log "starting a throwaway cluster in $PGA_TMP/$NAME (port $PORT)"
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'" "pg_advisor.sample_rate = 1" \
  "pg_advisor.export_directory = '$PGA_TMP/$NAME/reviews'"
pga_as_cluster_user mkdir -p "$PGA_TMP/$NAME/reviews"
psql_demo() { pga_psql $NAME $PORT "$@"; }

pga_log "creating a shop schema"
psql_demo -q >/dev/null <<'SQL'
CREATE EXTENSION pg_advisor;
CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL, name text, created_at timestamptz DEFAULT now());
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers,
                     status text NOT NULL, total numeric(10,2), created_at timestamptz NOT NULL);
CREATE TABLE order_items (id serial PRIMARY KEY, order_id int NOT NULL REFERENCES orders,
                          sku text NOT NULL, quantity int NOT NULL);
-- A legacy table, as old migrations leave them: no primary key, json, local timestamps.
CREATE TABLE audit_events (at timestamp NOT NULL, actor text, payload json);
INSERT INTO audit_events SELECT now(), 'u' || g, '{}' FROM generate_series(1, 3000) g;
INSERT INTO customers (email, name)
  SELECT 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 2000) g;
INSERT INTO orders (customer_id, status, total, created_at)
  SELECT 1 + g % 2000, CASE WHEN g % 20 = 0 THEN 'pending' ELSE 'shipped' END, (g % 500) + 0.99,
         timestamptz '2026-01-01' + g * interval '7 minutes'
    FROM generate_series(1, 50000) g;
INSERT INTO order_items (order_id, sku, quantity)
  SELECT 1 + g % 50000, 'SKU-' || (g % 300), 1 + g % 3 FROM generate_series(1, 100000) g;
ANALYZE;
SELECT advisor.reset();
SQL

pga_log "running the demo workload"
workload="$(mktemp)"
trap 'rm -f "$workload"' EXIT
{
  for page in 1 2 3; do
    trace=$(printf '%032x' $((page * 7919)))
    tag="controller='orders',action='index',framework='django%3A4.2',traceparent='00-${trace}-00f067aa0ba902b7-01'"
    # A list page: 20 recent orders, then each order's items one by one.
    echo "SELECT id, customer_id, total FROM orders WHERE status = 'shipped' ORDER BY created_at DESC LIMIT 20 /*$tag*/;"
    for i in $(seq 1 20); do
      echo "SELECT sku, quantity FROM order_items WHERE order_id = $(( (page * 97 + i * 13) % 50000 + 1 )) /*$tag*/;"
    done
  done
  for i in $(seq 1 30); do
    echo "SELECT id, name FROM customers WHERE lower(email) = 'user$(( i * 37 % 2000 + 1 ))@example.com' /*application:Shop,controller:sessions,action:create*/;"
  done
  for i in $(seq 1 10); do
    echo "SELECT id, total FROM orders WHERE customer_id = $(( i * 11 )) AND status = 'pending' ORDER BY created_at DESC /*application:Shop,controller:customers,action:show*/;"
  done
  # The same settings row read again and again in one request.
  for i in $(seq 1 6); do
    echo "SELECT name FROM customers WHERE id = 1 /*application:Shop,controller:dashboard,action:show*/;"
  done
  echo "BEGIN;"
  for i in $(seq 1 15); do
    echo "INSERT INTO order_items (order_id, sku, quantity) VALUES ($i, 'SKU-NEW', 1) /*application:Shop,job:ImportJob*/;"
  done
  echo "COMMIT;"
} >"$workload"
psql_demo -q -f "$workload" >/dev/null

pga_log "what pg_advisor captured"
psql_demo <<'SQL'
\pset footer off
\echo 'Query patterns (advisor.query_patterns), most executed first:'
SELECT calls, round(total_exec_ms::numeric, 2) AS total_ms, rows, left(query, 90) AS query,
       coalesce(tags->>'controller', tags->>'job') AS controller
  FROM advisor.query_patterns
 WHERE query NOT LIKE '%advisor.%'
 ORDER BY calls DESC, query LIMIT 10;
\echo 'How each pattern reads its tables (advisor.scan_shapes), sequential scans first:'
SELECT relation, scan_type, quals, order_by, rows_scanned, rows_returned
  FROM advisor.scan_shapes
 WHERE relation::text NOT LIKE 'pg_%' AND relation::text NOT LIKE 'advisor.%'
 ORDER BY scan_type <> 'seq_scan', rows_scanned DESC NULLS LAST LIMIT 10;
\echo 'N+1 sequences, write loops and duplicates (advisor.n_plus_one):'
SELECT kind, child_relation AS child, parent_relation AS parent, occurrences, max_repeats,
       expected_queries AS queries, framework
  FROM advisor.n_plus_one ORDER BY kind, child_relation::text;
\x on
SELECT kind, child_query, suggested_sql, orm_fix, reason
  FROM advisor.n_plus_one ORDER BY kind, child_relation::text;
\x off
\echo 'Seq-scan hotspots (advisor.seq_scan_hotspots):'
SELECT relation, seq_scans, rows_scanned, rows_returned, round(filter_ratio::numeric, 4) AS filtered,
       round(time_share::numeric, 2) AS time_share, quals
  FROM advisor.seq_scan_hotspots;
\echo 'Index recommendations, each verified by the planner (advisor.index_recommendations):'
SELECT relation, ddl, calls, round(cost_before::numeric) AS cost_before,
       round(cost_after::numeric) AS cost_after, round(saving_pct::numeric) AS saving_pct,
       pg_size_pretty(est_size_bytes) AS size
  FROM advisor.index_recommendations ORDER BY benefit DESC;
\echo 'Why (advisor.explain_recommendation), for the first one:'
SELECT advisor.explain_recommendation(recommendation_key) AS explanation
  FROM advisor.index_recommendations ORDER BY benefit DESC LIMIT 1;
\echo 'Capture health (advisor.capture_info):'
SELECT patterns, max_patterns, scan_shapes, pattern_evictions, capture_failures FROM advisor.capture_info;
\echo 'The database review (advisor.findings), most important first:'
SELECT rank, severity, rule, object, left(title, 80) AS title FROM advisor.findings ORDER BY rank;
\echo 'The first finding, with its fix:'
\x on
SELECT finding_key, title, recommendation, fix_sql, undo_sql FROM advisor.findings ORDER BY rank LIMIT 1;
\x off
\echo 'The report, exported (advisor.export_report):'
SELECT * FROM advisor.export_report(current_setting('pg_advisor.export_directory'));
SQL

pga_log "reviewing a migration before it runs (pg_advisor lint --dsn, then the live DDL review)"
MIGRATION="$PGA_TMP/$NAME/0042_order_notes.sql"
cat >"$MIGRATION" <<'SQL'
-- A migration as an ORM would write it.
BEGIN;
ALTER TABLE orders ADD COLUMN note text NOT NULL DEFAULT '';
CREATE INDEX orders_note_idx ON orders (note);
ALTER TABLE order_items ADD CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
COMMIT;
SQL
echo "pg_advisor lint --dsn ... $MIGRATION"
pg_advisor lint --fail-on critical --dsn "host=$PGA_TMP/$NAME port=$PORT user=postgres dbname=postgres" \
  "$MIGRATION" || true
echo
echo "The same kind of index built by hand. The demo's orders table is 4 MB, under the 10 MB below"
echo "which findings are only logged; treated as large, and with ddl_review = error, it is blocked:"
psql_demo -q -c "SET pg_advisor.migration_small_table_bytes = 0" -c "SET pg_advisor.ddl_review = error" \
  -c "CREATE INDEX orders_total_idx ON orders (total)" 2>&1 || true

cat <<EOF

The demo cluster keeps running so you can explore it:
  psql -h $PGA_TMP/$NAME -p $PORT -U postgres
  SELECT * FROM advisor.query_patterns;  SELECT * FROM advisor.index_candidates;
  SELECT * FROM advisor.recommend_indexes('SELECT * FROM orders WHERE total > 400');
  SELECT advisor.report();  SELECT * FROM advisor.review_checks;
  SELECT * FROM advisor.lint_ddl('ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2)');
The command line (installed on the PATH): pg_advisor --help
  pg_advisor lint migrations/   pg_advisor analyze-log postgresql.log
  pg_advisor report --dsn "host=$PGA_TMP/$NAME port=$PORT user=postgres" --out reviews/
Stop it with:
  bash scripts/demo.sh --stop
EOF
