-- The session tracker: what the detectors see, one row per statement with its scope keys.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE TABLE sess_t (id int PRIMARY KEY, v int);
INSERT INTO sess_t SELECT g, g FROM generate_series(1, 10) g;
SELECT advisor.reset();
-- Relative positions make the output independent of what ran before.
CREATE VIEW sess_v AS
  SELECT s.seq - min(s.seq) OVER () AS n, s.command, s.nesting_level AS lvl, s.rows,
         s.xact_seq - min(s.xact_seq) OVER () AS xact, s.burst_seq - min(s.burst_seq) OVER () AS burst,
         s.relation, s.flags, p.query
    FROM advisor.session_statements() s LEFT JOIN advisor.query_patterns p
      ON p.queryid = s.queryid AND p.toplevel = (s.nesting_level = 0)
   WHERE p.query IS NULL OR p.query NOT LIKE '%sess_v%';

-- Autocommit statements: one transaction each. BEGIN ... COMMIT: one transaction, with its
-- boundaries recorded; SAVEPOINT does not split the transaction.
SELECT v FROM sess_t WHERE id = 1;
SELECT v FROM sess_t WHERE id = 2;
BEGIN;
SELECT v FROM sess_t WHERE id = 3;
SAVEPOINT s1;
UPDATE sess_t SET v = v + 1 WHERE id = 3;
ROLLBACK TO SAVEPOINT s1;
SELECT v FROM sess_t WHERE id = 4 FOR UPDATE SKIP LOCKED;
COMMIT;
SELECT v FROM sess_t ORDER BY id LIMIT 2 OFFSET 1;
SELECT count(*) FROM pg_class WHERE relname = 'sess_t';
INSERT INTO sess_t VALUES (11, 11), (12, 12);
SELECT n, command, lvl, rows, xact, relation, flags, query FROM sess_v ORDER BY n;

-- Parameter fingerprints: equal for equal values, different otherwise, for both protocols.
SELECT advisor.reset();
SELECT v FROM sess_t WHERE id = 5;
SELECT v FROM sess_t WHERE id = 5;
SELECT v FROM sess_t WHERE id = 6;
PREPARE sess_p(int) AS SELECT v FROM sess_t WHERE id = $1 AND v > 0;
EXECUTE sess_p(5);
EXECUTE sess_p(5);
EXECUTE sess_p(6);
SELECT s.command, count(*) AS executions, count(DISTINCT param_fingerprint) AS distinct_values
  FROM advisor.session_statements() s JOIN advisor.query_patterns p USING (queryid)
 WHERE p.query LIKE '%SELECT v FROM sess_t WHERE id = $1%'
 GROUP BY p.query, s.command ORDER BY p.query COLLATE "C";

-- A multi-statement query string runs in an implicit block: one transaction, but not an
-- explicit one (the client sent it in one round trip); BEGIN inside one makes it explicit.
SELECT advisor.reset();
SELECT v FROM sess_t WHERE id = 3 \; SELECT v FROM sess_t WHERE id = 4;
BEGIN \; SELECT v FROM sess_t WHERE id = 5 \; COMMIT;
SELECT v FROM sess_t WHERE id = 6;
SELECT command, xact, flags FROM sess_v WHERE command <> 'UTILITY' AND query LIKE '%sess_t%' ORDER BY n;

-- COMMIT AND CHAIN / ROLLBACK AND CHAIN continue an explicit block in a new transaction; after
-- an error and ROLLBACK, a multi-statement string is implicit again.
SELECT advisor.reset();
BEGIN;
SELECT v FROM sess_t WHERE id = 7;
COMMIT AND CHAIN;
SELECT v FROM sess_t WHERE id = 8;
ROLLBACK AND CHAIN;
SELECT v FROM sess_t WHERE id = 9;
COMMIT;
SELECT v FROM sess_t WHERE id = 10;
BEGIN;
SELECT 1 / 0;
ROLLBACK;
SELECT v FROM sess_t WHERE id = 1 \; SELECT v FROM sess_t WHERE id = 2;
SELECT command, xact, flags FROM sess_v WHERE command <> 'UTILITY' AND query LIKE '%sess_t%' ORDER BY n;

-- Scope keys from tags: the trace-id of traceparent (not its span id), request tags.
SELECT advisor.reset();
SELECT v FROM sess_t WHERE id = 7 /*traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/;
SELECT v FROM sess_t WHERE id = 8 /*traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01'*/;
SELECT v FROM sess_t WHERE id = 9 /*controller='users',action='show',framework='django'*/;
SELECT v FROM sess_t WHERE id = 10 /*action='show',controller='users',framework='django%3A5'*/;
SELECT v FROM sess_t WHERE id = 1 /*controller='users',action='index'*/;
SELECT v FROM sess_t WHERE id = 2;
SELECT trace_id, request_key IS NOT NULL AS has_request,
       request_key = lag(request_key) OVER (ORDER BY seq) AS same_request_as_previous
  FROM advisor.session_statements() s JOIN advisor.query_patterns p USING (queryid)
 WHERE p.query = 'SELECT v FROM sess_t WHERE id = $1' ORDER BY seq;

-- Nested statements (track = all) carry their nesting level and the caller's scope.
SELECT advisor.reset();
SET pg_advisor.track = 'all';
CREATE FUNCTION sess_f(i int) RETURNS int LANGUAGE sql AS 'SELECT v FROM sess_t WHERE id = i + 0';
SELECT sess_f(1) /*controller='nested'*/;
DO $$ BEGIN PERFORM v FROM sess_t WHERE id = 2 + 0; END $$;
RESET pg_advisor.track;
SELECT n, command, lvl, rows, query FROM sess_v ORDER BY n;

-- Idle gaps split bursts.
SELECT advisor.reset();
SET pg_advisor.idle_gap_ms = 100;
SELECT v FROM sess_t WHERE id = 1;
SELECT v FROM sess_t WHERE id = 2;
SELECT pg_sleep(0.3);
SELECT v FROM sess_t WHERE id = 3;
RESET pg_advisor.idle_gap_ms;
SELECT n, burst, query FROM sess_v ORDER BY n;

-- Batch sizes: array parameters of = ANY($1).
SELECT advisor.reset();
PREPARE sess_batch(int[]) AS SELECT v FROM sess_t WHERE id = ANY($1);
EXECUTE sess_batch('{1,2,3,4}');
SELECT s.rows, s.batch_size FROM advisor.session_statements() s JOIN advisor.query_patterns p USING (queryid)
 WHERE p.query LIKE '%ANY($1)%';

DROP FUNCTION sess_f(int);
DROP VIEW sess_v;
DROP TABLE sess_t;
