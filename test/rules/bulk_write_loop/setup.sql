-- bulk_write_loop: single-row INSERT / UPDATE / DELETE of one shape, n_plus_one_min_repeats (5)
-- times in one unit of work (request tags, else an idle-gap burst); high from 100 ms spent in
-- the loop (settings). Units of work here are delimited by tags: a slow machine must not split one.
-- Server only: the command line has no captured workload, lists nothing (expected is empty).
SET pg_advisor.idle_gap_ms = 600000;
CREATE TABLE comments (id int PRIMARY KEY, body text);
CREATE TABLE posts (id int PRIMARY KEY, title text);
INSERT INTO posts SELECT g, 't' || g FROM generate_series(1, 10) g;
CREATE TABLE sessions (id int PRIMARY KEY);
INSERT INTO sessions SELECT generate_series(1, 10);
CREATE TABLE audit (id int, note text);
-- medium: 5 INSERTs of one row each in one request (exactly the threshold)
INSERT INTO comments VALUES (1, 'x') /*controller='imports',action='create'*/;
INSERT INTO comments VALUES (2, 'x') /*controller='imports',action='create'*/;
INSERT INTO comments VALUES (3, 'x') /*controller='imports',action='create'*/;
INSERT INTO comments VALUES (4, 'x') /*controller='imports',action='create'*/;
INSERT INTO comments VALUES (5, 'x') /*controller='imports',action='create'*/;
-- medium: one UPDATE per row, each in its own transaction (an ORM's save), untagged
BEGIN; UPDATE posts SET title = 'u1' WHERE id = 1; COMMIT;
BEGIN; UPDATE posts SET title = 'u2' WHERE id = 2; COMMIT;
BEGIN; UPDATE posts SET title = 'u3' WHERE id = 3; COMMIT;
BEGIN; UPDATE posts SET title = 'u4' WHERE id = 4; COMMIT;
BEGIN; UPDATE posts SET title = 'u5' WHERE id = 5; COMMIT;
-- high: 5 DELETEs of 30 ms each (150 ms)
DELETE FROM sessions WHERE id = 1 AND pg_sleep(0.03) IS NOT NULL /*job='cleanup'*/;
DELETE FROM sessions WHERE id = 2 AND pg_sleep(0.03) IS NOT NULL /*job='cleanup'*/;
DELETE FROM sessions WHERE id = 3 AND pg_sleep(0.03) IS NOT NULL /*job='cleanup'*/;
DELETE FROM sessions WHERE id = 4 AND pg_sleep(0.03) IS NOT NULL /*job='cleanup'*/;
DELETE FROM sessions WHERE id = 5 AND pg_sleep(0.03) IS NOT NULL /*job='cleanup'*/;
-- near miss: 4 single-row INSERTs, one below the threshold
INSERT INTO audit VALUES (1, 'a') /*controller='audit',action='few'*/;
INSERT INTO audit VALUES (2, 'a') /*controller='audit',action='few'*/;
INSERT INTO audit VALUES (3, 'a') /*controller='audit',action='few'*/;
INSERT INTO audit VALUES (4, 'a') /*controller='audit',action='few'*/;
-- near miss: multi-row INSERTs are set-based already
INSERT INTO audit VALUES (11, 'm'), (12, 'm') /*controller='audit',action='rows'*/;
INSERT INTO audit VALUES (13, 'm'), (14, 'm') /*controller='audit',action='rows'*/;
INSERT INTO audit VALUES (15, 'm'), (16, 'm') /*controller='audit',action='rows'*/;
INSERT INTO audit VALUES (17, 'm'), (18, 'm') /*controller='audit',action='rows'*/;
INSERT INTO audit VALUES (19, 'm'), (20, 'm') /*controller='audit',action='rows'*/;
-- near miss: the same UPDATE once per request, six requests
UPDATE audit SET note = 'r' WHERE id = 11 /*request_id='r1'*/;
UPDATE audit SET note = 'r' WHERE id = 12 /*request_id='r2'*/;
UPDATE audit SET note = 'r' WHERE id = 13 /*request_id='r3'*/;
UPDATE audit SET note = 'r' WHERE id = 14 /*request_id='r4'*/;
UPDATE audit SET note = 'r' WHERE id = 15 /*request_id='r5'*/;
UPDATE audit SET note = 'r' WHERE id = 16 /*request_id='r6'*/;
-- near miss: six single-row INSERTs sent in one query string (one round trip: batched)
INSERT INTO audit VALUES (31, 'b') /*controller='audit',action='batch'*/ \; INSERT INTO audit VALUES (32, 'b') /*controller='audit',action='batch'*/ \; INSERT INTO audit VALUES (33, 'b') /*controller='audit',action='batch'*/ \; INSERT INTO audit VALUES (34, 'b') /*controller='audit',action='batch'*/ \; INSERT INTO audit VALUES (35, 'b') /*controller='audit',action='batch'*/ \; INSERT INTO audit VALUES (36, 'b') /*controller='audit',action='batch'*/;
