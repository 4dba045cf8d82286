-- per_row_function_in_rls: policies on fx_docs (20,000 rows) call the STABLE function
-- fx_auth.uid() and current_setting() directly (medium each); the same call on fx_small
-- (10 rows) is low. Near misses: the call wrapped in a sub-select, an IMMUTABLE function.
CREATE SCHEMA fx_auth;
CREATE FUNCTION fx_auth.uid() RETURNS text LANGUAGE sql STABLE
    AS $$ SELECT current_setting('app.user', true) $$;
CREATE FUNCTION fx_auth.tenant_of(text) RETURNS int LANGUAGE sql IMMUTABLE
    AS $$ SELECT length($1) $$;
CREATE TABLE fx_docs (id int, owner text, tenant_id int);
INSERT INTO fx_docs SELECT g, 'u' || g, g % 7 FROM generate_series(1, 20000) g;
ALTER TABLE fx_docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY fx_own ON fx_docs USING (owner = fx_auth.uid());
CREATE POLICY fx_tenant ON fx_docs FOR INSERT
    WITH CHECK (tenant_id = current_setting('app.tenant')::int);
CREATE POLICY fx_wrapped ON fx_docs FOR SELECT USING (owner = (SELECT fx_auth.uid()));
CREATE POLICY fx_pure ON fx_docs FOR SELECT USING (tenant_id = fx_auth.tenant_of(owner));
CREATE TABLE fx_small (id int, owner text);
INSERT INTO fx_small SELECT g, 'u' || g FROM generate_series(1, 10) g;
ALTER TABLE fx_small ENABLE ROW LEVEL SECURITY;
CREATE POLICY fx_own ON fx_small USING (owner = fx_auth.uid());
