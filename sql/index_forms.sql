-- Index advice a DBA accepts: partial predicates only from settings of the statement, the
-- full form preferred unless the partial one is clearly cheaper, prepared statements advised
-- like their literal forms, one index for the statements it serves.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_advisor;
RESET client_min_messages;
SET pg_advisor.sample_rate = 0;
SET max_parallel_workers_per_gather = 0;  -- plans and costs that do not depend on workers
SET pg_advisor.min_table_rows = 1000;

CREATE TABLE if_accounts (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO if_accounts SELECT g, 'a' || g FROM generate_series(0, 9) g;
-- Tables of at most 30,000 rows: ANALYZE reads them whole, so the costs below do not move.
-- account_id: a foreign key with a handful of frequent values (a few big tenants).
CREATE TABLE if_tasks (id bigint PRIMARY KEY, account_id int NOT NULL REFERENCES if_accounts,
                       project_id int NOT NULL, state text NOT NULL, created_at timestamptz NOT NULL,
                       title text NOT NULL, body text NOT NULL)
  WITH (autovacuum_enabled = off);
INSERT INTO if_tasks
  SELECT g, CASE WHEN g % 10 < 6 THEN g % 4 ELSE 4 + g % 5 END, g % 300,
         CASE WHEN g % 100 < 90 THEN 'done' WHEN g % 100 < 97 THEN 'failed' ELSE 'queued' END,
         '2024-01-01'::timestamptz + g * interval '1 minute', 'title ' || g, repeat('x', 200)
  FROM generate_series(1, 30000) g;
ANALYZE if_accounts, if_tasks;

\pset format unaligned
\pset footer off
CREATE FUNCTION if_candidates() RETURNS TABLE (key_columns text[], include_columns text[],
                                               predicate text, status text,
                                               statements int, reason text)
LANGUAGE sql AS $$
  SELECT key_columns, include_columns, predicate, status, array_length(queryids, 1),
         regexp_replace(reason, '-?[0-9]{7,}', 'Q', 'g')
    FROM advisor.index_candidates WHERE relation = 'if_tasks'::regclass
   ORDER BY status DESC, key_columns::text, predicate NULLS FIRST
$$;

-- 1. A literal on a foreign-key column with few values is a value the application looks up,
--    however often it repeats: (project_id, account_id), never "(project_id) WHERE
--    account_id = 3"; the UPDATE gets no index keyed on its own predicate.
SELECT advisor.reset();
\o /dev/null
SELECT 'SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8'
  FROM generate_series(1, 11) \gexec
UPDATE if_tasks SET title = title WHERE account_id = 3 AND id < 0;
\o
SELECT * FROM if_candidates();

-- 2. A status literal that varies between executions is a value too: no partial form.
SELECT advisor.reset();
\o /dev/null
SELECT format('SELECT id FROM if_tasks WHERE state = %L AND project_id = %s '
              'ORDER BY created_at LIMIT 5', CASE WHEN n % 2 = 1 THEN 'queued' ELSE 'failed' END, n)
  FROM generate_series(1, 10) n \gexec
\o
SELECT * FROM if_candidates();

-- 3. The same status in every execution is a setting of the statement: the partial form is
--    costed against the full one, which must be beaten by pg_advisor.index_wider_margin_pct.
--    Seen fewer than ten times, it is not a setting yet.
SELECT advisor.reset();
\o /dev/null
SELECT format('SELECT id FROM if_tasks WHERE state = ''queued'' AND project_id = %s '
              'ORDER BY created_at LIMIT 5', n)
  FROM generate_series(1, 3) n \gexec
\o
SELECT * FROM if_candidates() WHERE predicate IS NOT NULL;
\o /dev/null
SELECT format('SELECT id FROM if_tasks WHERE state = ''queued'' AND project_id = %s '
              'ORDER BY created_at LIMIT 5', n)
  FROM generate_series(4, 10) n \gexec
\o
SELECT * FROM if_candidates();

-- 4. SQL-level PREPARE / EXECUTE gets the advice of the literal form; one composite serves
--    the statement on its leading column too, instead of a second index.
SELECT advisor.reset();
PREPARE if_by_project(int) AS SELECT * FROM if_tasks WHERE project_id = $1;
PREPARE if_latest(int) AS
  SELECT id, title FROM if_tasks WHERE project_id = $1 ORDER BY created_at DESC LIMIT 10;
-- A range on a parameter is planned with the value its custom plans bound (the last hour of
-- rows), not with the generic plan's default selectivity (a third of the table).
PREPARE if_recent(timestamptz) AS SELECT id, title FROM if_tasks WHERE created_at > $1;
\o /dev/null
EXECUTE if_recent('2024-01-21 19:00'); EXECUTE if_recent('2024-01-21 19:00');
EXECUTE if_by_project(1); EXECUTE if_by_project(2); EXECUTE if_by_project(3);
EXECUTE if_by_project(4); EXECUTE if_by_project(5); EXECUTE if_by_project(6);
EXECUTE if_latest(1); EXECUTE if_latest(2); EXECUTE if_latest(3);
EXECUTE if_latest(4); EXECUTE if_latest(5); EXECUTE if_latest(6);
\o
SELECT * FROM if_candidates();
SELECT count(*) AS unplannable FROM advisor.index_advice_notes;
-- The bound values are planned with, but shown to no one (constants would be, to a superuser).
SELECT quals FROM advisor.scan_shapes WHERE relation = 'if_tasks'::regclass ORDER BY 1;
SELECT key_columns, status FROM advisor.recommend_indexes('SELECT * FROM if_tasks WHERE project_id = 5');
SELECT key_columns, include_columns, round(cost_after) AS generic_cost_after, status
  FROM advisor.recommend_indexes('SELECT id, title FROM if_tasks WHERE created_at > $1');
DEALLOCATE if_recent;
DEALLOCATE if_by_project;
DEALLOCATE if_latest;

-- 5. An OR over two columns: a BitmapOr needs both indexes, neither pays alone. The pair is
--    recommended as one set, each row naming the other.
SELECT advisor.reset();
\o /dev/null
SELECT id FROM if_tasks WHERE project_id = 7 OR title = 'title 12';
SELECT id FROM if_tasks WHERE project_id = 8 OR title = 'title 13';
SELECT id FROM if_tasks WHERE project_id = 9 OR title = 'title 14';
\o
SELECT * FROM if_candidates();
SELECT queryid IS NOT NULL AS statement, quals FROM advisor.scan_shapes
 WHERE relation = 'if_tasks'::regclass;

-- 6. A join with filters on both sides: the inner join key under a recurring IS NULL is costed
--    full and partial, alone and together with the outer filter's index;
--    explain_recommendation shows every form with its cost.
CREATE TABLE if_users (id int PRIMARY KEY, org_id int NOT NULL, email text NOT NULL)
  WITH (autovacuum_enabled = off);
CREATE TABLE if_sessions (id bigint PRIMARY KEY, user_id int NOT NULL REFERENCES if_users,
                          revoked_at timestamptz, created_at timestamptz NOT NULL)
  WITH (autovacuum_enabled = off);
INSERT INTO if_users SELECT g, g % 200, 'u' || g || '@example.org' FROM generate_series(1, 5000) g;
INSERT INTO if_sessions
  SELECT g, 1 + g % 5000, CASE WHEN g % 10 < 8 THEN '2024-01-01'::timestamptz END,
         '2024-01-01'::timestamptz + g * interval '1 second'
  FROM generate_series(1, 30000) g;
ANALYZE if_users, if_sessions;
SELECT advisor.reset();
\o /dev/null
SELECT s.id FROM if_users u JOIN if_sessions s ON s.user_id = u.id
 WHERE u.org_id = 1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 20;
SELECT s.id FROM if_users u JOIN if_sessions s ON s.user_id = u.id
 WHERE u.org_id = 2 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 20;
SELECT s.id FROM if_users u JOIN if_sessions s ON s.user_id = u.id
 WHERE u.org_id = 3 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 20;
\o
SELECT relation, key_columns, include_columns, predicate, status,
       regexp_replace(reason, '-?[0-9]{7,}', 'Q', 'g') AS reason
  FROM advisor.index_candidates WHERE relation::text LIKE 'if_%'
 ORDER BY status DESC, relation::text, key_columns::text, predicate NULLS FIRST;
SELECT regexp_replace(advisor.explain_recommendation(recommendation_key), '-?[0-9]{7,}', 'Q', 'g')
  FROM advisor.index_recommendations WHERE relation = 'if_sessions'::regclass;

\pset format aligned
\pset footer on
DROP FUNCTION if_candidates();
DROP TABLE if_sessions, if_users, if_tasks, if_accounts;
