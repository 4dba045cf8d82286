#!/usr/bin/env bash
# libFuzzer (clang, -fsanitize=fuzzer,address,undefined) over `pg_advisor lint`'s input path:
# psql blanking, splitting, libpg_query parsing and translation, every migration rule; for a
# bounded time (PGA_FUZZ_SECONDS, default 60), seeded with the migration fixtures. No crash, no
# leak, no out-of-bounds access, offsets and positions kept.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

pga_ensure_packages clang libfmt-dev libpg-query-dev
SECONDS_BUDGET="${PGA_FUZZ_SECONDS:-60}"
OUT="$PGA_TMP/fuzz_lint_input"
rm -rf "$OUT/obj"
mkdir -p "$OUT/corpus" "$OUT/obj"
for f in "$PGA_ROOT"/test/ddl/*/input.sql; do cp "$f" "$OUT/corpus/$(basename "$(dirname "$f")").sql"; done

# The core (every rule registry is linked) and the CLI's lint input path, compiled in parallel.
FLAGS=(-std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -DFMT_HEADER_ONLY -I"$PGA_ROOT/src")
sources=("$PGA_ROOT"/src/cli/lint/input.cpp "$PGA_ROOT"/src/cli/pg_query/*.cpp)
while IFS= read -r f; do sources+=("$f"); done < <(find "$PGA_ROOT/src/core" -name '*.cpp' | sort)
pga_log "building the lint input fuzzer (${#sources[@]} files)"
rc=0
export OUT
FLAGS_STR="${FLAGS[*]}"
printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -I{} bash -c \
  'clang++ '"$FLAGS_STR"' -c "$1" -o "$OUT/obj/$(echo "$1" | md5sum | cut -c1-12).o"' _ {} \
  >>"$OUT/build.log" 2>&1 || rc=$?
[ $rc -eq 0 ] && { clang++ "${FLAGS[@]}" -fsanitize=fuzzer "$PGA_ROOT/test/fuzz/lint_input_fuzz.cpp" \
  "$OUT"/obj/*.o -lpg_query -o "$OUT/lint_input_fuzz" >>"$OUT/build.log" 2>&1 || rc=$?; }
[ $rc -eq 0 ] || tail -n 40 "$OUT/build.log"
expect_eq "the lint input fuzzer builds" "$rc" 0

pga_log "fuzzing for ${SECONDS_BUDGET}s"
rc=0
( cd "$OUT" && ./lint_input_fuzz -max_total_time="$SECONDS_BUDGET" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 corpus >"$OUT/fuzz.log" 2>&1 ) || rc=$?
runs=$(grep -oE "Done [0-9]+ runs" "$OUT/fuzz.log" | grep -oE "[0-9]+" || echo 0)
[ $rc -eq 0 ] || tail -n 40 "$OUT/fuzz.log"
expect_eq "no crash, leak or sanitizer error in ${SECONDS_BUDGET}s" "$rc" 0
expect_true "the fuzzer ran ($runs inputs)" test "$runs" -gt 100
finish
