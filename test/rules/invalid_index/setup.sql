-- invalid_index: what failed CREATE INDEX CONCURRENTLY builds leave behind.
CREATE TABLE t (id int PRIMARY KEY, a int, b int);
INSERT INTO t SELECT g, g % 10, g FROM generate_series(1, 1000) g;
\set ON_ERROR_STOP 0
CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a);       -- medium: duplicates made it fail
CREATE INDEX CONCURRENTLY t_bad ON t ((1 / (a - 5)));     -- medium: division by zero
\set ON_ERROR_STOP 1
-- near misses: a valid index; a partitioned index waiting for its partitions' indexes
CREATE INDEX t_b ON t (b);
CREATE TABLE p (id int, k int) PARTITION BY RANGE (id);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (100);
CREATE INDEX p_k ON ONLY p (k);
