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

# libFuzzer targets (clang, ASan + UBSan). fuzz_build DIR NAME TARGET_CPP "LIBS" SOURCE...
# compiles the sources in parallel and links DIR/NAME, asserting that it built; fuzz_run DIR
# NAME runs it over DIR/corpus for PGA_FUZZ_SECONDS (default 60), asserting no crash, leak or
# sanitizer error and that it ran at least 100 inputs.
fuzz_build() {
  local dir="$1" name="$2" target="$3" libs="$4"; shift 4
  local flags="-std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined"
  flags+=" -fno-sanitize-recover=undefined -DFMT_HEADER_ONLY -I$PGA_ROOT/src"
  rm -rf "$dir/obj" "$dir/build.log"
  mkdir -p "$dir/obj" "$dir/corpus"
  pga_log "building the $name fuzzer ($# files)"
  local rc=0
  printf '%s\n' "$@" | FLAGS="$flags" OBJ="$dir/obj" xargs -P "$(nproc)" -I{} bash -c \
    'clang++ $FLAGS -c "$1" -o "$OBJ/$(echo "$1" | md5sum | cut -c1-12).o"' _ {} \
    >>"$dir/build.log" 2>&1 || rc=$?
  # shellcheck disable=SC2086
  [ $rc -eq 0 ] && { clang++ $flags -fsanitize=fuzzer "$target" "$dir"/obj/*.o $libs \
    -o "$dir/$name" >>"$dir/build.log" 2>&1 || rc=$?; }
  [ $rc -eq 0 ] || tail -n 40 "$dir/build.log"
  expect_eq "the $name fuzzer builds" "$rc" 0
}

fuzz_run() {
  local dir="$1" name="$2" seconds="${PGA_FUZZ_SECONDS:-60}" rc=0 runs
  pga_log "fuzzing $name for ${seconds}s"
  ( cd "$dir" && "./$name" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
      -rss_limit_mb=2048 corpus >"$dir/fuzz.log" 2>&1 ) || rc=$?
  runs=$(grep -oE "Done [0-9]+ runs" "$dir/fuzz.log" | grep -oE "[0-9]+" || echo 0)
  [ $rc -eq 0 ] || tail -n 40 "$dir/fuzz.log"
  expect_eq "no crash, leak or sanitizer error in ${seconds}s" "$rc" 0
  expect_true "the fuzzer ran ($runs inputs)" test "$runs" -gt 100
}
