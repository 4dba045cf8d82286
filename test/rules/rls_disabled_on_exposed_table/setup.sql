-- rls_disabled_on_exposed_table: the database restricts fx_web with row-level security on
-- fx_accounts, so fx_orders granted to fx_web without RLS is exposed (high); fx_open is
-- readable by PUBLIC (high); fx_countries is a small read-only reference table readable by
-- PUBLIC (medium). Near misses: a table granted to an ordinary role, an RLS table granted to
-- PUBLIC, a view granted to PUBLIC, a table granted to a superuser.
\ir ../background.sql
SELECT pg_temp.login_role('fx_web');
SELECT pg_temp.login_role('fx_batch');
CREATE TABLE fx_accounts (id int, tenant int);
ALTER TABLE fx_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY fx_tenant ON fx_accounts TO fx_web USING (tenant = 1);
GRANT SELECT ON fx_accounts TO fx_web;
CREATE TABLE fx_orders (id int);
GRANT SELECT, INSERT ON fx_orders TO fx_web;
CREATE TABLE fx_open (id int);
INSERT INTO fx_open SELECT generate_series(1, 5000);
GRANT SELECT ON fx_open TO PUBLIC;
CREATE TABLE fx_countries (code text);
INSERT INTO fx_countries VALUES ('fr'), ('de'), ('nz');
GRANT SELECT ON fx_countries TO PUBLIC;
CREATE TABLE fx_jobs (id int);
GRANT SELECT, DELETE ON fx_jobs TO fx_batch;
CREATE TABLE fx_secured (id int);
ALTER TABLE fx_secured ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON fx_secured TO PUBLIC;
CREATE VIEW fx_view AS SELECT 1 AS one;
GRANT SELECT ON fx_view TO PUBLIC;
CREATE TABLE fx_admin_only (id int);
GRANT SELECT ON fx_admin_only TO postgres;
