SET lock_timeout = '5s';
SET statement_timeout = '1min';
DROP INDEX orders_status_idx;
SET lock_timeout = '1min';
DROP INDEX CONCURRENTLY IF EXISTS orders_old_idx;
