#!/usr/bin/env bash
# =============================================================================
# test/bench/instructions.sh -- CPU instructions per statement added by
#                               pg_advisor and by pg_stat_statements.
#
# WHY
#   Timing ratios on a shared 2-CPU virtual machine drift by several percent
#   from one run to the next (see overhead.sh), which is as large as the costs
#   being compared. Instruction counts do not drift: the same statements run
#   through the same code execute the same instructions. This script is the
#   deterministic companion of overhead.sh, not a replacement (instructions
#   are not cycles: cache misses and contention between backends are only
#   seen by overhead.sh).
#
# WHAT IS MEASURED
#   A single-user backend (postgres --single, no client, no socket) runs
#   pgbench's select-only statement N times with random keys, under valgrind
#   --tool=callgrind, for each configuration (no extension, pg_stat_statements,
#   pg_advisor with default settings, both preloaded with compute_query_id
#   as they set it). It runs once with SMALL and once with LARGE statements;
#   (instructions(LARGE) - instructions(SMALL)) / (LARGE - SMALL) removes
#   start-up and shut-down and leaves the instructions of one statement.
#   Two workloads:
#     simple    SELECT abalance FROM pgbench_accounts WHERE aid = <literal>;
#               (parse, analyse, plan and execute per statement, like -M simple)
#     prepared  EXECUTE p(<key>) of a prepared statement
#               (executor only plus a small EXECUTE utility, like -M prepared)
#     tpcb      pgbench's TPC-B-like transaction, simple protocol: BEGIN, three UPDATEs,
#               a SELECT, an INSERT, END (figures per transaction)
#
# USAGE
#   test/bench/instructions.sh         (about 4 minutes)
#   Environment: SMALL (1000), LARGE (6000), SCALE (5),
#                PGA_BENCH_DIR (/tmp/pg_advisor_instr), PGBIN.
#   Requires valgrind (installed with apt-get when missing and run as root)
#   and pg_advisor installed (make install). Port 55465 for set-up only.
# =============================================================================
set -euo pipefail

die() { echo "instructions.sh: ERROR: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

SMALL=${SMALL:-1000}
LARGE=${LARGE:-6000}
SCALE=${SCALE:-5}
BENCH_DIR=${PGA_BENCH_DIR:-/tmp/pg_advisor_instr}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=55465
for v in SMALL LARGE SCALE; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
(( LARGE > SMALL )) || die "LARGE ($LARGE) must be greater than SMALL ($SMALL)"
case "${BENCH_DIR%/}" in
    ""|/|/tmp|/root|/home|/usr|/var|/etc|/work) die "refusing to use '$BENCH_DIR' (it is removed)" ;;
esac

if ! command -v valgrind >/dev/null; then
    [[ $(id -u) -eq 0 ]] || die "valgrind is not installed (apt-get install valgrind)"
    log "installing valgrind"
    apt-get update -qq >/dev/null && apt-get install -y -qq valgrind >/dev/null ||
        die "apt-get install valgrind failed"
fi
PKGLIBDIR=$("$PGBIN/pg_config" --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)
for lib in pg_advisor pg_stat_statements; do
    [[ -f "$PKGLIBDIR/$lib.so" ]] || die "$PKGLIBDIR/$lib.so not found: is $lib installed?"
done

if [[ $(id -u) -eq 0 ]]; then
    RUN=(runuser -u postgres --)
    OSUSER=postgres
else
    RUN=()
    OSUSER=$(id -un)
fi
as_pg() { "${RUN[@]}" "$@"; }

cleanup() {
    local rc=$?
    [[ -f "$BENCH_DIR/data/postmaster.pid" ]] &&
        as_pg "$PGBIN/pg_ctl" -D "$BENCH_DIR/data" -m immediate stop >/dev/null 2>&1
    rm -rf -- "$BENCH_DIR"
    [[ $rc -ne 0 ]] && echo "instructions.sh: FAILED (exit $rc)" >&2
    exit $rc
}
trap cleanup EXIT

rm -rf -- "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
[[ $(id -u) -eq 0 ]] && chown "$OSUSER": "$BENCH_DIR"

log "creating a cluster with pgbench data (scale $SCALE)"
as_pg "$PGBIN/initdb" -D "$BENCH_DIR/data" -A trust --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$BENCH_DIR/data" -l "$BENCH_DIR/setup.log" -w \
    -o "-p $PORT -k $BENCH_DIR -c listen_addresses=''" start >/dev/null
