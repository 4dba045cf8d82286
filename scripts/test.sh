#!/usr/bin/env bash
# Runs every test of pg_advisor on a fresh Debian machine: installs what is missing, builds,
# installs, then runs unit tests (GoogleTest), pg_regress and isolation suites against a
# throwaway cluster with pg_advisor preloaded, the no-preload suite, and the end-to-end tests.
#
#   scripts/test.sh            everything
#   scripts/test.sh unit regress isolation e2e   only these stages
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PGA_TEST_PACKAGES=(python3 python3-psycopg2 python3-asyncpg clang-format sqlsmith)
REGRESS_PORT=55432
PLAIN_PORT=55433

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(unit regress isolation nopreload e2e)
want() { local s; for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

failures=()
run_stage() {
  local name="$1"; shift
  pga_log "$name"
  local start=$SECONDS
  if "$@"; then
    printf '    %s: ok (%ss)\n' "$name" $((SECONDS - start)) >&2
  else
    printf '    %s: FAILED (%ss)\n' "$name" $((SECONDS - start)) >&2
    failures+=("$name")
  fi
}

pga_ensure_packages "${PGA_BUILD_PACKAGES[@]}" "${PGA_TEST_PACKAGES[@]}"
pga_build_install

unit_tests() {
  ( cd "$PGA_ROOT/build" && ctest --output-on-failure -j"$(nproc)" >"$PGA_LOG_DIR/unit.log" 2>&1 ) ||
    { grep -E "Failure|FAILED|Expected|Which is|error" "$PGA_LOG_DIR/unit.log" | head -60; return 1; }
  tail -n 3 "$PGA_LOG_DIR/unit.log" >&2
}

# pg_regress / isolation through PGXS against the preloaded cluster.
installcheck() {
  local what="$1"; shift
  ( cd "$PGA_ROOT" && rm -rf results output_iso regression.diffs regression.out &&
    make installcheck PGHOST="$(pga_cluster_host regress)" PGPORT=$REGRESS_PORT PGUSER=postgres \
      "$@" >"$PGA_LOG_DIR/$what.log" 2>&1 ) && { grep -E "^(ok|not ok|# |test |     )" "$PGA_LOG_DIR/$what.log" | tail -n 20 >&2; return 0; }
  cat "$PGA_LOG_DIR/$what.log"
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
  [ $rc -eq 0 ] || { cat "$PGA_LOG_DIR/nopreload.log"; [ -f "$PGA_ROOT/regression.diffs" ] && cat "$PGA_ROOT/regression.diffs"; }
  return $rc
}

e2e_tests() {
  local t rc=0
  for t in "$PGA_ROOT"/test/e2e/*.sh; do
    pga_log "  e2e: $(basename "$t")"
    if ! bash "$t" >"$PGA_LOG_DIR/e2e-$(basename "$t" .sh).log" 2>&1; then
      tail -n 60 "$PGA_LOG_DIR/e2e-$(basename "$t" .sh).log"
      printf '    e2e %s: FAILED\n' "$(basename "$t")" >&2
      rc=1
    else
      grep -E "^(PASS|ok)" "$PGA_LOG_DIR/e2e-$(basename "$t" .sh).log" | sed 's/^/    /' >&2 || true
    fi
  done
  return $rc
}

want unit && run_stage "unit tests (GoogleTest)" unit_tests
if want regress || want isolation; then
  pga_cluster_start regress $REGRESS_PORT "shared_preload_libraries = 'pg_advisor'" \
    "pg_advisor.verify_query_ids = on"
  want regress && run_stage "pg_regress" regress_tests
  want isolation && run_stage "isolation" isolation_tests
  pga_cluster_stop regress
fi
want nopreload && run_stage "pg_regress without preload" nopreload_tests
want e2e && run_stage "end-to-end" e2e_tests

if [ ${#failures[@]} -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failures[*]}" >&2
  exit 1
fi
printf '\nall tests passed\n' >&2
