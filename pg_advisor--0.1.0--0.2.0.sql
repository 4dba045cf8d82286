-- pg_advisor 0.2.0: safe to install (re-entrancy, privileges, visibility), the review engine.
\echo Use "ALTER EXTENSION pg_advisor UPDATE" to load this file. \quit

-- ---------------------------------------------------------------------------------------
-- Index advisor: tables left out of the last run and statements it could not plan, and why.

CREATE FUNCTION advisor._index_advice_notes(
    OUT relation regclass, OUT queryid bigint, OUT reason text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_index_advice_notes'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

CREATE VIEW advisor.index_advice_notes AS SELECT * FROM advisor._index_advice_notes();
COMMENT ON VIEW advisor.index_advice_notes IS
    'Tables the index advisor left out and captured statements it could not plan, with the reason';
GRANT SELECT ON advisor.index_advice_notes TO PUBLIC;
