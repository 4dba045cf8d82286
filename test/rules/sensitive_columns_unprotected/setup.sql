-- sensitive_columns_unprotected: fx_users (password_hash) readable by PUBLIC (high); fx_keys
-- (api_key) readable by the ordinary role fx_reporting (medium). Near misses: secret-looking
-- columns behind RLS, a secrets table nobody else reads, columns about secrets
-- (password_changed_at, token_count, password_set) readable by PUBLIC.
\ir ../background.sql
SELECT pg_temp.login_role('fx_reporting');
CREATE TABLE fx_users (id int, email text, password_hash text, password_set boolean);
GRANT SELECT ON fx_users TO PUBLIC;
CREATE TABLE fx_keys (id int, api_key text);
GRANT SELECT ON fx_keys TO fx_reporting;
CREATE TABLE fx_sessions (id int, token text);
ALTER TABLE fx_sessions ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON fx_sessions TO PUBLIC;
CREATE TABLE fx_secrets (id int, secret text);
CREATE TABLE fx_audit (id int, password_changed_at timestamptz, token_count int);
GRANT SELECT ON fx_audit TO PUBLIC;
