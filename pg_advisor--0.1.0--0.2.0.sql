-- pg_advisor 0.2.0: safe to install (re-entrancy, privileges, visibility), the review engine.
\echo Use "ALTER EXTENSION pg_advisor UPDATE" to load this file. \quit

-- reset() writes shared memory and the calling session's own state: never in a parallel worker.
ALTER FUNCTION advisor.reset() PARALLEL UNSAFE;

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

-- ---------------------------------------------------------------------------------------
-- The review: ranked findings of every rule of the registry, as the calling role sees them.

CREATE FUNCTION advisor._findings(
    OUT rank bigint, OUT finding_key text, OUT rule text, OUT category text, OUT severity text,
    OUT object text, OUT object_type text, OUT title text, OUT evidence jsonb,
    OUT recommendation text, OUT fix_sql text, OUT undo_sql text, OUT impact double precision,
    OUT impact_unit text, OUT queryids bigint[], OUT first_seen timestamptz,
    OUT last_seen timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_findings'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

CREATE VIEW advisor.findings AS
    SELECT finding_key, rule, category, severity, object, title, evidence, recommendation,
           fix_sql, undo_sql, first_seen, last_seen, impact, impact_unit, queryids,
           object_type, rank
    FROM advisor._findings();
COMMENT ON VIEW advisor.findings IS
    'Review findings (schema, indexing, queries, operations, security) the calling role may see, most important first (rank), suppressed ones left out';
GRANT SELECT ON advisor.findings TO PUBLIC;

CREATE FUNCTION advisor._review_checks(
    OUT rule text, OUT category text, OUT status text, OUT findings integer,
    OUT suppressed integer, OUT reason text, OUT title text, OUT passed text,
    OUT ms double precision)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_review_checks'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

CREATE VIEW advisor.review_checks AS SELECT * FROM advisor._review_checks();
COMMENT ON VIEW advisor.review_checks IS
    'What each review rule did for the calling role: findings, passed, not checked (and why) or disabled, and how many milliseconds it took';
GRANT SELECT ON advisor.review_checks TO PUBLIC;

CREATE FUNCTION advisor._rules(
    OUT rule text, OUT catalogue_id text, OUT category text, OUT default_severity text,
    OUT title text, OUT thresholds jsonb, OUT enabled boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_rules'
LANGUAGE C STRICT STABLE PARALLEL UNSAFE;  -- it uses subtransactions

CREATE VIEW advisor.rules AS SELECT * FROM advisor._rules();
COMMENT ON VIEW advisor.rules IS
    'Every review rule: id, catalogue id, category, default severity, title, thresholds (settings pg_advisor.<name>) and whether it runs';
GRANT SELECT ON advisor.rules TO PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Suppression: one finding by key, or one rule on one object (or every object), until a time.
-- Configuration: kept by pg_dump. Managed through the functions below, which only the roles
-- a superuser grants EXECUTE may call.

CREATE TABLE advisor.suppression (
    id bigserial PRIMARY KEY,
    finding_key text,
    rule text,
    object text,
    reason text NOT NULL CHECK (length(btrim(reason)) > 0),
    until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by name NOT NULL DEFAULT session_user,
    CHECK ((finding_key IS NULL) <> (rule IS NULL)),
    CHECK (finding_key IS NULL OR object IS NULL)
);
CREATE UNIQUE INDEX suppression_finding_key ON advisor.suppression (finding_key)
    WHERE finding_key IS NOT NULL;
CREATE UNIQUE INDEX suppression_rule_object ON advisor.suppression (rule, coalesce(object, ''))
    WHERE rule IS NOT NULL;
SELECT pg_catalog.pg_extension_config_dump('advisor.suppression', '');
SELECT pg_catalog.pg_extension_config_dump('advisor.suppression_id_seq', '');
GRANT SELECT ON advisor.suppression TO PUBLIC;

CREATE VIEW advisor.suppressions AS
    SELECT id, finding_key, rule, object, reason, until,
           until IS NULL OR until > now() AS active, created_at, created_by
    FROM advisor.suppression;
COMMENT ON VIEW advisor.suppressions IS
    'Suppressed findings (by key) and rules (on an object, or on every object), with the reason and until when';
GRANT SELECT ON advisor.suppressions TO PUBLIC;

CREATE FUNCTION advisor.suppress(finding_key text, reason text, until timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    rule_id text := split_part(suppress.finding_key, ':', 1);
    new_id bigint;
BEGIN
    IF suppress.finding_key IS NULL OR suppress.finding_key !~ '^[a-z0-9_]+:[0-9a-f]{16}$' THEN
        RAISE EXCEPTION 'invalid finding key "%"', left(coalesce(suppress.finding_key, 'NULL'), 80)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A key is "<rule>:<16 hex digits>", as advisor.findings shows it.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM advisor.rules r WHERE r.rule = rule_id) THEN
        RAISE EXCEPTION 'invalid finding key "%": no rule "%"', suppress.finding_key, rule_id
            USING ERRCODE = 'invalid_parameter_value', HINT = 'advisor.rules lists the rules.';
    END IF;
    IF suppress.reason IS NULL OR length(btrim(suppress.reason)) = 0 THEN
        RAISE EXCEPTION 'a suppression needs a reason' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF suppress.until IS NOT NULL AND suppress.until <= now() THEN
        RAISE EXCEPTION 'until must be in the future' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO advisor.suppression AS s (finding_key, reason, until)
    VALUES (suppress.finding_key, suppress.reason, suppress.until)
    ON CONFLICT (finding_key) WHERE finding_key IS NOT NULL
    DO UPDATE SET reason = EXCLUDED.reason, until = EXCLUDED.until, created_at = now(),
                  created_by = session_user
    RETURNING s.id INTO new_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION advisor.suppress(text, text, timestamptz) IS
    'Hides one finding (by key) from advisor.findings and the reports, until a time or for good';

CREATE FUNCTION advisor.suppress_rule(rule text, object text, reason text,
                                      until timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    new_id bigint;
BEGIN
    IF suppress_rule.rule IS NULL
       OR NOT EXISTS (SELECT 1 FROM advisor.rules r WHERE r.rule = suppress_rule.rule) THEN
        RAISE EXCEPTION 'no review rule "%"', left(coalesce(suppress_rule.rule, 'NULL'), 80)
            USING ERRCODE = 'invalid_parameter_value', HINT = 'advisor.rules lists the rules.';
    END IF;
    IF suppress_rule.reason IS NULL OR length(btrim(suppress_rule.reason)) = 0 THEN
        RAISE EXCEPTION 'a suppression needs a reason' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF suppress_rule.until IS NOT NULL AND suppress_rule.until <= now() THEN
        RAISE EXCEPTION 'until must be in the future' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO advisor.suppression AS s (rule, object, reason, until)
    VALUES (suppress_rule.rule, suppress_rule.object, suppress_rule.reason, suppress_rule.until)
    ON CONFLICT (rule, coalesce(object, '')) WHERE rule IS NOT NULL
    DO UPDATE SET reason = EXCLUDED.reason, until = EXCLUDED.until, created_at = now(),
                  created_by = session_user
    RETURNING s.id INTO new_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION advisor.suppress_rule(text, text, text, timestamptz) IS
    'Hides a rule''s findings on one object (as findings name it; NULL: every object), until a time or for good';

CREATE FUNCTION advisor.unsuppress(finding_key text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    WITH gone AS (DELETE FROM advisor.suppression s WHERE s.finding_key = unsuppress.finding_key
                  RETURNING 1)
    SELECT count(*) > 0 FROM gone
$$;
COMMENT ON FUNCTION advisor.unsuppress(text) IS 'Shows a suppressed finding again';

CREATE FUNCTION advisor.unsuppress_rule(rule text, object text DEFAULT NULL) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    WITH gone AS (DELETE FROM advisor.suppression s
                  WHERE s.rule = unsuppress_rule.rule
                    AND coalesce(s.object, '') = coalesce(unsuppress_rule.object, '')
                  RETURNING 1)
    SELECT count(*) > 0 FROM gone
$$;
COMMENT ON FUNCTION advisor.unsuppress_rule(text, text) IS
    'Shows a rule''s findings on an object (NULL: the every-object suppression) again';

REVOKE ALL ON FUNCTION advisor.suppress(text, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION advisor.suppress_rule(text, text, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION advisor.unsuppress(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION advisor.unsuppress_rule(text, text) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------
-- History: advisor.snapshot() keeps the current findings (pg_advisor.snapshot_retention
-- snapshots); reports say what is new and what was resolved. Kept by pg_dump.

CREATE TABLE advisor.snapshots (
    id bigserial PRIMARY KEY,
    taken_at timestamptz NOT NULL DEFAULT now(),
    taken_by name NOT NULL DEFAULT session_user,
    findings integer NOT NULL,
    suppressed integer NOT NULL
);
CREATE TABLE advisor.snapshot_findings (
    snapshot_id bigint NOT NULL REFERENCES advisor.snapshots ON DELETE CASCADE,
    finding_key text NOT NULL,
    rule text NOT NULL,
    category text NOT NULL,
    severity text NOT NULL,
    object text NOT NULL,
    title text NOT NULL,
    impact double precision,
    PRIMARY KEY (snapshot_id, finding_key)
);
CREATE INDEX snapshot_findings_key ON advisor.snapshot_findings (finding_key);
SELECT pg_catalog.pg_extension_config_dump('advisor.snapshots', '');
SELECT pg_catalog.pg_extension_config_dump('advisor.snapshots_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('advisor.snapshot_findings', '');
REVOKE ALL ON advisor.snapshots, advisor.snapshot_findings FROM PUBLIC;

CREATE FUNCTION advisor.snapshot(
    OUT snapshot_id bigint, OUT taken_at timestamptz, OUT findings integer,
    OUT new_findings bigint, OUT resolved_findings bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'pg_advisor_snapshot'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION advisor.snapshot() IS
    'Stores the current findings with a timestamp (history for the reports: new and resolved findings)';
REVOKE ALL ON FUNCTION advisor.snapshot() FROM PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Reports.

CREATE FUNCTION advisor.report(format text DEFAULT 'markdown') RETURNS text
AS 'MODULE_PATHNAME', 'pg_advisor_report'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION advisor.report(text) IS
    'The whole database review as markdown, json or html (one self-contained page)';

CREATE FUNCTION advisor.export_report(directory text) RETURNS SETOF text
AS 'MODULE_PATHNAME', 'pg_advisor_export_report'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION advisor.export_report(text) IS
    'Writes database-review-DATE.md, a folder of finding files, .json and .html under pg_advisor.export_directory; returns the paths';
REVOKE ALL ON FUNCTION advisor.export_report(text) FROM PUBLIC;
