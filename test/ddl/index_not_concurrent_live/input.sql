-- The server front end's smoke fixture: an index on an existing table, one concurrently, one on
-- a table created earlier in the same migration.
BEGIN;
CREATE INDEX accounts_email ON accounts (email);
CREATE TABLE sessions (id bigint, account_id bigint);
CREATE INDEX sessions_account ON sessions (account_id);
COMMIT;
CREATE INDEX CONCURRENTLY accounts_email_lower ON accounts (lower(email));
