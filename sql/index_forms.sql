-- Index advice a DBA accepts: partial predicates only from settings of the statement, the
-- full form preferred unless the partial one is clearly cheaper, prepared statements advised
-- like their literal forms, one index for the statements it serves.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
SET pg_advisor.min_table_rows = 1000;

CREATE TABLE if_accounts (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO if_accounts SELECT g, 'a' || g FROM generate_series(0, 9) g;
-- account_id: a foreign key with a handful of frequent values (a few big tenants).
CREATE TABLE if_tasks (id bigint PRIMARY KEY, account_id int NOT NULL REFERENCES if_accounts,
                       project_id int NOT NULL, state text NOT NULL, created_at timestamptz NOT NULL,
                       title text NOT NULL, body text NOT NULL)
  WITH (autovacuum_enabled = off);
INSERT INTO if_tasks
  SELECT g, CASE WHEN g % 10 < 6 THEN g % 4 ELSE 4 + g % 5 END, g % 300,
         CASE WHEN g % 100 < 90 THEN 'done' WHEN g % 100 < 97 THEN 'failed' ELSE 'queued' END,
         '2024-01-01'::timestamptz + g * interval '1 minute', 'title ' || g, repeat('x', 200)
  FROM generate_series(1, 60000) g;
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
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
SELECT count(*) FROM if_tasks WHERE account_id = 3 AND project_id = 8;
UPDATE if_tasks SET title = title WHERE account_id = 3 AND id < 0;
\o
SELECT * FROM if_candidates();

-- 2. A status literal that varies between executions is a value too: no partial form.
SELECT advisor.reset();
\o /dev/null
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 1 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'failed' AND project_id = 2 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 3 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'failed' AND project_id = 4 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 5 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'failed' AND project_id = 6 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 7 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'failed' AND project_id = 8 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 9 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'failed' AND project_id = 10 ORDER BY created_at LIMIT 5;
\o
SELECT * FROM if_candidates();

-- 3. The same status in every execution is a setting of the statement: the partial form is
--    costed against the full one, which must be beaten by pg_advisor.index_wider_margin_pct.
--    Seen fewer than ten times, it is not a setting yet.
SELECT advisor.reset();
\o /dev/null
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 1 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 2 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 3 ORDER BY created_at LIMIT 5;
\o
SELECT * FROM if_candidates() WHERE predicate IS NOT NULL;
\o /dev/null
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 4 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 5 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 6 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 7 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 8 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 9 ORDER BY created_at LIMIT 5;
SELECT id FROM if_tasks WHERE state = 'queued' AND project_id = 10 ORDER BY created_at LIMIT 5;
\o
SELECT * FROM if_candidates();

-- 4. SQL-level PREPARE / EXECUTE gets the advice of the literal form; one composite serves
--    the statement on its leading column too, instead of a second index.
SELECT advisor.reset();
PREPARE if_by_project(int) AS SELECT * FROM if_tasks WHERE project_id = $1;
PREPARE if_latest(int) AS
  SELECT id, title FROM if_tasks WHERE project_id = $1 ORDER BY created_at DESC LIMIT 10;
\o /dev/null
EXECUTE if_by_project(1); EXECUTE if_by_project(2); EXECUTE if_by_project(3);
EXECUTE if_by_project(4); EXECUTE if_by_project(5); EXECUTE if_by_project(6);
EXECUTE if_latest(1); EXECUTE if_latest(2); EXECUTE if_latest(3);
EXECUTE if_latest(4); EXECUTE if_latest(5); EXECUTE if_latest(6);
\o
SELECT * FROM if_candidates();
SELECT count(*) AS unplannable FROM advisor.index_advice_notes;
SELECT key_columns, status FROM advisor.recommend_indexes('SELECT * FROM if_tasks WHERE project_id = 5');
DEALLOCATE if_by_project;
DEALLOCATE if_latest;

\pset format aligned
\pset footer on
DROP FUNCTION if_candidates();
DROP TABLE if_tasks, if_accounts;
