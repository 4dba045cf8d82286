SET lock_timeout = '5s';
SET statement_timeout = '1min';
REINDEX TABLE orders;
SET lock_timeout = '1min';
REINDEX TABLE CONCURRENTLY orders;
