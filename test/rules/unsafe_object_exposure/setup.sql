-- unsafe_object_exposure: a materialized view copying rows of an RLS table, readable by PUBLIC
-- (high); a plain materialized view and a foreign table readable by PUBLIC (medium); pg_trgm
-- installed at 1.3 while the package provides a newer version (low). Near misses: a
-- materialized view granted to an ordinary role only, file_fdw at its current version.
\ir ../background.sql
SELECT pg_temp.login_role('fx_reporting');
CREATE TABLE fx_docs (id int, owner text);
ALTER TABLE fx_docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY fx_own ON fx_docs USING (owner = current_user);
CREATE TABLE fx_plain (id int);
CREATE MATERIALIZED VIEW fx_doc_stats AS SELECT owner, count(*) FROM fx_docs GROUP BY owner;
CREATE MATERIALIZED VIEW fx_plain_stats AS SELECT count(*) FROM fx_plain;
CREATE MATERIALIZED VIEW fx_private_stats AS SELECT count(*) FROM fx_plain;
GRANT SELECT ON fx_doc_stats, fx_plain_stats TO PUBLIC;
GRANT SELECT ON fx_private_stats TO fx_reporting;
CREATE EXTENSION file_fdw;
CREATE SERVER fx_files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE fx_remote (line text) SERVER fx_files OPTIONS (filename '/dev/null');
GRANT SELECT ON fx_remote TO PUBLIC;
CREATE EXTENSION pg_trgm VERSION '1.3';
