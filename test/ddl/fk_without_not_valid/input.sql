SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE orders ADD CONSTRAINT orders_seller_fk FOREIGN KEY (seller_id) REFERENCES customers (id) NOT VALID;
