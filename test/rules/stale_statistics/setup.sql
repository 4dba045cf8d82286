-- stale_statistics (with after.sql, which runs after the runner's ANALYZE): fx_churn doubles in
-- size after its analyse (medium); fx_never is created and filled afterwards (medium). Near
-- misses: fx_calm changes 100 rows, fx_tiny is never analysed but has 10 rows. Autovacuum is
-- off for these tables so it cannot analyse them during the run; the age threshold is 0.
CREATE TABLE fx_churn (id int) WITH (autovacuum_enabled = false);
INSERT INTO fx_churn SELECT generate_series(1, 5000);
CREATE TABLE fx_calm (id int) WITH (autovacuum_enabled = false);
INSERT INTO fx_calm SELECT generate_series(1, 5000);
SELECT pg_stat_force_next_flush();
