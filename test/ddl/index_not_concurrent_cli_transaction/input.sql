-- The command line's fixture: an index on an existing table inside a transaction, one on a
-- table created by this migration, one built concurrently, one schema-qualified.
BEGIN;
SET LOCAL lock_timeout = '2s';
CREATE INDEX accounts_email ON accounts (email);
CREATE TABLE sessions (id bigint, account_id bigint);
CREATE INDEX sessions_account ON sessions (account_id);
COMMIT;

CREATE INDEX CONCURRENTLY accounts_email_lower ON accounts (lower(email));
  CREATE UNIQUE INDEX accounts_email_key ON public.accounts USING btree (email) WHERE email <> '';
