-- partial_index_candidate: full single-column indexes on tables of 100,000+ rows whose column
-- is mostly NULL (low) or one value (info).
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent VALUES (1), (2);
CREATE TABLE t (id int PRIMARY KEY, deleted_at timestamptz, maybe int, status text, parent_id int REFERENCES parent);
INSERT INTO t SELECT g,
  CASE WHEN g % 10 = 0 THEN now() END,
  CASE WHEN g % 10 < 3 THEN NULL ELSE g END,
  CASE WHEN g % 20 = 0 THEN 'open' ELSE 'done' END,
  CASE WHEN g % 50 = 0 THEN 2 ELSE 1 END
FROM generate_series(1, 200000) g;
CREATE INDEX t_deleted_at ON t (deleted_at);             -- low: 90% NULL
CREATE INDEX t_status ON t (status);                     -- info: 95% 'done'
CREATE INDEX t_maybe ON t (maybe);                       -- near miss: 30% NULL
CREATE INDEX t_parent ON t (parent_id);                  -- near miss: foreign key lookups
CREATE TABLE small (id int PRIMARY KEY, gone timestamptz);  -- near miss: 1,000 rows
INSERT INTO small SELECT g, NULL FROM generate_series(1, 1000) g;
CREATE INDEX small_gone ON small (gone);
