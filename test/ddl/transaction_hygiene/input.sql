SET lock_timeout = '5s';
SET statement_timeout = '1min';
BEGIN;
ALTER TABLE users ADD COLUMN a bigint;
BEGIN;
ALTER TABLE users ADD COLUMN b bigint;
COMMIT;
