SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users DROP COLUMN legacy_flag;
CREATE TABLE drafts (id bigint PRIMARY KEY, body text);
ALTER TABLE drafts DROP COLUMN body;
