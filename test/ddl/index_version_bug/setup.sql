CREATE TABLE orders (id bigint PRIMARY KEY, status text, created_at timestamptz, total numeric);
