SET lock_timeout = '5s';
SET statement_timeout = '1min';
CREATE INDEX orders_status_idx ON orders (status);
CREATE TABLE notes (id bigint PRIMARY KEY, body text);
CREATE INDEX notes_body_idx ON notes (body);
