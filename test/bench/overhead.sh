#!/usr/bin/env bash
# =============================================================================
# test/bench/overhead.sh -- overhead of pg_advisor vs. no extension and vs.
#                           pg_stat_statements, measured side by side.
#
# WHAT IS MEASURED
#   Three throwaway PostgreSQL 15 clusters are created, initialised with the
#   same pgbench data set and kept running for the whole benchmark:
#     none                shared_preload_libraries not set
#     pg_stat_statements  shared_preload_libraries = 'pg_stat_statements'
#     pg_advisor          shared_preload_libraries = 'pg_advisor'
#   (extensions with default settings, CREATE EXTENSION done in the pgbench
#   database).  The workload is pgbench's built-in select-only script (-S),
#   with -M prepared and -M simple, with 1 and 2 clients (-c N -j N), each run
#   lasting DURATION seconds.
#
#   Runs are interleaved: for each round, for each (protocol, clients)
#   combination, the three configurations run one right after the other, in an
#   order that rotates from one combination/round to the next so that no
#   configuration is always first.  Every ratio is computed within one round
#   (configuration vs. `none` measured minutes apart at most), then the median
#   over rounds is reported.  This cancels most of the drift of a shared/noisy
#   machine (CPU frequency, neighbours, page cache) that separate runs suffer.
#
#   Per run two numbers are recorded:
#   * TPS: pgbench's "tps = ... (without initial connection time)".
#   * Backend CPU per transaction: the postmaster's cumulative CPU time of its
#     reaped children (cutime + cstime, fields 16 and 17 of
#     /proc/<postmaster pid>/stat, in clock ticks) is read before and after the
#     run.  pgbench's backends exit at the end of the run and are reaped by the
#     postmaster, so the delta is the CPU (user + system) used by the server
#     backends of that run; it is divided by pgbench's "number of transactions
#     actually processed".  Resolution is one clock tick (usually 10 ms), far
#     below the CPU used by a run.  pgbench's own CPU is NOT included (pgbench
#     is not a child of the postmaster); the rare short-lived auxiliary
#     children that exit during a run (e.g. an autovacuum worker) are included,
#     which is noise shared equally by all configurations.  Runs use -n (no
#     vacuum before each run); the tables are vacuumed once after pgbench -i.
#
#   Then (ATTRIBUTION=1, the default, needs perf: Debian's linux-perf, installed when missing
#   and run as root) the CPU time itself is attributed: for each protocol, client count and
#   extension, pgbench runs ATTR_SECONDS while `perf record` samples the server CPU (cpu-clock,
#   DWARF call stacks), ATTR_RUNS times with the two extensions alternating (the share varies
#   by a few tenths of a point from run to run with what the caches hold; the median is
#   reported), and test/bench/cpu_share.py counts the backend samples in the
#   extension's code: its own library, plus the query jumble and executor instrumentation that
#   only an extension causes, up to the server work its hooks pass through. This is the same
#   quantity as the CPU ratio above (1 / (1 - share)), measured within one run, so the drift
#   between runs that limits the ratio's precision does not enter it; its error is the
#   sampling error, about 0.15 percentage points.
#
# HOW TO READ THE TABLE
#   median TPS            median over rounds of the run's TPS
#   TPS ratio vs none     median of (TPS of config / TPS of none, same round);
#                         < 1.0 means slower than without any extension
#                         (0.95 = 5 % fewer transactions per second).
#   backend CPU us/tx     median over rounds of backend CPU microseconds per
#                         transaction
#   CPU ratio vs none     median of (CPU/tx of config / CPU/tx of none, same
#                         round); > 1.0 means more CPU per transaction
#                         (1.10 = 10 % more backend CPU per transaction).
#   The CPU ratio is the better measure of the extension's cost per query: TPS
#   at 1 client is dominated by round-trip latency, and with 2 clients on a
#   2-core machine pgbench itself competes with the backends for the CPUs.
#
# USAGE
#   test/bench/overhead.sh [--quick]
#   Environment: SCALE (5), DURATION (10 s), ROUNDS (5), WARMUP (5 s),
#                ATTRIBUTION (1), ATTR_SECONDS (10), ATTR_FREQ (1999 Hz), ATTR_RUNS (3),
#                PROTOCOLS ("prepared simple"), CLIENTS ("1 2"),
#                PGA_BENCH_DIR (/tmp/pg_advisor_bench),
#                OUT (test/bench/results/overhead-YYYY-MM-DD.md),
#                PGBIN (/usr/lib/postgresql/15/bin), QUICK=1 (= --quick).
#   --quick / QUICK=1: ROUNDS=1 DURATION=3 WARMUP=2 (smoke test).
#   Contention (many backends updating the same statement's counters):
#     CLIENTS=32 PROTOCOLS=prepared ATTRIBUTION=0 ROUNDS=3 test/bench/overhead.sh
#   Default run: 5 rounds x 4 combinations x 3 configurations x 10 s ~ 10 min.
#
#   Requires pg_advisor to be installed (make install) and pg_stat_statements
#   (postgresql-15 contrib).  When run as root, the clusters, pgbench and psql
#   run as the `postgres` OS user (runuser); otherwise as the current user.
#   The clusters use Unix sockets in PGA_BENCH_DIR only (listen_addresses ''),
#   ports 55461-55463.  Everything is stopped and removed on exit, also on
#   failure or Ctrl-C.  A previous run's directory is cleaned up first.
# =============================================================================
set -euo pipefail

