-- low_value_index (settings: window of 0 days): an index scanned a few times on a table
-- written 60,000 times and read mostly otherwise.
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int);
INSERT INTO t SELECT g, g, g, g FROM generate_series(1, 60000) g;
CREATE INDEX t_a_hot ON t (a);
CREATE INDEX t_b_rare ON t (b);                 -- low: 3 scans, 60,000 writes, < 10% of scans
CREATE UNIQUE INDEX t_c_key ON t (c);           -- unique: never judged
CREATE INDEX t_id_b ON t (id, b);               -- no scans at all: unused_index's case
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT (SELECT count(*) FROM t WHERE a = g) FROM generate_series(1, 1000) g;
SELECT count(*) FROM t WHERE b = 1;
SELECT count(*) FROM t WHERE b = 2;
SELECT count(*) FROM t WHERE b = 3;
SELECT count(*) FROM t WHERE c = 3;
SELECT pg_stat_force_next_flush();
