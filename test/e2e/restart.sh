#!/usr/bin/env bash
# Counts survive a clean restart; a corrupt, truncated or foreign save file is ignored with one
# WARNING and the server starts normally; pg_advisor.save = off saves nothing; a crash
# (immediate shutdown) does not bring back stale data.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_restart
PORT=55434
DATA="$PGA_TMP/$NAME/data"
STATS="$DATA/pg_stat/pg_advisor.stat"
trap 'pga_cluster_stop $NAME' EXIT

pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'"
q() { pga_psql $NAME $PORT -qAt -c "$1"; }
calls() { q "SELECT coalesce(sum(calls), 0) FROM advisor.query_patterns WHERE query = 'SELECT v FROM rt WHERE id = \$1'"; }

q "CREATE EXTENSION pg_advisor"
q "CREATE TABLE rt (id int PRIMARY KEY, v int); INSERT INTO rt SELECT g, g FROM generate_series(1, 10) g"
q "SELECT advisor.reset()"
for i in 1 2 3 4 5 6 7; do q "SELECT v FROM rt WHERE id = $i" >/dev/null; done
q "SELECT v FROM rt WHERE id = 1 /*controller='restart'*/" >/dev/null
expect_eq "calls before restart" "$(calls)" 8
shapes_before=$(q "SELECT count(*) FROM advisor.scan_shapes WHERE relation = 'rt'::regclass")
expect_eq "shapes before restart" "$shapes_before" 1

# 1. Clean restart: everything is restored, the file is consumed.
pga_cluster_stop $NAME
expect_true "save file written at clean shutdown" test -s "$STATS"
pga_as_cluster_user pg_ctl -D "$DATA" -l "$PGA_TMP/$NAME/server.log" -w start >/dev/null
expect_eq "calls after restart" "$(calls)" 8
expect_eq "tags after restart" "$(q "SELECT tags->>'controller' FROM advisor.query_patterns WHERE query = 'SELECT v FROM rt WHERE id = \$1'")" restart
expect_eq "shapes after restart" "$(q "SELECT count(*) FROM advisor.scan_shapes WHERE relation = 'rt'::regclass")" 1
expect_eq "restored count reported" "$(q "SELECT restored_patterns > 0 FROM advisor.capture_info")" t
expect_true "save file removed after loading" test ! -e "$STATS"
expect_true "restore logged" grep -q "pg_advisor: restored [0-9]* query patterns" "$PGA_TMP/$NAME/server.log"
q "SELECT v FROM rt WHERE id = 2" >/dev/null
expect_eq "counting continues after restart" "$(calls)" 9

# 2. Corrupt files of every kind are ignored with one WARNING; the server runs normally.
corrupt_and_restart() {
  local label="$1" how="$2"
  pga_cluster_stop $NAME
  expect_true "$label: file present before corruption" test -s "$STATS"
  case "$how" in
    flip)     pga_as_cluster_user python3 -c "
import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=0xFF; open(p,'wb').write(b)" "$STATS" ;;
    truncate) pga_as_cluster_user truncate -s 100 "$STATS" ;;
    foreign)  pga_as_cluster_user sh -c "head -c 4096 /dev/urandom > '$STATS'" ;;
    empty)    pga_as_cluster_user sh -c ": > '$STATS'" ;;
    huge)     pga_as_cluster_user truncate -s 4G "$STATS" ;;  # sparse: no disk used
  esac
  local before; before=$(grep -c "ignoring saved statistics file" "$PGA_TMP/$NAME/server.log" || true)
  pga_as_cluster_user pg_ctl -D "$DATA" -l "$PGA_TMP/$NAME/server.log" -w start >/dev/null
  local after; after=$(grep -c "ignoring saved statistics file" "$PGA_TMP/$NAME/server.log" || true)
  if [ "$how" = empty ]; then
    expect_eq "$label: empty file is simply ignored" "$((after - before))" 0
  else
    expect_eq "$label: exactly one WARNING" "$((after - before))" 1
  fi
  expect_eq "$label: nothing restored" "$(calls)" 0
  expect_eq "$label: server answers" "$(q "SELECT v FROM rt WHERE id = 3")" 3
  expect_true "$label: bad file removed" test ! -e "$STATS"
}
corrupt_and_restart "flipped byte" flip
grep "ignoring saved statistics file" "$PGA_TMP/$NAME/server.log" | tail -n 1
expect_true "reason named for a flipped byte" grep -q "checksum mismatch" "$PGA_TMP/$NAME/server.log"
corrupt_and_restart "truncated file" truncate
expect_true "reason named for a truncated file" grep -q "file is truncated" "$PGA_TMP/$NAME/server.log"
corrupt_and_restart "foreign file" foreign
expect_true "reason named for a foreign file" grep -q "bad magic number" "$PGA_TMP/$NAME/server.log"
corrupt_and_restart "empty file" empty
# A 4 GB file is rejected by its size before a byte of it is read (reading it took 19 s).
q "SELECT v FROM rt WHERE id = 1" >/dev/null
corrupt_and_restart "4 GB file" huge
expect_true "reason named for an oversized file: rejected unread" \
  grep -q "it holds 4294967296 bytes, more than pg_advisor's stores can restore" "$PGA_TMP/$NAME/server.log"

# 3. pg_advisor.save = off: nothing survives a restart.
q "ALTER SYSTEM SET pg_advisor.save = off"
q "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
for i in 1 2 3; do q "SELECT v FROM rt WHERE id = $i" >/dev/null; done
pga_cluster_restart $NAME
expect_eq "save = off: nothing restored" "$(calls)" 0
q "ALTER SYSTEM RESET pg_advisor.save"
q "SELECT pg_reload_conf()" >/dev/null
sleep 0.5

# 4. An immediate shutdown with no pg_advisor lock held by a killed backend still saves a
#    consistent file (as pg_stat_statements does).
for i in 1 2 3; do q "SELECT v FROM rt WHERE id = $i" >/dev/null; done
pga_as_cluster_user pg_ctl -D "$DATA" -m immediate -w stop >/dev/null
pga_as_cluster_user pg_ctl -D "$DATA" -l "$PGA_TMP/$NAME/server.log" -w start >/dev/null
expect_eq "immediate shutdown: consistent data kept" "$(calls)" 3

# 5. kill -9 of a backend: crash recovery reinitialises shared memory; nothing stale comes back
#    (the file is written only at shutdown) and counting works again.
q "SELECT advisor.reset()"
for i in 1 2 3 4; do q "SELECT v FROM rt WHERE id = $i" >/dev/null; done
pga_psql $NAME $PORT -qAt -c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
sleep 0.5
victim=$(q "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'")
kill -9 "$victim"
wait || true
for _ in $(seq 1 30); do q "SELECT 1" >/dev/null 2>&1 && break; sleep 0.5; done
expect_true "crash recovery happened" grep -q "terminating any other active server processes" "$PGA_TMP/$NAME/server.log"
expect_eq "after crash recovery: empty, not stale" "$(calls)" 0
for i in 1 2 3 4 5; do q "SELECT v FROM rt WHERE id = $i" >/dev/null; done
expect_eq "after kill -9 of a backend: counting works" "$(calls)" 5

finish
