#!/usr/bin/env bash
# Packaging and hygiene: META.json follows PGXN meta-spec 1.0.0 and agrees with the control
# file and install script; sources are clang-formatted; src/core never includes PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
cd "$PGA_ROOT"

meta_check=$(/usr/bin/python3 - <<'PY'
import json, re
m = json.load(open("META.json"))
problems = []
for key in ("name", "abstract", "version", "maintainer", "license", "provides", "meta-spec"):
    if key not in m:
        problems.append(f"missing {key}")
if m.get("meta-spec", {}).get("version") != "1.0.0":
    problems.append("meta-spec version is not 1.0.0")
if not re.fullmatch(r"\d+\.\d+\.\d+", m.get("version", "")):
    problems.append("version is not semantic")
pg = m.get("prereqs", {}).get("runtime", {}).get("requires", {}).get("PostgreSQL")
if pg != "14.0.0":
    problems.append(f"PostgreSQL prereq is {pg}")
control = open("pg_advisor.control").read()
default = re.search(r"default_version\s*=\s*'([^']+)'", control).group(1)
prov = m["provides"]["pg_advisor"]
if default != m["version"] or prov["version"] != m["version"]:
    problems.append(f"versions disagree: control {default}, META {m['version']}, provides {prov['version']}")
if prov["file"] != f"pg_advisor--{default}.sql":
    problems.append(f"provides.file {prov['file']} is not the install script")
import os
if not os.path.exists(prov["file"]):
    problems.append(f"{prov['file']} does not exist")
print("; ".join(problems) or "ok")
PY
)
expect_eq "META.json valid and consistent" "$meta_check" ok

unformatted=$(for f in $(find src test/unit test/bench -name '*.h' -o -name '*.cpp'); do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
expect_eq "sources are clang-formatted" "${unformatted:-none}" none

pg_in_core=$(grep -rlE '#include +["<](postgres|fmgr|utils/|nodes/|access/|catalog/[a-z_]+\.h|pg_config|libpq|pg_query)' src/core || true)
expect_eq "src/core includes no PostgreSQL header" "${pg_in_core:-none}" none
missing_guard=$(for f in $(find src/core -name '*.cpp'); do grep -q '#include "core/common/no_postgres.h"' "$f" || echo "$f"; done)
expect_eq "every core translation unit carries the no-PostgreSQL guard" "${missing_guard:-none}" none

# The dynamic symbol table must be read (a missing library or nm must fail, not pass).
rc=0; symbols=$(nm -D --defined-only pg_advisor.so 2>&1) || rc=$?
expect_eq "nm reads the module's dynamic symbols" "$rc" 0
expect_true "the module exports _PG_init and its SQL functions" \
  grep -qE ' T (_PG_init|pg_advisor_lint_ddl)$' <<<"$symbols"
exported=$(awk '{print $3}' <<<"$symbols" | grep -vcE '^(Pg_magic_func|_PG_init|pg_finfo_pg_advisor_.*|pg_advisor_.*)$' || true)
expect_eq "the module exports only its entry points" "$exported" 0

finish
