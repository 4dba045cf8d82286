# Assertions for the end-to-end shell tests. Each prints "ok - ..." or "not ok - ..." and the
# test ends with `finish`, which fails if any assertion failed.
E2E_FAILED=0

expect_eq() {
  local label="$1" actual="$2" expected="$3"
  if [ "$actual" = "$expected" ]; then
    echo "ok - $label ($actual)"
  else
    echo "not ok - $label: expected [$expected], got [$actual]"
    E2E_FAILED=$((E2E_FAILED + 1))
  fi
}

expect_true() {
  local label="$1"; shift
  if "$@"; then
    echo "ok - $label"
  else
    echo "not ok - $label (command failed: $*)"
    E2E_FAILED=$((E2E_FAILED + 1))
  fi
}

finish() {
  if [ "$E2E_FAILED" -ne 0 ]; then
    echo "FAIL: $E2E_FAILED assertion(s) failed in $(basename "$0")"
    exit 1
  fi
  echo "PASS: $(basename "$0")"
}
