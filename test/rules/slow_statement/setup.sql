-- slow_statement: statements run at least min_calls times with a mean time of at least
-- min_mean_ms (settings: 3 calls, 5 ms; high from 100 ms). Sleeps stay far from the thresholds.
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
-- medium: 3 calls of 30 ms (exactly min_calls)
SELECT pg_sleep(0.03);
SELECT pg_sleep(0.03);
SELECT pg_sleep(0.03);
-- high: 3 calls of 200 ms
SELECT 1 FROM pg_sleep(0.2);
SELECT 1 FROM pg_sleep(0.2);
SELECT 1 FROM pg_sleep(0.2);
-- near miss: as slow, but only 2 calls
SELECT count(*) FROM pg_sleep(0.03);
SELECT count(*) FROM pg_sleep(0.03);
-- near miss: many calls, fast
SELECT 1 + 1;
SELECT 1 + 1;
SELECT 1 + 1;
SELECT 1 + 1;
SELECT 1 + 1;
