SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users ADD COLUMN a bigint;
