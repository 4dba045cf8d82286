-- Normalised text: constants become $n like pg_stat_statements; comment tags are removed.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE TABLE norm_t (id int, name text, born date, tags text[], price numeric);
SELECT advisor.reset();

SELECT id FROM norm_t WHERE name = 'it''s' AND price > -12.5 AND born < date '2020-01-01';
SELECT id FROM norm_t WHERE id IN (1, 2, 3) LIMIT 10 OFFSET 5;
SELECT id, E'a\tb' AS tab, $$dollar$$ AS d, B'101' AS bits FROM norm_t WHERE tags @> ARRAY['x', 'y'];
SELECT id FROM norm_t WHERE name = $q$quoted 'text'$q$ AND price = 1e3;
SELECT id FROM norm_t WHERE name = '/* not a comment */' AND id = 7;
SELECT id FROM norm_t WHERE id = 7 AND name IS NULL /*controller='users',action='show'*/;
/* TypeORM-style free text stays */ SELECT id FROM norm_t WHERE price IS NOT NULL;
-- Two statements in one query string: each is its own pattern with its own text.
SELECT id FROM norm_t WHERE id = 1 AND price = 2 \; SELECT name FROM norm_t WHERE id = 3 AND price = 4;
-- Parameters already present keep their numbers; constants continue after them.
PREPARE norm_p(int) AS SELECT id FROM norm_t WHERE id = $1 AND name = 'fixed' AND price > 100;
EXECUTE norm_p(1);
SELECT query FROM advisor.query_patterns WHERE query LIKE '%norm_t%' ORDER BY query COLLATE "C";

-- Texts longer than pg_advisor.max_query_length are cut at a character boundary.
SET pg_advisor.max_query_length = 256;
SELECT id AS "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé" FROM norm_t;
SELECT octet_length(query) <= 256 AS within_limit, octet_length(query) > 200 AS long, left(query, 12) AS starts
  FROM advisor.query_patterns WHERE query LIKE 'SELECT id AS "é%';
RESET pg_advisor.max_query_length;

DROP TABLE norm_t;
