-- vacuum_lag: fx_lag has 15,000 dead tuples, far above its trigger, and autovacuum is off for
-- it (high). Near misses: fx_ok's dead tuples stay below its trigger, fx_vacuumed was vacuumed.
-- (Autovacuum is off on all three so it cannot race the review; minimum lowered to 1,000.)
CREATE TABLE fx_lag (id int, pad text) WITH (autovacuum_enabled = false);
INSERT INTO fx_lag SELECT g, 'x' FROM generate_series(1, 20000) g;
DELETE FROM fx_lag WHERE id <= 15000;
CREATE TABLE fx_ok (id int, pad text) WITH (autovacuum_enabled = false);
INSERT INTO fx_ok SELECT g, 'x' FROM generate_series(1, 20000) g;
DELETE FROM fx_ok WHERE id <= 2000;
CREATE TABLE fx_vacuumed (id int, pad text) WITH (autovacuum_enabled = false);
INSERT INTO fx_vacuumed SELECT g, 'x' FROM generate_series(1, 20000) g;
DELETE FROM fx_vacuumed WHERE id <= 15000;
VACUUM fx_vacuumed;
SELECT pg_stat_force_next_flush();
