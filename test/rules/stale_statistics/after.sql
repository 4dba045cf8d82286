INSERT INTO fx_churn SELECT generate_series(5001, 10000);
UPDATE fx_calm SET id = id WHERE id <= 100;
CREATE TABLE fx_never (id int) WITH (autovacuum_enabled = false);
INSERT INTO fx_never SELECT generate_series(1, 5000);
CREATE TABLE fx_tiny (id int) WITH (autovacuum_enabled = false);
INSERT INTO fx_tiny SELECT generate_series(1, 10);
SELECT pg_stat_force_next_flush();
