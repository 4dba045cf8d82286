-- unused_index (settings: a statistics window of 0 days, since the cluster is new): droppable
-- indexes without a scan, from 1 MB.
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent SELECT generate_series(1, 60000);
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, parent_id int REFERENCES parent, r int NOT NULL);
INSERT INTO t SELECT g, g, g, g, g, g FROM generate_series(1, 60000) g;
CREATE INDEX t_a_used ON t (a);
CREATE INDEX t_b_unused ON t (b);               -- low: never scanned
CREATE UNIQUE INDEX t_c_key ON t (c);           -- unique: enforces something
CREATE INDEX t_parent ON t (parent_id);         -- the only index covering a foreign key
CREATE UNIQUE INDEX t_r_key ON t (r);
ALTER TABLE t REPLICA IDENTITY USING INDEX t_r_key;
CREATE TABLE small (x int);
INSERT INTO small SELECT generate_series(1, 100);
CREATE INDEX small_x ON small (x);              -- below 1 MB
SET enable_seqscan = off;
SELECT count(*) FROM t WHERE a = 5;
SELECT pg_stat_force_next_flush();
