CREATE TABLE orders (id bigint PRIMARY KEY, status text, created_at timestamptz, total numeric);
CREATE INDEX orders_status_idx ON orders (status);
