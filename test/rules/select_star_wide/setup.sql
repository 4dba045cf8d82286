-- select_star_wide: SELECT * run at least min_calls times from a table with at least min_columns
-- columns or min_row_bytes bytes per row (settings: 5 calls, 6 columns, 300 bytes).
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
CREATE TABLE wide (id int PRIMARY KEY, a int, b int, c int, d int, e int, f int, g int);
INSERT INTO wide SELECT g, g, g, g, g, g, g, g FROM generate_series(1, 100) g;
CREATE TABLE fat (id int PRIMARY KEY, body text);      -- 2 columns, ~390 bytes per row
INSERT INTO fat SELECT g, (SELECT string_agg(md5(g::text || i::text), '') FROM generate_series(1, 12) i)
  FROM generate_series(1, 100) g;
CREATE TABLE narrow (id int PRIMARY KEY, a int, b int, c int, d int);
INSERT INTO narrow SELECT g, g, g, g, g FROM generate_series(1, 100) g;
-- low: 8 columns, exactly min_calls calls
SELECT * FROM wide WHERE id = 1;
SELECT * FROM wide WHERE id = 2;
SELECT * FROM wide WHERE id = 3;
SELECT * FROM wide WHERE id = 4;
SELECT * FROM wide WHERE id = 5;
-- medium: few columns but wide rows (t.* counts as *)
SELECT f.* FROM fat f WHERE f.id = 1;
SELECT f.* FROM fat f WHERE f.id = 2;
SELECT f.* FROM fat f WHERE f.id = 3;
SELECT f.* FROM fat f WHERE f.id = 4;
SELECT f.* FROM fat f WHERE f.id = 5;
-- near miss: 5 columns, one short of min_columns, narrow rows
SELECT * FROM narrow WHERE id = 1;
SELECT * FROM narrow WHERE id = 2;
SELECT * FROM narrow WHERE id = 3;
SELECT * FROM narrow WHERE id = 4;
SELECT * FROM narrow WHERE id = 5;
-- near miss: named columns of the wide table
SELECT id, a FROM wide WHERE id = 1;
SELECT id, a FROM wide WHERE id = 2;
SELECT id, a FROM wide WHERE id = 3;
SELECT id, a FROM wide WHERE id = 4;
SELECT id, a FROM wide WHERE id = 5;
-- near miss: SELECT * from the wide table, one call short of min_calls
SELECT * FROM wide ORDER BY id LIMIT 1;
SELECT * FROM wide ORDER BY id LIMIT 2;
SELECT * FROM wide ORDER BY id LIMIT 3;
SELECT * FROM wide ORDER BY id LIMIT 4;
