-- n_plus_one: after a parent SELECT that returned several rows, a SELECT of another shape runs
-- n_plus_one_min_repeats (5) times with varying parameters in one unit of work (request tags);
-- high from 100 ms spent in the children (settings). Units of work here are delimited by tags:
-- a slow machine must not split one.
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
SET pg_advisor.idle_gap_ms = 600000;
CREATE TABLE authors (id int PRIMARY KEY, name text);
INSERT INTO authors SELECT g, 'a' || g FROM generate_series(1, 10) g;
CREATE TABLE posts (id int PRIMARY KEY, author_id int, title text);
INSERT INTO posts SELECT g, 1 + g % 10, 't' || g FROM generate_series(1, 20) g;
CREATE TABLE comments (id int PRIMARY KEY, post_id int, body text);
INSERT INTO comments SELECT g, 1 + g % 20, 'b' || g FROM generate_series(1, 60) g;
CREATE TABLE tags (id int PRIMARY KEY, post_id int, name text);
INSERT INTO tags SELECT g, 1 + g % 20, 'n' || g FROM generate_series(1, 60) g;
\o /dev/null
-- medium: the posts, then each post's comments (5 children: exactly the threshold)
SELECT id, title FROM posts ORDER BY id LIMIT 5 /*controller='posts',action='index'*/;
SELECT body FROM comments WHERE post_id = 1 /*controller='posts',action='index'*/;
SELECT body FROM comments WHERE post_id = 2 /*controller='posts',action='index'*/;
SELECT body FROM comments WHERE post_id = 3 /*controller='posts',action='index'*/;
SELECT body FROM comments WHERE post_id = 4 /*controller='posts',action='index'*/;
SELECT body FROM comments WHERE post_id = 5 /*controller='posts',action='index'*/;
-- high: each post's author, 30 ms per lookup (150 ms)
SELECT id, author_id FROM posts WHERE id <= 5 /*controller='feed',action='show'*/;
SELECT name, pg_sleep(0.03) FROM authors WHERE id = 2 /*controller='feed',action='show'*/;
SELECT name, pg_sleep(0.03) FROM authors WHERE id = 3 /*controller='feed',action='show'*/;
SELECT name, pg_sleep(0.03) FROM authors WHERE id = 4 /*controller='feed',action='show'*/;
SELECT name, pg_sleep(0.03) FROM authors WHERE id = 5 /*controller='feed',action='show'*/;
SELECT name, pg_sleep(0.03) FROM authors WHERE id = 6 /*controller='feed',action='show'*/;
-- near miss: 4 children, one below the threshold
SELECT id FROM posts ORDER BY id DESC LIMIT 4 /*controller='tags',action='few'*/;
SELECT name FROM tags WHERE post_id = 20 /*controller='tags',action='few'*/;
SELECT name FROM tags WHERE post_id = 19 /*controller='tags',action='few'*/;
SELECT name FROM tags WHERE post_id = 18 /*controller='tags',action='few'*/;
SELECT name FROM tags WHERE post_id = 17 /*controller='tags',action='few'*/;
-- near miss: children loaded in batches (IN lists)
SELECT id FROM posts /*controller='tags',action='batched'*/;
SELECT name FROM tags WHERE post_id IN (1, 2, 3) /*controller='tags',action='batched'*/;
SELECT name FROM tags WHERE post_id IN (4, 5, 6) /*controller='tags',action='batched'*/;
SELECT name FROM tags WHERE post_id IN (7, 8, 9) /*controller='tags',action='batched'*/;
SELECT name FROM tags WHERE post_id IN (10, 11, 12) /*controller='tags',action='batched'*/;
SELECT name FROM tags WHERE post_id IN (13, 14, 15) /*controller='tags',action='batched'*/;
-- near miss: OFFSET pages of a list, after its count
SELECT count(*) FROM tags /*controller='tags',action='pages'*/;
SELECT id, name FROM tags ORDER BY id LIMIT 5 OFFSET 0 /*controller='tags',action='pages'*/;
SELECT id, name FROM tags ORDER BY id LIMIT 5 OFFSET 5 /*controller='tags',action='pages'*/;
SELECT id, name FROM tags ORDER BY id LIMIT 5 OFFSET 10 /*controller='tags',action='pages'*/;
SELECT id, name FROM tags ORDER BY id LIMIT 5 OFFSET 15 /*controller='tags',action='pages'*/;
SELECT id, name FROM tags ORDER BY id LIMIT 5 OFFSET 20 /*controller='tags',action='pages'*/;
-- near miss: lookups with no parent before them in their request (a batch job)
SELECT post_id FROM tags WHERE id = 1 /*job='reindex'*/;
SELECT post_id FROM tags WHERE id = 2 /*job='reindex'*/;
SELECT post_id FROM tags WHERE id = 3 /*job='reindex'*/;
SELECT post_id FROM tags WHERE id = 4 /*job='reindex'*/;
SELECT post_id FROM tags WHERE id = 5 /*job='reindex'*/;
SELECT post_id FROM tags WHERE id = 6 /*job='reindex'*/;
\o
