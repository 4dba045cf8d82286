SET lock_timeout = '5s';
SET statement_timeout = '1min';
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));
CREATE TABLE order_notes (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));
CREATE INDEX order_notes_order_id_idx ON order_notes (order_id);
