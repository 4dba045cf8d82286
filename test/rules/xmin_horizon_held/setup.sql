-- xmin_horizon_held: fx_xmin holds a REPEATABLE READ snapshot while 600 transactions commit;
-- near miss: fx_xmin_ok is idle in a READ COMMITTED transaction (no snapshot between
-- statements, so no xmin).
\ir ../background.sql
SELECT pg_temp.login_role('fx_xmin');
SELECT pg_temp.login_role('fx_xmin_ok');
SELECT pg_temp.background('fx_xmin', 'fx_xmin_app',
    ARRAY['SET idle_in_transaction_session_timeout = ''4s''',
          'BEGIN ISOLATION LEVEL REPEATABLE READ', 'SELECT 1', '\! sleep 8'],
    'idle in transaction');
SELECT pg_temp.background('fx_xmin_ok', 'fx_xmin_ok_app',
    ARRAY['SET idle_in_transaction_session_timeout = ''4s''', 'BEGIN', 'SELECT 1',
          '\! sleep 8'],
    'idle in transaction');
-- 600 transactions after fx_xmin's snapshot (settings: reported from 500).
DO $$
BEGIN
    FOR i IN 1..600 LOOP
        PERFORM txid_current();
        COMMIT;
    END LOOP;
END
$$;
