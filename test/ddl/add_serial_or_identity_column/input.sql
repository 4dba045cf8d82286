SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE events ADD COLUMN seq bigserial;
ALTER TABLE events ADD COLUMN note_id bigint;
