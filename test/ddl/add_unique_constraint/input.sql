SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE USING INDEX users_name_idx;
