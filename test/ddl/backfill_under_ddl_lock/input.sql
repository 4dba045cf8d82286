SET lock_timeout = '5s';
SET statement_timeout = '1min';
BEGIN;
ALTER TABLE users ADD COLUMN plan text;
UPDATE users SET plan = 'free';
COMMIT;
UPDATE users SET plan = 'free' WHERE plan IS NULL;
