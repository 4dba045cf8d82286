SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TYPE order_status RENAME VALUE 'shipped' TO 'sent';
ALTER TYPE order_status ADD VALUE 'cancelled' BEFORE 'new';
ALTER TYPE order_status ADD VALUE 'refunded';
