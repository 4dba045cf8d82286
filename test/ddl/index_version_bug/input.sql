SET lock_timeout = '1min';
SET statement_timeout = '1h';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
