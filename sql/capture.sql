-- Capture: counts, normalisation, nesting levels, application name.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE TABLE capture_t (id int PRIMARY KEY, name text, score numeric);
INSERT INTO capture_t SELECT g, 'n' || g, g * 1.5 FROM generate_series(1, 20) g;
SELECT advisor.reset();

-- One statement shape run 7 times with different constants: one pattern, calls = 7.
SELECT name FROM capture_t WHERE id = 1;
SELECT name FROM capture_t WHERE id = 2;
SELECT name FROM capture_t WHERE id = 3;
SELECT name FROM capture_t WHERE id = 4;
SELECT name FROM capture_t WHERE id = 5;
SELECT name FROM capture_t WHERE id = 99;
SELECT name FROM capture_t WHERE id = 7;
SELECT query, calls, rows, command, toplevel
  FROM advisor.query_patterns WHERE query LIKE '%capture_t%' ORDER BY query COLLATE "C";
SELECT mean_exec_ms * calls - total_exec_ms BETWEEN -1e-6 AND 1e-6 AS mean_is_total_over_calls,
       min_exec_ms <= mean_exec_ms AND mean_exec_ms <= max_exec_ms AS min_mean_max_ordered,
       first_seen <= last_seen AS seen_ordered, userid = 'postgres'::regrole AS userid,
       dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AS dbid
  FROM advisor.query_patterns WHERE query = 'SELECT name FROM capture_t WHERE id = $1';

-- Prepared statements keep their $n; each EXECUTE is one call of the prepared query.
PREPARE capture_p(int) AS SELECT score FROM capture_t WHERE id = $1 AND score > 0;
EXECUTE capture_p(1);
EXECUTE capture_p(2);
EXECUTE capture_p(3);
SELECT query, calls, rows FROM advisor.query_patterns WHERE query LIKE '%capture_p%';

-- Writes are patterns too, with their affected rows.
UPDATE capture_t SET score = score + 1 WHERE id <= 4;
DELETE FROM capture_t WHERE id = 20;
INSERT INTO capture_t VALUES (20, 'n20', 30);
SELECT query, calls, rows, command FROM advisor.query_patterns
  WHERE command <> 'SELECT' ORDER BY query COLLATE "C";

-- Statements inside functions are nested: recorded only with track = all.
CREATE FUNCTION capture_f(i int) RETURNS text LANGUAGE plpgsql
  AS $$ BEGIN RETURN (SELECT name FROM capture_t WHERE id = i AND name IS NOT NULL); END $$;
SELECT capture_f(3);
SELECT count(*) AS inner_recorded FROM advisor.query_patterns WHERE query LIKE '%name IS NOT NULL%';
SET pg_advisor.track = 'all';
SELECT capture_f(4);
SELECT capture_f(5);
SELECT query, calls, toplevel FROM advisor.query_patterns
  WHERE query LIKE '%name IS NOT NULL%' OR query LIKE '%capture_f%' ORDER BY toplevel, query COLLATE "C";
SET pg_advisor.track = 'none';
SELECT name FROM capture_t WHERE id = 8;
RESET pg_advisor.track;
SELECT calls AS still_7 FROM advisor.query_patterns WHERE query = 'SELECT name FROM capture_t WHERE id = $1';

-- pg_advisor.enabled = off records nothing.
SET pg_advisor.enabled = off;
SELECT name FROM capture_t WHERE id = 9;
RESET pg_advisor.enabled;
SELECT calls AS still_7 FROM advisor.query_patterns WHERE query = 'SELECT name FROM capture_t WHERE id = $1';

-- The last application_name is kept.
SET application_name = 'capture_app';
SELECT name FROM capture_t WHERE id = 10;
RESET application_name;
SELECT calls, application_name FROM advisor.query_patterns WHERE query = 'SELECT name FROM capture_t WHERE id = $1';

-- EXPLAIN without ANALYZE executes nothing and counts nothing.
EXPLAIN (COSTS OFF) SELECT name FROM capture_t WHERE id = 11;
SELECT calls AS still_8 FROM advisor.query_patterns WHERE query = 'SELECT name FROM capture_t WHERE id = $1';

-- A failing statement is not a completed call.
SELECT name, 1 / (id - id) FROM capture_t WHERE id = 1;
SELECT query, calls FROM advisor.query_patterns WHERE query LIKE '%(id - id)%';

-- Execution time: what the executor spent (pg_advisor times it itself when it is the only
-- executor hook), summed over the fetches of a portal, nested statements included.
SELECT pg_sleep(0.05);
SELECT total_exec_ms >= 50 AND total_exec_ms < 5000 AS slept_50ms
  FROM advisor.query_patterns WHERE query = 'SELECT pg_sleep($1)';
