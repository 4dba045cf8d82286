-- idle_in_transaction: a session of fx_idle stays idle inside a transaction; near misses: a
-- session of fx_idle_ok that is merely idle, and the reviewing session itself.
\ir ../background.sql
SELECT pg_temp.login_role('fx_idle');
SELECT pg_temp.login_role('fx_idle_ok');
SELECT pg_temp.background('fx_idle', 'fx_idle_app',
    ARRAY['SET idle_in_transaction_session_timeout = ''4s''', 'BEGIN', 'SELECT 1', '\! sleep 8'],
    'idle in transaction');
SELECT pg_temp.background('fx_idle_ok', 'fx_idle_ok_app',
    ARRAY['SET idle_session_timeout = ''4s''', 'SELECT 1', '\! sleep 8'], 'idle');
-- Idle for longer than the fixture's threshold (settings: 1 s).
SELECT pg_sleep(1.5);
