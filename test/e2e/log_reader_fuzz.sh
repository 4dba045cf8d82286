#!/usr/bin/env bash
# libFuzzer (clang, -fsanitize=fuzzer,address) over analyze-log's readers and analyser for a
# bounded time (PGA_FUZZ_SECONDS, default 60): no crash, no leak, no out-of-bounds access.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

pga_ensure_packages clang zlib1g-dev libfmt-dev
SECONDS_BUDGET="${PGA_FUZZ_SECONDS:-60}"
OUT="$PGA_TMP/fuzz_log_reader"
mkdir -p "$OUT/corpus"
cp "$PGA_ROOT"/test/fuzz/corpus/log_reader/* "$OUT/corpus/"

core_sources=(
  "$PGA_ROOT"/src/core/loops/*.cpp "$PGA_ROOT"/src/core/sql/*.cpp
  "$PGA_ROOT"/src/core/workload/session_tracker.cpp "$PGA_ROOT"/src/core/workload/scan_shape.cpp
)
pga_log "building the fuzzer"
rc=0
clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -DFMT_HEADER_ONLY -I"$PGA_ROOT/src" "$PGA_ROOT/test/fuzz/log_reader_fuzz.cpp" \
  "$PGA_ROOT"/src/cli/log/*.cpp "${core_sources[@]}" -lz -o "$OUT/log_reader_fuzz" \
  >"$OUT/build.log" 2>&1 || rc=$?
[ $rc -eq 0 ] || cat "$OUT/build.log"
expect_eq "the log reader fuzzer builds" "$rc" 0

pga_log "fuzzing for ${SECONDS_BUDGET}s"
rc=0
( cd "$OUT" && ./log_reader_fuzz -max_total_time="$SECONDS_BUDGET" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 corpus >"$OUT/fuzz.log" 2>&1 ) || rc=$?
runs=$(grep -oE "Done [0-9]+ runs" "$OUT/fuzz.log" | grep -oE "[0-9]+" || echo 0)
[ $rc -eq 0 ] || tail -n 40 "$OUT/fuzz.log"
expect_eq "no crash, leak or sanitizer error in ${SECONDS_BUDGET}s" "$rc" 0
expect_true "the fuzzer ran ($runs inputs)" test "$runs" -gt 100
finish
