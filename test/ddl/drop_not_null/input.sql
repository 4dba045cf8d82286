SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
CREATE TABLE drafts (id bigint PRIMARY KEY, body text NOT NULL);
ALTER TABLE drafts ALTER COLUMN body DROP NOT NULL;
