-- multiple_permissive_policies: on fx_big (20,000 rows) fx_web's SELECT is governed by its own
-- policy and a PUBLIC one (medium); fx_small (10 rows) has the same overlap (low). Near miss:
-- fx_single has one permissive and one restrictive SELECT policy and an INSERT policy.
\ir ../background.sql
SELECT pg_temp.login_role('fx_web');
CREATE TABLE fx_big (id int, owner text, team int);
INSERT INTO fx_big SELECT g, 'u' || g, g % 10 FROM generate_series(1, 20000) g;
CREATE POLICY fx_own ON fx_big FOR SELECT TO fx_web USING (owner = current_user);
CREATE POLICY fx_team ON fx_big USING (team = 1);
ALTER TABLE fx_big ENABLE ROW LEVEL SECURITY;
CREATE TABLE fx_small (id int, owner text, team int);
INSERT INTO fx_small SELECT g, 'u' || g, g FROM generate_series(1, 10) g;
CREATE POLICY fx_own ON fx_small FOR SELECT TO fx_web USING (owner = current_user);
CREATE POLICY fx_team ON fx_small USING (team = 1);
ALTER TABLE fx_small ENABLE ROW LEVEL SECURITY;
CREATE TABLE fx_single (id int, owner text);
CREATE POLICY fx_own ON fx_single FOR SELECT TO fx_web USING (owner = current_user);
CREATE POLICY fx_limit ON fx_single AS RESTRICTIVE FOR SELECT TO fx_web USING (id > 0);
CREATE POLICY fx_insert ON fx_single FOR INSERT TO fx_web WITH CHECK (owner = current_user);
ALTER TABLE fx_single ENABLE ROW LEVEL SECURITY;
