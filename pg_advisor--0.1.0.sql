-- pg_advisor 0.1.0: workload capture.
\echo Use "CREATE EXTENSION pg_advisor" to load this file. \quit

GRANT USAGE ON SCHEMA advisor TO PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Query patterns: one row per (user, database, query id, top level).

CREATE FUNCTION advisor._query_patterns(
    showtext boolean,
    OUT queryid bigint, OUT userid oid, OUT dbid oid, OUT toplevel boolean, OUT query text,
    OUT command text, OUT calls bigint, OUT total_exec_ms double precision,
    OUT mean_exec_ms double precision, OUT min_exec_ms double precision,
    OUT max_exec_ms double precision, OUT rows bigint, OUT sampled_calls bigint,
    OUT first_seen timestamptz, OUT last_seen timestamptz, OUT application_name text,
    OUT tags jsonb)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_query_patterns'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW advisor.query_patterns AS
    SELECT queryid, userid, dbid, query, calls, total_exec_ms, mean_exec_ms, rows,
           first_seen, last_seen, application_name, tags,
           toplevel, command, min_exec_ms, max_exec_ms, sampled_calls
    FROM advisor._query_patterns(true);
COMMENT ON VIEW advisor.query_patterns IS
    'Recorded statement patterns (constants replaced by $n) with their counters and last application tags';
GRANT SELECT ON advisor.query_patterns TO PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Scan shapes: how each captured plan reads each relation.

