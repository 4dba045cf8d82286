-- unbounded_result: a SELECT without LIMIT run at least min_calls times that returns at least
-- min_rows_per_call rows on average (settings: 3 calls, 100 rows; medium from 1,000 rows).
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
CREATE TABLE big (id int PRIMARY KEY, v text);
INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 5000) g;
\o /dev/null
-- medium: 5,000 rows per call
SELECT id, v FROM big;
SELECT id, v FROM big;
SELECT id, v FROM big;
-- low: exactly min_rows_per_call rows per call
SELECT v FROM big WHERE id <= 100;
SELECT v FROM big WHERE id <= 100;
SELECT v FROM big WHERE id <= 100;
-- near miss: 99 rows per call
SELECT v FROM big WHERE id < 100;
SELECT v FROM big WHERE id < 100;
SELECT v FROM big WHERE id < 100;
-- near miss: as many rows, but with a LIMIT
SELECT id FROM big ORDER BY id LIMIT 5000;
SELECT id FROM big ORDER BY id LIMIT 5000;
SELECT id FROM big ORDER BY id LIMIT 5000;
-- near miss: 5,000 rows, one call short of min_calls
SELECT id FROM big;
SELECT id FROM big;
\o
