-- pg_advisor 0.3.0: DDL review (advisor.lint_ddl; migration findings of reviewed DDL in
-- advisor.findings).
\echo Use "ALTER EXTENSION pg_advisor UPDATE" to load this file. \quit

-- The migration rules' findings for DDL text, without running it. One row per finding, placed
-- on the statement's first token; a statement that does not parse is one row with rule
-- 'parse_error' and severity 'error' at the error's position.
CREATE FUNCTION advisor.lint_ddl(
    sql text,
    OUT statement integer, OUT line integer, OUT "column" integer, OUT rule text,
    OUT severity text, OUT object text, OUT title text, OUT message text,
    OUT recommendation text, OUT fix_sql text, OUT evidence jsonb)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_lint_ddl'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION advisor.lint_ddl(text) IS
    'Migration findings for DDL text (nothing is executed), with line and column; live table sizes, indexes and captured-query references as the calling role may see them';
GRANT EXECUTE ON FUNCTION advisor.lint_ddl(text) TO PUBLIC;

-- What advisor.lint_ddl knows about a table: size, rows, columns (parser-style types), indexes,
-- the captured statements that name it (and the column, when given), other sessions' locks
-- that conflict with ACCESS EXCLUSIVE; NULL when the calling role may not see the table.
CREATE FUNCTION advisor._ddl_facts(relation text, column_name text DEFAULT '')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pg_advisor_ddl_facts'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
GRANT EXECUTE ON FUNCTION advisor._ddl_facts(text, text) TO PUBLIC;

-- What the server's front end makes of DDL text (the neutral schema-change model), one row per
-- change: for tests and for comparing with `pg_advisor lint`.
CREATE FUNCTION advisor._ddl_model(sql text, OUT statement integer, OUT change jsonb)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_ddl_model'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
GRANT EXECUTE ON FUNCTION advisor._ddl_model(text) TO PUBLIC;

-- The function volatilities (pg_proc) and enum labels advisor.lint_ddl reads for DDL text.
CREATE FUNCTION advisor._ddl_facts_of(sql text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'pg_advisor_ddl_facts_of'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
GRANT EXECUTE ON FUNCTION advisor._ddl_facts_of(text) TO PUBLIC;

-- The files advisor.export_report writes, as rows, for `pg_advisor report --dsn ... --out DIR`
-- to write on the client's machine: nothing is written on the server, so it needs only what
-- advisor.report needs.
CREATE FUNCTION advisor.export_files(OUT path text, OUT content text) RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_export_files'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION advisor.export_files() IS
    'The report files of advisor.export_report (summary, one file per finding, JSON, HTML) as (path, content) rows';
