-- connection_saturation: fx_limited (CONNECTION LIMIT 1) uses its one connection (high), and
-- the server-wide threshold is lowered so the few sessions of the test count (medium);
-- near miss: fx_roomy (CONNECTION LIMIT 200) has one session (0.5 %).
\ir ../background.sql
SELECT pg_temp.login_role('fx_limited', 'CONNECTION LIMIT 1');
SELECT pg_temp.login_role('fx_roomy', 'CONNECTION LIMIT 200');
SELECT pg_temp.background('fx_limited', 'fx_limited_app',
    ARRAY['SET idle_session_timeout = ''4s''', 'SELECT 1', '\! sleep 8'], 'idle');
SELECT pg_temp.background('fx_roomy', 'fx_roomy_app',
    ARRAY['SET idle_session_timeout = ''4s''', 'SELECT 1', '\! sleep 8'], 'idle');
