SET lock_timeout = '1min';
SET statement_timeout = '1h';
BEGIN;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
COMMIT;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_id_status_idx ON orders (id, status);
