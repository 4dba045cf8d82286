-- unused_or_empty_table (settings: window of 0 days): tables nothing read. Neither read nor
-- written: low; empty or only written: info.
CREATE TABLE dormant (id int PRIMARY KEY, v text);       -- low: counters reset below
INSERT INTO dormant SELECT g, 'x' FROM generate_series(1, 1000) g;
CREATE TABLE empty_one (id int);                         -- info: empty
CREATE TABLE audit_log (id int, v text);                 -- info: only written
INSERT INTO audit_log SELECT g, 'x' FROM generate_series(1, 100) g;
-- near misses: read by a sequential scan, by an index scan; a partitioned table and its partition
CREATE TABLE busy (id int PRIMARY KEY);
INSERT INTO busy SELECT generate_series(1, 100);
SELECT count(*) FROM busy;
CREATE TABLE looked_up (id int PRIMARY KEY);
INSERT INTO looked_up SELECT generate_series(1, 100);
SET enable_seqscan = off;
SELECT * FROM looked_up WHERE id = 5;
CREATE TABLE p (id int) PARTITION BY RANGE (id);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
SELECT pg_stat_force_next_flush();
SELECT pg_stat_reset_single_table_counters('dormant'::regclass);
