-- N+1, write-loop and duplicate-query detection, the advisor.n_plus_one view, the test guard.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
-- Units of work here are delimited by request tags; a slow machine must not split them.
SET pg_advisor.idle_gap_ms = 600000;
CREATE TABLE np_authors (id int PRIMARY KEY, name text);
CREATE TABLE np_posts (id int PRIMARY KEY, author_id int REFERENCES np_authors, title text);
CREATE TABLE np_comments (id serial PRIMARY KEY, post_id int REFERENCES np_posts, body text);
INSERT INTO np_authors SELECT g, 'a' || g FROM generate_series(1, 10) g;
INSERT INTO np_posts SELECT g, 1 + g % 10, 't' || g FROM generate_series(1, 20) g;
INSERT INTO np_comments (post_id, body) SELECT 1 + g % 20, 'b' || g FROM generate_series(1, 60) g;
ANALYZE np_authors, np_posts, np_comments;
CREATE VIEW np_v AS
  SELECT kind, parent_query, child_query, child_relation, parent_relation, occurrences, executions, max_repeats,
         typical_repeats, distinct_params, tags, framework, expected_queries, scope_kind
    FROM advisor.n_plus_one;
SELECT advisor.reset();

-- 1. One-to-many N+1 in a Django request: the list, then each post's comments.
\o /dev/null
SELECT id, title FROM np_posts ORDER BY id LIMIT 8 /*controller='posts',action='index',framework='django%3A4.2'*/;
SELECT body FROM np_comments WHERE post_id = 1 /*controller='posts',action='index',framework='django%3A4.2'*/;
SELECT body FROM np_comments WHERE post_id = 2 /*controller='posts',action='index',framework='django%3A4.2'*/;
SELECT body FROM np_comments WHERE post_id = 3 /*controller='posts',action='index',framework='django%3A4.2'*/;
SELECT body FROM np_comments WHERE post_id = 4 /*controller='posts',action='index',framework='django%3A4.2'*/;
SELECT body FROM np_comments WHERE post_id = 5 /*controller='posts',action='index',framework='django%3A4.2'*/;
SELECT body FROM np_comments WHERE post_id = 6 /*controller='posts',action='index',framework='django%3A4.2'*/;
SELECT body FROM np_comments WHERE post_id = 7 /*controller='posts',action='index',framework='django%3A4.2'*/;
SELECT body FROM np_comments WHERE post_id = 8 /*controller='posts',action='index',framework='django%3A4.2'*/;
\o
\x on
SELECT * FROM np_v;
SELECT suggested_sql, orm_fix, reason, example_scope FROM advisor.n_plus_one;
\x off

