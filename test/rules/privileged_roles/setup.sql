-- privileged_roles: a second login superuser (threshold lowered to 2), CREATEROLE on a login
-- role (medium before PostgreSQL 16), a login role reaching pg_read_server_files through a
-- group (high, on the group: its grant is the one to revoke), a login member of pg_read_all_data (medium), and an application schema owned by
-- a superuser (low). Near misses: BYPASSRLS where no policy exists, CREATEROLE without LOGIN,
-- a plain login role, the public schema.
\ir ../background.sql
SELECT pg_temp.login_role('fx_dba', 'SUPERUSER');
SELECT pg_temp.login_role('fx_ops', 'CREATEROLE');
SELECT pg_temp.login_role('fx_etl', 'BYPASSRLS');
SELECT pg_temp.login_role('fx_loader');
SELECT pg_temp.login_role('fx_reader');
SELECT pg_temp.login_role('fx_plain_user');
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fx_files') THEN
        CREATE ROLE fx_files NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fx_nologin_creator') THEN
        CREATE ROLE fx_nologin_creator NOLOGIN CREATEROLE;
    END IF;
END
$$;
GRANT pg_read_server_files TO fx_files;
GRANT fx_files TO fx_loader;
GRANT pg_read_all_data TO fx_reader;
CREATE SCHEMA fx_app;
