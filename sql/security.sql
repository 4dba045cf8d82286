-- Safe to install: what an ordinary login role can do with pg_advisor preloaded. Each part
-- reproduces an attack found by a hostile probe; before the fixes these crashed the server,
-- ran the role's code as the reader, showed what the role may not read, or left locks behind.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE ROLE regress_sec_mallory;
CREATE ROLE regress_sec_victim;
CREATE TABLE sec_t1 AS SELECT g AS k, g % 100 AS v FROM generate_series(1, 20000) g;
CREATE TABLE sec_t2 AS SELECT g AS k, g % 100 AS v FROM generate_series(1, 20000) g;
CREATE TABLE sec_secret AS SELECT g AS k, md5(g::text) AS ssn FROM generate_series(1, 20000) g;
ANALYZE sec_t1, sec_t2, sec_secret;
GRANT SELECT ON sec_t1, sec_t2 TO regress_sec_mallory;
GRANT UPDATE ON sec_t1 TO regress_sec_mallory;
GRANT SELECT ON sec_secret TO regress_sec_victim;
SELECT advisor.reset();

-- 1. Re-entrancy. A function in a captured statement that reads the advice (or resets it) is
--    evaluated when the advisor plans that statement: the nested call fails cleanly, the
--    statement is reported as not planned, the outer run goes on. Before: a nested run, ~100
--    levels deep or clearing the state the outer run iterated: SIGSEGV.
SET ROLE regress_sec_mallory;
CREATE FUNCTION pg_temp.reads_advice() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM count(*) FROM advisor.index_candidates;
  RETURN 1;
END $$;
CREATE FUNCTION pg_temp.resets() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM advisor.reset();
  RETURN 2;
END $$;
-- Calling one directly is fine: nothing of pg_advisor is running.
SELECT pg_temp.reads_advice();
RESET ROLE;
GRANT EXECUTE ON FUNCTION advisor.reset() TO regress_sec_mallory;
SELECT advisor.reset();
SET ROLE regress_sec_mallory;
SELECT count(*) FROM sec_t1 WHERE k = pg_temp.resets();
SELECT count(*) FROM sec_t1 WHERE k = pg_temp.reads_advice();
SELECT count(*) FROM sec_t2 WHERE v = 7 AND k > 100;
SELECT relation, key_columns FROM advisor.index_recommendations ORDER BY relation::text;
SELECT regexp_replace(reason, 'OID \d+', 'OID n') AS why_not_planned
  FROM advisor.index_advice_notes WHERE queryid IS NOT NULL ORDER BY 1;
-- Nothing was reset by the nested call.
SELECT count(*) AS patterns_kept FROM advisor.query_patterns WHERE query LIKE '%sec_t%';
-- An ad-hoc statement calling such a function gets the error itself.
SELECT * FROM advisor.recommend_indexes('SELECT * FROM sec_t1 WHERE k = pg_temp.reads_advice()');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION advisor.reset() FROM regress_sec_mallory;

-- 2. Whose privileges. The role's function runs when its statement is planned for the
--    reader, as the role that ran it, in a security-restricted operation, and the settings it
--    changes are undone. Before: it ran as the reader (a superuser here).
SELECT advisor.reset();
SET ROLE regress_sec_mallory;
-- The witness: 1 when the function ran as mallory, 666 when it ran as anyone else.
CREATE TEMP SEQUENCE sec_witness;
CREATE FUNCTION pg_temp.who() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM setval('pg_temp.sec_witness',
                 CASE WHEN current_user = 'regress_sec_mallory' THEN 1 ELSE 666 END);
  PERFORM set_config('regress_sec.planted', 'yes', false);
  RAISE NOTICE 'who() ran';
  RETURN 3;
