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
  CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.3f", s }' "$DIR/time.txt")
}

pga_log "pg_advisor analyze-log"
measure "$DIR/analyze.json" "$CLI" analyze-log --format json "$LOG"
A_SECS=$SECS A_KB=$PEAK_KB A_CPU=$CPU
STATEMENTS=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["statements"])' <"$DIR/analyze.json")
FINDINGS=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["findings"]))' <"$DIR/analyze.json")

pga_log "pgbadger (single process)"
measure "$DIR/pgbadger.out" pgbadger --quiet --jobs 1 --format stderr --prefix '%m [%p] %q%u@%d ' \
  --outfile "$DIR/pgbadger.html" "$LOG"
B_SECS=$SECS B_KB=$PEAK_KB B_CPU=$CPU

python3 - "$STATEMENTS" "$FINDINGS" "$A_SECS" "$A_CPU" "$A_KB" "$B_SECS" "$B_CPU" "$B_KB" <<'PY'
import sys
n, findings = int(sys.argv[1]), int(sys.argv[2])
a, acpu, akb, b, bcpu, bkb = map(float, sys.argv[3:])
# The machine may be shared: CPU seconds (user + sys) measure the work, wall seconds what a
# user waited.
print("analyze-log: %d statements, %d findings: %.2f s CPU = %.0f statements/s; %.2f s wall = %.0f statements/s; peak memory %.1f MB"
      % (n, findings, acpu, n / acpu, a, n / a, akb / 1024))
print("pgbadger:    %.2f s CPU = %.0f statements/s; %.2f s wall = %.0f statements/s; peak memory %.1f MB"
      % (bcpu, n / bcpu, b, n / b, bkb / 1024))
print("speed-up:    %.1fx (CPU), %.1fx (wall)" % (bcpu / acpu, b / a))
PY
