-- index_design_smell: too many key columns, range column not last, low-cardinality single
-- column, btree on an array, IS NOT NULL predicate on a NOT NULL column. Column-order smells
-- only from 10,000 rows.
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, d int, created_at timestamptz,
                user_id int, flag boolean, tags int[], email text NOT NULL, nick text);
INSERT INTO t SELECT g, g % 10, g % 11, g % 12, g % 13, now() - g * interval '1 minute',
                     g % 100, g % 2 = 0, ARRAY[g % 5], 'e' || g, 'n' || g
FROM generate_series(1, 20000) g;
CREATE INDEX t_abcd ON t (a, b, c, d);                       -- low: 4 keys
CREATE INDEX t_created_user ON t (created_at, user_id);      -- info: range column first
CREATE INDEX t_flag ON t (flag);                             -- info: two values
CREATE INDEX t_tags ON t (tags);                             -- low: btree on int[]
CREATE INDEX t_email ON t (email) WHERE email IS NOT NULL;   -- low: email is NOT NULL
-- near misses
CREATE UNIQUE INDEX t_abcd_key ON t (a, b, c, d, id);        -- unique
CREATE INDEX t_user_created ON t (user_id, created_at);      -- range column last
CREATE INDEX t_flag_user ON t (flag, user_id);               -- not single-column
CREATE INDEX t_tags_gin ON t USING gin (tags);               -- GIN
CREATE INDEX t_nick ON t (nick) WHERE nick IS NOT NULL;      -- nick is nullable
CREATE TABLE small (a int, b int, c int, d int, e int);
INSERT INTO small SELECT g, g, g, g, g FROM generate_series(1, 100) g;
CREATE INDEX small_abcde ON small (a, b, c, d, e);           -- below 10,000 rows
