#!/usr/bin/env bash
# libFuzzer (clang, -fsanitize=fuzzer,address) over analyze-log's readers and analyser for a
# bounded time (PGA_FUZZ_SECONDS, default 60): no crash, no leak, no out-of-bounds access.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

pga_ensure_packages clang zlib1g-dev libfmt-dev
OUT="$PGA_TMP/fuzz_log_reader"
sources=("$PGA_ROOT"/src/cli/log/*.cpp "$PGA_ROOT"/src/core/loops/*.cpp "$PGA_ROOT"/src/core/sql/*.cpp
         "$PGA_ROOT"/src/core/workload/session_tracker.cpp "$PGA_ROOT"/src/core/workload/scan_shape.cpp)
fuzz_build "$OUT" log_reader_fuzz "$PGA_ROOT/test/fuzz/log_reader_fuzz.cpp" -lz "${sources[@]}"
cp "$PGA_ROOT"/test/fuzz/corpus/log_reader/* "$OUT/corpus/"
fuzz_run "$OUT" log_reader_fuzz
finish
