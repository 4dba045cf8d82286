SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN a bigint;
UPDATE users SET a = 0 WHERE id < 10;
SET statement_timeout = '1min';
ALTER TABLE users ADD COLUMN b bigint;
