#!/usr/bin/env bash
# Lint benchmark: `pg_advisor lint` on a large Rails-style structure.sql (target: 10,000
# statements/s or better on one core). The file is generated: per table a CREATE TABLE with a
# dozen columns, a sequence with its OWNED BY and DEFAULT, two indexes, a foreign key added by
# ALTER TABLE, a comment, and every 20th table a trigger function; plus the SET lines and the
# schema_migrations INSERT Rails writes. Three runs, the median is reported, with the peak memory.
#
# Usage: test/bench/lint_bench.sh   (TABLES=5000 CLI=path OUT=file)
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

TABLES=${TABLES:-5000}
pga_ensure_packages time
CLI=${CLI:-$(command -v pg_advisor || echo "$PGA_ROOT/build/pg_advisor")}
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FILE="$WORK/structure.sql"

python3 - "$TABLES" >"$FILE" <<'PY'
import sys
n = int(sys.argv[1])
print("SET statement_timeout = 0;\nSET lock_timeout = 0;\nSET client_encoding = 'UTF8';")
print("SET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);")
print("SET check_function_bodies = false;\nSET default_tablespace = '';\n")
for i in range(1, n + 1):
    t = f"public.t{i}"
    print(f"""CREATE TABLE {t} (
    id bigint NOT NULL,
    account_id bigint NOT NULL,
    parent_id bigint,
    name character varying(255) NOT NULL,
    status character varying DEFAULT 'new'::character varying NOT NULL,
    amount numeric(12,2) DEFAULT 0.0 NOT NULL,
    payload jsonb DEFAULT '{{}}'::jsonb NOT NULL,
    tags text[] DEFAULT '{{}}'::text[],
    active boolean DEFAULT true NOT NULL,
    notes text,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);""")
    print(f"CREATE SEQUENCE {t}_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;")
    print(f"ALTER SEQUENCE {t}_id_seq OWNED BY {t}.id;")
    print(f"ALTER TABLE ONLY {t} ALTER COLUMN id SET DEFAULT nextval('{t}_id_seq'::regclass);")
    print(f"ALTER TABLE ONLY {t} ADD CONSTRAINT t{i}_pkey PRIMARY KEY (id);")
    print(f"CREATE INDEX index_t{i}_on_account_id ON {t} USING btree (account_id);")
    print(f"CREATE UNIQUE INDEX index_t{i}_on_name ON {t} USING btree (lower((name)::text)) WHERE (active = true);")
    if i > 1:
        print(f"ALTER TABLE ONLY {t} ADD CONSTRAINT fk_rails_{i:08x} FOREIGN KEY (parent_id) REFERENCES public.t{i-1}(id);")
    print(f"COMMENT ON TABLE {t} IS 'table {i}; generated';")
    if i % 20 == 0:
        print(f"""CREATE FUNCTION public.touch_t{i}() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now(); -- keep it fresh; a ';' inside the body
  RETURN NEW;
END;
$$;""")
        print(f"CREATE TRIGGER touch BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION public.touch_t{i}();")
print("\nSET search_path TO \"$user\", public;\n")
print("INSERT INTO \"schema_migrations\" (version) VALUES")
print(",\n".join(f"('2024{i:010d}')" for i in range(1, 200)) + ";")
PY

statements=$(python3 -c "import sys; print(sum(1 for _ in open(sys.argv[1])))" "$FILE")
pga_log "lint benchmark: $(du -h "$FILE" | cut -f1) structure.sql, $TABLES tables, CLI $CLI"
times=()
for run in 1 2 3; do
  /usr/bin/time -f "%e %M" -o "$WORK/time.$run" \
    taskset -c 0 "$CLI" lint --format json --fail-on critical "$FILE" >"$WORK/out.$run.json" || true
  times+=("$(cat "$WORK/time.$run")")
done
python3 - "$WORK" "${times[@]}" <<'PY'
import json, sys, statistics
work = sys.argv[1]
runs = [tuple(map(float, t.split())) for t in sys.argv[2:]]
out = json.load(open(f"{work}/out.1.json"))
n = out["statements"]
secs = statistics.median(r[0] for r in runs)
peak = max(r[1] for r in runs) / 1024
print(f"statements: {n}, parse errors: {len(out['parse_errors'])}, findings: {len(out['findings'])}")
print(f"median of 3 runs: {secs:.2f} s = {n / max(secs, 1e-9):,.0f} statements/s on one core "
      f"(target 10,000/s); peak memory {peak:.0f} MB")
PY
