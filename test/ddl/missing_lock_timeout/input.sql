SET statement_timeout = '1min';
ALTER TABLE users ADD COLUMN a bigint;
ALTER TABLE users ADD COLUMN b bigint;
SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN c bigint;
