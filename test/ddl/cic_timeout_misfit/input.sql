SET lock_timeout = '2s';
SET statement_timeout = '1h';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
SET lock_timeout = '10min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_idx ON orders (created_at);
