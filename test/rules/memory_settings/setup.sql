-- memory_settings: a sort spills to temporary files while the server's work_mem is the 4 MB
-- default (the spill is forced with a session-local work_mem), and the database is larger than
-- the fixture's share of the default 128 MB shared_buffers. Both thresholds are lowered.
SET work_mem = '64kB';
SELECT count(*) FROM (SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC) s;
SELECT pg_stat_force_next_flush();
