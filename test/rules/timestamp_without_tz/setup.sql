-- timestamp_without_tz: timestamp and timetz columns of user tables (a partitioned table's
-- columns once, not per partition; views are not tables).
CREATE TABLE t (id int, created timestamp, done timestamp(3), opens timetz, ok timestamptz, d date);
CREATE TABLE p (id int, at timestamp) PARTITION BY RANGE (at);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW v AS SELECT created FROM t;
