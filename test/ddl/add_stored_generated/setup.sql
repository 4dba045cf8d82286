CREATE TABLE items (id bigint PRIMARY KEY, price numeric, qty integer);