die()  { echo "overhead.sh: ERROR: $*" >&2; exit 1; }
log()  { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- arguments --
QUICK=${QUICK:-0}
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        -h|--help) sed -n '2,/^# =====/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$arg' (use --quick or --help)" ;;
    esac
done
if [[ "$QUICK" == 1 ]]; then
    ROUNDS=1; DURATION=3; WARMUP=${WARMUP:-2}; ATTR_SECONDS=${ATTR_SECONDS:-3}; ATTR_RUNS=${ATTR_RUNS:-1}
fi
ATTRIBUTION=${ATTRIBUTION:-1}
ATTR_SECONDS=${ATTR_SECONDS:-10}
ATTR_FREQ=${ATTR_FREQ:-1999}
ATTR_RUNS=${ATTR_RUNS:-3}
SCALE=${SCALE:-5}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-5}
BENCH_DIR=${PGA_BENCH_DIR:-/tmp/pg_advisor_bench}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-$SCRIPT_DIR/results/overhead-$(date +%F).md}
PY=/usr/bin/python3          # Debian's python3, not a pyenv shim from PATH

for v in SCALE DURATION ROUNDS WARMUP ATTR_SECONDS ATTR_FREQ ATTR_RUNS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[[ "$BENCH_DIR" == /* ]] || die "PGA_BENCH_DIR must be an absolute path (got '$BENCH_DIR')"
case "${BENCH_DIR%/}" in
    ""|/|/tmp|/root|/home|/usr|/var|/etc|/work|/work/main) die "refusing to use '$BENCH_DIR' as PGA_BENCH_DIR (it is removed at the end)" ;;
esac
# Unix socket paths are limited to 107 bytes: "<dir>/.s.PGSQL.55461"
(( ${#BENCH_DIR} <= 90 )) || die "PGA_BENCH_DIR is too long for a Unix socket path: '$BENCH_DIR'"

CONFIGS=(none pg_stat_statements pg_advisor)
declare -A PORT=([none]=55461 [pg_stat_statements]=55462 [pg_advisor]=55463)
declare -A PRELOAD=([none]="" [pg_stat_statements]=pg_stat_statements [pg_advisor]=pg_advisor)
read -r -a PROTOCOLS <<< "${PROTOCOLS:-prepared simple}"
read -r -a CLIENTS <<< "${CLIENTS:-1 2}"
for p in "${PROTOCOLS[@]}"; do
    [[ "$p" == prepared || "$p" == simple ]] || die "PROTOCOLS: '$p' is neither prepared nor simple"
done
MAX_CONNECTIONS=20  # room for the largest client count, psql and the attribution's probes
for c in "${CLIENTS[@]}"; do
    [[ "$c" =~ ^[1-9][0-9]?$ ]] || die "CLIENTS: '$c' is not a client count (1-99)"
    (( c + 10 > MAX_CONNECTIONS )) && MAX_CONNECTIONS=$(( c + 10 ))
done
DB=pgbench

# ------------------------------------------------------------ prerequisites --
for b in initdb pg_ctl postgres psql pgbench; do
    [[ -x "$PGBIN/$b" ]] || die "$PGBIN/$b not found (set PGBIN)"
done
[[ -x "$PY" ]] || die "$PY not found (Debian's python3 is needed to compute medians)"
PGVERSION=$("$PGBIN/postgres" --version)
[[ "$PGVERSION" == *" 15."* ]] || log "warning: expected PostgreSQL 15, found: $PGVERSION"
if [[ -x "$PGBIN/pg_config" ]]; then
    PKGLIBDIR=$("$PGBIN/pg_config" --pkglibdir)
    SHAREDIR=$("$PGBIN/pg_config" --sharedir)
else
    PKGLIBDIR=/usr/lib/postgresql/15/lib
    SHAREDIR=/usr/share/postgresql/15
fi
for lib in pg_advisor pg_stat_statements; do
    [[ -f "$PKGLIBDIR/$lib.so" ]] || die "$PKGLIBDIR/$lib.so not found: is $lib installed (make install / postgresql-15 contrib)?"
    [[ -f "$SHAREDIR/extension/$lib.control" ]] || die "$SHAREDIR/extension/$lib.control not found: is $lib installed?"
done
CLK_TCK=$(getconf CLK_TCK)
[[ "$CLK_TCK" =~ ^[1-9][0-9]*$ ]] || die "getconf CLK_TCK failed"

if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user"
    command -v runuser >/dev/null || die "runuser not found"
    RUN=(runuser -u postgres --)
    OSUSER=postgres
else
    RUN=()
    OSUSER=$(id -un)
fi
as_pg() { "${RUN[@]}" "$@"; }

# ------------------------------------------------------------------ cleanup --
stop_all() {
    # Stop every cluster of (this or a previous) run found in BENCH_DIR.
    local d
    for d in "$BENCH_DIR"/data_*; do
        [[ -f "$d/postmaster.pid" ]] || continue
        as_pg "$PGBIN/pg_ctl" -D "$d" -m fast -t 30 stop >/dev/null 2>&1 ||
            as_pg "$PGBIN/pg_ctl" -D "$d" -m immediate -t 30 stop >/dev/null 2>&1 || true
    done
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -d "$BENCH_DIR" ]]; then
        log "stopping clusters and removing $BENCH_DIR"
        stop_all
        if [[ $rc -ne 0 ]]; then
            # keep nothing, but show the server logs' tail to help diagnose
            for f in "$BENCH_DIR"/log_*.log; do
                [[ -f "$f" ]] || continue
                echo "---- tail of $f ----" >&2; tail -n 15 "$f" >&2 || true
            done
        fi
        rm -rf -- "$BENCH_DIR"
    fi
    [[ $rc -ne 0 ]] && echo "overhead.sh: FAILED (exit $rc)" >&2
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -e "$BENCH_DIR" ]]; then
    log "removing previous run's $BENCH_DIR"
    stop_all
    rm -rf -- "$BENCH_DIR"
fi
mkdir -p "$BENCH_DIR"
chmod 700 "$BENCH_DIR"
[[ $(id -u) -eq 0 ]] && chown "$OSUSER": "$BENCH_DIR"
as_pg test -w "$BENCH_DIR" || die "$OSUSER cannot write to $BENCH_DIR (is a parent directory not traversable?)"
mkdir -p "$(dirname "$OUT")" || die "cannot create $(dirname "$OUT")"

# ----------------------------------------------------------------- clusters --
psql_c() {  # psql_c CONFIG SQL...
    local cfg=$1; shift
    as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$BENCH_DIR" -p "${PORT[$cfg]}" -d "$DB" -At "$@"
}

# CPU pinning (PIN=1, the default on 2+ CPUs): the servers run on the last CPU and pgbench on
# the first, so that scheduling does not decide whether client and backend share a core (the
# main noise of 1-client runs on a 2-CPU machine). All backends then share one CPU: the TPS is
# bounded by server CPU, which is what an overhead ratio should compare.
SERVER_PIN=""
CLIENT_PIN=""
if [[ "${PIN:-1}" == 1 ]] && command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
    SERVER_PIN="taskset -c $(( $(nproc) - 1 ))"
    CLIENT_PIN="taskset -c 0"
fi
log "pinning: server '${SERVER_PIN:-none}', pgbench '${CLIENT_PIN:-none}'"

if [[ "$ATTRIBUTION" == 1 ]]; then
    if ! command -v perf >/dev/null && [[ $(id -u) -eq 0 ]]; then
        log "installing linux-perf (CPU attribution)"
        apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq linux-perf >/dev/null 2>&1 || true
    fi
    if [[ -z "$SERVER_PIN" ]] || ! perf record -e cpu-clock -o /dev/null -- true >/dev/null 2>&1; then
        log "CPU attribution skipped: perf unusable here (or no CPU pinning)"
        ATTRIBUTION=0
    fi
fi

for cfg in "${CONFIGS[@]}"; do
    d=$BENCH_DIR/data_$cfg
    log "[$cfg] initdb (port ${PORT[$cfg]})"
    as_pg "$PGBIN/initdb" -D "$d" -U postgres -A trust -E UTF8 --no-sync >"$BENCH_DIR/initdb_$cfg.log" 2>&1 ||
        { cat "$BENCH_DIR/initdb_$cfg.log" >&2; die "initdb failed for $cfg"; }
    {
        echo "# --- pg_advisor overhead benchmark ---"
        echo "port = ${PORT[$cfg]}"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$BENCH_DIR'"
        echo "fsync = off"
        echo "shared_buffers = 256MB"
        echo "max_connections = $MAX_CONNECTIONS"
        echo "shared_preload_libraries = '${PRELOAD[$cfg]}'"
    } | as_pg tee -a "$d/postgresql.conf" >/dev/null
    log "[$cfg] start"
    as_pg $SERVER_PIN "$PGBIN/pg_ctl" -D "$d" -l "$BENCH_DIR/log_$cfg.log" -w -t 60 start >/dev/null ||
        { tail -n 30 "$BENCH_DIR/log_$cfg.log" >&2 || true; die "cluster $cfg failed to start (see log above)"; }
    as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$BENCH_DIR" -p "${PORT[$cfg]}" -d postgres \
        -c "CREATE DATABASE $DB" || die "CREATE DATABASE failed on $cfg"
    log "[$cfg] pgbench -i -s $SCALE -q"
    as_pg "$PGBIN/pgbench" -h "$BENCH_DIR" -p "${PORT[$cfg]}" -i -s "$SCALE" -q "$DB" \
        >"$BENCH_DIR/init_$cfg.log" 2>&1 ||
        { cat "$BENCH_DIR/init_$cfg.log" >&2; die "pgbench -i failed on $cfg"; }
    if [[ -n "${PRELOAD[$cfg]}" ]]; then
        psql_c "$cfg" -c "CREATE EXTENSION ${PRELOAD[$cfg]}" || die "CREATE EXTENSION ${PRELOAD[$cfg]} failed on $cfg"
    fi
    psql_c "$cfg" -c "VACUUM ANALYZE" -c CHECKPOINT || die "VACUUM/CHECKPOINT failed on $cfg"
    got=$(psql_c "$cfg" -c "SHOW shared_preload_libraries")
    [[ "$got" == "${PRELOAD[$cfg]}" ]] || die "$cfg: shared_preload_libraries is '$got', expected '${PRELOAD[$cfg]}'"
done

# ------------------------------------------------------------- measurement --
postmaster_pid() { head -n 1 "$BENCH_DIR/data_$1/postmaster.pid"; }

children_cpu_ticks() {  # cutime + cstime of the postmaster (fields 16, 17)
    local pid stat rest
    pid=$(postmaster_pid "$1")
    stat=$(<"/proc/$pid/stat") || die "cannot read /proc/$pid/stat ($1 postmaster gone?)"
    rest=${stat##*) }            # drop "pid (comm) "; rest starts at field 3
    local -a f
    read -r -a f <<<"$rest"
    echo $(( f[13] + f[14] ))    # field 16 = f[13], field 17 = f[14]
}

wait_backends_gone() {
    # Wait until the client backends of the run have exited AND been reaped by
    # the postmaster (no "[local]" backend and no zombie among its children).
    # Uses /proc only: no extra connection, so nothing is added to the measure.
    local ppid i c busy st cmd
    ppid=$(postmaster_pid "$1")
    for ((i = 0; i < 200; i++)); do
        busy=0
        [[ -r /proc/$ppid/task/$ppid/children ]] || die "$1: postmaster $ppid is gone"
        for c in $(<"/proc/$ppid/task/$ppid/children"); do
            st=$(cat "/proc/$c/stat" 2>/dev/null) || continue     # already reaped
            st=${st##*) }
            # zombie = exited but not yet reaped (its CPU not yet in cutime)
            [[ "${st%% *}" == Z ]] && { busy=1; break; }
            cmd=$(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null || true)
            # empty cmdline = exiting right now; "[local]" = client backend
            [[ -z "$cmd" || "$cmd" == *"[local]"* ]] && { busy=1; break; }
        done
        ((busy == 0)) && return 0
        sleep 0.05
    done
    die "$1: backends of the run did not exit within 10 s"
}

RAW=$BENCH_DIR/raw.tsv
: >"$RAW"

run_pgbench() {  # run_pgbench CONFIG PROTOCOL CLIENTS SECONDS -> output on stdout
    local cfg=$1 proto=$2 clients=$3 secs=$4 out
    if ! out=$(as_pg $CLIENT_PIN "$PGBIN/pgbench" -h "$BENCH_DIR" -p "${PORT[$cfg]}" -n -S -M "$proto" \
                   -c "$clients" -j "$clients" -T "$secs" "$DB" 2>&1); then
        echo "$out" >&2
        die "pgbench failed on $cfg (-M $proto -c $clients)"
    fi
    printf '%s\n' "$out"
}

measure() {  # measure ROUND CONFIG PROTOCOL CLIENTS
    local round=$1 cfg=$2 proto=$3 clients=$4 before after out tps tx
    wait_backends_gone "$cfg"
    before=$(children_cpu_ticks "$cfg")
    out=$(run_pgbench "$cfg" "$proto" "$clients" "$DURATION")
    wait_backends_gone "$cfg"
    after=$(children_cpu_ticks "$cfg")
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' <<<"$out")
    tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
    [[ -n "$tps" && -n "$tx" ]] || { echo "$out" >&2; die "cannot parse pgbench output ($cfg -M $proto -c $clients)"; }
    (( tx > 0 )) || die "pgbench processed no transaction ($cfg -M $proto -c $clients)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$proto" "$clients" "$cfg" "$tps" "$tx" "$((after - before))" >>"$RAW"
    log "round $round  -M $proto -c $clients  $(printf '%-18s' "$cfg")  tps=$tps  tx=$tx  cpu_ticks=$((after - before))"
}

log "warm-up: ${WARMUP}s per cluster and protocol"
for cfg in "${CONFIGS[@]}"; do
    for proto in "${PROTOCOLS[@]}"; do
        run_pgbench "$cfg" "$proto" 2 "$WARMUP" >/dev/null
    done
done

ncombo=$(( ${#PROTOCOLS[@]} * ${#CLIENTS[@]} ))
log "measuring: $ROUNDS round(s) x $ncombo combinations x ${#CONFIGS[@]} configurations x ${DURATION}s"
for ((round = 1; round <= ROUNDS; round++)); do
    k=0
    for proto in "${PROTOCOLS[@]}"; do
        for clients in "${CLIENTS[@]}"; do
            # rotate the order by round and by combination: no config always first
            off=$(( (round - 1 + k) % ${#CONFIGS[@]} ))
            for ((i = 0; i < ${#CONFIGS[@]}; i++)); do
                cfg=${CONFIGS[(off + i) % ${#CONFIGS[@]}]}
                measure "$round" "$cfg" "$proto" "$clients"
            done
            k=$((k + 1))
        done
    done
done

# Sanity check (after all measurements): both extensions really recorded the
# benchmark's statement, otherwise the overhead measured would be meaningless.
PSS_CALLS=$(psql_c pg_stat_statements -c \
    "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '%FROM pgbench_accounts%'") ||
    die "cannot query pg_stat_statements"
PGA_CALLS=$(psql_c pg_advisor -c \
    "SELECT coalesce(sum(calls), 0) FROM advisor.query_patterns WHERE query LIKE '%FROM pgbench_accounts%'") ||
    die "cannot query advisor.query_patterns"
log "recorded calls of the pgbench query: pg_stat_statements=$PSS_CALLS pg_advisor=$PGA_CALLS"
[[ "$PSS_CALLS" =~ ^[1-9][0-9]*$ ]] || die "pg_stat_statements recorded no call of the pgbench query"
[[ "$PGA_CALLS" =~ ^[1-9][0-9]*$ ]] || die "pg_advisor recorded no call of the pgbench query (pg_advisor.enabled off?)"

# ------------------------------------------------------- CPU attribution --
ATTR=$BENCH_DIR/attribution.tsv
: >"$ATTR"
if [[ "$ATTRIBUTION" == 1 ]]; then
    declare -A LIBRARY=([pg_stat_statements]=pg_stat_statements.so [pg_advisor]=pg_advisor.so)
    server_cpu=${SERVER_PIN##* }
    for ((attr_run = 1; attr_run <= ATTR_RUNS; attr_run++)); do
    for proto in "${PROTOCOLS[@]}"; do
        for clients in "${CLIENTS[@]}"; do
            for cfg in pg_stat_statements pg_advisor; do
                data=$BENCH_DIR/perf_${cfg}_${proto}_$clients.data
                run_pgbench "$cfg" "$proto" "$clients" $((ATTR_SECONDS + 2)) >/dev/null &
                pgbench_pid=$!
                sleep 1
                perf record -q -F "$ATTR_FREQ" -e cpu-clock --call-graph dwarf,8192 -C "$server_cpu" \
                    -o "$data" -- sleep "$ATTR_SECONDS" >/dev/null 2>&1 ||
                    die "perf record failed ($cfg -M $proto -c $clients)"
                wait "$pgbench_pid"
                result=$(perf script -i "$data" -F comm,pid,ip,sym,dso 2>/dev/null |
                         "$PY" "$SCRIPT_DIR/cpu_share.py" "${LIBRARY[$cfg]}")
                read -r samples mine share <<<"$(head -n 1 <<<"$result")"
                # No backend sample is no measurement (perf could not keep up, e.g. with many
                # clients' DWARF stacks): say so rather than report a share of 0%.
                [[ "${samples:-0}" -gt 0 ]] ||
                    die "perf recorded no server backend samples ($cfg -M $proto -c $clients); run with ATTRIBUTION=0"
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$proto" "$clients" "$cfg" "$samples" "$mine" "$share" >>"$ATTR"
                log "attribution run $attr_run -M $proto -c $clients  $(printf '%-18s' "$cfg")  ${share}% of $samples samples"
                sed -n '2,6p' <<<"$result" >&2
                rm -f "$data"
            done
        done
    done
    done
fi

# ------------------------------------------------------------------ report --
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
[[ -n "$CPU_MODEL" ]] || CPU_MODEL=unknown
SERVER_VERSION=$(psql_c none -c "SELECT version()")
REPORT=$BENCH_DIR/report.md

"$PY" - "$RAW" "$CLK_TCK" "$ATTR" >"$BENCH_DIR/table.md" <<'PYEOF' || die "report generation failed"
import sys, statistics
raw, clk = sys.argv[1], int(sys.argv[2])
configs = ["none", "pg_stat_statements", "pg_advisor"]
runs = {}   # (round, proto, clients, cfg) -> (tps, cpu_us_per_tx)
for line in open(raw):
    rnd, proto, clients, cfg, tps, tx, ticks = line.rstrip("\n").split("\t")
    runs[(int(rnd), proto, int(clients), cfg)] = (float(tps), int(ticks) / clk * 1e6 / int(tx))
rounds = sorted({k[0] for k in runs})
combos = []
for k in runs:
    if (k[1], k[2]) not in combos:
        combos.append((k[1], k[2]))
combos.sort(key=lambda c: (["prepared", "simple"].index(c[0]) if c[0] in ("prepared", "simple") else 9, c[1]))
med = statistics.median
print("| protocol | clients | configuration | median TPS | TPS ratio vs none | backend CPU µs/tx | CPU ratio vs none |")
print("|---|---:|---|---:|---:|---:|---:|")
for proto, clients in combos:
    for cfg in configs:
        tps = [runs[(r, proto, clients, cfg)][0] for r in rounds]
        cpu = [runs[(r, proto, clients, cfg)][1] for r in rounds]
        tr = [runs[(r, proto, clients, cfg)][0] / runs[(r, proto, clients, "none")][0] for r in rounds]
        cr = [runs[(r, proto, clients, cfg)][1] / runs[(r, proto, clients, "none")][1]
              if runs[(r, proto, clients, "none")][1] > 0 else float("nan") for r in rounds]
        print(f"| {proto} | {clients} | {cfg} | {med(tps):.0f} | {med(tr):.3f} | {med(cpu):.1f} | {med(cr):.3f} |")
attr = [line.rstrip("\n").split("\t") for line in open(sys.argv[3]) if line.strip()]
if attr:
    print()
    print("CPU attribution (perf samples of the server CPU, one run each):")
    print()
    print("| protocol | clients | configuration | runs | samples per run | CPU share per run | median share | CPU ratio vs none |")
    print("|---|---:|---|---:|---:|---|---:|---:|")
    cells = {}
    for proto, clients, cfg, samples, mine, share in attr:
        cells.setdefault((proto, int(clients), cfg), []).append((int(samples), float(share)))
    for (proto, clients, cfg), runs in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] != "pg_stat_statements")):
        shares = [r[1] for r in runs]
        m = med(shares)
        per_run = ", ".join(f"{x:.2f}%" for x in shares)
        print(f"| {proto} | {clients} | {cfg} | {len(runs)} | {med([r[0] for r in runs]):.0f} | {per_run} | {m:.2f}% | {1 / (1 - m / 100):.3f} |")
print()
print("<details><summary>Per-run data</summary>")
print()
print("| round | protocol | clients | configuration | TPS | backend CPU µs/tx |")
print("|---:|---|---:|---|---:|---:|")
with open(raw) as f:
    for line in f:
        rnd, proto, clients, cfg, tps, tx, ticks = line.rstrip("\n").split("\t")
        print(f"| {rnd} | {proto} | {clients} | {cfg} | {float(tps):.0f} | {int(ticks) / clk * 1e6 / int(tx):.1f} |")
print()
print("</details>")
PYEOF

{
    echo "# pg_advisor overhead benchmark"
    echo
    echo "- Date: $(date '+%F %T %Z')"
    echo "- Machine: nproc = $(nproc), CPU: $CPU_MODEL"
    echo "- PostgreSQL: $SERVER_VERSION"
    echo "- Workload: pgbench -S (select-only), -n, -c N -j N, scale $SCALE, duration ${DURATION}s per run, $ROUNDS round(s), warm-up ${WARMUP}s per cluster and protocol"
    echo "- CPU pinning: servers '${SERVER_PIN:-none}', pgbench '${CLIENT_PIN:-none}'"
    echo "- Settings: fsync = off, shared_buffers = 256MB, max_connections = $MAX_CONNECTIONS, Unix sockets; extensions with default settings"
    echo "- Order of configurations rotated per round and combination; ratios are per-round (side by side), then median over rounds"
    echo "- TPS ratio < 1.0 = slower than \`none\`; CPU ratio > 1.0 = more backend CPU per transaction than \`none\`"
    echo "- Backend CPU = postmaster's reaped children CPU (cutime + cstime) delta per run / transactions; CLK_TCK = $CLK_TCK"
    echo "- Sanity check: calls of the pgbench query recorded by pg_stat_statements = $PSS_CALLS, by pg_advisor = $PGA_CALLS"
    echo
    cat "$BENCH_DIR/table.md"
} >"$REPORT"

cp "$REPORT" "$OUT" || die "cannot write $OUT"
echo
cat "$REPORT"
echo
log "report written to $OUT"
