-- lock_contention: fx_lock_holder updated a row in a transaction it leaves open while
-- fx_lock_waiter's UPDATE of the same row waits for it; near miss: fx_lock_free updates another
-- table. (Row locks, so the runner's ANALYZE does not queue behind the holder.)
\ir ../background.sql
SELECT pg_temp.login_role('fx_lock_holder');
SELECT pg_temp.login_role('fx_lock_waiter');
SELECT pg_temp.login_role('fx_lock_free');
CREATE TABLE fx_locked (id int);
CREATE TABLE fx_free (id int);
INSERT INTO fx_locked VALUES (1);
INSERT INTO fx_free VALUES (1);
GRANT ALL ON fx_locked, fx_free TO PUBLIC;
SELECT pg_temp.background('fx_lock_holder', 'fx_holder_app',
    ARRAY['SET idle_in_transaction_session_timeout = ''4s''',
          'BEGIN; UPDATE fx_locked SET id = id + 1', '\! sleep 8'],
    'idle in transaction');
SELECT pg_temp.background('fx_lock_waiter', 'fx_waiter_app',
    ARRAY['SET lock_timeout = ''4s''', 'UPDATE fx_locked SET id = id + 1'], 'active');
SELECT pg_temp.background('fx_lock_free', 'fx_free_app',
    ARRAY['SET idle_in_transaction_session_timeout = ''4s''',
          'BEGIN; UPDATE fx_free SET id = id + 1', '\! sleep 8'],
    'idle in transaction');
-- Waiting for longer than the fixture's threshold (settings: 1 s).
SELECT pg_sleep(1.5);
