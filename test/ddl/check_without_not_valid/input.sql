SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);
ALTER TABLE orders ADD CONSTRAINT orders_total_small CHECK (total < 1000000) NOT VALID;
