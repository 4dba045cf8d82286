-- rls_enabled_no_policy: fx_vault has RLS and no policy, owner only (info); fx_shared has RLS,
-- no policy, and is granted to fx_web, which gets no rows (low). Near miss: RLS with a policy.
\ir ../background.sql
SELECT pg_temp.login_role('fx_web');
CREATE TABLE fx_vault (id int);
ALTER TABLE fx_vault ENABLE ROW LEVEL SECURITY;
CREATE TABLE fx_shared (id int);
ALTER TABLE fx_shared ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON fx_shared TO fx_web;
CREATE TABLE fx_fine (id int, owner text);
ALTER TABLE fx_fine ENABLE ROW LEVEL SECURITY;
CREATE POLICY fx_mine ON fx_fine TO fx_web USING (owner = current_user);
GRANT SELECT ON fx_fine TO fx_web;
