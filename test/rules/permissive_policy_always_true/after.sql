-- A DDL transaction holds fx_ddl (ACCESS EXCLUSIVE) while the review runs: its policy's texts
-- are not read (pg_get_expr would wait behind the lock), so its USING (true) is not judged.
\ir ../background.sql
SELECT pg_temp.background('postgres', 'fx_ddl_app',
    ARRAY['SET idle_in_transaction_session_timeout = ''4s''',
          'BEGIN; LOCK TABLE fx_ddl IN ACCESS EXCLUSIVE MODE', '\! sleep 8'],
    'idle in transaction');
