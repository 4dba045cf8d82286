#!/usr/bin/env bash
# libFuzzer (clang, -fsanitize=fuzzer,address,undefined) over `pg_advisor lint`'s input path:
# psql blanking, splitting, libpg_query parsing and translation, every migration rule; for a
# bounded time (PGA_FUZZ_SECONDS, default 60), seeded with the migration fixtures. No crash, no
# leak, no out-of-bounds access, offsets and positions kept.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

pga_ensure_packages clang libfmt-dev libpg-query-dev
OUT="$PGA_TMP/fuzz_lint_input"
# The core (every rule registry is linked) and the CLI's lint input path.
sources=("$PGA_ROOT"/src/cli/lint/input.cpp "$PGA_ROOT"/src/cli/pg_query/*.cpp)
while IFS= read -r f; do sources+=("$f"); done < <(find "$PGA_ROOT/src/core" -name '*.cpp' | sort)
fuzz_build "$OUT" lint_input_fuzz "$PGA_ROOT/test/fuzz/lint_input_fuzz.cpp" -lpg_query "${sources[@]}"
for f in "$PGA_ROOT"/test/ddl/*/input.sql; do cp "$f" "$OUT/corpus/$(basename "$(dirname "$f")").sql"; done
fuzz_run "$OUT" lint_input_fuzz
finish