BEGIN;
DECLARE capture_c CURSOR FOR SELECT pg_sleep(0.02), g FROM generate_series(1, 3) g;
FETCH 2 FROM capture_c;
FETCH 2 FROM capture_c;
COMMIT;
SELECT calls, total_exec_ms >= 60 AND total_exec_ms < 5000 AS three_sleeps_of_20ms
  FROM advisor.query_patterns WHERE query LIKE 'DECLARE capture_c%';
-- CREATE TABLE AS runs its query like DECLARE does.
CREATE TABLE capture_copy AS SELECT * FROM capture_t WHERE id < 4;
SELECT query, calls, rows FROM advisor.query_patterns WHERE query LIKE 'CREATE TABLE capture_copy%';
DROP TABLE capture_copy;
SET pg_advisor.track = 'all';
SELECT capture_f(6) FROM pg_sleep(0.03);
RESET pg_advisor.track;
SELECT total_exec_ms >= 30 AND total_exec_ms < 5000 AS outer_includes_sleep
  FROM advisor.query_patterns WHERE query = 'SELECT capture_f($1) FROM pg_sleep($2)';

-- A statement that fails inside a savepoint leaves no executor timer behind: what runs after
-- the rollback is recorded as what it is (a function's statement stays unrecorded under
-- track = top).
SELECT calls AS nested_before FROM advisor.query_patterns
  WHERE NOT toplevel AND query LIKE '%name IS NOT NULL%' \gset
BEGIN;
SAVEPOINT capture_s;
SELECT name, 1 / (id - id) FROM capture_t WHERE id = 2;
ROLLBACK TO capture_s;
SELECT capture_f(7);
COMMIT;
SELECT calls - :nested_before AS nested_calls_added FROM advisor.query_patterns
  WHERE NOT toplevel AND query LIKE '%name IS NOT NULL%';
SELECT calls AS capture_f_calls FROM advisor.query_patterns
  WHERE query = 'SELECT capture_f($1)';

-- The executor's nesting level survives errors without a try block per execution: an aborted
-- subtransaction restores the level it began at, an aborted transaction the top level, and a
-- procedure's own ROLLBACK keeps the procedure's level. Breaking any of them turns one of the
-- marker statements below into a nested one.
SET pg_advisor.track = 'all';
CREATE FUNCTION capture_catch() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    PERFORM 1 / (id - id) FROM capture_t WHERE id = 3;
  EXCEPTION WHEN division_by_zero THEN NULL;
  END;
  RETURN (SELECT count(*) FROM capture_t WHERE id > 100);
END $$;
SELECT capture_catch();
SELECT id FROM capture_t WHERE id = 4 AND name <> 'after the caught error';
CREATE PROCEDURE capture_p() LANGUAGE plpgsql AS $$
BEGIN
  PERFORM id FROM capture_t WHERE id > 200;
  ROLLBACK;
  PERFORM id FROM capture_t WHERE id > 300;
END $$;
CALL capture_p();
SELECT id FROM capture_t WHERE id = 4 AND name <> 'after the procedure';
SELECT 1 / (id - id) FROM capture_t WHERE id = 5;
SELECT id FROM capture_t WHERE id = 4 AND name <> 'after the failed statement';
RESET pg_advisor.track;
SELECT query, calls, toplevel FROM advisor.query_patterns
  WHERE query LIKE '%id > $1%' OR query LIKE '%name <> $2%' OR query LIKE '%capture_catch%'
     OR query LIKE 'CALL capture_p%'
  ORDER BY query COLLATE "C", toplevel;

-- Utility statements are not patterns.
SELECT count(*) AS utility_patterns FROM advisor.query_patterns WHERE command = 'UTILITY';

-- The advisor's own statements (catalog reads, what-if planning) are never recorded, even
-- with track = all: only the call itself is.
SET pg_advisor.track = 'all';
SELECT count(*) >= 0 AS reviewed FROM advisor.findings;
SELECT count(*) >= 0 AS advised FROM advisor.index_recommendations;
RESET pg_advisor.track;
SELECT count(*) AS advisor_internal_patterns FROM advisor.query_patterns
  WHERE query LIKE '%pg_attribute%' OR query LIKE '%pg_class%';
SELECT count(*) AS findings_calls FROM advisor.query_patterns
  WHERE query LIKE '%advisor.findings%' AND toplevel;

DROP FUNCTION capture_f(int);
DROP TABLE capture_t;
