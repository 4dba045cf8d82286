-- permissive_policy_always_true: a SELECT policy USING (true) (medium), an ALL policy whose
-- USING ORs true (high: write path), an INSERT policy WITH CHECK (1 = 1) (high). Near misses: a
-- restrictive USING (true), a policy without USING (no rows, not all rows), a real condition,
-- and fx_ddl's USING (true) while DDL holds the table (after.sql: its texts are not read).
\ir ../background.sql
SELECT pg_temp.login_role('fx_web');
CREATE TABLE fx_t (id int, owner text);
ALTER TABLE fx_t ENABLE ROW LEVEL SECURITY;
GRANT ALL ON fx_t TO fx_web;
CREATE POLICY fx_read_all ON fx_t FOR SELECT TO fx_web USING (true);
CREATE POLICY fx_write_all ON fx_t FOR ALL TO fx_web USING (owner = current_user OR true);
CREATE POLICY fx_check_true ON fx_t FOR INSERT TO fx_web WITH CHECK (1 = 1);
CREATE POLICY fx_restrictive ON fx_t AS RESTRICTIVE FOR SELECT TO fx_web USING (true);
CREATE POLICY fx_no_using ON fx_t FOR SELECT TO fx_web;
CREATE POLICY fx_real ON fx_t FOR SELECT TO fx_web USING (owner = current_user);
CREATE TABLE fx_ddl (id int);
ALTER TABLE fx_ddl ENABLE ROW LEVEL SECURITY;
GRANT ALL ON fx_ddl TO fx_web;
CREATE POLICY fx_ddl_all ON fx_ddl FOR SELECT TO fx_web USING (true);
