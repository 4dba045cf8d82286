-- advisor.reset() clears patterns and shapes; counting restarts from zero.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE TABLE reset_t (id int PRIMARY KEY, v int);
SELECT advisor.reset();
SELECT v FROM reset_t WHERE id = 1;
SELECT v FROM reset_t WHERE id = 2;
SELECT calls FROM advisor.query_patterns WHERE query = 'SELECT v FROM reset_t WHERE id = $1';
SELECT count(*) > 0 AS has_shapes FROM advisor.scan_shapes WHERE relation = 'reset_t'::regclass;
SELECT advisor.reset();
SELECT count(*) AS patterns_left FROM advisor.query_patterns WHERE query LIKE '%reset_t%';
SELECT count(*) AS shapes_left FROM advisor.scan_shapes WHERE relation = 'reset_t'::regclass;
SELECT stats_reset IS NOT NULL AND stats_reset <= now() AS reset_recorded,
       capture_failures, patterns_rejected FROM advisor.capture_info;
-- Counting starts again, and the shape is captured again.
SELECT v FROM reset_t WHERE id = 3;
SELECT calls FROM advisor.query_patterns WHERE query = 'SELECT v FROM reset_t WHERE id = $1';
SELECT count(*) AS shapes FROM advisor.scan_shapes WHERE relation = 'reset_t'::regclass;
DROP TABLE reset_t;
-- Dropping and re-creating the extension works; the emptied schema stays, as with any
-- extension that names its schema in the control file.
DROP EXTENSION pg_advisor;
SELECT count(*) AS advisor_schema FROM pg_namespace WHERE nspname = 'advisor';
CREATE EXTENSION pg_advisor;
SELECT count(*) AS advisor_schema FROM pg_namespace WHERE nspname = 'advisor';
