-- security_definer_view: fx_all_docs (owned by the superuser, who bypasses RLS) reads the RLS
-- table fx_docs and is granted to fx_web (high); fx_app.fx_web_docs, owned by fx_web, reads it
-- with fx_web's policies and is granted to PUBLIC (medium). Near misses: a security_invoker
-- view, a view nobody else may read, a granted view over a table without RLS.
\ir ../background.sql
SELECT pg_temp.login_role('fx_web');
CREATE TABLE fx_docs (id int, owner text);
ALTER TABLE fx_docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY fx_mine ON fx_docs USING (owner = current_user);
GRANT SELECT ON fx_docs TO fx_web;
CREATE TABLE fx_plain (id int);
CREATE VIEW fx_all_docs AS SELECT * FROM fx_docs;
GRANT SELECT ON fx_all_docs TO fx_web;
CREATE VIEW fx_invoker_docs WITH (security_invoker = true) AS SELECT * FROM fx_docs;
GRANT SELECT ON fx_invoker_docs TO fx_web;
CREATE VIEW fx_owner_docs AS SELECT * FROM fx_docs;
CREATE VIEW fx_plain_view AS SELECT * FROM fx_plain;
GRANT SELECT ON fx_plain_view TO fx_web;
CREATE SCHEMA fx_app AUTHORIZATION fx_web;
SET ROLE fx_web;
CREATE VIEW fx_app.fx_web_docs AS SELECT * FROM public.fx_docs;
GRANT SELECT ON fx_app.fx_web_docs TO PUBLIC;
RESET ROLE;