END $$;
SELECT count(*) FROM sec_t1 WHERE k = pg_temp.who();
RESET ROLE;
SELECT setval('pg_temp.sec_witness', 100);
SELECT set_config('regress_sec.planted', 'no', false);
-- (its NOTICE does not reach the reader either)
SELECT count(*) > 0 AS has_candidates FROM advisor.index_candidates;
SELECT last_value AS witness FROM pg_temp.sec_witness;
SELECT current_setting('regress_sec.planted') AS setting_after_planning;
-- Reading what the role may not read fails as that role.
SET ROLE regress_sec_mallory;
CREATE FUNCTION pg_temp.reads_authid() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF current_setting('regress_sec.armed', true) = 'on' THEN
    PERFORM count(*) FROM pg_authid;
  END IF;
  RETURN 5;
END $$;
SELECT count(*) FROM sec_t2 WHERE k = pg_temp.reads_authid();
RESET ROLE;
SET regress_sec.armed = on;
SELECT count(*) > 0 AS has_candidates FROM advisor.index_candidates;
SELECT reason AS why_not_planned FROM advisor.index_advice_notes WHERE queryid IS NOT NULL;
RESET regress_sec.armed;
SELECT advisor.reset();

-- Names are resolved with the statement's role's own search_path, never the reader's. A reader
-- (here a pg_read_all_stats member) puts functions of its own in front of pg_catalog's: pi(),
-- which the victim's statement calls and planning folds (as the victim), and count(*), which
-- the key sample of a table calls (as the table's owner, a superuser here). The sequence
-- counts their calls. Before: thousands of calls, as the victim and as the superuser.
CREATE SCHEMA sec_evil AUTHORIZATION regress_sec_mallory;
CREATE TABLE sec_t3 AS SELECT g % 50 AS a, g % 70 AS b, g AS c FROM generate_series(1, 20000) g;
ANALYZE sec_t3;
GRANT SELECT ON sec_t1, sec_t3 TO regress_sec_victim;
GRANT SELECT ON sec_t3 TO regress_sec_mallory;
GRANT pg_read_all_stats TO regress_sec_mallory;
SET ROLE regress_sec_mallory;
CREATE SEQUENCE sec_evil.calls;
GRANT USAGE ON SCHEMA sec_evil TO PUBLIC;
GRANT USAGE, UPDATE ON SEQUENCE sec_evil.calls TO PUBLIC;
CREATE FUNCTION sec_evil.pi() RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM nextval('sec_evil.calls');
  RETURN 4;
END $$;
CREATE FUNCTION sec_evil.spy(bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('sec_evil.calls');
  RETURN $1 + 1;
END $$;
CREATE AGGREGATE sec_evil.count(*) (sfunc = sec_evil.spy, stype = bigint, initcond = '0');
SET ROLE regress_sec_victim;
\o /dev/null
SELECT count(*) FROM sec_t1 WHERE v = 3 AND k = pi()::int;
SELECT count(*) FROM sec_t1 WHERE v = 3 AND k = pi()::int;
SELECT c FROM sec_t3 WHERE a = 3 AND b = 5;
SELECT c FROM sec_t3 WHERE a = 3 AND b = 5;
\o
SET ROLE regress_sec_mallory;
SET search_path = sec_evil, pg_catalog, public;
SELECT relation::text, key_columns FROM advisor.index_recommendations ORDER BY 1;
RESET search_path;
SELECT is_called AS evil_code_ran FROM sec_evil.calls;
RESET ROLE;
-- The role's own search_path is the one its sessions start with (ALTER ROLE ... SET): a
-- statement naming a table of its schema unqualified is still planned.
CREATE SCHEMA sec_app;
CREATE TABLE sec_app.sec_orders AS SELECT g AS id, g % 300 AS customer FROM generate_series(1, 20000) g;
ANALYZE sec_app.sec_orders;
GRANT USAGE ON SCHEMA sec_app TO regress_sec_victim;
GRANT SELECT ON sec_app.sec_orders TO regress_sec_victim;
ALTER ROLE regress_sec_victim SET search_path = sec_app, public;
SET ROLE regress_sec_victim;
SET search_path = sec_app, public;
SELECT count(*) FROM sec_orders WHERE customer = 7;
RESET search_path;
RESET ROLE;
SELECT relation::text, key_columns FROM advisor.index_recommendations
 WHERE relation::text LIKE '%sec_orders' ORDER BY 1;
SELECT count(*) AS not_planned FROM advisor.index_advice_notes WHERE queryid IS NOT NULL;
ALTER ROLE regress_sec_victim RESET search_path;
DROP SCHEMA sec_app CASCADE;
REVOKE pg_read_all_stats FROM regress_sec_mallory;
REVOKE SELECT ON sec_t1, sec_t3 FROM regress_sec_victim;
SELECT advisor.reset();

-- A function that would take the reader's identity: it tries to SET ROLE postgres when armed
-- (armed only in the reader's session, after the role's own statement ran). Planned as the
-- role that ran it, in a security-restricted operation, it cannot. Before: it succeeded.
SET ROLE regress_sec_mallory;
CREATE FUNCTION pg_temp.escalates() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF current_setting('regress_sec.armed', true) = 'on' THEN
    PERFORM set_config('role', 'postgres', false);
  END IF;
  RETURN 4;
END $$;
SELECT count(*) FROM sec_t2 WHERE k = pg_temp.escalates();
RESET ROLE;
SET regress_sec.armed = on;
SELECT count(*) > 0 AS has_candidates FROM advisor.index_candidates;
SELECT current_user, current_setting('role') AS role_after_planning;
SELECT regexp_replace(reason, 'OID \d+', 'OID n') AS why_not_planned
  FROM advisor.index_advice_notes WHERE queryid IS NOT NULL ORDER BY 1;
RESET regress_sec.armed;

-- 3. What a role may read. Another role's statement over a table mallory cannot read, with a
--    constant worth hiding.
SELECT advisor.reset();
SET ROLE regress_sec_victim;
SELECT count(*) FROM sec_secret WHERE lower(ssn) = 'ssn-leak-me';
SELECT count(*) FROM sec_secret WHERE k = 42;
RESET ROLE;
SET ROLE regress_sec_mallory;
-- scan_shapes: nothing of the victim's statements (before: relations, columns, constants).
SELECT count(*) AS victims_shapes FROM advisor.scan_shapes;
-- query_patterns: counters only, as pg_stat_statements shows them.
SELECT queryid IS NULL AS hidden_id, query, application_name IS NULL AS hidden_app
  FROM advisor.query_patterns WHERE userid = 'regress_sec_victim'::regrole ORDER BY calls;
-- recommend_indexes: the permission error a SELECT gets, before any lock is taken.
SELECT * FROM advisor.recommend_indexes('SELECT * FROM sec_secret WHERE k = 5');
SELECT * FROM sec_secret WHERE k = 5;
SELECT * FROM advisor.recommend_indexes('DELETE FROM sec_secret WHERE k = 5');
SELECT * FROM advisor.recommend_indexes('SELECT * FROM sec_t1 JOIN sec_secret USING (k)');
-- A CTE named like the table is not the table.
SELECT count(*) FROM advisor.recommend_indexes('WITH sec_secret AS (SELECT 1 AS k) SELECT * FROM sec_secret');
-- Locks taken for planning end with the call (before: held until the end of the transaction,
-- RowExclusiveLock included).
BEGIN;
SELECT count(*) FROM advisor.recommend_indexes('UPDATE sec_t1 SET v = 1 WHERE k = 5');
SELECT relation::regclass, mode FROM pg_locks
 WHERE locktype = 'relation' AND pid = pg_backend_pid()
   AND relation IN ('sec_t1'::regclass, 'sec_t2'::regclass, 'sec_secret'::regclass);
COMMIT;
RESET ROLE;
-- The victim sees its own shapes; their constants only superusers and pg_read_all_stats
-- members (a shape keeps the constants of whichever role's planning captured it).
SET ROLE regress_sec_victim;
SELECT relation, quals FROM advisor.scan_shapes ORDER BY quals::text COLLATE "C";
RESET ROLE;

-- 4. Robustness.
-- Messages are cut at a character boundary, and user input quoted in them is cut short.
SELECT advisor.explain_recommendation(repeat('é', 600));
-- Dropped columns and tables: no "........pg.dropped.N........", no bare OIDs; the statement
-- that read the dropped column is left out, the other one on the same table still advised.
SELECT advisor.reset();
CREATE TABLE sec_drop AS SELECT g AS k, g % 10 AS gone, g % 7 AS kept FROM generate_series(1, 20000) g;
CREATE TABLE sec_dropped AS SELECT g AS k FROM generate_series(1, 20000) g;
ANALYZE sec_drop, sec_dropped;
SELECT count(*) FROM sec_drop WHERE gone = 3 AND kept = 2;
SELECT count(*) FROM sec_drop WHERE kept = 2 AND k > 10;
SELECT count(*) FROM sec_dropped WHERE k = 3;
ALTER TABLE sec_drop DROP COLUMN gone;
DROP TABLE sec_dropped;
SELECT relation, quals FROM advisor.scan_shapes ORDER BY relation::text;
SELECT relation, key_columns, predicate, status FROM advisor.index_candidates
 ORDER BY relation::text, key_columns::text, predicate NULLS FIRST;
SELECT relation, queryid IS NOT NULL AS statement, reason FROM advisor.index_advice_notes;
-- Work is bounded: statements naming too many relations are refused with the setting's name.
SELECT count(*) FROM advisor.recommend_indexes(
  'SELECT * FROM ' || (SELECT string_agg('sec_t1 t' || g, ', ') FROM generate_series(1, 40) g));
SET pg_advisor.max_relations_per_statement = 2;
SELECT count(*) FROM advisor.recommend_indexes('SELECT * FROM sec_t1 JOIN sec_t2 USING (k) JOIN sec_drop USING (k)');
RESET pg_advisor.max_relations_per_statement;
SET pg_advisor.max_candidates = 1;
SELECT count(*) FROM sec_t1 WHERE v = 3 AND k > 10;
SELECT count(*) FROM sec_t2 WHERE v = 3 AND k > 10;
SELECT relation, reason FROM advisor.index_advice_notes
 WHERE reason LIKE '%max_candidates%' ORDER BY relation::text;
RESET pg_advisor.max_candidates;
-- Parallel queries: functions that use subtransactions (or change state) are PARALLEL UNSAFE,
-- so a parallel plan never runs them in a worker; the others answer from a worker.
SELECT p.proname, p.proparallel FROM pg_proc p
 WHERE p.pronamespace = 'advisor'::regnamespace AND p.proparallel <> 'u' ORDER BY 1;
SET force_parallel_mode = on;
SELECT count(*) AS rules FROM advisor.rules;
-- Declared wrongly, a function using subtransactions is refused as a C++ error before any
-- subtransaction starts (no PostgreSQL error crosses its C++ frames).
ALTER FUNCTION advisor._rules() PARALLEL SAFE;
SELECT count(*) AS rules FROM advisor.rules;
ALTER FUNCTION advisor._rules() PARALLEL UNSAFE;
RESET force_parallel_mode;

DROP FUNCTION pg_temp.reads_advice(), pg_temp.resets(), pg_temp.who(), pg_temp.escalates(),
  pg_temp.reads_authid();
DROP SEQUENCE pg_temp.sec_witness;
DROP SCHEMA sec_evil CASCADE;
DROP TABLE sec_t1, sec_t2, sec_t3, sec_secret, sec_drop;
DROP ROLE regress_sec_mallory;
DROP ROLE regress_sec_victim;