CREATE FUNCTION advisor._scan_shapes(
    OUT queryid bigint, OUT scan_no integer, OUT relation regclass, OUT scan_type text,
    OUT index_used regclass, OUT parameterized boolean, OUT quals text[], OUT order_by text[],
    OUT limit_count bigint, OUT limit_is_param boolean, OUT est_rows double precision,
    OUT est_cost double precision, OUT plan_cost double precision, OUT command text,
    OUT flags text[], OUT sampled_execs bigint, OUT loops bigint, OUT rows_scanned bigint,
    OUT rows_returned bigint, OUT captured_at timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_scan_shapes'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW advisor.scan_shapes AS SELECT * FROM advisor._scan_shapes();
COMMENT ON VIEW advisor.scan_shapes IS
    'Per captured plan and scanned relation: filtered columns (eq, range, in, like_prefix, is_null, other) and their value source, ORDER BY, LIMIT, estimates and sampled row counts';
GRANT SELECT ON advisor.scan_shapes TO PUBLIC;

-- ---------------------------------------------------------------------------------------
-- This session's recent statements, as the detectors see them.

CREATE FUNCTION advisor.session_statements(
    OUT seq bigint, OUT queryid bigint, OUT command text, OUT nesting_level integer,
    OUT rows bigint, OUT exec_ms double precision, OUT param_fingerprint bigint,
    OUT trace_id text, OUT request_key bigint, OUT tags_fingerprint bigint,
    OUT xact_seq bigint, OUT burst_seq bigint, OUT relation regclass, OUT batch_size integer,
    OUT flags text[], OUT started_at timestamptz, OUT ended_at timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_session_statements'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION advisor.session_statements() IS
    'The current session''s most recent statements (up to 256) with their scope keys';

-- ---------------------------------------------------------------------------------------
-- N+1 sequences, row-by-row write loops and duplicate queries, per unit of work.

CREATE FUNCTION advisor._n_plus_one(
    OUT finding_key text, OUT kind text, OUT parent_queryid bigint, OUT parent_query text,
    OUT child_queryid bigint, OUT child_query text, OUT child_relation regclass,
    OUT parent_relation regclass, OUT occurrences bigint, OUT executions bigint, OUT max_repeats bigint,
    OUT typical_repeats bigint, OUT distinct_params bigint, OUT child_total_ms double precision,
    OUT first_seen timestamptz, OUT last_seen timestamptz, OUT tags jsonb, OUT framework text,
    OUT suggested_sql text, OUT orm_fix text, OUT expected_queries text, OUT reason text,
    OUT scope_kind text, OUT example_scope text, OUT userid oid, OUT dbid oid)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_n_plus_one'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW advisor.n_plus_one AS SELECT * FROM advisor._n_plus_one();
COMMENT ON VIEW advisor.n_plus_one IS
    'N+1 sequences (kind n_plus_one), row-by-row write loops (bulk_write_loop) and duplicate queries (duplicate_query) found in units of work, with the set-based rewrite and the ORM fix';
GRANT SELECT ON advisor.n_plus_one TO PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Capture health.

CREATE FUNCTION advisor._capture_info(
    OUT max_patterns integer, OUT patterns integer, OUT pattern_evictions bigint,
    OUT patterns_rejected bigint, OUT text_bytes_used bigint, OUT text_bytes_total bigint,
    OUT scan_shapes integer, OUT shape_evictions bigint, OUT loop_findings integer,
    OUT max_findings integer, OUT finding_evictions bigint, OUT capture_failures bigint,
    OUT restored_patterns bigint, OUT stats_reset timestamptz, OUT started_at timestamptz,
    OUT query_id_jumbles bigint, OUT query_id_mismatches bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'pg_advisor_capture_info'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW advisor.capture_info AS SELECT * FROM advisor._capture_info();
GRANT SELECT ON advisor.capture_info TO PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Seq-scan hotspots: relations captured statements read sequentially with selective filters,
-- cross-checked with the cumulative statistics (summed over partitions).

CREATE FUNCTION advisor._seq_scan_hotspots(
    OUT relation regclass, OUT seq_scans bigint, OUT rows_scanned bigint,
    OUT rows_returned bigint, OUT filter_ratio double precision, OUT total_ms double precision,
    OUT time_share double precision, OUT quals text[], OUT queryids bigint[],
    OUT measured boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pg_advisor_seq_scan_hotspots'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

CREATE VIEW advisor.seq_scan_hotspots AS
SELECT h.relation, h.seq_scans, h.rows_scanned, h.rows_returned, h.filter_ratio, h.total_ms,
       h.time_share, h.quals, h.queryids, h.measured,
       st.seq_scan AS stat_seq_scan, st.seq_tup_read AS stat_seq_tup_read
FROM advisor._seq_scan_hotspots() h
LEFT JOIN LATERAL (
    SELECT sum(s.seq_scan)::bigint AS seq_scan, sum(s.seq_tup_read)::bigint AS seq_tup_read
    FROM pg_catalog.pg_stat_all_tables s
    WHERE s.relid = h.relation
       OR s.relid IN (SELECT t.relid FROM pg_catalog.pg_partition_tree(h.relation) t
                      WHERE t.isleaf)
) st ON true
ORDER BY h.rows_scanned DESC;
COMMENT ON VIEW advisor.seq_scan_hotspots IS
    'Relations read sequentially by captured statements whose filters discard most rows';
GRANT SELECT ON advisor.seq_scan_hotspots TO PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Index advisor: candidates from captured scan shapes, verified by what-if planning.

CREATE TYPE advisor.index_advice AS (
    recommendation_key text, relation regclass, key_columns text[], include_columns text[],
    predicate text, ddl text, est_size_bytes bigint, queryids bigint[], calls bigint,
    cost_before double precision, cost_after double precision, saving_pct double precision,
    benefit double precision, write_overhead double precision, rule text, status text,
    reason text);

CREATE FUNCTION advisor._index_advice(include_rejected boolean)
RETURNS SETOF advisor.index_advice
AS 'MODULE_PATHNAME', 'pg_advisor_index_advice'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

CREATE VIEW advisor.index_recommendations AS
SELECT recommendation_key, relation, key_columns, include_columns, predicate, ddl,
       est_size_bytes, queryids, calls, cost_before, cost_after, saving_pct, benefit,
       write_overhead, rule, reason
FROM advisor._index_advice(false);
COMMENT ON VIEW advisor.index_recommendations IS
    'Indexes recommended for the captured workload, each verified by the planner';
GRANT SELECT ON advisor.index_recommendations TO PUBLIC;

CREATE VIEW advisor.index_candidates AS SELECT * FROM advisor._index_advice(true);
COMMENT ON VIEW advisor.index_candidates IS
    'Every index candidate of the captured workload: recommended, not chosen or rejected, and why';
GRANT SELECT ON advisor.index_candidates TO PUBLIC;

CREATE FUNCTION advisor.recommend_indexes(query text, include_rejected boolean DEFAULT false)
RETURNS SETOF advisor.index_advice
AS 'MODULE_PATHNAME', 'pg_advisor_recommend_indexes'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION advisor.recommend_indexes(text, boolean) IS
    'Index recommendations for one statement (literals or $n parameters), verified by the planner';

CREATE FUNCTION advisor.explain_recommendation(key text) RETURNS text
AS 'MODULE_PATHNAME', 'pg_advisor_explain_recommendation'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION advisor.explain_recommendation(text) IS
    'Why an index candidate was recommended, or why not';

CREATE FUNCTION advisor.index_advice_stats(
    OUT statements bigint, OUT tables bigint, OUT candidates bigint, OUT planner_calls bigint,
    OUT cache_hits bigint, OUT elapsed_ms double precision, OUT key_samples bigint,
    OUT key_sample_ms double precision)
RETURNS record
AS 'MODULE_PATHNAME', 'pg_advisor_index_advice_stats'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION advisor.index_advice_stats() IS
    'Work done by this session''s last index advisor run';

-- ---------------------------------------------------------------------------------------
-- Reset (privileged: superusers, or roles granted EXECUTE).

CREATE FUNCTION advisor.reset() RETURNS void
AS 'MODULE_PATHNAME', 'pg_advisor_reset'
LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION advisor.reset() IS 'Clears everything pg_advisor has captured';
REVOKE ALL ON FUNCTION advisor.reset() FROM PUBLIC;
