SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();
