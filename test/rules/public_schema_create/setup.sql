-- public_schema_create: PUBLIC may create in public (high) and in fx_scratch (medium), and
-- pg_trgm lives in public (low); near misses: fx_app (no PUBLIC CREATE) with hstore in it.
GRANT CREATE ON SCHEMA public TO PUBLIC;
CREATE SCHEMA fx_scratch;
GRANT CREATE, USAGE ON SCHEMA fx_scratch TO PUBLIC;
CREATE SCHEMA fx_app;
GRANT USAGE ON SCHEMA fx_app TO PUBLIC;
CREATE EXTENSION pg_trgm SCHEMA public;
CREATE EXTENSION hstore SCHEMA fx_app;
