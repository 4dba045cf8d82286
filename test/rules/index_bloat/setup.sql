-- index_bloat (settings: 1 MB of waste instead of 100 MB): 80% of the rows deleted and
-- vacuumed leave the index pages four-fifths empty; the same index built afresh is not bloated.
CREATE TABLE t (id int PRIMARY KEY, a int);
INSERT INTO t SELECT g, g FROM generate_series(1, 200000) g;
CREATE INDEX t_a ON t (a);                                -- medium: ~80% waste
DELETE FROM t WHERE id % 5 <> 0;
VACUUM t;
CREATE TABLE fresh (id int PRIMARY KEY, a int);           -- near miss: no waste
INSERT INTO fresh SELECT g, g FROM generate_series(1, 40000) g;
CREATE INDEX fresh_a ON fresh (a);
