-- Query ids: computed by the server's jumble once per statement shape and reused; the same
-- ids as compute_query_id = on gives; forgotten when names may resolve differently.
-- (The regression cluster runs with pg_advisor.verify_query_ids = on: every reused id is also
-- checked against a fresh jumble. This test runs last in the schedule (Makefile REGRESS), and
-- advisor.reset() does not clear the mismatch counter, so the last queries below cover every
-- statement of the suite since the server started: the counter, and the LOG line a mismatch
-- writes to the server log.)
-- In a database of its own: the per-backend id cache is dropped on every relation invalidation
-- this backend receives, and autovacuum analysing the earlier tests' tables (in the regression
-- database) would send some in the middle of a count of jumbles.
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_qid;
\c regress_qid
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE SCHEMA qa;
CREATE SCHEMA qb;
CREATE TABLE qb.qt (id bigint PRIMARY KEY, v text);
INSERT INTO qb.qt VALUES (1, 'b1'), (2, 'b2');
SET search_path = qa, qb, public;
SELECT advisor.reset();
CREATE VIEW qid AS
  SELECT query, count(DISTINCT queryid) AS ids, sum(calls) AS calls
    FROM advisor.query_patterns WHERE query LIKE '%qt%' OR query LIKE '%qf(%'
   GROUP BY query ORDER BY query COLLATE "C";

-- One shape, three constants: one jumble, one id.
SELECT v FROM qt WHERE id = 1;
SELECT query_id_jumbles AS jumbles_before FROM advisor.capture_info \gset
SELECT v FROM qt WHERE id = 2;
SELECT   v  FROM qt /* a comment */ WHERE id=3;
SELECT query_id_jumbles - :jumbles_before AS new_jumbles FROM advisor.capture_info;
-- The server's own jumble (compute_query_id = on) gives the same id: one pattern.
SET compute_query_id = on;
SELECT v FROM qt WHERE id = 4;
RESET compute_query_id;
SELECT * FROM qid;

-- ORDER BY positions and integer types are part of the id.
SELECT advisor.reset();
SELECT id, v FROM qt ORDER BY 1 LIMIT 1;
SELECT id, v FROM qt ORDER BY 2 LIMIT 1;
SELECT id, v FROM qt ORDER BY 2 LIMIT 2;
SELECT v FROM qt WHERE id = 5;
SELECT v FROM qt WHERE id = 5000000000;
SELECT * FROM qid;

-- A table created earlier in the search_path takes the name over: a new id.
SELECT advisor.reset();
SELECT v FROM qt WHERE id = 1;
CREATE TABLE qa.qt (id bigint PRIMARY KEY, v text);
INSERT INTO qa.qt VALUES (1, 'a1');
SELECT v FROM qt WHERE id = 1;
-- search_path changes: back to qb.qt's id.
SET search_path = qb, qa, public;
SELECT v FROM qt WHERE id = 2;
SET search_path = qa, qb, public;
-- Dropped and created again: a new relation, a new id.
DROP TABLE qa.qt;
CREATE TABLE qa.qt (id bigint PRIMARY KEY, v text);
SELECT v FROM qt WHERE id = 1;
SELECT * FROM qid;

-- A better-matching function overload created later: a new id.
SELECT advisor.reset();
CREATE FUNCTION qa.qf(x numeric) RETURNS text LANGUAGE sql AS 'SELECT ''numeric''';
SELECT qf(1);
CREATE FUNCTION qa.qf(x int) RETURNS text LANGUAGE sql AS 'SELECT ''int''';
SELECT qf(2);
SELECT * FROM qid;

-- transform_null_equals changes the parse tree of "= NULL".
SELECT advisor.reset();
SELECT v FROM qt WHERE v = NULL;
SET transform_null_equals = on;
SELECT v FROM qt WHERE v = NULL;
RESET transform_null_equals;
SELECT * FROM qid;

-- compute_query_id = off: no ids, nothing recorded.
SELECT advisor.reset();
SET compute_query_id = off;
SELECT v FROM qt WHERE id = 1;
RESET compute_query_id;
SELECT count(*) AS recorded FROM advisor.query_patterns WHERE query LIKE '%qt%';

-- Every statement the server ran since it started, whatever reset() calls came in between.
SELECT query_id_mismatches FROM advisor.capture_info;
-- The LOG line of a mismatch, searched for in the server log (scripts/lib.sh writes it next to
-- the data directory; a missing file is an error, not a pass).
SELECT count(*) AS mismatch_log_lines
  FROM regexp_matches(pg_read_file(current_setting('data_directory') || '/../server.log'),
                      'pg_advisor: a reused query ' || 'id differed', 'g');
\c :regress_db
DROP DATABASE regress_qid;
