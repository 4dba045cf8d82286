-- workload_outlier: one statement shape's share of all top-level execution time (settings:
-- reported from 10%, high from 50%, and only from 100 ms of the statement's own time).
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
-- high: about 900 ms of about 1.25 s (~70%), over three calls of one shape
SELECT pg_sleep(0.3);
SELECT pg_sleep(0.3);
SELECT pg_sleep(0.3);
-- medium: about 300 ms (~24%)
SELECT 1 FROM pg_sleep(0.3);
-- near miss: about 50 ms (~4%, and under 100 ms)
SELECT count(*) FROM pg_sleep(0.05);
-- near miss: statements that take next to no time
CREATE TABLE t (id int PRIMARY KEY);
INSERT INTO t SELECT generate_series(1, 100);
SELECT count(*) FROM t;
