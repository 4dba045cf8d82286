-- redundant_prefix_index: a non-unique btree whose keys start a wider index with the same
-- predicate; reported from 1 MB (redundant_prefix_index_min_bytes).
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, d int, f int, s text);
INSERT INTO t SELECT g, g, g % 7, g, g % 13, g % 17, 's' || g FROM generate_series(1, 60000) g;
CREATE INDEX t_ab ON t (a, b);
CREATE INDEX t_a ON t (a);                      -- low: prefix of t_ab
CREATE INDEX t_lower_s_a ON t (lower(s), a);
CREATE INDEX t_lower_s ON t (lower(s));         -- low: expression prefix
CREATE INDEX t_d_f ON t (d, f);
CREATE INDEX t_d_inc_f ON t (d) INCLUDE (f);    -- low: its INCLUDE column is a key of t_d_f
-- near misses
CREATE INDEX t_d_inc_c ON t (d) INCLUDE (c);    -- INCLUDE column not in t_d_f
CREATE INDEX t_b_desc ON t (b DESC);            -- order differs from t_ba
CREATE INDEX t_ba ON t (b, a);
CREATE UNIQUE INDEX t_c_key ON t (c);           -- unique: enforces something
CREATE INDEX t_c_a ON t (c, a);
CREATE INDEX t_f_part ON t (f) WHERE f > 3;     -- predicate differs from t_f_d
CREATE INDEX t_f_d ON t (f, d);
CREATE INDEX t_a_hash ON t USING hash (a);      -- not a btree
CREATE TABLE small (x int, y int);
INSERT INTO small SELECT g, g FROM generate_series(1, 1000) g;
CREATE INDEX small_x ON small (x);              -- below 1 MB
CREATE INDEX small_x_y ON small (x, y);
