-- Without shared_preload_libraries the extension installs. Every view and SQL-callable function
-- of advisor is called once: what needs the shared memory (the captured workload, the index
-- advisor's hypothetical planning, the live DDL review's model and facts) fails with the error
-- and hint that say how to enable it; what reads only the catalog or the extension's own tables
-- (the review rules, findings from catalog checks, suppressions, snapshots, reports, the export
-- list) keeps working, and the workload rules say why they are not checked.
\set VERBOSITY default
CREATE EXTENSION pg_advisor;
CREATE TABLE np_t (id int PRIMARY KEY, a int);
-- The objects called below: 27 functions and 12 views (a new one must be added here).
SELECT (SELECT count(*) FROM pg_proc WHERE pronamespace = 'advisor'::regnamespace) AS functions,
       (SELECT count(*) FROM pg_class WHERE relnamespace = 'advisor'::regnamespace
           AND relkind = 'v') AS views;
-- Needs the preload: captured statements, shapes, counters, loops.
SELECT * FROM advisor.query_patterns;
SELECT * FROM advisor.scan_shapes;
SELECT * FROM advisor.capture_info;
SELECT * FROM advisor.n_plus_one;
SELECT * FROM advisor.seq_scan_hotspots;
SELECT * FROM advisor.session_statements();
SELECT advisor.reset();
-- Needs the preload: the index advisor (its views, its functions, the last run's statistics).
SELECT * FROM advisor.index_advice_notes;
SELECT * FROM advisor.index_candidates;
SELECT * FROM advisor.index_recommendations;
SELECT * FROM advisor.recommend_indexes('SELECT a FROM np_t WHERE a = 1', false);
SELECT advisor.explain_recommendation('SELECT a FROM np_t WHERE a = 1');
SELECT * FROM advisor.index_advice_stats();
-- Needs the preload: the DDL review (lint_ddl and the model and facts behind it).
SELECT * FROM advisor.lint_ddl('CREATE INDEX ON np_t (a)');
SELECT * FROM advisor._ddl_model('CREATE INDEX ON np_t (a)');
SELECT * FROM advisor._ddl_facts('public', 'np_t');
SELECT * FROM advisor._ddl_facts_of('CREATE INDEX ON np_t (a)');
-- Needs the preload: the internal functions behind the views.
SELECT * FROM advisor._query_patterns(false);
SELECT * FROM advisor._scan_shapes();
SELECT * FROM advisor._capture_info();
SELECT * FROM advisor._n_plus_one();
SELECT * FROM advisor._seq_scan_hotspots();
SELECT * FROM advisor._index_advice(false);
SELECT * FROM advisor._index_advice_notes();
-- Works without the preload: the rules and the catalog checks; the workload rules are
-- "not checked" with the reason.
SELECT count(*) AS rules FROM advisor.rules;
SELECT count(*) AS rules FROM advisor._rules();
SELECT status, reason, count(*) FROM advisor.review_checks WHERE category = 'query'
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS checks FROM advisor._review_checks();
SELECT count(*) AS workload_findings FROM advisor.findings WHERE category = 'query';
SELECT count(*) AS workload_findings FROM advisor._findings() WHERE category = 'query';
-- Works without the preload: suppressions, snapshots, reports, exports (their own tables and
-- settings; each answers as it does with the preload).
SELECT advisor.suppress('x', 'y', NULL);
SELECT advisor.suppress_rule('x', 'y', 'z', NULL);
SELECT advisor.unsuppress('x');
SELECT advisor.unsuppress_rule('x', 'y');
SELECT count(*) AS suppressions FROM advisor.suppressions;
SELECT advisor.snapshot() IS NOT NULL AS snapshot_taken;
SELECT count(*) AS snapshots FROM advisor.snapshots;
-- (operations findings such as checkpoint_pressure come and go with the server's counters)
SELECT (SELECT array_agg(finding_key ORDER BY finding_key) FROM advisor.snapshot_findings
         WHERE category <> 'operations') =
       (SELECT array_agg(finding_key ORDER BY finding_key) FROM advisor.findings
         WHERE category <> 'operations') AS snapshot_has_every_finding;
SELECT length(advisor.report('json')) > 0 AS report_made;
SELECT advisor.export_report('json');
-- A summary, a JSON and an HTML file beside one file per finding (read in the same statement).
SELECT count(*) - (SELECT count(*) FROM advisor.findings) AS files_beside_the_findings
  FROM advisor.export_files();
SHOW shared_preload_libraries;
DROP TABLE np_t;
DROP EXTENSION pg_advisor;
