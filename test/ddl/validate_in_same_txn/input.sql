SET lock_timeout = '5s';
SET statement_timeout = '1min';
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
COMMIT;
ALTER TABLE orders ADD CONSTRAINT orders_total_small CHECK (total < 1000000) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_small;
