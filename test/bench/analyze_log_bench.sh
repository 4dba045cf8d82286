#!/usr/bin/env bash
# analyze-log throughput (not a timed test): a generated stderr log of 1,000,000 statements
# (ORM shapes, simple and extended protocol) read by `pg_advisor analyze-log` and by pgBadger
# (Debian package, single process), same file, same run. Prints statements/s, the speed-up
# and peak memory (/usr/bin/time -v). PGA_BENCH_STATEMENTS changes the size.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

N="${PGA_BENCH_STATEMENTS:-1000000}"
CLI="$PGA_ROOT/build/pg_advisor"
DIR="$PGA_TMP/analyze_log_bench"
pga_ensure_packages pgbadger time python3
[ -x "$CLI" ] || pga_die "build the CLI first ($CLI)"
mkdir -p "$DIR"
LOG="$DIR/postgresql-$N.log"
if [ ! -s "$LOG" ]; then
  pga_log "generating $N statements"
  python3 "$PGA_ROOT/test/bench/analyze_log_gen.py" "$N" "$LOG" >/dev/null
fi
pga_log "log: $LOG ($(du -h "$LOG" | cut -f1), $(wc -l <"$LOG") lines)"

# Runs a command pinned to one core under /usr/bin/time -v; sets SECS and PEAK_KB.
measure() {
  local out="$1"; shift
  /usr/bin/time -v -o "$DIR/time.txt" taskset -c 0 "$@" >"$out" 2>"$DIR/stderr.txt" ||
    { cat "$DIR/stderr.txt"; pga_die "failed: $*"; }
  SECS=$(python3 - "$DIR/time.txt" <<'PY'
import sys
for line in open(sys.argv[1]):
    if "Elapsed (wall clock)" in line:
        parts = line.rsplit(" ", 1)[1].strip().split(":")
        secs = 0.0
        for p in parts:
            secs = secs * 60 + float(p)
        print("%.3f" % secs)
PY
)
  PEAK_KB=$(grep "Maximum resident set size" "$DIR/time.txt" | grep -oE "[0-9]+$")
}

pga_log "pg_advisor analyze-log"
measure "$DIR/analyze.json" "$CLI" analyze-log --format json "$LOG"
A_SECS=$SECS A_KB=$PEAK_KB
STATEMENTS=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["statements"])' <"$DIR/analyze.json")
FINDINGS=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["findings"]))' <"$DIR/analyze.json")

pga_log "pgbadger (single process)"
measure "$DIR/pgbadger.out" pgbadger --quiet --jobs 1 --format stderr --prefix '%m [%p] %q%u@%d ' \
  --outfile "$DIR/pgbadger.html" "$LOG"
B_SECS=$SECS B_KB=$PEAK_KB

python3 - "$STATEMENTS" "$FINDINGS" "$A_SECS" "$A_KB" "$B_SECS" "$B_KB" <<'PY'
import sys
n, findings, a, akb, b, bkb = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
print("analyze-log: %d statements in %.2f s = %.0f statements/s (one core), peak memory %.1f MB, %d findings"
      % (n, a, n / a, akb / 1024, findings))
print("pgbadger:    %.2f s = %.0f statements/s (one core), peak memory %.1f MB" % (b, n / b, bkb / 1024))
print("speed-up:    %.1fx" % (b / a))
PY
