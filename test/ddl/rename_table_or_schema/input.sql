SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users RENAME TO accounts;
CREATE TABLE drafts (id bigint PRIMARY KEY);
ALTER TABLE drafts RENAME TO sketches;
