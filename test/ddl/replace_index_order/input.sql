SET lock_timeout = '1min';
SET statement_timeout = '1h';
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_v2 ON orders (status, id);
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
