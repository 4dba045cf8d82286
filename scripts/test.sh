#!/usr/bin/env bash
# Runs every test of pg_advisor on a fresh Debian machine: installs what is missing, builds,
# installs, then runs unit tests (GoogleTest), pg_regress and isolation suites against a
# throwaway cluster with pg_advisor preloaded, the no-preload suite, the rule fixtures and the
# end-to-end tests. Progress is printed as it goes; the last line is "N passed, N failed"
# (every GoogleTest case, pg_regress test and end-to-end assertion counts once).
#
#   scripts/test.sh            everything
#   scripts/test.sh unit regress isolation nopreload rules e2e   only these stages
#   PGA_E2E="restart eviction" scripts/test.sh e2e               only these end-to-end tests
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PGA_TEST_PACKAGES=(python3 python3-psycopg2 python3-alembic python3-django python3-asyncpg clang-format sqlsmith "postgresql-${PGA_PG_MAJOR}-cron" prometheus-postgres-exporter chromium)
REGRESS_PORT=55432
PLAIN_PORT=55433

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(unit regress isolation nopreload rules e2e)
want() { local s; for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

PASSED=0
FAILED=0
failures=()
# Adds a stage's counts: count PASS FAIL.
count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); }

run_stage() {
  local name="$1"; shift
  pga_log "$name"
  local start=$SECONDS before_failed=$FAILED
  if "$@" && [ "$FAILED" -eq "$before_failed" ]; then
    printf '    %s: ok (%ss)\n' "$name" $((SECONDS - start)) >&2
  else
    printf '    %s: FAILED (%ss)\n' "$name" $((SECONDS - start)) >&2
    failures+=("$name")
    # A stage that failed without a failed test (a build or set-up error) counts as one.
    [ "$FAILED" -gt "$before_failed" ] || count 0 1
  fi
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
  count $((total - failed)) "$failed"
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

[ ${#failures[@]} -eq 0 ] || printf '\nFAILED: %s\n' "${failures[*]}" >&2
printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
