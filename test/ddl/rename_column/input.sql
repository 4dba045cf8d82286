SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users RENAME COLUMN email TO mail;
CREATE TABLE drafts (id bigint PRIMARY KEY, body text);
ALTER TABLE drafts RENAME COLUMN body TO content;
