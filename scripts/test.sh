#!/usr/bin/env bash
# Runs every test of pg_advisor on a fresh Debian machine: installs what is missing, builds,
# installs, then runs unit tests (GoogleTest), pg_regress and isolation suites against a
# throwaway cluster with pg_advisor preloaded, the no-preload suite, the rule fixtures and the
# end-to-end tests. Progress is printed as it goes; a table per suite comes before the last
# line, "N passed, N failed" (", N skipped" when a test was skipped, with the reason above it);
# every GoogleTest case, pg_regress test and end-to-end assertion counts once.
#
#   scripts/test.sh            everything
#   scripts/test.sh unit regress isolation nopreload rules e2e   only these stages
#   PGA_E2E="restart eviction" scripts/test.sh e2e               only these end-to-end tests
#   PGA_KEEP=1 scripts/test.sh   keep the clusters' data directories (removed at the end)
# One run at a time per $PGA_TMP (the clusters' ports are fixed): a second run refuses to start.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PGA_TEST_PACKAGES=(python3 python3-psycopg2 python3-alembic python3-django python3-asyncpg clang-format sqlsmith "postgresql-${PGA_PG_MAJOR}-cron" prometheus-postgres-exporter chromium)
REGRESS_PORT=55432
PLAIN_PORT=55433

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(unit regress isolation nopreload rules e2e)
want() { local s; for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

# One run at a time: the clusters live under $PGA_TMP on fixed ports.
# (A pid file rather than a held lock: the clusters a run starts must not inherit the lock.)
mkdir -p "$PGA_TMP"
RUN_PID_FILE="$PGA_TMP/.test.pid"
if [ -f "$RUN_PID_FILE" ] && kill -0 "$(cat "$RUN_PID_FILE" 2>/dev/null)" 2>/dev/null; then
  pga_die "another scripts/test.sh (pid $(cat "$RUN_PID_FILE")) is running with $PGA_TMP and its ports (55400-55700); wait for it to end"
fi
echo $$ >"$RUN_PID_FILE"
trap 'rm -f "$RUN_PID_FILE"' EXIT

PASSED=0
FAILED=0
SKIPPED=0
failures=()
skip_reasons=()
suite_rows=()
# Adds a stage's counts: count PASS FAIL.
count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); }

run_stage() {
  local name="$1"; shift
  pga_log "$name"
  local start=$SECONDS before_failed=$FAILED before_passed=$PASSED before_skipped=$SKIPPED
  local verdict=ok
  if "$@" && [ "$FAILED" -eq "$before_failed" ]; then
    printf '    %s: ok (%ss)\n' "$name" $((SECONDS - start)) >&2
  else
    verdict=FAILED
    printf '    %s: FAILED (%ss)\n' "$name" $((SECONDS - start)) >&2
    failures+=("$name")
    # A stage that failed without a failed test (a build or set-up error) counts as one.
    [ "$FAILED" -gt "$before_failed" ] || count 0 1
  fi
  suite_rows+=("$(printf '%-28s %7d %7d %7d %6ss  %s' "$name" $((PASSED - before_passed)) \
    $((FAILED - before_failed)) $((SKIPPED - before_skipped)) $((SECONDS - start)) "$verdict")")
}

pga_ensure_packages "${PGA_BUILD_PACKAGES[@]}" "${PGA_TEST_PACKAGES[@]}"
pga_build_install

