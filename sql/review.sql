-- The review: ranked findings, stable keys, what a role may see, suppression (by key, by rule
-- and object, expiry), snapshots and history, the report in its three formats, and the export
-- with every refusal. In a database of its own, so that nothing of the other tests is reviewed.
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_review;
\c regress_review
CREATE EXTENSION pg_advisor;
SET pg_advisor.sample_rate = 0;
-- Only the rules this test is about run (the cluster's pg_hba, age and version would add
-- findings of their own).
SELECT set_config('pg_advisor.disabled_rules', string_agg(rule, ','), false) IS NOT NULL AS only_some
  FROM advisor.rules
 WHERE rule NOT IN ('fk_missing_index', 'no_primary_key', 'json_not_jsonb', 'n_plus_one');

CREATE TABLE rv_customers (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE rv_orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES rv_customers,
                        total numeric NOT NULL, meta json);
CREATE TABLE rv_log (at timestamptz NOT NULL, line text NOT NULL);
INSERT INTO rv_customers SELECT g, 'c' || g FROM generate_series(1, 2000) g;
INSERT INTO rv_orders SELECT g, 1 + g % 2000, g % 100, NULL FROM generate_series(1, 50000) g;
INSERT INTO rv_log SELECT now(), 'l' || g FROM generate_series(1, 5000) g;
ANALYZE rv_customers, rv_orders, rv_log;
SELECT advisor.reset();

-- 1. Findings, most important first, with evidence and quoted fix SQL.
SELECT rank, rule, category, severity, object, title FROM advisor.findings
 WHERE object LIKE 'public.rv\_%' ORDER BY rank;
SELECT fix_sql, undo_sql, evidence->>'constraint' AS fk, evidence->>'child_rows' AS rows
  FROM advisor.findings WHERE rule = 'fk_missing_index';
SELECT rule, status, reason IS NULL AS no_reason
  FROM advisor.review_checks WHERE status <> 'disabled' ORDER BY rule;
-- Each rule that ran says how long it took; the others have no time.
SELECT count(*) FILTER (WHERE ms IS NULL) AS without_time,
       count(*) FILTER (WHERE status IN ('disabled', 'not checked')) AS did_not_run,
       bool_and(ms >= 0) AS times_not_negative
  FROM advisor.review_checks;
SELECT rule, catalogue_id, category, default_severity, enabled,
       thresholds->'fk_missing_index_min_rows'->>'value' AS min_rows
  FROM advisor.rules WHERE rule IN ('fk_missing_index', 'no_primary_key') ORDER BY rule;
-- Thresholds are settings.
SET pg_advisor.fk_missing_index_min_rows = 100000;
SELECT severity FROM advisor.findings WHERE rule = 'fk_missing_index';
RESET pg_advisor.fk_missing_index_min_rows;
SET pg_advisor.disabled_rules = 'no_such_rule';

-- 2. Keys are stable: the same defect on the same object keeps its key across reads and
--    when other objects are renamed.
CREATE TEMP TABLE rv_keys AS
  SELECT rule, object, finding_key FROM advisor.findings WHERE object LIKE 'public.rv\_%';
ALTER TABLE rv_customers RENAME TO rv_clients;
SELECT k.rule, f.finding_key = k.finding_key AS same_key
  FROM rv_keys k JOIN advisor.findings f USING (rule, object) ORDER BY 1;
ALTER TABLE rv_clients RENAME TO rv_customers;

-- 3. A role sees findings about what it may see only.
CREATE ROLE regress_rv_reader;
GRANT SELECT ON rv_log TO regress_rv_reader;
SET ROLE regress_rv_reader;
SELECT rule, object FROM advisor.findings ORDER BY rule, object;
RESET ROLE;

-- 4. Suppression: clear errors first.
SELECT advisor.suppress('nonsense', 'x');
SELECT advisor.suppress('no_such_rule:0123456789abcdef', 'x');
SELECT advisor.suppress(finding_key, ' ') FROM advisor.findings WHERE rule = 'fk_missing_index';
SELECT advisor.suppress(finding_key, 'later', now() - interval '1 day')
  FROM advisor.findings WHERE rule = 'fk_missing_index';
SELECT advisor.suppress_rule('no_such_rule', NULL, 'x');
-- Only roles granted EXECUTE may suppress.
SET ROLE regress_rv_reader;
SELECT advisor.suppress('fk_missing_index:0123456789abcdef', 'x');
RESET ROLE;
-- By key: the finding leaves the view (counted as suppressed); suppressing again updates.
SELECT advisor.suppress(finding_key, 'the billing team owns it') > 0 AS suppressed
  FROM advisor.findings WHERE rule = 'fk_missing_index';
SELECT advisor.suppress(finding_key, 'billing owns it') > 0 AS suppressed_again
  FROM rv_keys WHERE rule = 'fk_missing_index';
