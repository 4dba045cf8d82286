SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users ADD COLUMN age integer NOT NULL;
ALTER TABLE users ADD COLUMN score integer NOT NULL DEFAULT 0;
