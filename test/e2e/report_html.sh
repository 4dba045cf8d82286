#!/usr/bin/env bash
# The HTML report opened in headless Chromium (Debian chromium): it parses into the expected
# sections and charts, fetches nothing, and a screenshot shows a rendered page (ink, colours of
# the charts), not a blank or broken one.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_report_html
PORT=55444
WORK="$(mktemp -d)"
chmod 755 "$WORK"
trap 'pga_cluster_stop $NAME; rm -rf "$WORK"' EXIT
command -v chromium >/dev/null || pga_die "chromium is not installed"
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'"
q() { pga_psql $NAME $PORT -qAt "$@"; }

q -c "CREATE EXTENSION pg_advisor" \
  -c "CREATE TABLE rh_users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text)" \
  -c "CREATE TABLE rh_orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint REFERENCES rh_users, total numeric)" \
  -c "CREATE TABLE \"rh_<script>alert(1)</script>\" (at timestamp, msg json)" \
  -c "INSERT INTO \"rh_<script>alert(1)</script>\" SELECT now(), '{}' FROM generate_series(1, 2000)" \
  -c "INSERT INTO rh_users (email) SELECT 'u' || g FROM generate_series(1, 1000) g" \
  -c "INSERT INTO rh_orders (user_id, total) SELECT 1 + g % 1000, g FROM generate_series(1, 30000) g" \
  -c "ANALYZE"
{
  echo "SET pg_advisor.idle_gap_ms = 60000;"
  echo "SELECT id FROM rh_users ORDER BY id LIMIT 10 /*controller='users',action='index',framework='django'*/;"
  for i in $(seq 1 10); do
    echo "SELECT total FROM rh_orders WHERE user_id = $i /*controller='users',action='index',framework='django'*/;"
  done
  for i in $(seq 1 30); do echo "SELECT count(*) FROM rh_orders WHERE total > $i;"; done
} | pga_psql $NAME $PORT -q >/dev/null

q -c "SELECT advisor.report('html')" >"$WORK/report.html"
expect_true "the report is an HTML page" grep -q "<html" "$WORK/report.html"
expect_eq "nothing external: no script, no remote URL" \
  "$(grep -ciE "<script|src=\"http|href=\"http|@import|url\(" "$WORK/report.html" || true)" 0

chrome=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking
        --disable-component-update --disable-sync --no-first-run --disable-quic
        --user-data-dir="$WORK/profile")
timeout 60 "${chrome[@]}" --dump-dom "file://$WORK/report.html" >"$WORK/dom.html" 2>/dev/null
expect_true "Chromium parsed it" test -s "$WORK/dom.html"
expect_true "charts in the page ($(grep -o "<svg" "$WORK/dom.html" | wc -l))" \
  test "$(grep -o "<svg" "$WORK/dom.html" | wc -l)" -ge 3
for section in Overview Summary "Findings by category" "Prioritised action items" "Good patterns found"; do
  expect_true "section: $section" grep -q "$section" "$WORK/dom.html"
done
expect_true "the hostile table name is text, not markup" grep -q "&lt;script&gt;" "$WORK/dom.html"

timeout 60 "${chrome[@]}" --screenshot="$WORK/report.png" --window-size=1280,2400 \
  "file://$WORK/report.html" >/dev/null 2>&1
expect_true "a screenshot was taken" test -s "$WORK/report.png"
# The bars of two charts, by their colours (html_style.cpp): statements that take the most time
# (#8250df) and findings by severity, medium (#9a6700); counted on a 1-in-16 pixel sample.
read -r width height ink colours statement_bars medium_bars < <(python3 \
  "$PGA_ROOT/test/e2e/report_html/png_check.py" "$WORK/report.png" '#8250df' '#9a6700')
expect_true "the page has content (ink share $ink)" python3 -c "import sys; sys.exit(0 if float('$ink') > 0.02 else 1)"
expect_true "the statements chart is drawn ($statement_bars sampled pixels of its bars)" \
  test "${statement_bars:-0}" -ge 100
expect_true "the severity chart is drawn ($medium_bars sampled pixels of the medium bar)" \
  test "${medium_bars:-0}" -ge 100
cp "$WORK/report.png" "$PGA_TMP/report-html-screenshot.png" 2>/dev/null || true
finish