SELECT rule, object FROM advisor.findings WHERE object LIKE 'public.rv\_%' ORDER BY rule;
SELECT rule, status, suppressed FROM advisor.review_checks WHERE rule = 'fk_missing_index';
SELECT split_part(finding_key, ':', 1) AS rule_of_key, rule, object, reason, active
  FROM advisor.suppressions;
SELECT advisor.unsuppress(finding_key) AS unsuppressed FROM rv_keys WHERE rule = 'fk_missing_index';
SELECT advisor.unsuppress('fk_missing_index:0123456789abcdef') AS unsuppressed_nothing;
-- Until a time: back once it has passed.
SELECT advisor.suppress(finding_key, 'a minute', clock_timestamp() + interval '1 second') > 0
  AS suppressed FROM rv_keys WHERE rule = 'fk_missing_index';
SELECT count(*) AS while_suppressed FROM advisor.findings WHERE rule = 'fk_missing_index';
SELECT pg_sleep(1.2);
SELECT count(*) AS after_until FROM advisor.findings WHERE rule = 'fk_missing_index';
SELECT active FROM advisor.suppressions;
SELECT advisor.unsuppress(finding_key) FROM rv_keys WHERE rule = 'fk_missing_index';
-- A rule on one object, and on every object.
SELECT advisor.suppress_rule('no_primary_key', 'public.rv_log', 'append-only log') > 0 AS ok;
SELECT advisor.suppress_rule('json_not_jsonb', NULL, 'legacy columns') > 0 AS ok;
SELECT rule, object FROM advisor.findings WHERE object LIKE 'public.rv\_%' ORDER BY rule;
SELECT rule, object, active FROM advisor.suppressions ORDER BY rule;
SELECT advisor.unsuppress_rule('no_primary_key', 'public.rv_log') AS ok,
       advisor.unsuppress_rule('json_not_jsonb') AS ok2;

-- 5. Snapshots: what is new and what was resolved; first seen from history.
SELECT findings, new_findings, resolved_findings FROM advisor.snapshot();
CREATE INDEX rv_orders_customer_id_idx ON rv_orders (customer_id);
SELECT findings, new_findings, resolved_findings FROM advisor.snapshot();
SELECT s.id = (SELECT max(id) FROM advisor.snapshots) AS latest, f.rule
  FROM advisor.snapshot_findings f JOIN advisor.snapshots s ON s.id = f.snapshot_id
 ORDER BY s.id, f.rule;
SELECT rule, first_seen < last_seen AS seen_before FROM advisor.findings
 WHERE object LIKE 'public.rv\_%' ORDER BY rule;
SET pg_advisor.snapshot_retention = 1;
SELECT findings FROM advisor.snapshot();
SELECT count(*) AS kept FROM advisor.snapshots;
RESET pg_advisor.snapshot_retention;
-- Only roles granted it may take snapshots.
SET ROLE regress_rv_reader;
SELECT * FROM advisor.snapshot();
RESET ROLE;
DROP INDEX rv_orders_customer_id_idx;

-- 6. The report: Markdown (times masked), JSON for machines, one HTML page.
SELECT advisor.report('pdf');
\pset format unaligned
\pset tuples_only on
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
         advisor.report(),
         'PostgreSQL [0-9.]+( \([^)]*\))?', 'PostgreSQL <version>', 'g'),
         'stats_window_days \| [0-9.e+-]+', 'stats_window_days | <days>', 'g'),
         '\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z', '<time>', 'g'),
         '\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC', '<time>', 'g'),
         '\d{4}-\d{2}-\d{2}', '<date>', 'g'),
         '\((less than a minute|[0-9.]+ (s|min|h|days?))\)', '(<duration>)', 'g') AS report;
\pset format aligned
\pset tuples_only off
WITH r AS (SELECT advisor.report('json')::jsonb AS j)
SELECT jsonb_typeof(j) AS type, (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(j) k) AS keys,
       jsonb_array_length(j->'findings') AS findings
  FROM r;
SELECT left(advisor.report('html'), 15) AS html, advisor.report('html') !~* '<script|src="http|@import' AS self_contained;

