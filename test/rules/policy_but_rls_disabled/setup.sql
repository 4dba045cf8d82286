-- policy_but_rls_disabled: fx_docs has a policy, is granted to fx_web and has RLS off (high);
-- fx_private has a policy and RLS off but only its owner uses it (medium). Near misses: a
-- table with policy and RLS on, a table without policies.
\ir ../background.sql
SELECT pg_temp.login_role('fx_web');
CREATE TABLE fx_docs (id int, owner text);
GRANT SELECT ON fx_docs TO fx_web;
CREATE POLICY fx_mine ON fx_docs TO fx_web USING (owner = current_user);
CREATE TABLE fx_private (id int, owner text);
CREATE POLICY fx_mine ON fx_private USING (owner = current_user);
CREATE TABLE fx_enabled (id int, owner text);
ALTER TABLE fx_enabled ENABLE ROW LEVEL SECURITY;
CREATE POLICY fx_mine ON fx_enabled USING (owner = current_user);
CREATE TABLE fx_plain (id int);
GRANT SELECT ON fx_plain TO fx_web;
