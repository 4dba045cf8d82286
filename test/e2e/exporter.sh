#!/usr/bin/env bash
# monitoring/postgres_exporter.yaml through a real postgres_exporter (Debian
# prometheus-postgres-exporter): every query of the file runs, and its metrics are scraped.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_exporter
PORT=55443
WEB=127.0.0.1:19187
EXPORTER=/usr/bin/prometheus-postgres-exporter
[ -x "$EXPORTER" ] || pga_die "prometheus-postgres-exporter is not installed"
trap 'kill $(jobs -p) 2>/dev/null || true; pga_cluster_stop $NAME' EXIT
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'"
q() { pga_psql $NAME $PORT -qAt "$@"; }

q -c "CREATE EXTENSION pg_advisor" -c "CREATE ROLE exporter LOGIN IN ROLE pg_read_all_stats" \
  -c "CREATE TABLE ex_parent (id int PRIMARY KEY)" \
  -c "CREATE TABLE ex_child (id int PRIMARY KEY, parent_id int REFERENCES ex_parent, note text)" \
  -c "INSERT INTO ex_parent SELECT g FROM generate_series(1, 100) g" \
  -c "INSERT INTO ex_child SELECT g, 1 + g % 100, 'n' FROM generate_series(1, 20000) g" \
  -c "GRANT SELECT ON ex_parent, ex_child TO exporter" -c "ANALYZE"
{
  echo "SET pg_advisor.idle_gap_ms = 60000;"
  echo "SELECT id FROM ex_parent ORDER BY id LIMIT 6 /*request_id='e1'*/;"
  for i in 1 2 3 4 5 6; do echo "SELECT note FROM ex_child WHERE parent_id = $i /*request_id='e1'*/;"; done
} | pga_psql $NAME $PORT -q >/dev/null

DATA_SOURCE_NAME="host=$(pga_cluster_host $NAME) port=$PORT user=exporter dbname=postgres sslmode=disable" \
  "$EXPORTER" --web.listen-address=$WEB --disable-default-metrics --disable-settings-metrics \
  --extend.query-path="$PGA_ROOT/monitoring/postgres_exporter.yaml" >"$PGA_TMP/$NAME/exporter.log" 2>&1 &
metrics=""
for _ in $(seq 1 50); do
  metrics=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://$WEB/metrics', timeout=5).read().decode())" 2>/dev/null) && break
  sleep 0.2
done
scrape() { printf '%s\n' "$metrics" | grep -E "^$1" | head -n 1; }
expect_true "the exporter answered" test -n "$metrics"
expect_eq "no query of the file failed" "$(grep -ciE "error|failed" "$PGA_TMP/$NAME/exporter.log" || true)" 0
expect_true "findings by rule and severity ($(scrape 'pg_advisor_findings_count\{'))" \
  test -n "$(scrape 'pg_advisor_findings_count\{.*rule="n_plus_one"')"
expect_true "review checks passed ($(scrape pg_advisor_review_checks_passed))" \
  test -n "$(scrape 'pg_advisor_review_checks_passed\{')"
expect_eq "loop executions" "$(scrape 'pg_advisor_loops_executions\{kind="n_plus_one"' | awk '{print $2}')" 6
expect_eq "capture failures" "$(scrape 'pg_advisor_capture_capture_failures\{' | awk '{print $2}')" 0
expect_true "capture window ($(scrape pg_advisor_capture_window_seconds))" \
  test -n "$(scrape 'pg_advisor_capture_window_seconds\{')"
finish
