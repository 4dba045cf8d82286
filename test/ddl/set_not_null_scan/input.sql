SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_name_not_null CHECK (name IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_name_not_null;
ALTER TABLE users ALTER COLUMN name SET NOT NULL;
