SET lock_timeout = '5s';
SET statement_timeout = '1min';
DROP TABLE old_events CASCADE;
TRUNCATE audit;
CREATE TABLE scratch (id bigint PRIMARY KEY);
DROP TABLE scratch;