unit_tests() {
  local log="$PGA_LOG_DIR/unit.log"
  ( cd "$PGA_ROOT/build" && ctest --output-on-failure -j"$(nproc)" >"$log" 2>&1 )
  local rc=$?
  local total failed
  total=$(grep -oE "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | grep -oE "[0-9]+$" || echo 0)
  failed=$(grep -oE "[0-9]+ tests failed" "$log" | grep -oE "^[0-9]+" || echo 1)
  # Skipped GoogleTest cases (GTEST_SKIP) are listed by ctest as "(Skipped)": counted apart,
  # each with its reason (the test's own skip message).
  local skipped=() t reason
  mapfile -t skipped < <(grep -E "\(Skipped\)" "$log" | sed -E 's/^[[:space:]]*[0-9]+ - ([^ ]+) .*/\1/' | sort -u)
  for t in "${skipped[@]}"; do
    [ -n "$t" ] || continue
    reason=""
    for bin in cli_tests unit_tests; do
      [ -x "$PGA_ROOT/build/$bin" ] || continue
      reason=$("$PGA_ROOT/build/$bin" --gtest_filter="$t" 2>&1 | grep -A1 "Skipped$" | tail -n 1 | sed 's/^[[:space:]]*//')
      [ -n "$reason" ] && break
    done
    skip_reasons+=("$t: ${reason:-skipped}")
  done
  SKIPPED=$((SKIPPED + ${#skipped[@]}))
  count $((total - failed - ${#skipped[@]})) "$failed"
  if [ $rc -ne 0 ]; then
    grep -E "Failure|FAILED|Expected|Which is|error" "$log" | head -60
    return 1
  fi
  tail -n 3 "$log" >&2
}

# Counts pg_regress's "test NAME ... ok|FAILED" lines of a log.
count_regress() {
  local log="$1" ok bad
  ok=$(grep -cE "^(ok |test .* \.\.\. ok)" "$log" || true)
  bad=$(grep -cE "^(not ok |test .* \.\.\. FAILED)" "$log" || true)
  count "$ok" "$bad"
  grep -E "^(ok|not ok|test )" "$log" | sed 's/^/    /' >&2 || true
}

# pg_regress / isolation through PGXS against the preloaded cluster.
installcheck() {
  local what="$1"; shift
  ( cd "$PGA_ROOT" && rm -rf results output_iso regression.diffs regression.out &&
    make installcheck PGHOST="$(pga_cluster_host regress)" PGPORT=$REGRESS_PORT PGUSER=postgres \
      "$@" >"$PGA_LOG_DIR/$what.log" 2>&1 )
  local rc=$?
  count_regress "$PGA_LOG_DIR/$what.log"
  [ $rc -eq 0 ] && return 0
  for f in "$PGA_ROOT/regression.diffs" "$PGA_ROOT/output_iso/regression.diffs"; do
    [ -f "$f" ] && head -n 200 "$f"
  done
  return 1
}

regress_tests() { installcheck regress ISOLATION=; }
isolation_tests() { installcheck isolation REGRESS=; }

nopreload_tests() {
  pga_cluster_start plain $PLAIN_PORT
  ( cd "$PGA_ROOT" && rm -rf results regression.diffs &&
    make installcheck PGHOST="$(pga_cluster_host plain)" PGPORT=$PLAIN_PORT PGUSER=postgres \
      REGRESS=no_preload ISOLATION= >"$PGA_LOG_DIR/nopreload.log" 2>&1 )
  local rc=$?
  pga_cluster_stop plain
  count_regress "$PGA_LOG_DIR/nopreload.log"
  [ $rc -eq 0 ] || { [ -f "$PGA_ROOT/regression.diffs" ] && cat "$PGA_ROOT/regression.diffs"; }
  return $rc
}

# Runs one shell test whose assertions print "ok - ..." / "not ok - ..."; counts them.
assertions() {
  local label="$1" log="$2"; shift 2
  "$@" >"$log" 2>&1
  local rc=$? ok bad
  ok=$(grep -cE "^ok - " "$log" || true)
  bad=$(grep -cE "^not ok - " "$log" || true)
  # A script that died before its assertions failed counts as one failure.
  [ $rc -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
  count "$ok" "$bad"
  if [ $rc -ne 0 ]; then
    grep -E "^not ok - " "$log" | head -n 20 | sed 's/^/    /' >&2
    tail -n 40 "$log"
    printf '    %s: FAILED (%s passed, %s failed)\n' "$label" "$ok" "$bad" >&2
    return 1
  fi
  printf '    %s: %s passed\n' "$label" "$ok" >&2
}

# Every rule fixture twice: through the command line over libpq, and through advisor.findings.
rules_tests() {
  local rc=0
  assertions "rule fixtures (pg_advisor review over libpq)" "$PGA_LOG_DIR/rules-cli.log" \
    bash "$PGA_ROOT/test/rules/run.sh" || rc=1
  assertions "rule fixtures (advisor.findings)" "$PGA_LOG_DIR/rules-server.log" \
    bash "$PGA_ROOT/test/rules/run.sh" --server || rc=1
  assertions "migration fixtures (pg_advisor lint offline)" "$PGA_LOG_DIR/ddl-cli.log" \
    bash "$PGA_ROOT/test/ddl/run_cli.sh" || rc=1
  assertions "migration fixtures (pg_advisor lint --dsn)" "$PGA_LOG_DIR/ddl-cli-dsn.log" \
    bash "$PGA_ROOT/test/ddl/run_cli.sh" --dsn || rc=1
  assertions "migration fixtures (advisor.lint_ddl)" "$PGA_LOG_DIR/ddl-server.log" \
    bash "$PGA_ROOT/test/ddl/run.sh" --server || rc=1
  return $rc
}

e2e_tests() {
  local t name rc=0
  for t in "$PGA_ROOT"/test/e2e/*.sh; do
    name=$(basename "$t" .sh)
    [ "$name" = e2e_lib ] && continue
    if [ -n "${PGA_E2E:-}" ] && [[ " $PGA_E2E " != *" $name "* ]]; then continue; fi
    pga_log "  e2e: $name"
    assertions "$name" "$PGA_LOG_DIR/e2e-$name.log" bash "$t" || rc=1
  done
  return $rc
}

want unit && run_stage "unit tests (GoogleTest)" unit_tests
if want regress || want isolation; then
  # DDL review stays off for the suites about other things (their DROP TABLEs would warn);
  # sql/ddl_review.sql turns it on.
  pga_cluster_start regress $REGRESS_PORT "shared_preload_libraries = 'pg_advisor'" \
    "pg_advisor.verify_query_ids = on" "pg_advisor.ddl_review = off"
  want regress && run_stage "pg_regress" regress_tests
  want isolation && run_stage "isolation" isolation_tests
  pga_cluster_stop regress
fi
want nopreload && run_stage "pg_regress without preload" nopreload_tests
want rules && run_stage "rule fixtures" rules_tests
want e2e && run_stage "end-to-end" e2e_tests

# The clusters' data directories (hundreds of MB) go unless PGA_KEEP is set; a running cluster
# (the demo's, say) and the logs stay.
if [ -z "${PGA_KEEP:-}" ]; then
  freed=0
  for d in "$PGA_TMP"/*/; do
    d="${d%/}"
    case "$(basename "$d")" in logs|demo) continue ;; esac
    [ -d "$d/data" ] || continue
    [ -f "$d/data/postmaster.pid" ] && continue
    freed=$((freed + $(du -sm "$d" 2>/dev/null | cut -f1)))
    pga_as_root rm -rf "$d"
  done
  pga_log "removed the test clusters' directories (${freed} MB; PGA_KEEP=1 keeps them)"
fi

printf '\n%-28s %7s %7s %7s %7s  %s\n' suite passed failed skipped time result
for row in "${suite_rows[@]}"; do printf '%s\n' "$row"; done
if [ ${#skip_reasons[@]} -gt 0 ]; then
  printf '\nskipped:\n'
  for r in "${skip_reasons[@]}"; do printf '  %s\n' "$r"; done
fi
[ ${#failures[@]} -eq 0 ] || printf '\nFAILED: %s\n' "${failures[*]}" >&2
if [ "$SKIPPED" -gt 0 ]; then
  printf '\n%d passed, %d failed, %d skipped\n' "$PASSED" "$FAILED" "$SKIPPED"
else
  printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
fi
[ "$FAILED" -eq 0 ]
