SET lock_timeout = '5s';
SET statement_timeout = '1min';
CREATE TABLE orders (id serial PRIMARY KEY, note text);
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