as_pg "$PGBIN/createdb" -h "$BENCH_DIR" -p $PORT pgbench
as_pg "$PGBIN/pgbench" -h "$BENCH_DIR" -p $PORT -i -s "$SCALE" -q pgbench >/dev/null 2>&1
as_pg "$PGBIN/pg_ctl" -D "$BENCH_DIR/data" -m fast -w stop >/dev/null
# TPC-B writes: every run starts from this copy, so that no run sees another's bloat.
as_pg cp -a "$BENCH_DIR/data" "$BENCH_DIR/pristine"

# Statement files: the same random keys for every configuration.
/usr/bin/python3 - "$BENCH_DIR" "$SMALL" "$LARGE" "$SCALE" <<'EOF'
import random, sys
d, small, large, scale = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for n in (small, large):
    rnd = random.Random(1)
    keys = [rnd.randint(1, 100000 * scale) for _ in range(n)]
    with open(f"{d}/simple_{n}.sql", "w") as f:
        for k in keys:
            f.write(f"SELECT abalance FROM pgbench_accounts WHERE aid = {k};\n")
    with open(f"{d}/prepared_{n}.sql", "w") as f:
        f.write("PREPARE p(int) AS SELECT abalance FROM pgbench_accounts WHERE aid = $1;\n")
        for k in keys:
            f.write(f"EXECUTE p({k});\n")
    # pgbench's TPC-B-like transaction (simple protocol): n transactions of 7 statements.
    with open(f"{d}/tpcb_{n}.sql", "w") as f:
        for k in keys:
            tid, bid, delta = rnd.randint(1, 10 * scale), rnd.randint(1, scale), rnd.randint(-5000, 5000)
            f.write("BEGIN;\n"
                    f"UPDATE pgbench_accounts SET abalance = abalance + {delta} WHERE aid = {k};\n"
                    f"SELECT abalance FROM pgbench_accounts WHERE aid = {k};\n"
                    f"UPDATE pgbench_tellers SET tbalance = tbalance + {delta} WHERE tid = {tid};\n"
                    f"UPDATE pgbench_branches SET bbalance = bbalance + {delta} WHERE bid = {bid};\n"
                    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
                    f"VALUES ({tid}, {bid}, {k}, {delta}, CURRENT_TIMESTAMP);\n"
                    "END;\n")
EOF
chmod a+r "$BENCH_DIR"/*.sql

# instructions CONFIG WORKLOAD N -> total instructions of one single-user run
instructions() {
    local preload=$1 out="$BENCH_DIR/cg.$1.$2.$3"
    [[ $1 == none ]] && preload=""
    as_pg rm -rf "$BENCH_DIR/data"
    as_pg cp -a "$BENCH_DIR/pristine" "$BENCH_DIR/data"
    as_pg valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$PGBIN/postgres" --single -D "$BENCH_DIR/data" \
        -c shared_preload_libraries="$preload" pgbench \
        <"$BENCH_DIR/$2_$3.sql" >"$BENCH_DIR/out.$1.$2.$3" 2>"$BENCH_DIR/err.$1.$2.$3" ||
        die "single-user run failed ($1, $2): $(tail -3 "$BENCH_DIR/err.$1.$2.$3")"
    grep -q "ERROR" "$BENCH_DIR/out.$1.$2.$3" && die "statement error in run $1/$2"
    local n
    n=$(grep -o 'Collected : [0-9]*' "$BENCH_DIR/err.$1.$2.$3" | awk '{print $3}')
    [[ -n "$n" ]] || die "no instruction count in callgrind's output ($1, $2)"
    echo "$n"
}

declare -A PER
for w in ${WORKLOADS:-simple prepared tpcb}; do
    for cfg in none pg_stat_statements pg_advisor; do
        log "$w / $cfg"
        small=$(instructions "$cfg" "$w" "$SMALL")
        large=$(instructions "$cfg" "$w" "$LARGE")
        PER[$w,$cfg]=$(( (large - small) / (LARGE - SMALL) ))
    done
done

echo
echo "Instructions per statement (tpcb: per transaction of 7 statements) (callgrind,"
echo "single-user backend, $((LARGE - SMALL)) statements or transactions):"
echo
echo "| workload | configuration | instructions / statement | added vs none | ratio vs none |"
echo "|---|---|---:|---:|---:|"
for w in ${WORKLOADS:-simple prepared tpcb}; do
    base=${PER[$w,none]}
    for cfg in none pg_stat_statements pg_advisor; do
        v=${PER[$w,$cfg]}
        awk -v w="$w" -v c="$cfg" -v v="$v" -v b="$base" \
            'BEGIN { printf "| %s | %s | %d | %+d | %.3f |\n", w, c, v, v - b, v / b }'
    done
done