-- 7. Export: who may, and only under pg_advisor.export_directory. Paths are shown with the
-- data directory and the date masked (the masks are arguments: other roles may not read them).
SELECT current_setting('data_directory') AS datadir, to_char(now(), 'YYYY-MM-DD') AS today \gset
CREATE FUNCTION pg_temp.try_export(dir text, datadir text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY SELECT regexp_replace(replace(p, datadir, '<data>'), '\d{4}-\d{2}-\d{2}', '<date>', 'g')
                 FROM advisor.export_report(dir) p;
EXCEPTION WHEN OTHERS THEN
  RETURN NEXT 'ERROR: ' || regexp_replace(replace(SQLERRM, datadir, '<data>'),
                                          '\d{4}-\d{2}-\d{2}', '<date>', 'g');
END $$;
SELECT pg_temp.try_export(:'datadir' || '/rv_exports/today', :'datadir');
COPY (SELECT 1) TO PROGRAM 'mkdir -p rv_exports && ln -sfn /tmp rv_exports/escape';
SELECT :'datadir' || '/rv_exports' AS exports \gset
ALTER SYSTEM SET pg_advisor.export_directory TO :'exports';
SELECT pg_reload_conf(), pg_sleep(0.5);
SELECT pg_temp.try_export('relative/dir', :'datadir');
SELECT pg_temp.try_export(:'datadir' || '/rv_exports/../global', :'datadir');
SELECT pg_temp.try_export(:'datadir' || '/other', :'datadir');
SELECT pg_temp.try_export(:'datadir' || '/rv_exports/escape/x', :'datadir');
SELECT pg_temp.try_export(:'datadir' || '/rv_exports/today', :'datadir');
-- Exported again the same day, after the foreign key got its index and with a finding file
-- left behind by an export that failed half-way: the folder of finding files is replaced
-- whole (the resolved finding's file is gone, the stale one never appears), nothing temporary
-- is left.
CREATE INDEX rv_orders_customer_id_idx ON rv_orders (customer_id);
SELECT format('mkdir -p rv_exports/today/.database-review-%s.new && touch rv_exports/today/.database-review-%s.new/finding-099-stale.md',
              :'today', :'today') AS plant \gset
COPY (SELECT 1) TO PROGRAM :'plant';
SELECT count(*) AS paths FROM pg_temp.try_export(:'datadir' || '/rv_exports/today', :'datadir');
SELECT regexp_replace(f, '\d{4}-\d{2}-\d{2}', '<date>', 'g') AS file
  FROM pg_ls_dir('rv_exports/today') f ORDER BY 1;
SELECT f AS finding_file FROM pg_ls_dir('rv_exports/today/database-review-' || :'today') f ORDER BY 1;
DROP INDEX rv_orders_customer_id_idx;
SET ROLE regress_rv_reader;
SELECT * FROM advisor.export_report('/tmp');
RESET ROLE;
-- Granted EXECUTE, it still needs to be a superuser or a member of pg_write_server_files.
GRANT EXECUTE ON FUNCTION advisor.export_report(text) TO regress_rv_reader;
SET ROLE regress_rv_reader;
SELECT pg_temp.try_export(:'datadir' || '/rv_exports/reader', :'datadir');
RESET ROLE;
GRANT pg_write_server_files TO regress_rv_reader;
SET ROLE regress_rv_reader;
SELECT count(*) AS files FROM pg_temp.try_export(:'datadir' || '/rv_exports/reader', :'datadir');
RESET ROLE;
REVOKE pg_write_server_files FROM regress_rv_reader;
REVOKE EXECUTE ON FUNCTION advisor.export_report(text) FROM regress_rv_reader;
ALTER SYSTEM RESET pg_advisor.export_directory;
SELECT pg_reload_conf(), pg_sleep(0.5);
SELECT pg_temp.try_export(:'datadir' || '/rv_exports/today', :'datadir');
COPY (SELECT 1) TO PROGRAM 'rm -rf rv_exports';

-- 8. Another role's captured statements: the N+1 loop it ran is a finding for superusers and
-- members of pg_read_all_stats, never for other roles.
CREATE ROLE regress_rv_app;
GRANT SELECT ON rv_orders, rv_customers TO regress_rv_app;
SET pg_advisor.idle_gap_ms = 600000;
SET ROLE regress_rv_app;
\o /dev/null
SELECT id FROM rv_customers ORDER BY id LIMIT 6 /*controller='customers'*/;
SELECT total FROM rv_orders WHERE customer_id = 1 /*controller='customers'*/;
SELECT total FROM rv_orders WHERE customer_id = 2 /*controller='customers'*/;
SELECT total FROM rv_orders WHERE customer_id = 3 /*controller='customers'*/;
SELECT total FROM rv_orders WHERE customer_id = 4 /*controller='customers'*/;
SELECT total FROM rv_orders WHERE customer_id = 5 /*controller='customers'*/;
SELECT total FROM rv_orders WHERE customer_id = 6 /*controller='customers'*/;
\o
RESET ROLE;
RESET pg_advisor.idle_gap_ms;
SELECT rule, object FROM advisor.findings WHERE rule = 'n_plus_one';
SET ROLE regress_rv_reader;
SELECT count(*) AS loops_seen_by_reader FROM advisor.findings WHERE rule = 'n_plus_one';
RESET ROLE;
GRANT pg_read_all_stats TO regress_rv_reader;
SET ROLE regress_rv_reader;
SELECT count(*) AS loops_seen_with_read_all_stats FROM advisor.findings WHERE rule = 'n_plus_one';
RESET ROLE;
REVOKE pg_read_all_stats FROM regress_rv_reader;

\c :regress_db
DROP DATABASE regress_review;
DROP ROLE regress_rv_reader;
DROP ROLE regress_rv_app;
