-- table_bloat: three quarters of fx_bloated's rows were deleted and vacuumed away (the space
-- stays allocated: about 75 % empty, medium; minimum size lowered to 1 MB). Near misses:
-- fx_packed was loaded once; fx_sparse's pages are only a quarter full, as its fillfactor of 25
-- asks.
CREATE TABLE fx_bloated (id int, pad text) WITH (autovacuum_enabled = false);
INSERT INTO fx_bloated SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g;
DELETE FROM fx_bloated WHERE id <= 15000;
VACUUM fx_bloated;
CREATE TABLE fx_packed (id int, pad text) WITH (autovacuum_enabled = false);
INSERT INTO fx_packed SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g;
CREATE TABLE fx_sparse (id int, pad text) WITH (autovacuum_enabled = false, fillfactor = 25);
INSERT INTO fx_sparse SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g;
