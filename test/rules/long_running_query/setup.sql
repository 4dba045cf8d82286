-- long_running_query: a statement of fx_long keeps running; near misses: a session of
-- fx_long_ok idle for as long (not a running statement), and the reviewing session itself.
\ir ../background.sql
SELECT pg_temp.login_role('fx_long');
SELECT pg_temp.login_role('fx_long_ok');
SELECT pg_temp.background('fx_long', 'fx_long_app',
    ARRAY['SET statement_timeout = ''4s''', 'SELECT pg_sleep(8)'], 'active');
SELECT pg_temp.background('fx_long_ok', 'fx_long_ok_app',
    ARRAY['SET idle_session_timeout = ''4s''', 'SELECT 1', '\! sleep 8'], 'idle');
-- Running for longer than the fixture's threshold (settings: 1 s).
SELECT pg_sleep(1.5);
