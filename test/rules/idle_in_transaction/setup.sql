-- idle_in_transaction, read as fx_idle (an ordinary role): its own other session is idle inside
-- a transaction (reported). Near misses: fx_idle_other's session is idle in a transaction too,
-- but the server hides its state from fx_idle (another user's session is never judged); a
-- session of fx_idle_ok is merely idle; the reviewing session itself.
\ir ../background.sql
SELECT pg_temp.login_role('fx_idle');
SELECT pg_temp.login_role('fx_idle_other');
SELECT pg_temp.login_role('fx_idle_ok');
SELECT pg_temp.background('fx_idle', 'fx_idle_app',
    ARRAY['SET idle_in_transaction_session_timeout = ''4s''', 'BEGIN; SELECT 1', '\! sleep 8'],
    'idle in transaction');
SELECT pg_temp.background('fx_idle_other', 'fx_idle_other_app',
    ARRAY['SET idle_in_transaction_session_timeout = ''4s''', 'BEGIN; SELECT 2', '\! sleep 8'],
    'idle in transaction');
SELECT pg_temp.background('fx_idle_ok', 'fx_idle_ok_app',
    ARRAY['SET idle_session_timeout = ''4s''', 'SELECT 1', '\! sleep 8'], 'idle');
-- Idle for longer than the fixture's threshold (settings: 1 s).
SELECT pg_sleep(1.5);
