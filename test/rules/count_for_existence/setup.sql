-- count_for_existence: a one-row count(...) run at least min_calls times that scans at least
-- min_rows_scanned rows per call (settings: 5 calls, 1,000 rows; medium from 10,000 rows).
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
-- Every execution is measured (rows its scans read); with the default 1% sampling, whether the
-- rows read or the planner's estimate of the rows returned is judged would be random:
SET pg_advisor.sample_rate = 1;
CREATE TABLE events (id int PRIMARY KEY, kind int);
INSERT INTO events SELECT g, g % 10 FROM generate_series(1, 20000) g;
CREATE TABLE users (id int PRIMARY KEY, active boolean);
INSERT INTO users SELECT g, g % 2 = 0 FROM generate_series(1, 2000) g;
-- medium: each call reads all 20,000 rows
SELECT count(*) FROM events WHERE kind = 1;
SELECT count(*) FROM events WHERE kind = 2;
SELECT count(*) FROM events WHERE kind = 3;
SELECT count(*) FROM events WHERE kind = 4;
SELECT count(*) FROM events WHERE kind = 5;
-- low: 2,000 rows per call, exactly min_calls calls
SELECT count(id) FROM users WHERE active;
SELECT count(id) FROM users WHERE active;
SELECT count(id) FROM users WHERE active;
SELECT count(id) FROM users WHERE active;
SELECT count(id) FROM users WHERE active;
-- near miss: an index lookup reads one row
SELECT count(*) FROM events WHERE id = 1;
SELECT count(*) FROM events WHERE id = 2;
SELECT count(*) FROM events WHERE id = 3;
SELECT count(*) FROM events WHERE id = 4;
SELECT count(*) FROM events WHERE id = 5;
-- near miss: one count per group is a report, not an existence test
SELECT count(*) FROM events GROUP BY kind;
SELECT count(*) FROM events GROUP BY kind;
SELECT count(*) FROM events GROUP BY kind;
SELECT count(*) FROM events GROUP BY kind;
SELECT count(*) FROM events GROUP BY kind;
-- near miss: reads 20,000 rows, one call short of min_calls
SELECT count(*) FROM events WHERE kind <> 1;
SELECT count(*) FROM events WHERE kind <> 2;
SELECT count(*) FROM events WHERE kind <> 3;
SELECT count(*) FROM events WHERE kind <> 4;