-- 2. Many-to-one (each post's author) nested in a loop over comments: two linked findings.
SELECT advisor.reset();
\o /dev/null
SELECT id, author_id FROM np_posts WHERE id <= 6 /*controller='feed',action='show'*/;
SELECT id, body FROM np_comments WHERE post_id = 1 /*controller='feed',action='show'*/;
SELECT name FROM np_authors WHERE id = 1 /*controller='feed',action='show'*/;
SELECT name FROM np_authors WHERE id = 2 /*controller='feed',action='show'*/;
SELECT id, body FROM np_comments WHERE post_id = 2 /*controller='feed',action='show'*/;
SELECT name FROM np_authors WHERE id = 3 /*controller='feed',action='show'*/;
SELECT name FROM np_authors WHERE id = 4 /*controller='feed',action='show'*/;
SELECT id, body FROM np_comments WHERE post_id = 3 /*controller='feed',action='show'*/;
SELECT name FROM np_authors WHERE id = 5 /*controller='feed',action='show'*/;
SELECT name FROM np_authors WHERE id = 6 /*controller='feed',action='show'*/;
SELECT id, body FROM np_comments WHERE post_id = 4 /*controller='feed',action='show'*/;
SELECT id, body FROM np_comments WHERE post_id = 5 /*controller='feed',action='show'*/;
\o
SELECT kind, parent_query, child_query, executions, distinct_params, expected_queries
  FROM np_v ORDER BY child_query COLLATE "C";

-- 3. Row-by-row INSERTs (Rails, legacy tags) and per-row BEGIN/UPDATE/COMMIT, then a duplicate.
SELECT advisor.reset();
INSERT INTO np_comments (post_id, body) VALUES (1, 'x') /*application:Blog,controller:imports,action:create*/;
INSERT INTO np_comments (post_id, body) VALUES (2, 'x') /*application:Blog,controller:imports,action:create*/;
INSERT INTO np_comments (post_id, body) VALUES (3, 'x') /*application:Blog,controller:imports,action:create*/;
INSERT INTO np_comments (post_id, body) VALUES (4, 'x') /*application:Blog,controller:imports,action:create*/;
INSERT INTO np_comments (post_id, body) VALUES (5, 'x') /*application:Blog,controller:imports,action:create*/;
INSERT INTO np_comments (post_id, body) VALUES (6, 'x') /*application:Blog,controller:imports,action:create*/;
BEGIN; UPDATE np_posts SET title = 'u1' WHERE id = 1; COMMIT;
BEGIN; UPDATE np_posts SET title = 'u2' WHERE id = 2; COMMIT;
BEGIN; UPDATE np_posts SET title = 'u3' WHERE id = 3; COMMIT;
BEGIN; UPDATE np_posts SET title = 'u4' WHERE id = 4; COMMIT;
BEGIN; UPDATE np_posts SET title = 'u5' WHERE id = 5; COMMIT;
\o /dev/null
SELECT name FROM np_authors WHERE id = 3 /*controller='profile'*/;
SELECT name FROM np_authors WHERE id = 3 /*controller='profile'*/;
SELECT name FROM np_authors WHERE id = 3 /*controller='profile'*/;
SELECT name FROM np_authors WHERE id = 3 /*controller='profile'*/;
SELECT name FROM np_authors WHERE id = 3 /*controller='profile'*/;
\o
SELECT kind, child_query, executions, distinct_params, framework, expected_queries, scope_kind
  FROM np_v ORDER BY kind, child_query COLLATE "C";
SELECT kind, suggested_sql, orm_fix FROM advisor.n_plus_one ORDER BY kind, child_query COLLATE "C";

-- 4. Traps: none of these is a finding.
SELECT advisor.reset();
\o /dev/null
-- The traps that a parent query would turn into a finding follow one (a list of as many rows
-- as the loop repeats, as admin exports do), so that only the trap's own rule keeps them from
-- being a finding.
-- pagination with OFFSET
SELECT id, title FROM np_posts /*controller='trap'*/;
SELECT id FROM np_comments ORDER BY id LIMIT 5 OFFSET 0 /*controller='trap'*/;
SELECT id FROM np_comments ORDER BY id LIMIT 5 OFFSET 5 /*controller='trap'*/;
SELECT id FROM np_comments ORDER BY id LIMIT 5 OFFSET 10 /*controller='trap'*/;
SELECT id FROM np_comments ORDER BY id LIMIT 5 OFFSET 15 /*controller='trap'*/;
SELECT id FROM np_comments ORDER BY id LIMIT 5 OFFSET 20 /*controller='trap'*/;
-- single-row INSERTs sent in one query string (one round trip: the client batched them)
INSERT INTO np_comments (post_id, body) VALUES (1, 'm') /*controller='trap_multi'*/ \; INSERT INTO np_comments (post_id, body) VALUES (2, 'm') /*controller='trap_multi'*/ \; INSERT INTO np_comments (post_id, body) VALUES (3, 'm') /*controller='trap_multi'*/ \; INSERT INTO np_comments (post_id, body) VALUES (4, 'm') /*controller='trap_multi'*/ \; INSERT INTO np_comments (post_id, body) VALUES (5, 'm') /*controller='trap_multi'*/ \; INSERT INTO np_comments (post_id, body) VALUES (6, 'm') /*controller='trap_multi'*/;
-- keyset pagination
SELECT id, title FROM np_posts /*controller='trap2'*/;
SELECT id FROM np_comments WHERE id > 0 ORDER BY id LIMIT 5 /*controller='trap2'*/;
SELECT id FROM np_comments WHERE id > 5 ORDER BY id LIMIT 5 /*controller='trap2'*/;
SELECT id FROM np_comments WHERE id > 10 ORDER BY id LIMIT 5 /*controller='trap2'*/;
SELECT id FROM np_comments WHERE id > 15 ORDER BY id LIMIT 5 /*controller='trap2'*/;
SELECT id FROM np_comments WHERE id > 20 ORDER BY id LIMIT 5 /*controller='trap2'*/;
-- batched loads in chunks (literal IN lists of one length, and = ANY arrays)
SELECT id, title FROM np_posts /*controller='trap3'*/;
SELECT body FROM np_comments WHERE post_id IN (1, 2, 3) /*controller='trap3'*/;
SELECT body FROM np_comments WHERE post_id IN (4, 5, 6) /*controller='trap3'*/;
SELECT body FROM np_comments WHERE post_id IN (7, 8, 9) /*controller='trap3'*/;
SELECT body FROM np_comments WHERE post_id IN (10, 11, 12) /*controller='trap3'*/;
SELECT body FROM np_comments WHERE post_id IN (13, 14, 15) /*controller='trap3'*/;
PREPARE np_batch(int[]) AS SELECT body FROM np_comments WHERE post_id = ANY($1) /*controller='trap4'*/;
SELECT id, title FROM np_posts /*controller='trap4'*/;
EXECUTE np_batch('{1,2}'); EXECUTE np_batch('{3,4}'); EXECUTE np_batch('{5,6}');
EXECUTE np_batch('{7,8}'); EXECUTE np_batch('{9,10}'); EXECUTE np_batch('{11,12}');
-- job claims
SELECT id, title FROM np_posts /*job='worker'*/;
SELECT id FROM np_comments WHERE id = 1 FOR UPDATE SKIP LOCKED /*job='worker'*/;
SELECT id FROM np_comments WHERE id = 2 FOR UPDATE SKIP LOCKED /*job='worker'*/;
SELECT id FROM np_comments WHERE id = 3 FOR UPDATE SKIP LOCKED /*job='worker'*/;
SELECT id FROM np_comments WHERE id = 4 FOR UPDATE SKIP LOCKED /*job='worker'*/;
SELECT id FROM np_comments WHERE id = 5 FOR UPDATE SKIP LOCKED /*job='worker'*/;
-- catalog lookups (driver introspection)
SELECT id, title FROM np_posts /*controller='trap5'*/;
SELECT typname FROM pg_type WHERE oid = 23 /*controller='trap5'*/;
SELECT typname FROM pg_type WHERE oid = 25 /*controller='trap5'*/;
SELECT typname FROM pg_type WHERE oid = 16 /*controller='trap5'*/;
SELECT typname FROM pg_type WHERE oid = 20 /*controller='trap5'*/;
SELECT typname FROM pg_type WHERE oid = 21 /*controller='trap5'*/;
-- a loop below the threshold
SELECT id, title FROM np_posts /*controller='trap6'*/;
SELECT body FROM np_comments WHERE post_id = 1 /*controller='trap6'*/;
SELECT body FROM np_comments WHERE post_id = 2 /*controller='trap6'*/;
SELECT body FROM np_comments WHERE post_id = 3 /*controller='trap6'*/;
SELECT body FROM np_comments WHERE post_id = 4 /*controller='trap6'*/;
-- the same lookup from different requests of one connection
SELECT name FROM np_authors WHERE id = 1 /*request_id='r1'*/;
SELECT name FROM np_authors WHERE id = 2 /*request_id='r2'*/;
SELECT name FROM np_authors WHERE id = 3 /*request_id='r3'*/;
SELECT name FROM np_authors WHERE id = 4 /*request_id='r4'*/;
SELECT name FROM np_authors WHERE id = 5 /*request_id='r5'*/;
SELECT name FROM np_authors WHERE id = 6 /*request_id='r6'*/;
-- a cursor read row by row
BEGIN;
DECLARE np_cur CURSOR FOR SELECT id, body FROM np_comments WHERE post_id > 0 /*controller='trap7'*/;
FETCH 1 FROM np_cur; FETCH 1 FROM np_cur; FETCH 1 FROM np_cur; FETCH 1 FROM np_cur;
FETCH 1 FROM np_cur; FETCH 1 FROM np_cur; FETCH 1 FROM np_cur;
CLOSE np_cur;
COMMIT;
-- one statement per tenant schema: the same text, a different table each time
CREATE SCHEMA np_t1; CREATE SCHEMA np_t2; CREATE SCHEMA np_t3; CREATE SCHEMA np_t4;
CREATE SCHEMA np_t5; CREATE SCHEMA np_t6;
CREATE TABLE np_t1.orders (id int); CREATE TABLE np_t2.orders (id int); CREATE TABLE np_t3.orders (id int);
CREATE TABLE np_t4.orders (id int); CREATE TABLE np_t5.orders (id int); CREATE TABLE np_t6.orders (id int);
SELECT id, title FROM np_posts /*controller='trap8'*/;
SET search_path = np_t1; SELECT count(*) FROM orders WHERE id = 1 /*controller='trap8'*/;
SET search_path = np_t2; SELECT count(*) FROM orders WHERE id = 2 /*controller='trap8'*/;
SET search_path = np_t3; SELECT count(*) FROM orders WHERE id = 3 /*controller='trap8'*/;
SET search_path = np_t4; SELECT count(*) FROM orders WHERE id = 4 /*controller='trap8'*/;
SET search_path = np_t5; SELECT count(*) FROM orders WHERE id = 5 /*controller='trap8'*/;
SET search_path = np_t6; SELECT count(*) FROM orders WHERE id = 6 /*controller='trap8'*/;
RESET search_path;
-- foreign-key checks run once per inserted row, inside the statement
INSERT INTO np_comments (post_id, body) SELECT 1 + g % 20, 'fk' FROM generate_series(1, 50) g /*controller='trap9'*/;
-- polling: the same query every 0.2 s, with a 100 ms idle gap
SET pg_advisor.idle_gap_ms = 100;
SELECT id FROM np_comments WHERE post_id = 1 ORDER BY id /*controller='poll'*/;
\! sleep 0.2
SELECT id FROM np_comments WHERE post_id = 2 ORDER BY id /*controller='poll'*/;
\! sleep 0.2
SELECT id FROM np_comments WHERE post_id = 3 ORDER BY id /*controller='poll'*/;
\! sleep 0.2
SELECT id FROM np_comments WHERE post_id = 4 ORDER BY id /*controller='poll'*/;
\! sleep 0.2
SELECT id FROM np_comments WHERE post_id = 5 ORDER BY id /*controller='poll'*/;
\! sleep 0.2
SELECT id FROM np_comments WHERE post_id = 6 ORDER BY id /*controller='poll'*/;
SET pg_advisor.idle_gap_ms = 600000;
\o
SELECT count(*) AS findings FROM advisor.n_plus_one;
SET client_min_messages = warning;
DROP SCHEMA np_t1, np_t2, np_t3, np_t4, np_t5, np_t6 CASCADE;
RESET client_min_messages;

-- 5. The threshold is a setting.
SET pg_advisor.n_plus_one_min_repeats = 3;
\o /dev/null
SELECT id, title FROM np_posts /*controller='three'*/;
SELECT body FROM np_comments WHERE post_id = 1 /*controller='three'*/;
SELECT body FROM np_comments WHERE post_id = 2 /*controller='three'*/;
SELECT body FROM np_comments WHERE post_id = 3 /*controller='three'*/;
\o
SELECT kind, child_query, executions FROM np_v;
RESET pg_advisor.n_plus_one_min_repeats;

-- 6. The test guard: log, warning, then error on the statement that completes the N+1.
SELECT advisor.reset();
-- 'log' writes the same report as a LOG line (to the server log; here also to the client).
SET client_min_messages = log;
SET pg_advisor.n_plus_one_action = 'log';
\o /dev/null
SELECT id, title FROM np_posts /*controller='log'*/;
SELECT body FROM np_comments WHERE post_id = 1 /*controller='log'*/;
SELECT body FROM np_comments WHERE post_id = 2 /*controller='log'*/;
SELECT body FROM np_comments WHERE post_id = 3 /*controller='log'*/;
SELECT body FROM np_comments WHERE post_id = 4 /*controller='log'*/;
SELECT body FROM np_comments WHERE post_id = 5 /*controller='log'*/;
SELECT body FROM np_comments WHERE post_id = 6 /*controller='log'*/;
\o
RESET client_min_messages;
SET pg_advisor.n_plus_one_action = 'warning';
\o /dev/null
SELECT id, title FROM np_posts /*controller='warn'*/;
SELECT body FROM np_comments WHERE post_id = 1 /*controller='warn'*/;
SELECT body FROM np_comments WHERE post_id = 2 /*controller='warn'*/;
SELECT body FROM np_comments WHERE post_id = 3 /*controller='warn'*/;
SELECT body FROM np_comments WHERE post_id = 4 /*controller='warn'*/;
SELECT body FROM np_comments WHERE post_id = 5 /*controller='warn'*/;
SELECT body FROM np_comments WHERE post_id = 6 /*controller='warn'*/;
\o
SET pg_advisor.n_plus_one_action = 'error';
\o /dev/null
SELECT id, title FROM np_posts /*controller='guard'*/;
SELECT body FROM np_comments WHERE post_id = 1 /*controller='guard'*/;
SELECT body FROM np_comments WHERE post_id = 2 /*controller='guard'*/;
SELECT body FROM np_comments WHERE post_id = 3 /*controller='guard'*/;
SELECT body FROM np_comments WHERE post_id = 4 /*controller='guard'*/;
\o
SELECT body FROM np_comments WHERE post_id = 5 /*controller='guard'*/;
-- a write loop inside one transaction fails at its fifth row; the transaction rolls back
BEGIN;
INSERT INTO np_comments (post_id, body) VALUES (1, 'g') /*controller='guard_write'*/;
INSERT INTO np_comments (post_id, body) VALUES (2, 'g') /*controller='guard_write'*/;
INSERT INTO np_comments (post_id, body) VALUES (3, 'g') /*controller='guard_write'*/;
INSERT INTO np_comments (post_id, body) VALUES (4, 'g') /*controller='guard_write'*/;
INSERT INTO np_comments (post_id, body) VALUES (5, 'g') /*controller='guard_write'*/;
ROLLBACK;
SELECT count(*) AS guarded_rows FROM np_comments WHERE body = 'g';
RESET pg_advisor.n_plus_one_action;
SELECT kind, child_query, occurrences, executions FROM np_v ORDER BY kind, child_query COLLATE "C", executions DESC;

-- 7. Privileges: other users' loops (statements, relations, tags, user ids) are not shown
--    without pg_read_all_stats; with it, everything is.
CREATE ROLE regress_np_other;
SET ROLE regress_np_other;
SELECT count(*) AS others_loops FROM advisor.n_plus_one;
RESET ROLE;
GRANT pg_read_all_stats TO regress_np_other;
SET ROLE regress_np_other;
SELECT kind, child_query, child_relation, executions, userid = 'postgres'::regrole AS by_postgres
  FROM advisor.n_plus_one ORDER BY kind, executions DESC;
RESET ROLE;
REVOKE pg_read_all_stats FROM regress_np_other;
DROP ROLE regress_np_other;

-- 8. reset() clears the findings.
SELECT advisor.reset();
SELECT count(*) AS findings FROM advisor.n_plus_one;

DROP VIEW np_v;
DROP TABLE np_comments, np_posts, np_authors;
