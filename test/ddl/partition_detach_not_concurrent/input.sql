SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE events DETACH PARTITION events_2020;
ALTER TABLE events DETACH PARTITION events_2021 CONCURRENTLY;
