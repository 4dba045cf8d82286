-- duplicate_query: one SELECT with identical parameters, n_plus_one_min_repeats (5) times in one
-- unit of work (request tags, else an idle-gap burst); medium from 100 ms spent in the repeats
-- (settings). Units of work here are delimited by tags: a slow machine must not split one.
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
SET pg_advisor.idle_gap_ms = 600000;
CREATE TABLE authors (id int PRIMARY KEY, name text);
INSERT INTO authors SELECT g, 'a' || g FROM generate_series(1, 10) g;
CREATE TABLE books (id int PRIMARY KEY, title text);
INSERT INTO books SELECT g, 'b' || g FROM generate_series(1, 10) g;
CREATE TABLE publishers (id int PRIMARY KEY, name text);
INSERT INTO publishers SELECT g, 'p' || g FROM generate_series(1, 10) g;
\o /dev/null
-- low: the same lookup 5 times in one request (exactly the threshold)
SELECT name FROM authors WHERE id = 3 /*controller='profile',action='show'*/;
SELECT name FROM authors WHERE id = 3 /*controller='profile',action='show'*/;
SELECT name FROM authors WHERE id = 3 /*controller='profile',action='show'*/;
SELECT name FROM authors WHERE id = 3 /*controller='profile',action='show'*/;
SELECT name FROM authors WHERE id = 3 /*controller='profile',action='show'*/;
-- medium: 5 repeats of 30 ms (150 ms)
SELECT title, pg_sleep(0.03) FROM books WHERE id = 1 /*controller='books',action='show'*/;
SELECT title, pg_sleep(0.03) FROM books WHERE id = 1 /*controller='books',action='show'*/;
SELECT title, pg_sleep(0.03) FROM books WHERE id = 1 /*controller='books',action='show'*/;
SELECT title, pg_sleep(0.03) FROM books WHERE id = 1 /*controller='books',action='show'*/;
SELECT title, pg_sleep(0.03) FROM books WHERE id = 1 /*controller='books',action='show'*/;
-- near miss: 4 repeats, one below the threshold
SELECT name FROM publishers WHERE id = 2 /*controller='publishers',action='show'*/;
SELECT name FROM publishers WHERE id = 2 /*controller='publishers',action='show'*/;
SELECT name FROM publishers WHERE id = 2 /*controller='publishers',action='show'*/;
SELECT name FROM publishers WHERE id = 2 /*controller='publishers',action='show'*/;
-- near miss: the same lookup once per request, six requests on one connection
SELECT name FROM publishers WHERE id = 1 /*request_id='r1'*/;
SELECT name FROM publishers WHERE id = 1 /*request_id='r2'*/;
SELECT name FROM publishers WHERE id = 1 /*request_id='r3'*/;
SELECT name FROM publishers WHERE id = 1 /*request_id='r4'*/;
SELECT name FROM publishers WHERE id = 1 /*request_id='r5'*/;
SELECT name FROM publishers WHERE id = 1 /*request_id='r6'*/;
-- near miss: varying parameters after a list (an N+1, not a duplicate)
SELECT id, name FROM publishers /*controller='publishers',action='index'*/;
SELECT title FROM books WHERE id = 1 /*controller='publishers',action='index'*/;
SELECT title FROM books WHERE id = 2 /*controller='publishers',action='index'*/;
SELECT title FROM books WHERE id = 3 /*controller='publishers',action='index'*/;
SELECT title FROM books WHERE id = 4 /*controller='publishers',action='index'*/;
SELECT title FROM books WHERE id = 5 /*controller='publishers',action='index'*/;
-- near miss: polling, untagged, 250 ms idle between runs (bursts split at 50 ms here)
SET pg_advisor.idle_gap_ms = 50;
SELECT name FROM authors WHERE id = 7;
\! sleep 0.25
SELECT name FROM authors WHERE id = 7;
\! sleep 0.25
SELECT name FROM authors WHERE id = 7;
\! sleep 0.25
SELECT name FROM authors WHERE id = 7;
\! sleep 0.25
SELECT name FROM authors WHERE id = 7;
\o
