SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE users ALTER COLUMN id TYPE bigint;
ALTER TABLE users ALTER COLUMN name TYPE varchar(100);
ALTER TABLE users ADD COLUMN nickname varchar(20);
ALTER TABLE users ALTER COLUMN nickname TYPE text;
