-- large_offset_pagination: an ordered SELECT whose OFFSET is at least min_offset (settings: 100;
-- high from 1,000).
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
CREATE TABLE items (id int PRIMARY KEY, title text);
INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 2000) g;
-- medium: OFFSET 500
SELECT id FROM items ORDER BY id LIMIT 10 OFFSET 500;
-- medium: exactly min_offset
SELECT id, title FROM items ORDER BY id LIMIT 20 OFFSET 100;
-- high: OFFSET 1500, descending order
SELECT title FROM items ORDER BY title DESC LIMIT 10 OFFSET 1500;
-- medium: a bind parameter (the custom plan folds in the value)
PREPARE page(int) AS SELECT id, title FROM items ORDER BY title LIMIT 10 OFFSET $1;
EXECUTE page(300);
-- high: a listing read from its first page, as users do (pages 1, 2, 3, then 151): the deepest
-- page any execution read counts, not the first planning's
SELECT id, title FROM items ORDER BY id DESC LIMIT 10 OFFSET 0;
SELECT id, title FROM items ORDER BY id DESC LIMIT 10 OFFSET 10;
SELECT id, title FROM items ORDER BY id DESC LIMIT 10 OFFSET 20;
SELECT id, title FROM items ORDER BY id DESC LIMIT 10 OFFSET 1500;
-- high: a generic plan (the OFFSET stays a parameter; the executed value counts), first page 0
SET plan_cache_mode = force_generic_plan;
PREPARE generic_page(int) AS SELECT title FROM items ORDER BY id LIMIT 5 OFFSET $1;
EXECUTE generic_page(0);
EXECUTE generic_page(1200);
RESET plan_cache_mode;
-- near miss: OFFSET 99, one below min_offset
SELECT title, id FROM items ORDER BY id LIMIT 20 OFFSET 99;
-- near miss: a large OFFSET without ORDER BY (no pagination)
SELECT id FROM items LIMIT 10 OFFSET 1500;
-- near miss: keyset pagination
SELECT id FROM items WHERE id > 1500 ORDER BY id LIMIT 10;
