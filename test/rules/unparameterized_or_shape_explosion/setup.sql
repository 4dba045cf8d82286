-- unparameterized_or_shape_explosion (settings: 4 variants; 50% of at least 5 calls).
-- psql sends constants inline (simple protocol): every call with a constant counts as literal.
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
CREATE TABLE articles (id int PRIMARY KEY, author_id int, title text, body text, published_at timestamptz);
INSERT INTO articles SELECT g, g % 10, 't' || g, 'b' || g, now() FROM generate_series(1, 100) g;
\o /dev/null
-- medium (variants): IN lists of 2 to 5 values, four statements of one shape. (The list is
-- past the 80 characters the finding shows, so its object does not depend on which is slowest.)
SELECT id, title, author_id, published_at FROM articles WHERE published_at IS NOT NULL AND id IN (1, 2);
SELECT id, title, author_id, published_at FROM articles WHERE published_at IS NOT NULL AND id IN (1, 2, 3);
SELECT id, title, author_id, published_at FROM articles WHERE published_at IS NOT NULL AND id IN (1, 2, 3, 4);
SELECT id, title, author_id, published_at FROM articles WHERE published_at IS NOT NULL AND id IN (1, 2, 3, 4, 5);
-- near miss (variants): three list lengths, one short of min_variants
SELECT body FROM articles WHERE author_id IN (1, 2);
SELECT body FROM articles WHERE author_id IN (1, 2, 3);
SELECT body FROM articles WHERE author_id IN (1, 2, 3, 4);
-- medium (literals): 5 calls, all with the value inlined
SELECT title FROM articles WHERE id = 7;
SELECT title FROM articles WHERE id = 8;
SELECT title FROM articles WHERE id = 9;
SELECT title FROM articles WHERE id = 10;
SELECT title FROM articles WHERE id = 11;
-- near miss (literals): inlined, one call short of min_calls
SELECT body FROM articles WHERE id = 1;
SELECT body FROM articles WHERE id = 2;
SELECT body FROM articles WHERE id = 3;
SELECT body FROM articles WHERE id = 4;
-- near miss (literals): a bind parameter
PREPARE by_author(int) AS SELECT title FROM articles WHERE author_id = $1;
EXECUTE by_author(1);
EXECUTE by_author(2);
EXECUTE by_author(3);
EXECUTE by_author(4);
EXECUTE by_author(5);
EXECUTE by_author(6);
-- near miss (literals): no constant at all
SELECT count(*) FROM articles;
SELECT count(*) FROM articles;
SELECT count(*) FROM articles;
SELECT count(*) FROM articles;
SELECT count(*) FROM articles;
\o
