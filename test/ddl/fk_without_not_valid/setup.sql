CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, seller_id bigint);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_seller_id_idx ON orders (seller_id);
