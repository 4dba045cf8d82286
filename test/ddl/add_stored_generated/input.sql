SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE items ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;
CREATE TABLE lines (id bigint PRIMARY KEY, price numeric, qty integer);
ALTER TABLE lines ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;
